package io.idrelu.kitmiss;

import io.idrelu.claims.DelegatingKernel;
import io.idrelu.kernel.ScalarKernel;

/**
 * Fixture of issue 12: {@code lossAndGradient} adds the batch gradient to whatever {@code grad} holds instead of
 * overwriting it (the clearing loop was "optimised away" because fresh Java arrays are zero). Right on a fresh
 * array, so an audit that only ever passes fresh outputs cannot see it; wrong on the second call into the same
 * array, which is how a training loop calls it.
 */
public final class AccumulatingGradientKernel extends DelegatingKernel {
    public AccumulatingGradientKernel() {
        super(new ScalarKernel());
    }

    @Override
    public String name() {
        return "accumulating-gradient";
    }

    @Override
    public double lossAndGradient(int d, boolean identity, double[] w, double[] wStar, double[] x, int batch,
                                  double[] residuals, double[] grad) {
        double[] g = new double[d * d];
        double loss = super.lossAndGradient(d, identity, w, wStar, x, batch, residuals, g);
        for (int i = 0; i < d * d; i++) {
            grad[i] += g[i];
        }
        return loss;
    }
}
