package io.idrelu.kitmiss;

import io.idrelu.claims.DelegatingKernel;
import io.idrelu.kernel.ScalarKernel;

/**
 * Fixture of issue 12: a kernel tiled by 64 units whose tile loop runs only once, so the gradient columns
 * {@code j >= 64} (units 65 and up) are never written (left 0) and SGD never moves them. Right for every
 * {@code d <= 64}: a preset that stops at {@code d = 7} passes it.
 */
public final class WrongPastD64Kernel extends DelegatingKernel {
    /** Width of the (buggy) tile. */
    public static final int TILE = 64;

    public WrongPastD64Kernel() {
        super(new ScalarKernel());
    }

    @Override
    public String name() {
        return "wrong-past-d64";
    }

    @Override
    public double lossAndGradient(int d, boolean identity, double[] w, double[] wStar, double[] x, int batch,
                                  double[] residuals, double[] grad) {
        double loss = super.lossAndGradient(d, identity, w, wStar, x, batch, residuals, grad);
        for (int r = 0; r < d; r++) {
            for (int j = TILE; j < d; j++) {
                grad[r * d + j] = 0.0;
            }
        }
        return loss;
    }

    @Override
    public double sgdStep(int d, boolean identity, double[] w, double[] wStar, double[] x, int batch, double eta,
                          Scratch scratch) {
        double[] g = new double[d * d];
        double loss = lossAndGradient(d, identity, w, wStar, x, batch, null, g);
        for (int i = 0; i < g.length; i++) {
            w[i] = Math.fma(-eta, g[i], w[i]);
        }
        return loss;
    }
}
