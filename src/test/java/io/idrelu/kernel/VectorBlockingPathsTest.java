package io.idrelu.kernel;

import io.idrelu.kernel.vector.VectorKernel;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Every path of the vector kernels' blocked product (packed six-row panels with leftover rows, one-vector
 * and scalar leftover columns, the transposed-X gradient, the row-by-row path of the online case) is
 * bit-identical to the scalar kernel, for both precisions; which shape reaches which path is asserted,
 * not hoped for, and the same check flags a broken kernel on the same shapes (negative control).
 * Bit-identity is the fast path's contract (ScalarKernel javadoc, MATH.md section 1).
 */
class VectorBlockingPathsTest {
    /** (d, batch): see {@link #pathsCovered()} for what each reaches. */
    static final List<int[]> SHAPES = List.of(
            new int[] {64, 64},   // packed forward and gradient, 64 = 10*6 + 4 leftover rows
            new int[] {70, 13},   // packed, 13 = 2*6 + 1 leftover row, scalar tail columns
            new int[] {29, 7},    // packed forward; gradient inner dimension 7 < 8: row path; one-vector columns
            new int[] {200, 1},   // online case: row path everywhere
            new int[] {256, 3});  // fewer rows than a block in the forward pass, rank-3 gradient

    private Kernel vector;
    private FloatKernel vectorFloat;

    @BeforeEach
    void vectorModule() {
        assumeTrue(KernelProvider.vectorAvailable(), () -> "skipped: " + KernelProvider.unavailableReason());
        vector = KernelProvider.doubleKernel(KernelProvider.Choice.VECTOR);
        vectorFloat = KernelProvider.floatKernel(KernelProvider.Choice.VECTOR);
    }

    private static boolean packed(int rows, int kLen) {
        return rows >= VectorKernel.ROWS && kLen >= VectorKernel.MIN_PACKED_K;
    }

    @Test
    void pathsCovered() {
        // forward: rows = batch, inner = d; gradient: rows = d, inner = batch
        assertThat(SHAPES).anyMatch(s -> packed(s[1], s[0]) && s[1] % VectorKernel.ROWS != 0);
        assertThat(SHAPES).anyMatch(s -> packed(s[0], s[1]));
        assertThat(SHAPES).anyMatch(s -> !packed(s[1], s[0]));
        assertThat(SHAPES).anyMatch(s -> s[0] >= VectorKernel.ROWS && !packed(s[0], s[1]));
        assertThat(SHAPES).anyMatch(s -> s[0] % 16 != 0 && packed(s[1], s[0]));
    }

    @Test
    void everyPathBitIdentical() {
        Kernel scalar = new ScalarKernel();
        FloatKernel scalarFloat = new ScalarFloatKernel();
        for (int[] s : SHAPES) {
            for (boolean identity : new boolean[] {true, false}) {
                for (Cases.Case c : List.of(Cases.gaussian(s[0], s[1], identity, 7L * s[0] + s[1]),
                        Cases.nearKink(s[0], s[1], identity, 11L * s[0] + s[1]))) {
                    assertThat(Agreement.firstDifference(scalar, vector, c)).as("double %s", c).isNull();
                    assertThat(Agreement.firstDifference(scalarFloat, vectorFloat, c)).as("float %s", c).isNull();
                }
            }
        }
    }

    @Test
    void sameCheckFlagsABrokenKernel() {
        Kernel scalar = new ScalarKernel();
        for (int[] s : SHAPES) {
            Cases.Case c = Cases.gaussian(s[0], s[1], true, 7L * s[0] + s[1]);
            assertThat(Agreement.firstDifference(scalar, new MutantKernel(MutantKernel.Bug.DROPPED_TAIL), c))
                    .as("mutant %s", c).isNotNull();
        }
    }
}
