package io.idrelu.kernel.vector;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The six-by-two register tile of the SGD step's products (MATH.md section 1, [LY17] Theorem 3.1's step) over a
 * <em>padded strip</em>: six rows of the left-hand matrix {@code A}, packed so that the six values of one inner
 * index {@code k} are contiguous ({@code strip[k*6 + m] = A[row0 + m][k]}; rows past the matrix are zero), times one
 * packed two-vector panel {@code P} ({@code P[k][0..2L)} at {@code p[p0 + k*2L ..]}). Twelve independent fma chains
 * {@code acc[m][v] = fma(A[row_m][k], P[k][v], acc[m][v])} for {@code k = 0..kLen-1} in increasing order from
 * {@code 0}: exactly the scalar contract's chain per output element ({@link io.idrelu.kernel.ScalarKernel}), so a
 * caller that maps lanes to output elements keeps bit-identity. Padding (rows past {@code A}, lanes past the
 * output's columns) only produces lanes the caller never stores.
 *
 * <p><b>Why six by two, and why this loop shape</b> (AVX2: sixteen vector registers; Zen 2: two fma pipes of
 * 5-cycle latency, so ten chains in flight reach the fma peak and {@link PackedTile}'s eight do not). Twelve
 * accumulators plus two panel vectors leave two registers for the broadcasts, so the tile runs without spills only
 * if C2 (JDK 17) interleaves the broadcasts with their fma instead of loading all six first. Disassembling the
 * compiled loop from the running JVM (gdb, see benchmarks/README.md) showed that this depends on the loop's shape:
 * <ul>
 *   <li>the loop variable is the strip offset itself ({@code ao += 6}) and the panel offset a second induction
 *       variable ({@code po += 2L}): C2 removes the strip's bounds checks, keeps two compare-and-branch pairs for
 *       the panel's loads at the top of the body, and schedules each broadcast next to its two fma: 12 accumulators
 *       in registers, no stack traffic, 30 instructions per {@code k};</li>
 *   <li>one counter {@code k} with offsets {@code 6k}, {@code 2Lk}: C2 strength-reduces the products into extra
 *       adds and shifts (45 instructions per {@code k}, front-end bound);</li>
 *   <li>a strip padded to eight values per {@code k} so both offsets are the same counter: all bounds checks go,
 *       but C2 then hoists four broadcasts and spills two accumulators through the stack;</li>
 *   <li>two {@code k} per iteration: spills.</li>
 * </ul>
 * Microbenchmark on this machine (thread CPU, L1-resident operands, {@code kLen = 256}, load ~12 on 2 cores):
 * this form 35-42 GFLOP/s, the four-row {@link PackedTile} 32-36, the single-counter form 31-33.
 *
 * <p>Padded strips also remove the row tails of the callers (no short last tile, no overlapping recomputation) and
 * the bounds checks of six separate row offsets. The raw chains go to {@code acc[0 .. 12L)} (row {@code m}:
 * vectors {@code 2m}, {@code 2m+1}); the caller applies its epilogue with array code (passing the vectors to a
 * helper would box them whenever C2 declines to inline it).
 */
public final class StripTile {
    static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    static final int L = S.length();
    /** Rows per strip (per tile). */
    public static final int ROWS = 6;
    /** Doubles per panel row ({@code k}): two vectors. */
    public static final int WIDTH = 2 * L;

    private StripTile() {
    }

    /** Doubles of the raw accumulator buffer {@link #tile} writes. */
    public static int accLength() {
        return ROWS * WIDTH;
    }

    /** Strips covering {@code rows} rows (the last one zero-padded). */
    public static int strips(int rows) {
        return (rows + ROWS - 1) / ROWS;
    }

    /**
     * Packs strip {@code s} of the row-major {@code rows x kLen} matrix {@code a} (rows {@code lda} apart):
     * {@code strip[off + k*6 + m] = a[(6s + m)*lda + k]} for {@code 6s + m < rows}, else {@code 0}.
     */
    public static void packRows(double[] a, int lda, int rows, int kLen, int s, double[] strip, int off) {
        int r0 = s * ROWS;
        int n = Math.min(ROWS, rows - r0);
        if (n == ROWS) { // a full strip: six read streams, one contiguous write stream
            int src = r0 * lda;
            for (int k = 0; k < kLen; k++) {
                int dst = off + k * ROWS;
                int i = src + k;
                strip[dst] = a[i];
                strip[dst + 1] = a[i + lda];
                strip[dst + 2] = a[i + 2 * lda];
                strip[dst + 3] = a[i + 3 * lda];
                strip[dst + 4] = a[i + 4 * lda];
                strip[dst + 5] = a[i + 5 * lda];
            }
            return;
        }
        for (int m = 0; m < n; m++) {
            int src = (r0 + m) * lda;
            int dst = off + m;
            for (int k = 0; k < kLen; k++) {
                strip[dst + k * ROWS] = a[src + k];
            }
        }
        for (int m = n; m < ROWS; m++) {
            for (int k = 0; k < kLen; k++) {
                strip[off + k * ROWS + m] = 0.0;
            }
        }
    }

    /**
     * Packs strip {@code s} of the transpose of the row-major {@code kLen x cols} matrix {@code a} (rows {@code lda}
     * apart), i.e. of {@code A^T}'s rows {@code 6s..6s+5}: {@code strip[off + k*6 + m] = a[k*lda + 6s + m]} for
     * {@code 6s + m < cols}, else {@code 0}. Each {@code k} copies one contiguous run of {@code a}.
     */
    public static void packColumns(double[] a, int lda, int cols, int kLen, int s, double[] strip, int off) {
        int c0 = s * ROWS;
        int n = Math.min(ROWS, cols - c0);
        if (n == ROWS) { // a full strip: six element copies per k cost less than a System.arraycopy call
            int k = 0;
            if (L >= ROWS && L <= 2 * ROWS) {
                // One vector per k: its lanes past the six land in the next k's slots, which that k then overwrites
                // (the last k is copied element by element, so nothing is written past the strip), and its reads
                // past the six end at k*lda + c0 + L <= (k+1)*lda + c0 + 6 (L - 6 <= 6 <= lda): inside row k + 1's
                // six, which exist since k + 1 < kLen.
                for (; k < kLen - 1; k++) {
                    DoubleVector.fromArray(S, a, k * lda + c0).intoArray(strip, off + k * ROWS);
                }
            }
            for (; k < kLen; k++) {
                int dst = off + k * ROWS;
                int src = k * lda + c0;
                strip[dst] = a[src];
                strip[dst + 1] = a[src + 1];
                strip[dst + 2] = a[src + 2];
                strip[dst + 3] = a[src + 3];
                strip[dst + 4] = a[src + 4];
                strip[dst + 5] = a[src + 5];
            }
            return;
        }
        for (int k = 0; k < kLen; k++) {
            int dst = off + k * ROWS;
            System.arraycopy(a, k * lda + c0, strip, dst, n);
            for (int m = n; m < ROWS; m++) {
                strip[dst + m] = 0.0;
            }
        }
    }

    /**
     * {@code acc[m*2L + v*L + l] = chain over k of strip[a0 + k*6 + m] * p[p0 + k*2L + v*L + l]}, {@code m = 0..5}.
     *
     * <p>Written out with one zero per accumulator and the broadcasts named in order (see the class comment for why
     * the loop has exactly this shape: change it only with the disassembly check).
     */
    public static void tile(double[] strip, int a0, int kLen, double[] p, int p0, double[] acc) {
        DoubleVector c00 = DoubleVector.zero(S);
        DoubleVector c01 = DoubleVector.zero(S);
        DoubleVector c10 = DoubleVector.zero(S);
        DoubleVector c11 = DoubleVector.zero(S);
        DoubleVector c20 = DoubleVector.zero(S);
        DoubleVector c21 = DoubleVector.zero(S);
        DoubleVector c30 = DoubleVector.zero(S);
        DoubleVector c31 = DoubleVector.zero(S);
        DoubleVector c40 = DoubleVector.zero(S);
        DoubleVector c41 = DoubleVector.zero(S);
        DoubleVector c50 = DoubleVector.zero(S);
        DoubleVector c51 = DoubleVector.zero(S);
        int po = p0;
        int end = a0 + kLen * ROWS;
        for (int ao = a0; ao < end; ao += ROWS, po += WIDTH) {
            DoubleVector b0 = DoubleVector.fromArray(S, p, po);
            DoubleVector b1 = DoubleVector.fromArray(S, p, po + L);
            DoubleVector x0 = DoubleVector.broadcast(S, strip[ao]);
            c00 = x0.fma(b0, c00);
            c01 = x0.fma(b1, c01);
            DoubleVector x1 = DoubleVector.broadcast(S, strip[ao + 1]);
            c10 = x1.fma(b0, c10);
            c11 = x1.fma(b1, c11);
            DoubleVector x2 = DoubleVector.broadcast(S, strip[ao + 2]);
            c20 = x2.fma(b0, c20);
            c21 = x2.fma(b1, c21);
            DoubleVector x3 = DoubleVector.broadcast(S, strip[ao + 3]);
            c30 = x3.fma(b0, c30);
            c31 = x3.fma(b1, c31);
            DoubleVector x4 = DoubleVector.broadcast(S, strip[ao + 4]);
            c40 = x4.fma(b0, c40);
            c41 = x4.fma(b1, c41);
            DoubleVector x5 = DoubleVector.broadcast(S, strip[ao + 5]);
            c50 = x5.fma(b0, c50);
            c51 = x5.fma(b1, c51);
        }
        c00.intoArray(acc, 0);
        c01.intoArray(acc, L);
        c10.intoArray(acc, 2 * L);
        c11.intoArray(acc, 3 * L);
        c20.intoArray(acc, 4 * L);
        c21.intoArray(acc, 5 * L);
        c30.intoArray(acc, 6 * L);
        c31.intoArray(acc, 7 * L);
        c40.intoArray(acc, 8 * L);
        c41.intoArray(acc, 9 * L);
        c50.intoArray(acc, 10 * L);
        c51.intoArray(acc, 11 * L);
    }

    /**
     * The first vector of the panel only: {@code acc[m*2L + l] = chain over k of strip[a0 + k*6 + m] *
     * p[p0 + k*2L + l]}, {@code m = 0..5}, the same chains as {@link #tile}'s {@code v = 0} lanes ({@code acc}'s
     * other half is not written). For a last panel whose second vector holds no output column (the gradient's last
     * mask panel when {@code d mod 2L} is in {@code 1..L}): half the fma of {@link #tile}. Six chains still cover the
     * fma latency; same loop shape as {@link #tile}.
     */
    public static void tileHalf(double[] strip, int a0, int kLen, double[] p, int p0, double[] acc) {
        DoubleVector c0 = DoubleVector.zero(S);
        DoubleVector c1 = DoubleVector.zero(S);
        DoubleVector c2 = DoubleVector.zero(S);
        DoubleVector c3 = DoubleVector.zero(S);
        DoubleVector c4 = DoubleVector.zero(S);
        DoubleVector c5 = DoubleVector.zero(S);
        int po = p0;
        int end = a0 + kLen * ROWS;
        for (int ao = a0; ao < end; ao += ROWS, po += WIDTH) {
            DoubleVector b0 = DoubleVector.fromArray(S, p, po);
            c0 = DoubleVector.broadcast(S, strip[ao]).fma(b0, c0);
            c1 = DoubleVector.broadcast(S, strip[ao + 1]).fma(b0, c1);
            c2 = DoubleVector.broadcast(S, strip[ao + 2]).fma(b0, c2);
            c3 = DoubleVector.broadcast(S, strip[ao + 3]).fma(b0, c3);
            c4 = DoubleVector.broadcast(S, strip[ao + 4]).fma(b0, c4);
            c5 = DoubleVector.broadcast(S, strip[ao + 5]).fma(b0, c5);
        }
        c0.intoArray(acc, 0);
        c1.intoArray(acc, 2 * L);
        c2.intoArray(acc, 4 * L);
        c3.intoArray(acc, 6 * L);
        c4.intoArray(acc, 8 * L);
        c5.intoArray(acc, 10 * L);
    }
}
