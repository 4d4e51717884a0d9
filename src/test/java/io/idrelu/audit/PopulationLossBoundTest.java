package io.idrelu.audit;

import io.idrelu.kernel.ScalarKernel;
import io.idrelu.model.GaussianSampler;
import io.idrelu.model.Matrices;
import io.idrelu.model.Problem;
import io.idrelu.reference.PopulationReference;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link PopulationLossBound}: next to {@code W*} the fast closed-form loss comes out negative by rounding; the
 * A2 bound covers the distance to the exact loss there (checked against a 40-digit reference), so clamping
 * to 0 stays within it; a value further below zero is not hidden (negative control).
 */
public class PopulationLossBoundTest {
    private static final ScalarKernel K = new ScalarKernel();

    /** Problems at W* + 1e-9 * Gaussian: the first seeds whose fast loss is negative. */
    public static double[][] negativeNearOptimum(int d, int wanted) {
        double[][] out = new double[wanted][];
        int found = 0;
        for (long seed = 1; seed < 500 && found < wanted; seed++) {
            Problem p = Problem.random(d, 0.3, seed, true);
            double[] w = p.wStar().clone();
            GaussianSampler g = new GaussianSampler(seed);
            for (int i = 0; i < w.length; i++) {
                w[i] += 1e-9 * g.next();
            }
            if (K.populationLossAndGradient(d, true, w, p.wStar(), null) < 0) {
                double[] both = new double[2 * d * d];
                System.arraycopy(w, 0, both, 0, d * d);
                System.arraycopy(p.wStar(), 0, both, d * d, d * d);
                out[found++] = both;
            }
        }
        assertThat(found).as("rounding-negative losses found near W* (coverage)").isEqualTo(wanted);
        return out;
    }

    @Test
    void boundCoversTheRoundingNegativeLossAndClampingStaysWithinIt() {
        int d = 8;
        PopulationReference ref = new PopulationReference(40);
        for (double[] both : negativeNearOptimum(d, 5)) {
            double[] w = java.util.Arrays.copyOfRange(both, 0, d * d);
            double[] ws = java.util.Arrays.copyOfRange(both, d * d, 2 * d * d);
            double fast = K.populationLossAndGradient(d, true, w, ws, null);
            double bound = PopulationLossBound.of(Precision.DOUBLE, d, true, w, ws);
            BigDecimal exact = ref.loss(true, Matrices.exact(w, d), Matrices.exact(ws, d));
            double err = new BigDecimal(fast).subtract(exact).abs().doubleValue();
            assertThat(err).as("|L_fast - L| within the A2 bound").isLessThanOrEqualTo(bound);
            assertThat(fast).isNegative().isGreaterThanOrEqualTo(-bound);
            double reported = PopulationLossBound.reported(fast, bound);
            assertThat(reported).isZero();
            assertThat(new BigDecimal(reported).subtract(exact).abs().doubleValue()).isLessThanOrEqualTo(bound);
            assertThat(PopulationLossBound.forLogPlot(fast, bound)).isEqualTo(bound).isPositive();
            // negative control: a value below -bound is a bug to see, not rounding; it is kept
            assertThat(PopulationLossBound.reported(-2 * bound, bound)).isEqualTo(-2 * bound);
        }
        assertThat(PopulationLossBound.reported(0.25, 1e-16)).isEqualTo(0.25);
        assertThat(PopulationLossBound.forLogPlot(0.25, 1e-16)).isEqualTo(0.25);
    }
}
