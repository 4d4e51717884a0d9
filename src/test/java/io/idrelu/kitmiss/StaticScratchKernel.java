package io.idrelu.kitmiss;

import io.idrelu.claims.DelegatingKernel;
import io.idrelu.kernel.ScalarKernel;

/**
 * Fixture of issue 12: {@code lossAndGradient} computes the gradient into a <em>static</em> scratch buffer and
 * then copies it out, a classic way to "avoid allocation". Serially it is correct (every determinism and
 * accuracy case passes); two threads calling it at once can copy out each other's gradient. No sleep widens
 * the window: the race is as narrow as in a real kernel, which is what the thread-safety check must catch
 * every time.
 */
public final class StaticScratchKernel extends DelegatingKernel {
    private static double[] scratch = new double[0];

    public StaticScratchKernel() {
        super(new ScalarKernel());
    }

    @Override
    public String name() {
        return "static-scratch";
    }

    @Override
    public double lossAndGradient(int d, boolean identity, double[] w, double[] wStar, double[] x, int batch,
                                  double[] residuals, double[] grad) {
        if (scratch.length < d * d) {
            scratch = new double[d * d];
        }
        double[] g = scratch;
        double loss = super.lossAndGradient(d, identity, w, wStar, x, batch, residuals, g);
        System.arraycopy(g, 0, grad, 0, d * d);
        return loss;
    }
}
