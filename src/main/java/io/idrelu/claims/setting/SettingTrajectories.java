package io.idrelu.claims.setting;

import io.idrelu.claims.ClaimContext;
import io.idrelu.claims.Trajectories;
import io.idrelu.claims.TrajectoryDriver;
import io.idrelu.model.Matrices;
import io.idrelu.model.Potential;
import io.idrelu.setting.Init;
import io.idrelu.setting.InputSampler;
import io.idrelu.setting.NetworkKernel;
import io.idrelu.setting.Setting;
import io.idrelu.setting.SettingJson;
import io.idrelu.setting.SettingProblem;
import io.idrelu.setting.SettingSgd;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Shared plumbing of the trajectory claims C7, C11, C12 under a setting (issue 11): SGD on the generic fast path
 * ({@link SettingSgd} on a {@link NetworkKernel}) shown to the [LY17] claims' recording code as a
 * {@link TrajectoryDriver}, with the {@code K} blocks {@code W_1..W_K} concatenated into one flat array
 * {@code [W_1, .., W_K]} (so {@code ||W - W*||_F^2} is over all blocks), and the per-block measures.
 *
 * <p>Seeds are those of the [LY17] claims: trial {@code i} draws its problem from {@code trialSeed(seed, i)} and its
 * input stream from {@code InputSampler.forTrial(seed, i)}; under {@code Setting.ly17(d)} this is today's problem and
 * batch stream, and the driver is today's scalar SGD bit for bit ({@code SettingSgdTest}; the claims' tests check
 * that the recorded trials equal the [LY17] ones).
 */
public final class SettingTrajectories {
    private SettingTrajectories() { }

    /** The name reported as the claims' {@code kernel} under a setting. */
    public static final String KERNEL_NAME = "setting-network (generic scalar fast path, double)";

    /** {@code [W_1, .., W_K]}, each row-major {@code d x d}. */
    public static double[] flat(List<double[]> blocks) {
        int n = 0;
        for (double[] b : blocks) {
            n += b.length;
        }
        double[] out = new double[n];
        flatInto(blocks, out);
        return out;
    }

    static void flatInto(List<double[]> blocks, double[] out) {
        int at = 0;
        for (double[] b : blocks) {
            System.arraycopy(b, 0, out, at, b.length);
            at += b.length;
        }
    }

    /** Block {@code k} (from 0) of a flat array of {@code d x d} blocks. */
    static double[] block(double[] flat, int d, int k) {
        double[] b = new double[d * d];
        System.arraycopy(flat, k * d * d, b, 0, d * d);
        return b;
    }

    /**
     * The driver of trial {@code trial}: {@code W_0} (the problem's start), then {@code W_1 .. W_steps} after each
     * {@link SettingSgd} step, flat; stops when the observer says so or after a non-finite iterate, as
     * {@link Trajectories#run}.
     */
    public static TrajectoryDriver driver(SettingSgd sgd, SettingProblem p, long baseSeed, long trial, int batch, double eta) {
        return (steps, obs) -> {
            double[] w0 = flat(p.w0());
            if (!obs.observe(0, w0) || steps == 0 || !allFinite(w0)) {
                return;
            }
            double[] buf = new double[w0.length];
            sgd.run(p, baseSeed, trial, steps, batch, eta, (t, w, before) -> {
                flatInto(w, buf);
                return obs.observe(t + 1, buf) && allFinite(buf);
            });
        };
    }

    static boolean allFinite(double[] w) {
        for (double v : w) {
            if (!Double.isFinite(v)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The Phase I potential for {@code K} blocks (an extension, proofs-notes/C7.md): the mean over blocks of
     * {@code g(W_k; W*_k) = sum_i (|v_{k,i}| - |u_{k,i}|)}, each block against its own teacher block; for {@code K = 1}
     * it is [LY17]'s {@code g} ({@link Potential#of}) bit for bit.
     */
    public static double potential(int d, boolean identity, double[] w, double[] wStar) {
        int k = w.length / (d * d);
        if (k == 1) {
            return Potential.of(d, identity, w, wStar);
        }
        double s = 0;
        for (int b = 0; b < k; b++) {
            s += Potential.of(d, identity, block(w, d, b), block(wStar, d, b));
        }
        return s / k;
    }

    /** The largest spectral norm over the blocks ({@code +infinity} for a non-finite iterate). */
    public static double spectralNorm(int d, double[] w) {
        if (!allFinite(w)) {
            return Double.POSITIVE_INFINITY;
        }
        double m = 0;
        for (int b = 0; b < w.length / (d * d); b++) {
            m = Math.max(m, Matrices.spectralNorm(block(w, d, b), d));
        }
        return m;
    }

    /**
     * The setting a claim's random problem is drawn under: the setting at {@code d} with the claim's own
     * {@code gamma} when its init is a spectral norm (as under [LY17], where the claims' presets fix gamma and the
     * setting's is not used: so a catalogue setting differs from the [LY17] run in one part only), the setting's
     * own init otherwise ({@link Init.Scaled}).
     */
    public static Setting problemSetting(Setting atD, double gamma) {
        return atD.init() instanceof Init.SpectralNorm ? atD.withInit(new Init.SpectralNorm(gamma)) : atD;
    }

    /** The dimensions a claim runs at: its own preset values, or the setting's d when the input law fixes it. */
    public static int[] dimensions(ClaimContext ctx, int[] own) {
        return ctx.dimensionFixed() ? new int[] {ctx.setting().d()} : own.clone();
    }

    /** SGD under {@code s} with a sampler built once (a data set is loaded and prepared once per claim run). */
    public static SettingSgd sgd(Setting s, NetworkKernel kernel) {
        return new SettingSgd(s, kernel, InputSampler.of(s.inputs(), s.d()));
    }

    /** The details every claim under a setting adds: the setting (JSON) and what ran. */
    public static Map<String, Object> details(ClaimContext ctx, String ran) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("setting", SettingJson.toJson(ctx.setting()).toString());
        m.put("ranUnderSetting", ran);
        return m;
    }

    /** Why the trajectory claims C11, C12 do not run under {@code s} (empty when they do): a vanilla student. */
    public static Optional<String> vanillaReason(String id, Setting s) {
        return s.architecture().identity() ? Optional.empty()
                : Optional.of(id + ": W* is the identity-mapped teacher's weights, which a vanilla student's weights do not"
                + " estimate (its optimum is I + W*; see C13)");
    }
}
