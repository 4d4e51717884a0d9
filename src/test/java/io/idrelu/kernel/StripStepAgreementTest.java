package io.idrelu.kernel;

import io.idrelu.kernel.vector.StripTile;
import io.idrelu.kernel.vector.VectorKernel;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The double SGD step's packed path ({@code VectorSgdStep} over {@link StripTile}: strips of X and X^T, unit and mask
 * panels, the forward epilogue's row sums and mask) equals {@link ScalarKernel#sgdStep} bit for bit ([LY17] Theorem
 * 3.1's step, MATH.md section 1), for every thread count {@code K = 1, 2, 3, 8}, at unit counts {@code d} and batch
 * sizes {@code B} from the DESIGN.md sweep (1, 3, 7, 13, 100, 257: partial strips, partial unit and mask panels,
 * fewer units than a strip or a lane; {@code B >= 8} so the packed path runs). Negative control: the same comparison
 * flags a kernel whose last unit drops its last term.
 */
class StripStepAgreementTest {
    static final int[] DS = {1, 3, 7, 13, 100, 257};
    static final int[] BATCHES = {13, 100, 257};
    static final int[] THREADS = {1, 2, 3, 8};

    private Kernel vector;

    @BeforeEach
    void vectorModule() {
        assumeTrue(KernelProvider.vectorAvailable(), () -> "skipped: " + KernelProvider.unavailableReason());
        vector = KernelProvider.doubleKernel(KernelProvider.Choice.VECTOR);
    }

    @Test
    void shapesReachThePackedPathAndItsEdges() {
        for (int b : BATCHES) {
            assertThat(b).isGreaterThanOrEqualTo(VectorKernel.MIN_PACKED_K);
        }
        assertThat(list(BATCHES)).anyMatch(b -> b % StripTile.ROWS != 0 && b > 8 * StripTile.ROWS); // several row blocks
        assertThat(list(DS)).anyMatch(d -> d < StripTile.ROWS);
        assertThat(list(DS)).anyMatch(d -> d > 8 * StripTile.ROWS && d % StripTile.ROWS != 0);     // several W blocks
        assertThat(list(DS)).anyMatch(d -> d % StripTile.WIDTH != 0 && d % StripTile.WIDTH <= StripTile.WIDTH / 2);
        assertThat(list(DS)).anyMatch(d -> d % (StripTile.WIDTH / 2) != 0 && d > StripTile.WIDTH);  // partial unit panel
    }

    private static java.util.List<Integer> list(int[] v) {
        return java.util.stream.IntStream.of(v).boxed().toList();
    }

    @Test
    void stepBitIdenticalToScalarForEveryThreadCount() {
        Kernel scalar = new ScalarKernel();
        for (int d : DS) {
            for (int b : BATCHES) {
                for (boolean identity : new boolean[] {true, false}) {
                    Cases.Case c = (d + b) % 2 == 0 ? Cases.nearKink(d, b, identity, 13L * d + b)
                            : Cases.gaussian(d, b, identity, 13L * d + b);
                    double[] want = c.w.clone();
                    double lw = scalar.sgdStep(d, identity, want, c.wStar, c.x, b, c.eta, scalar.newScratch(d, b));
                    for (int k : THREADS) {
                        try (Parallel par = new Parallel(k)) {
                            double[] got = c.w.clone();
                            double lg = vector.sgdStep(d, identity, got, c.wStar, c.x, b, c.eta,
                                    vector.newScratch(d, b, par));
                            assertThat(Agreement.diff("loss", new double[] {lw}, new double[] {lg}))
                                    .as("%s K=%d", c, k).isNull();
                            assertThat(Agreement.diff("W", want, got)).as("%s K=%d", c, k).isNull();
                        }
                    }
                }
            }
        }
    }

    @Test
    void sameCheckFlagsABrokenKernel() {
        Kernel mutant = new MutantKernel(MutantKernel.Bug.DROPPED_TAIL);
        for (int d : new int[] {7, 13, 100}) {
            Cases.Case c = Cases.gaussian(d, 13, true, d);
            double[] want = c.w.clone();
            vector.sgdStep(d, true, want, c.wStar, c.x, 13, c.eta, vector.newScratch(d, 13));
            double[] got = c.w.clone();
            mutant.sgdStep(d, true, got, c.wStar, c.x, 13, c.eta, mutant.newScratch(d, 13));
            assertThat(Agreement.diff("W", want, got)).as("mutant d=%d", d).isNotNull();
        }
    }
}
