package io.idrelu.kitmiss;

import io.idrelu.claims.DelegatingKernel;
import io.idrelu.kernel.ScalarKernel;

/**
 * Fixture of issue 12 ("conformance kit misses"): a hand-written single-sample fast path that forgets the
 * factor 2 of {@code dl/dW = (2/B) sum_b r_b x_b [h > 0]} (MATH.md section 1), so the batch gradient and the
 * SGD step are half what they should be at batch 1 and right at every other batch size. Online SGD with one
 * sample is the commonest use, so the kit must see it: before the batch 1-3 cases, no A1/A3 case, battery
 * case or audit used fewer than 2 rows.
 */
public final class HalfGradientAtBatchOneKernel extends DelegatingKernel {
    public HalfGradientAtBatchOneKernel() {
        super(new ScalarKernel());
    }

    @Override
    public String name() {
        return "half-gradient-at-batch-1";
    }

    @Override
    public double lossAndGradient(int d, boolean identity, double[] w, double[] wStar, double[] x, int batch,
                                  double[] residuals, double[] grad) {
        double loss = super.lossAndGradient(d, identity, w, wStar, x, batch, residuals, grad);
        if (batch == 1) {
            for (int i = 0; i < d * d; i++) {
                grad[i] *= 0.5;   // r x [h > 0] instead of 2 r x [h > 0]
            }
        }
        return loss;
    }

    @Override
    public double sgdStep(int d, boolean identity, double[] w, double[] wStar, double[] x, int batch, double eta,
                          Scratch scratch) {
        if (batch != 1) {
            return super.sgdStep(d, identity, w, wStar, x, batch, eta, scratch);
        }
        double[] g = new double[d * d];
        double loss = lossAndGradient(d, identity, w, wStar, x, batch, null, g);
        for (int i = 0; i < g.length; i++) {
            w[i] = Math.fma(-eta, g[i], w[i]);
        }
        return loss;
    }
}
