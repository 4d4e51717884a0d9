package io.idrelu.kernel;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Both angle routes of {@link PopulationClosedForm} (claim A2, proofs-notes/A2.md) are really taken: the Gram route
 * at a random point, Kahan's formula for the nearly parallel pairs {@code (u_j, v_j)} next to the teacher and at the
 * teacher itself; and the counting hook changes no bit. Fails if the fallback is never reached (e.g. a threshold
 * of 0) or the Gram route never taken (a threshold above 1).
 */
class PopulationRoutesTest {
    /** Counts the pairs each route takes. */
    static final class Counting extends PopulationClosedForm {
        int gram;
        int kahan;

        @Override
        protected void gramAngles(double[] g, int go, double n2a, double[] n2b, int from, int to,
                                  double[] th, double[] sin, double[] cos) {
            super.gramAngles(g, go, n2a, n2b, from, to, th, sin, cos);
            for (int k = from; k < to; k++) {
                if (Double.isNaN(th[go + k])) {
                    kahan++;
                } else {
                    gram++;
                }
            }
        }
    }

    @Test
    void bothRoutesAreTakenAndTheSplitIsInvisible() {
        int d = 13;
        Cases.Case c = Cases.gaussian(d, 1, true, 11);
        double[] near = c.wStar.clone();
        for (int i = 0; i < near.length; i++) {
            near[i] += 1e-6 * (c.w[i] - c.wStar[i]);
        }
        for (double[] w : new double[][] {c.w, near, c.wStar}) {
            Counting counting = new Counting();
            double[] g1 = new double[d * d];
            double[] g2 = new double[d * d];
            double l1 = counting.lossAndGradient(d, true, w, c.wStar, g1);
            double l2 = new PopulationClosedForm().lossAndGradient(d, true, w, c.wStar, g2);
            assertThat(Double.doubleToRawLongBits(l1)).isEqualTo(Double.doubleToRawLongBits(l2));
            assertThat(g1).isEqualTo(g2);
            assertThat(counting.gram).as("Gram-route pairs").isGreaterThan(d * (d - 1));
            if (w != c.w) {
                // (u_j, v_j) nearly parallel: at least the d pairs of the cross set go to Kahan
                assertThat(counting.kahan).as("Kahan pairs next to / at the teacher").isGreaterThanOrEqualTo(d);
            }
        }
    }
}
