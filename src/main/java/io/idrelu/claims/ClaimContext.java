package io.idrelu.claims;

import io.idrelu.kernel.FloatKernel;
import io.idrelu.kernel.Kernel;
import io.idrelu.setting.InputLaw;
import io.idrelu.setting.Setting;

import java.util.function.Consumer;

/**
 * What a claim runs with: the kernels of the fast path, the base seed (trial {@code i} uses
 * {@code GaussianSampler.forTrial(seed, i)}), the preset, the paper's constants, a progress sink
 * (messages for stderr; never stdout), the setting the claims run under (issue 11,
 * proofs-notes/settings.md section 9), and how many threads a claim may use for its own independent trials
 * ({@code check --threads}; results never depend on it).
 *
 * <p>The setting's dimension: under [LY17] (the default) every claim keeps its own preset dimensions (the paper's
 * d values) and the setting's {@code d} is ignored. Under another setting a claim takes everything but {@code d} from
 * the setting ({@link #settingAt(int)}), unless the input law fixes the dimension (a covariance matrix or a data
 * set: {@link #dimensionFixed()}), in which case it runs at {@code setting().d()} only.
 */
public record ClaimContext(Kernel kernel, FloatKernel floatKernel, long seed, Preset preset,
                           PaperConstants constants, Consumer<String> progress, Setting setting, int threads) {

    /** The placeholder dimension of the default [LY17] setting; claims use their preset dimensions under [LY17]. */
    public static final int LY17_PLACEHOLDER_D = 8;

    public ClaimContext {
        if (setting == null) {
            throw new IllegalArgumentException("setting is null: expected Setting.ly17(d) for the paper's setting");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads = " + threads + ": expected >= 1");
        }
    }

    /** A context under {@code setting} whose claims run their trials on one thread. */
    public ClaimContext(Kernel kernel, FloatKernel floatKernel, long seed, Preset preset,
                        PaperConstants constants, Consumer<String> progress, Setting setting) {
        this(kernel, floatKernel, seed, preset, constants, progress, setting, 1);
    }

    /** A context under [LY17]'s setting (today's claims, unchanged). */
    public ClaimContext(Kernel kernel, FloatKernel floatKernel, long seed, Preset preset,
                        PaperConstants constants, Consumer<String> progress) {
        this(kernel, floatKernel, seed, preset, constants, progress, Setting.ly17(LY17_PLACEHOLDER_D));
    }

    /** A context with no progress output, under [LY17]'s setting. */
    public static ClaimContext of(Kernel kernel, FloatKernel floatKernel, long seed, Preset preset) {
        return new ClaimContext(kernel, floatKernel, seed, preset, PaperConstants.RECALLED, s -> { });
    }

    public ClaimContext withKernel(Kernel k) {
        return new ClaimContext(k, floatKernel, seed, preset, constants, progress, setting, threads);
    }

    public ClaimContext withConstants(PaperConstants c) {
        return new ClaimContext(kernel, floatKernel, seed, preset, c, progress, setting, threads);
    }

    public ClaimContext withSetting(Setting s) {
        return new ClaimContext(kernel, floatKernel, seed, preset, constants, progress, s, threads);
    }

    /** The same context allowing {@code k} threads for a claim's independent trials. */
    public ClaimContext withThreads(int k) {
        return new ClaimContext(kernel, floatKernel, seed, preset, constants, progress, setting, k);
    }

    /** True under [LY17]'s own setting (any gamma): claims run today's code paths and fused kernels. */
    public boolean isLy17() {
        return setting.isLy17();
    }

    /** True when the input law fixes {@code d} (a covariance matrix, a data set): claims run at {@code setting().d()} only. */
    public boolean dimensionFixed() {
        return setting.inputs() instanceof InputLaw.GaussianCov || setting.inputs() instanceof InputLaw.DataSet;
    }

    /**
     * The run's setting at dimension {@code d} (its other parts unchanged).
     *
     * @throws IllegalArgumentException when the input law fixes another dimension ({@link #dimensionFixed()})
     */
    public Setting settingAt(int d) {
        if (d == setting.d()) {
            return setting;
        }
        if (dimensionFixed()) {
            throw new IllegalArgumentException("the input law " + setting.inputs().kind() + " fixes d = " + setting.d()
                    + "; a claim asked for d = " + d);
        }
        var a = setting.architecture();
        return setting.withArchitecture(new io.idrelu.setting.Architecture(d, a.blocks(), a.identity()));
    }
}
