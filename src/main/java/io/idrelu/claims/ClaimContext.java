package io.idrelu.claims;

import io.idrelu.kernel.FloatKernel;
import io.idrelu.kernel.Kernel;

import java.util.function.Consumer;

/**
 * What a claim runs with: the kernels of the fast path, the base seed (trial {@code i} uses
 * {@code GaussianSampler.forTrial(seed, i)}), the preset, the paper's constants, and a progress sink
 * (messages for stderr; never stdout).
 */
public record ClaimContext(Kernel kernel, FloatKernel floatKernel, long seed, Preset preset,
                           PaperConstants constants, Consumer<String> progress) {

    /** A context with no progress output. */
    public static ClaimContext of(Kernel kernel, FloatKernel floatKernel, long seed, Preset preset) {
        return new ClaimContext(kernel, floatKernel, seed, preset, PaperConstants.RECALLED, s -> { });
    }

    public ClaimContext withKernel(Kernel k) {
        return new ClaimContext(k, floatKernel, seed, preset, constants, progress);
    }

    public ClaimContext withConstants(PaperConstants c) {
        return new ClaimContext(kernel, floatKernel, seed, preset, c, progress);
    }
}
