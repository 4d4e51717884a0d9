package io.idrelu.claims;

import io.idrelu.audit.Auditor;
import io.idrelu.audit.NearKink;
import io.idrelu.kernel.ScalarKernel;
import io.idrelu.kitmiss.WrongPastD64Kernel;
import io.idrelu.model.GaussianSampler;
import io.idrelu.model.Problem;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A1's {@code d > 64} case (quick preset, d = 67) must activate every unit past 64 in some row, whatever the seed:
 * a kernel whose gradient tile never reaches those units ({@link WrongPastD64Kernel}) is only visible through an
 * active unit. With the former fixed two rows, about one seed in 64 left units 64..66 inactive in both rows.
 */
class A1PastD64CoverageTest {
    private static final int D = 67;
    private static final int SEEDS = 300;

    @Test
    void everyUnitPast64IsActiveInSomeRowForEverySeed() {
        int seedsWhereTwoRowsMissAUnit = 0;
        for (int s = 0; s < SEEDS; s++) {
            long seed = GaussianSampler.trialSeed(20171204L, s);
            for (boolean identity : new boolean[] {true, false}) {
                int n = A1BatchGradientAgreement.rowsActivatingPast64(D, identity, seed, 2);
                assertThat(n).isBetween(2, A1BatchGradientAgreement.MAX_ROWS_PAST_D64);
                // independent recomputation of the mask by the scalar kernel (its own fma chain)
                assertThat(firstInactiveUnitPast64(D, identity, seed, n)).as("seed %d identity %s, %d rows", seed, identity, n)
                        .isEqualTo(-1);
                if (firstInactiveUnitPast64(D, identity, seed, 2) >= 0) {
                    seedsWhereTwoRowsMissAUnit++;
                }
            }
        }
        // the rule matters: with two fixed rows some seeds leave a unit past 64 inactive (expected about 600/64)
        assertThat(seedsWhereTwoRowsMissAUnit).isPositive();
    }

    @Test
    void aSeedOnWhichTwoRowsMissTheFaultyKernelNowCatchesIt() {
        long seed = -1;
        for (int s = 0; s < SEEDS && seed == -1; s++) {
            long candidate = GaussianSampler.trialSeed(20171204L, s);
            if (activeUnitsPast64(D, true, candidate, 2) == 0) {
                seed = candidate;
            }
        }
        assertThat(seed).as("a seed whose two rows leave every unit past 64 inactive (about 1 in 64)").isNotEqualTo(-1);
        WrongPastD64Kernel faulty = new WrongPastD64Kernel();
        // negative control of the former fixed two rows: every quantity within its bound, the bug unseen
        assertThat(Auditor.allPassed(A1BatchGradientAgreement.runCase(faulty, null, D, true, 2, 0, seed)))
                .as("two rows on seed %d", seed).isTrue();
        int n = A1BatchGradientAgreement.rowsActivatingPast64(D, true, seed, 2);
        assertThat(n).isGreaterThan(2);
        assertThat(Auditor.allPassed(A1BatchGradientAgreement.runCase(faulty, null, D, true, n, 0, seed)))
                .as("the faulty kernel with %d covering rows", n).isFalse();
        assertThat(Auditor.allPassed(A1BatchGradientAgreement.runCase(new ScalarKernel(), null, D, true, n, 0, seed)))
                .as("a correct kernel on the same rows").isTrue();
    }

    private static int firstInactiveUnitPast64(int d, boolean identity, long seed, int rows) {
        boolean[] active = activity(d, identity, seed, rows);
        for (int j = 64; j < d; j++) {
            if (!active[j]) {
                return j;
            }
        }
        return -1;
    }

    private static int activeUnitsPast64(int d, boolean identity, long seed, int rows) {
        boolean[] active = activity(d, identity, seed, rows);
        int n = 0;
        for (int j = 64; j < d; j++) {
            n += active[j] ? 1 : 0;
        }
        return n;
    }

    /** Per unit: a positive pre-activation in one of the first {@code rows} rows (scalar kernel, its own fma chain). */
    private static boolean[] activity(int d, boolean identity, long seed, int rows) {
        Problem pr = Auditor.quickProblem(d, 0.5, seed, identity);
        double[] w = NearKink.roundColumn(pr.w0(), d, 0, NearKink.SHORT_BITS);
        double[] x = GaussianSampler.forTrial(seed, 0).batch(rows, d);
        double[] h = new double[rows * d];
        new ScalarKernel().preActivations(d, identity, w, x, rows, h);
        boolean[] active = new boolean[d];
        for (int b = 0; b < rows; b++) {
            for (int j = 0; j < d; j++) {
                active[j] |= h[b * d + j] > 0;
            }
        }
        return active;
    }
}
