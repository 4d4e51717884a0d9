package io.idrelu.sgd;

import io.idrelu.kernel.FloatKernel;
import io.idrelu.kernel.Kernel;
import io.idrelu.kernel.KernelProvider;
import io.idrelu.kernel.Parallel;
import io.idrelu.kernel.ScalarFloatKernel;
import io.idrelu.kernel.ScalarKernel;
import io.idrelu.model.Problem;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Multi-core online SGD ({@code --threads K}, [LY17] Theorem 3.1 dynamics) is bit-identical for every thread count
 * and to the single-threaded scalar kernel (the fast path's contract, {@link ScalarKernel} javadoc): whole
 * trajectories, losses and weights, at {@code K = 1, 2, 3, 8}, double and float, identity and vanilla, on shapes that
 * reach every tile edge of the step's blocked kernels (asserted in {@link #shapesReachEveryTileEdge}). Negative
 * control: the same comparison flags a trajectory whose step size differs by one ulp.
 */
class ThreadedTrajectoryTest {
    static final int[] THREADS = {1, 2, 3, 8};
    /** Six-row blocks of the fused forward, two-vector panels of the gradient: see VectorSgdStep. */
    static final int ROWS = 6;
    static final int DOUBLE_LANES = 4;
    static final int FLOAT_LANES = 8;

    /** (d, batch). */
    static final List<int[]> SHAPES = List.of(
            new int[] {17, 13},   // 13 = 2*6 + 1 leftover row; 17 = 4*4 + 1 tail unit (double), 2*8 + 1 (float)
            new int[] {24, 12},   // no leftovers anywhere: 24 = 3 panels of 8 doubles, 12 = 2*6 rows
            new int[] {35, 6},    // one row block; 35 = 4*8 + 3; gradient inner dimension 6 < 8: unpacked
            new int[] {100, 62},  // the paper's d: 62 = 10*6 + 2; 100 = 12*8 + 4 (one leftover vector)
            new int[] {11, 5},    // fewer rows than a block: row-by-row forward
            new int[] {40, 1},    // online case
            new int[] {3, 9},     // fewer units than a vector: tails only; gradient with d < 6 rows
            new int[] {70, 33});  // 70 = 8*8 + 6 (double), 4*16 + 6 (float); 33 = 5*6 + 3

    @Test
    void shapesReachEveryTileEdge() {
        for (int lanes : new int[] {DOUBLE_LANES, FLOAT_LANES}) {
            int l = lanes;
            assertThat(SHAPES).anyMatch(s -> s[1] >= ROWS && s[1] % ROWS != 0);       // leftover batch rows
            assertThat(SHAPES).anyMatch(s -> s[1] >= ROWS && s[1] % ROWS == 0);       // exact row blocks
            assertThat(SHAPES).anyMatch(s -> s[1] < ROWS);                            // row-by-row forward
            assertThat(SHAPES).anyMatch(s -> s[0] % l != 0 && s[0] > l);              // tail units after panels
            assertThat(SHAPES).anyMatch(s -> s[0] < l);                               // tail only
            assertThat(SHAPES).anyMatch(s -> s[0] % (2 * l) >= l);                    // one-vector gradient leftover
            assertThat(SHAPES).anyMatch(s -> s[0] % (2 * l) != 0 && s[0] % (2 * l) < l && s[0] > 2 * l); // scalar only
            assertThat(SHAPES).anyMatch(s -> s[0] >= ROWS && s[1] >= 8 && s[0] % ROWS != 0); // packed gradient, row leftover
            assertThat(SHAPES).anyMatch(s -> s[0] >= ROWS && s[1] < 8);              // unpacked gradient
            assertThat(SHAPES).anyMatch(s -> s[1] > 16 && s[1] % 16 != 0);            // partial block of phase 2
        }
    }

    /** The double step's packed path ({@code io.idrelu.kernel.vector.StripTile}, batch >= 8): its strip and panel edges. */
    @Test
    void shapesReachEveryPackedTileEdge() {
        int t = io.idrelu.kernel.vector.StripTile.ROWS;
        int block = 8 * t; // VectorSgdStep.BLOCK_STRIPS strips: rows per task of the packed path
        assertThat(SHAPES).anyMatch(s -> s[1] >= 8 && s[1] % t != 0);             // zero-padded last batch strip
        assertThat(SHAPES).anyMatch(s -> s[1] >= 8 && s[0] >= t && s[0] % t != 0); // zero-padded last X^T strip
        assertThat(SHAPES).anyMatch(s -> s[1] >= 8 && s[0] < t);                   // fewer rows of W than a strip
        assertThat(SHAPES).anyMatch(s -> s[1] > block && s[1] % block != 0);       // two forward blocks, one partial
        assertThat(SHAPES).anyMatch(s -> s[1] >= 8 && s[0] > block);               // two gradient blocks
        assertThat(SHAPES).anyMatch(s -> s[1] >= 8 && s[0] % DOUBLE_LANES != 0);   // zero-padded unit panel
        assertThat(SHAPES).anyMatch(s -> s[1] >= 8 && s[0] % (2 * DOUBLE_LANES) != 0
                && s[0] % (2 * DOUBLE_LANES) <= DOUBLE_LANES);                      // mask panel half empty
    }

    @Test
    void doubleTrajectoriesBitIdenticalForEveryThreadCount() {
        assumeTrue(KernelProvider.vectorAvailable(), () -> "skipped: " + KernelProvider.unavailableReason());
        Kernel vector = KernelProvider.doubleKernel(KernelProvider.Choice.VECTOR);
        for (int[] s : SHAPES) {
            for (boolean identity : new boolean[] {true, false}) {
                Problem p = Problem.random(s[0], 0.3, 31L * s[0] + s[1], identity);
                int steps = s[0] * s[1] > 5000 ? 2 : 12;
                Run reference = runDouble(new ScalarKernel(), p, s[1], 0.01, steps, Parallel.SERIAL);
                for (int k : THREADS) {
                    try (Parallel par = new Parallel(k)) {
                        Run r = runDouble(vector, p, s[1], 0.01, steps, par);
                        assertThat(r.sameBits(reference)).as("double d=%d B=%d identity=%s K=%d", s[0], s[1], identity, k)
                                .isTrue();
                    }
                }
                // negative control: one ulp on eta changes the trajectory and the comparison sees it
                Run perturbed;
                try (Parallel par = new Parallel(2)) {
                    perturbed = runDouble(vector, p, s[1], Math.nextUp(0.01), steps, par);
                }
                assertThat(perturbed.sameBits(reference)).as("control d=%d B=%d", s[0], s[1]).isFalse();
            }
        }
    }

    @Test
    void floatTrajectoriesBitIdenticalForEveryThreadCount() {
        assumeTrue(KernelProvider.vectorAvailable(), () -> "skipped: " + KernelProvider.unavailableReason());
        FloatKernel vector = KernelProvider.floatKernel(KernelProvider.Choice.VECTOR);
        for (int[] s : SHAPES) {
            for (boolean identity : new boolean[] {true, false}) {
                Problem p = Problem.random(s[0], 0.3, 37L * s[0] + s[1], identity);
                int steps = s[0] * s[1] > 5000 ? 2 : 12;
                Run reference = runFloat(new ScalarFloatKernel(), p, s[1], 0.01, steps, Parallel.SERIAL);
                for (int k : THREADS) {
                    try (Parallel par = new Parallel(k)) {
                        Run r = runFloat(vector, p, s[1], 0.01, steps, par);
                        assertThat(r.sameBits(reference)).as("float d=%d B=%d identity=%s K=%d", s[0], s[1], identity, k)
                                .isTrue();
                    }
                }
                Run perturbed;
                try (Parallel par = new Parallel(2)) {
                    perturbed = runFloat(vector, p, s[1], 0.0101, steps, par);
                }
                assertThat(perturbed.sameBits(reference)).as("control d=%d B=%d", s[0], s[1]).isFalse();
            }
        }
    }

    /** Losses of every step and the final weights, as raw bits. */
    private record Run(long[] losses, long[] weights) {
        boolean sameBits(Run o) {
            return Arrays.equals(losses, o.losses) && Arrays.equals(weights, o.weights);
        }
    }

    private static Run runDouble(Kernel k, Problem p, int batch, double eta, int steps, Parallel par) {
        OnlineSgd sgd = new OnlineSgd(k, p, batch, eta, 5, par);
        List<Long> losses = new ArrayList<>();
        sgd.run(steps, (t, loss, w) -> losses.add(Double.doubleToRawLongBits(loss)));
        double[] w = sgd.weights();
        long[] bits = new long[w.length];
        for (int i = 0; i < w.length; i++) {
            bits[i] = Double.doubleToRawLongBits(w[i]);
        }
        return new Run(losses.stream().mapToLong(Long::longValue).toArray(), bits);
    }

    private static Run runFloat(FloatKernel k, Problem p, int batch, double eta, int steps, Parallel par) {
        OnlineSgdFloat sgd = new OnlineSgdFloat(k, p, batch, eta, 5, par);
        List<Long> losses = new ArrayList<>();
        sgd.run(steps, (t, loss, w) -> losses.add((long) Float.floatToRawIntBits(loss)));
        float[] w = sgd.weights();
        long[] bits = new long[w.length];
        for (int i = 0; i < w.length; i++) {
            bits[i] = Float.floatToRawIntBits(w[i]);
        }
        return new Run(losses.stream().mapToLong(Long::longValue).toArray(), bits);
    }
}
