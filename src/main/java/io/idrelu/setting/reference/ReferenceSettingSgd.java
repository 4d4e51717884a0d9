package io.idrelu.setting.reference;

import io.idrelu.reference.ReferenceSgd;
import io.idrelu.reference.SgdStep;
import io.idrelu.setting.InputSampler;
import io.idrelu.setting.Setting;
import io.idrelu.setting.SettingProblem;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;

/**
 * The reference SGD under a {@link Setting} (claim A3 under a setting; proofs-notes/A3.md, "Under other settings"):
 * the batch gradient of every block from {@link ExactNetwork} (exact for ReLU and leaky ReLU at any depth; within
 * {@code 10^-p (1 + |v|)} of every gradient sum for smooth activations, {@code p = digits}), then the update of
 * every block rounded once per entry to {@code mc} by {@link ReferenceSgd#update}: the same contract as today's
 * {@link ReferenceSgd} (exact gradient, one rounding of {@code (B W - 2 eta S) / B} per entry, the exact or rounded-up
 * maximum rounding error returned), so that digits stay bounded over a trajectory.
 *
 * <p><b>Samples.</b> {@link #run} draws exactly what {@code io.idrelu.setting.SettingSgd#run} draws: step {@code t}
 * of trial {@code i} takes {@code B} rows of {@link InputSampler#forTrial}{@code (seed, i)}, then (with label noise)
 * {@code B} noise values of the same stream; rows and noise enter as exact BigDecimals of those doubles.
 */
public final class ReferenceSettingSgd {

    /**
     * One reference step.
     *
     * @param next             every block's {@code W_{t+1}} (rounded once per entry)
     * @param maxRoundingError the largest entry-wise rounding error over all blocks (an upper bound, see {@link SgdStep})
     * @param values           the reference batch values at {@code W_t} that produced the step
     */
    public record Step(List<BigDecimal[][]> next, BigDecimal maxRoundingError, NetworkValues values) { }

    /** Observer of {@link #run}: step index (from 0), the step; false stops the run. */
    @FunctionalInterface
    public interface Observer {
        boolean afterStep(int step, Step s);
    }

    private final Setting setting;
    private final ExactNetwork network;
    private final InputSampler sampler;

    /** @param digits {@code p} for smooth activations (ignored for piecewise-linear ones) */
    public ReferenceSettingSgd(Setting setting, InputSampler sampler, int digits) {
        if (sampler.d() != setting.d()) {
            throw new IllegalArgumentException("sampler d = " + sampler.d() + " != setting d = " + setting.d());
        }
        this.setting = setting;
        this.network = new ExactNetwork(setting.architecture(), setting.activation(), digits);
        this.sampler = sampler;
    }

    public ExactNetwork network() {
        return network;
    }

    /** One step from {@code w} on rows {@code x[b][r]} and noise (or null), step size {@code eta} (exact). */
    public Step step(List<BigDecimal[][]> w, List<BigDecimal[][]> wStar, BigDecimal[][] x, BigDecimal[] noise,
                     BigDecimal eta, MathContext mc) {
        NetworkValues v = network.evaluate(w, wStar, x, noise);
        List<BigDecimal[][]> next = new ArrayList<>();
        BigDecimal maxErr = BigDecimal.ZERO;
        for (int k = 0; k < w.size(); k++) {
            SgdStep s = ReferenceSgd.update(w.get(k), v.gradientSums().get(k), v.batch(), eta, mc);
            next.add(s.next());
            maxErr = maxErr.max(s.maxRoundingError());
        }
        return new Step(next, maxErr, v);
    }

    /** The same doubles as exact BigDecimals: rows {@code [b][r]} of a row-major batch, noise (or null). */
    public static BigDecimal[] exact(double[] noise) {
        if (noise == null) {
            return null;
        }
        BigDecimal[] out = new BigDecimal[noise.length];
        for (int b = 0; b < noise.length; b++) {
            out[b] = new BigDecimal(noise[b]);
        }
        return out;
    }

    /**
     * Runs {@code steps} reference steps of trial {@code trial} from {@code p}'s start, on SettingSgd's samples.
     *
     * @return the final weights
     */
    public List<BigDecimal[][]> run(SettingProblem p, long seed, long trial, int steps, int batch, double eta,
                                    MathContext mc, Observer observer) {
        int d = setting.d();
        List<BigDecimal[][]> w = ExactNetwork.exact(p.w0(), d);
        List<BigDecimal[][]> wStar = ExactNetwork.exact(p.wStar(), d);
        BigDecimal etaB = ReferenceSgd.eta(eta);
        InputSampler.Stream stream = sampler.forTrial(seed, trial);
        double sigma = setting.labels().sigma();
        for (int t = 0; t < steps; t++) {
            double[] x = stream.batch(batch);
            double[] noise = sigma > 0 ? stream.noise(batch, sigma) : null;
            Step s = step(w, wStar, ExactNetwork.exact(x, batch, d), exact(noise), etaB, mc);
            w = s.next();
            if (observer != null && !observer.afterStep(t, s)) {
                break;
            }
        }
        return w;
    }
}
