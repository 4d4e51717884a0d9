package io.idrelu.setting;

import java.util.ArrayList;
import java.util.List;

/**
 * Plain SGD under a {@link Setting} on the generic fast path ({@link NetworkKernel}): the driver every claim that
 * trains under a setting other than [LY17]'s uses (issue 11; proofs-notes/settings.md section 9, item 4). Today's
 * fused kernels stay for [LY17] itself.
 *
 * <p>Step {@code t} (from 0) of trial {@code i} draws {@code B} rows from the trial's input stream
 * ({@link InputSampler#forTrial}{@code (seed, i)}), then, with label noise, {@code B} noise values from the same
 * stream's independent noise source; evaluates the batch gradient at the current weights and updates every block
 * {@code W_k[r][j] = fma(-eta, G_k[r][j], W_k[r][j])} (one rounding, as {@code ScalarKernel}). Under
 * {@code Setting.ly17(d)} this is today's scalar SGD bit for bit (tested in {@code SettingSgdTest}).
 */
public final class SettingSgd {

    /** Called after every step with the step index (from 0), the updated weights and the pre-step values. */
    @FunctionalInterface
    public interface Observer {
        /** @return false to stop the run after this step */
        boolean afterStep(int step, List<double[]> w, FastValues before);
    }

    private final Setting setting;
    private final NetworkKernel kernel;
    private final InputSampler sampler;

    public SettingSgd(Setting setting, NetworkKernel kernel) {
        this(setting, kernel, InputSampler.of(setting.inputs(), setting.d()));
    }

    /** With a sampler built once (a data set is loaded and standardised once, not per run). */
    public SettingSgd(Setting setting, NetworkKernel kernel, InputSampler sampler) {
        if (sampler.d() != setting.d()) {
            throw new IllegalArgumentException("sampler d = " + sampler.d() + " != setting d = " + setting.d());
        }
        this.setting = setting;
        this.kernel = kernel;
        this.sampler = sampler;
    }

    public Setting setting() {
        return setting;
    }

    public InputSampler sampler() {
        return sampler;
    }

    /**
     * One SGD step in place on {@code w}.
     *
     * @param noise label noise per row, or null
     * @return the batch quantities at the weights before the step
     */
    public FastValues step(List<double[]> w, List<double[]> wStar, double[] x, int batch, double[] noise, double eta) {
        FastValues v = kernel.evaluate(setting.architecture(), setting.activation(), w, wStar, x, batch, noise);
        for (int k = 0; k < w.size(); k++) {
            double[] wk = w.get(k);
            double[] g = v.gradients().get(k);
            for (int i = 0; i < wk.length; i++) {
                wk[i] = Math.fma(-eta, g[i], wk[i]);
            }
        }
        return v;
    }

    /**
     * Runs up to {@code steps} steps of trial {@code trial} from {@code p}'s start.
     *
     * @return the final weights (fresh arrays)
     */
    public List<double[]> run(SettingProblem p, long seed, long trial, int steps, int batch, double eta, Observer observer) {
        List<double[]> w = p.w0();
        List<double[]> wStar = p.wStar();
        InputSampler.Stream stream = sampler.forTrial(seed, trial);
        double sigma = setting.labels().sigma();
        for (int t = 0; t < steps; t++) {
            double[] x = stream.batch(batch);
            double[] noise = sigma > 0 ? stream.noise(batch, sigma) : null;
            FastValues v = step(w, wStar, x, batch, noise, eta);
            if (observer != null && !observer.afterStep(t, w, v)) {
                break;
            }
        }
        List<double[]> out = new ArrayList<>();
        for (double[] m : w) {
            out.add(m.clone());
        }
        return out;
    }
}
