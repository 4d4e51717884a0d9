package io.idrelu.reference;

import io.idrelu.reference.PopulationReference.Mutation;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The closed forms against Monte-Carlo means of the exact batch quantities (claims C1, C3 at loose
 * tolerance): {@code n} Gaussian rows, per-row loss {@code r^2} and per-row gradient
 * {@code 2 r x[r] [h_j > 0]} from {@link ExactBatch}; each closed-form value must lie within
 * {@code Z = 5} sample standard errors of the mean. With at most 1 + 16 checks per case, the chance of
 * a false failure is below {@code 17 * 5.7e-7} per case under the normal approximation. Negative
 * controls: {@code (pi/2 - th)}, the dropped {@code sin}, and the wrong teacher sign must each fail.
 */
class MonteCarloTest {
    private static final int N = 3000;
    private static final double Z = 5;

    private record Case(int d, boolean identity, long seed) { }

    private static final Case[] CASES = {new Case(2, true, 101), new Case(3, true, 202), new Case(4, false, 303)};

    @Test
    void closedFormsMatchMonteCarloMeans() {
        PopulationReference ref = new PopulationReference(20);
        int caughtHalfPi = 0;
        int caughtDropSin = 0;
        int caughtSign = 0;
        for (Case c : CASES) {
            int d = c.d;
            // W, W* with 0.8 N(0,1) entries; the vanilla student gets I + W so its units are comparable in size
            BigDecimal[][] w = Fixtures.matrix(Fixtures.gaussian(c.seed, d * d, 0.8, 0), d);
            BigDecimal[][] ws = Fixtures.matrix(Fixtures.gaussian(c.seed + 1, d * d, 0.8, 0), d);
            if (!c.identity) {
                w = Fixtures.plusIdentity(w);
            }
            double[] xFlat = Fixtures.gaussian(c.seed + 2, N * d, 1.0, 0);
            BigDecimal[][] x = ExactBatchTest.reshape(xFlat, N, d);
            Estimate est = estimate(c.identity, w, ws, x, xFlat);
            PopulationValues closed = ref.evaluate(c.identity, w, ws);
            assertThat(est.coverageActive).as("both activation states sampled").isPositive();
            assertThat(est.coverageInactive).isPositive();
            System.out.printf("Monte Carlo %s: max |closed form - mean| / standard error = %.2f (limit %.0f)%n", c,
                    est.worst(closed), Z);
            assertThat(est.worst(closed)).as("max |closed - MC| / SE, %s", c).isLessThanOrEqualTo(Z);
            if (est.worst(mutant(Mutation.HALF_PI).evaluate(c.identity, w, ws)) > Z) {
                caughtHalfPi++;
            }
            if (est.worst(mutant(Mutation.DROP_SIN).evaluate(c.identity, w, ws)) > Z) {
                caughtDropSin++;
            }
            if (est.worst(mutant(Mutation.TEACHER_SIGN).evaluate(c.identity, w, ws)) > Z) {
                caughtSign++;
            }
        }
        assertThat(caughtHalfPi).as("(pi/2 - th) control").isEqualTo(CASES.length);
        assertThat(caughtDropSin).as("dropped-sin control").isEqualTo(CASES.length);
        assertThat(caughtSign).as("teacher-sign control").isEqualTo(CASES.length);
    }

    private static PopulationReference mutant(Mutation m) {
        return new PopulationReference(20, PopulationReference.GUARD_DIGITS, m);
    }

    /** Sample means and standard errors of the per-row loss and gradient. */
    private record Estimate(double lossMean, double lossSe, double[][] gradMean, double[][] gradSe,
                            long coverageActive, long coverageInactive) {
        double worst(PopulationValues v) {
            double worst = Math.abs(v.loss().doubleValue() - lossMean) / lossSe;
            for (int r = 0; r < gradMean.length; r++) {
                for (int j = 0; j < gradMean.length; j++) {
                    worst = Math.max(worst, Math.abs(v.gradient()[r][j].doubleValue() - gradMean[r][j]) / gradSe[r][j]);
                }
            }
            return worst;
        }
    }

    /** {@code xFlat} holds the same doubles as {@code x}, row-major, to avoid converting back per entry. */
    private static Estimate estimate(boolean identity, BigDecimal[][] w, BigDecimal[][] ws, BigDecimal[][] x, double[] xFlat) {
        int d = w.length;
        BatchValues bv = ExactBatch.evaluate(identity, w, ws, x);
        BigDecimal[][] h = ExactBatch.preActivations(identity, w, x);
        double s1 = 0;
        double s2 = 0;
        double[][] g1 = new double[d][d];
        double[][] g2 = new double[d][d];
        long active = 0;
        long inactive = 0;
        for (int b = 0; b < N; b++) {
            double r = bv.residuals()[b].doubleValue();
            s1 += r * r;
            s2 += r * r * r * r;
            for (int j = 0; j < d; j++) {
                boolean on = h[b][j].signum() > 0;
                if (on) {
                    active++;
                } else {
                    inactive++;
                }
                for (int i = 0; i < d; i++) {
                    double g = on ? 2 * r * xFlat[b * d + i] : 0;
                    g1[i][j] += g;
                    g2[i][j] += g * g;
                }
            }
        }
        double[][] mean = new double[d][d];
        double[][] se = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                mean[i][j] = g1[i][j] / N;
                se[i][j] = Math.sqrt((g2[i][j] / N - mean[i][j] * mean[i][j]) / (N - 1));
            }
        }
        double lm = s1 / N;
        return new Estimate(lm, Math.sqrt((s2 / N - lm * lm) / (N - 1)), mean, se, active, inactive);
    }
}
