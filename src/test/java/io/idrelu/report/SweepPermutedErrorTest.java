package io.idrelu.report;

import io.idrelu.model.GaussianSampler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

/**
 * The sweep's permutation-invariant final error ({@link Sweep#permutedUnitDistance}): the Hungarian
 * assignment equals brute force over all permutations, and a column-permuted teacher (a global minimum of
 * [LY17]'s net, which is a sum over units) has permuted distance 0 while its plain distance is not 0.
 */
class SweepPermutedErrorTest {

    @Test
    void assignmentMatchesBruteForce() {
        qt().withExamples(60).forAll(integers().between(1, 6), longs().between(0, 1_000_000)).checkAssert((n, seed) -> {
            double[] x = new GaussianSampler(seed).batch(n, n);
            double[][] c = new double[n][n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    c[i][j] = x[i * n + j] * x[i * n + j];
                }
            }
            int[] m = Sweep.assignment(c);
            double got = 0;
            boolean[] seen = new boolean[n];
            for (int i = 0; i < n; i++) {
                assertThat(seen[m[i]]).isFalse();
                seen[m[i]] = true;
                got += c[i][m[i]];
            }
            double best = brute(c, 0, new boolean[n]);
            assertThat(got).isCloseTo(best, org.assertj.core.data.Offset.offset(1e-12 * (1 + best)));
        });
    }

    private static double brute(double[][] c, int row, boolean[] used) {
        if (row == c.length) {
            return 0;
        }
        double best = Double.POSITIVE_INFINITY;
        for (int j = 0; j < c.length; j++) {
            if (!used[j]) {
                used[j] = true;
                best = Math.min(best, c[row][j] + brute(c, row + 1, used));
                used[j] = false;
            }
        }
        return best;
    }

    @Test
    void permutedTeacherIsAtDistanceZeroOnlyUpToPermutation() {
        int d = 5;
        double[] ws = new GaussianSampler(3).batch(d, d);
        int[] perm = {2, 0, 4, 1, 3};
        for (boolean identity : new boolean[] {true, false}) {
            // U = V P: column j of U is column perm[j] of V = I + W*
            double[] w = new double[d * d];
            for (int r = 0; r < d; r++) {
                for (int j = 0; j < d; j++) {
                    double v = ws[r * d + perm[j]] + (r == perm[j] ? 1 : 0);
                    w[r * d + j] = v - (identity && r == j ? 1 : 0);
                }
            }
            assertThat(Sweep.permutedUnitDistance(d, identity, w, ws)).isLessThan(1e-24);
            // negative control: the same W is far from V without relabelling
            assertThat(Sweep.unitDistance(d, identity, w, ws)).isGreaterThan(1.0);
            // and the teacher itself is at distance 0 both ways
            double[] atTeacher = identity ? ws.clone() : plusIdentity(ws, d);
            assertThat(Sweep.unitDistance(d, identity, atTeacher, ws)).isLessThan(1e-24);
        }
    }

    @Test
    void assignmentIsExactUpToDimensionEight() {
        // the sweep claims exactness for every d; exhaustive search is affordable up to d = 8 (40320 permutations)
        for (int n = 7; n <= 8; n++) {
            for (long seed = 0; seed < 3; seed++) {
                double[] x = new GaussianSampler(100 + seed).batch(n, n);
                double[][] c = new double[n][n];
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        c[i][j] = Math.abs(x[i * n + j]);
                    }
                }
                int[] m = Sweep.assignment(c);
                double got = 0;
                for (int i = 0; i < n; i++) {
                    got += c[i][m[i]];
                }
                double best = brute(c, 0, new boolean[n]);
                assertThat(got).as("n=%d seed=%d", n, seed).isCloseTo(best, org.assertj.core.data.Offset.offset(1e-12 * (1 + best)));
            }
        }
    }

    @Test
    void aPerturbationThatIsNotAPermutationIsNotForgiven() {
        // control for the permuted teacher at distance 0: U = V P + E with a small E that no relabelling undoes
        // keeps exactly ||E||_F^2 (the nearest permutation is still P because E is small)
        int d = 6;
        double[] ws = new GaussianSampler(5).batch(d, d);
        double[] e = new GaussianSampler(6).batch(d, d);
        int[] perm = {3, 5, 0, 1, 4, 2};
        for (boolean identity : new boolean[] {true, false}) {
            double[] w = new double[d * d];
            double e2 = 0;
            for (int r = 0; r < d; r++) {
                for (int j = 0; j < d; j++) {
                    double small = 1e-3 * e[r * d + j];
                    e2 += small * small;
                    double v = ws[r * d + perm[j]] + (r == perm[j] ? 1 : 0);
                    w[r * d + j] = v + small - (identity && r == j ? 1 : 0);
                }
            }
            double got = Sweep.permutedUnitDistance(d, identity, w, ws);
            assertThat(got).isGreaterThan(0).isCloseTo(e2, org.assertj.core.data.Percentage.withPercentage(1e-6));
            assertThat(Sweep.unitDistance(d, identity, w, ws)).isGreaterThan(1.0);
        }
    }

    @Test
    @Timeout(10)
    void overflowingWeightsGiveInfinityNotAHang() {
        // a diverging run can leave finite weights whose squared distances overflow; the assignment must not loop
        double[] w = {1e200, 0, 0, 1e200};
        assertThat(Sweep.permutedUnitDistance(2, true, w, new double[4])).isInfinite();
    }

    private static double[] plusIdentity(double[] m, int d) {
        double[] out = m.clone();
        for (int i = 0; i < d; i++) {
            out[i * d + i] += 1;
        }
        return out;
    }
}
