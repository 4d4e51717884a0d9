package io.idrelu.cli;

import io.idrelu.kernel.ScalarKernel;

/**
 * A realistic kernel bug for the end-to-end test of {@code idrelu check --kernel-class}: the batch
 * gradient loses its last element (a loop bound off by one in a hand-written tail), while loss,
 * forward pass and the population closed form are right.
 */
public final class BrokenTailKernel extends io.idrelu.claims.DelegatingKernel {
    public BrokenTailKernel() {
        super(new ScalarKernel());
    }

    @Override
    public String name() {
        return "broken-tail";
    }

    @Override
    public double lossAndGradient(int d, boolean identity, double[] w, double[] wStar, double[] x, int batch,
                                  double[] residuals, double[] grad) {
        double loss = super.lossAndGradient(d, identity, w, wStar, x, batch, residuals, grad);
        grad[d * d - 1] = 0.0;
        return loss;
    }

    @Override
    public double sgdStep(int d, boolean identity, double[] w, double[] wStar, double[] x, int batch, double eta,
                          Scratch scratch) {
        double[] g = new double[d * d];
        double loss = lossAndGradient(d, identity, w, wStar, x, batch, null, g);
        for (int i = 0; i < g.length; i++) {
            w[i] -= eta * g[i];
        }
        return loss;
    }
}
