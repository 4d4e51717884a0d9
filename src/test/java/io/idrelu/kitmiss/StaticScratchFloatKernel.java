package io.idrelu.kitmiss;

import io.idrelu.kernel.FloatKernel;
import io.idrelu.kernel.ScalarFloatKernel;

/**
 * Float twin of {@link StaticScratchKernel}: the float {@code lossAndGradient} goes through a static buffer.
 * Shows that the thread-safety check hammers the float kernel's methods too.
 */
public final class StaticScratchFloatKernel implements FloatKernel {
    private static float[] scratch = new float[0];
    private final FloatKernel inner = new ScalarFloatKernel();

    @Override public String name() { return "static-scratch-float"; }

    @Override public void preActivations(int d, boolean id, float[] w, float[] x, int batch, float[] h) {
        inner.preActivations(d, id, w, x, batch, h);
    }

    @Override public void forward(int d, boolean id, float[] w, float[] x, int batch, float[] out) {
        inner.forward(d, id, w, x, batch, out);
    }

    @Override public float lossAndGradient(int d, boolean id, float[] w, float[] ws, float[] x, int batch,
                                           float[] residuals, float[] grad) {
        if (scratch.length < d * d) {
            scratch = new float[d * d];
        }
        float[] g = scratch;
        float loss = inner.lossAndGradient(d, id, w, ws, x, batch, residuals, g);
        System.arraycopy(g, 0, grad, 0, d * d);
        return loss;
    }

    @Override public float sgdStep(int d, boolean id, float[] w, float[] ws, float[] x, int batch, float eta,
                                   Scratch s) {
        return inner.sgdStep(d, id, w, ws, x, batch, eta, s);
    }

    @Override public Scratch newScratch(int d, int batch) { return inner.newScratch(d, batch); }

    @Override public float populationLossAndGradient(int d, boolean id, float[] w, float[] ws, float[] grad) {
        return inner.populationLossAndGradient(d, id, w, ws, grad);
    }
}
