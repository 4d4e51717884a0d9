package io.idrelu.kernel.vector;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register tile of the blocked products (MATH.md section 1, [LY17] Theorem 3.1's step; usable by any product
 * whose chains run over a contiguous inner index): four rows of a row-major left-hand matrix {@code A} times one
 * packed two-vector panel {@code P}, eight independent fma chains
 * {@code acc[m][v] = fma(A[row_m][k], P[k][v], acc[m][v])} for {@code k = 0..kLen-1} in increasing order from
 * {@code 0}: exactly the scalar contract's chain per output element ({@link io.idrelu.kernel.ScalarKernel}), so any
 * caller that maps lanes to output elements keeps bit-identity.
 *
 * <p><b>Why four rows by two vectors</b> (AVX2: sixteen vector registers). C2 (JDK 17) loads all the broadcasts of
 * one {@code k} before the fma, so a tile of {@code R} rows by {@code V} vectors holds {@code R*V + V + R} registers:
 * 14 here. The six-by-two tile (20) had four accumulators spilled to the stack (disassembled with gdb from the
 * running JVM: a load, fma, store round trip in four of twelve chains per {@code k}), which bounds every iteration by
 * the store-to-load latency; four by two has no spill and eight chains, enough for most of the two fma pipes' 5-cycle
 * latency. Measured on the whole step (thread CPU, harness A/B in one run): d = 100, B = 200, 0.68-0.70 ms against
 * 0.81-0.84 ms with the six-by-two tiles.
 *
 * <p>Rows are {@code lda} apart. A caller with fewer than four rows left starts its last tile four rows before the
 * end (the rows computed twice get the same values; the caller stores only the new ones) instead of falling back to
 * one-row tiles. The panel is {@code P[k][0..2L)} at {@code p[p0 + k*2L ..]} (two vectors per {@code k}, contiguous:
 * it streams from L1). Per {@code k}: two panel loads, four broadcasts of {@code A}, eight fma.
 *
 * <p>The raw chains go to {@code acc[0 .. 8L)} (row {@code m}: vectors {@code 2m}, {@code 2m+1}); the caller applies
 * its epilogue with array code. Passing the vectors to a helper instead would box them whenever C2 declines to
 * inline it, which sends the Vector API to its slow Java fallback.
 */
public final class PackedTile {
    static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    static final int L = S.length();
    /** Rows per tile. */
    public static final int ROWS = 4;
    /** Doubles per panel row ({@code k}): two vectors. */
    public static final int WIDTH = 2 * L;

    private PackedTile() {
    }

    /** Doubles of the raw accumulator buffer {@link #tile} writes. */
    public static int accLength() {
        return ROWS * WIDTH;
    }

    /**
     * {@code acc[m*2L + v*L + l] = chain over k of a[o0 + m*lda + k] * p[p0 + k*2L + v*L + l]} for rows
     * {@code m = 0..3}. {@code lda = 0} repeats one row four times (the fallback for fewer than four rows in all).
     *
     * <p>Written out with one zero per accumulator and one variable per broadcast: in a microbenchmark the same
     * six-by-two loop with accumulators initialised as copies of one zero and one reused broadcast variable ran at
     * 17-18 GFLOP/s against 27-30 (more spills); this form costs nothing.
     */
    public static void tile(double[] a, int o, int lda, int kLen, double[] p, int p0, double[] acc) {
        int o0 = o;
        int o1 = o + lda;
        int o2 = o + 2 * lda;
        int o3 = o + 3 * lda;
        DoubleVector c00 = DoubleVector.zero(S);
        DoubleVector c01 = DoubleVector.zero(S);
        DoubleVector c10 = DoubleVector.zero(S);
        DoubleVector c11 = DoubleVector.zero(S);
        DoubleVector c20 = DoubleVector.zero(S);
        DoubleVector c21 = DoubleVector.zero(S);
        DoubleVector c30 = DoubleVector.zero(S);
        DoubleVector c31 = DoubleVector.zero(S);
        for (int k = 0; k < kLen; k++) {
            int po = p0 + k * WIDTH;
            DoubleVector b0 = DoubleVector.fromArray(S, p, po + 0 * L);
            DoubleVector b1 = DoubleVector.fromArray(S, p, po + 1 * L);
            DoubleVector x0 = DoubleVector.broadcast(S, a[o0 + k]);
            c00 = x0.fma(b0, c00);
            c01 = x0.fma(b1, c01);
            DoubleVector x1 = DoubleVector.broadcast(S, a[o1 + k]);
            c10 = x1.fma(b0, c10);
            c11 = x1.fma(b1, c11);
            DoubleVector x2 = DoubleVector.broadcast(S, a[o2 + k]);
            c20 = x2.fma(b0, c20);
            c21 = x2.fma(b1, c21);
            DoubleVector x3 = DoubleVector.broadcast(S, a[o3 + k]);
            c30 = x3.fma(b0, c30);
            c31 = x3.fma(b1, c31);
        }
        c00.intoArray(acc, 0 * L);
        c01.intoArray(acc, 1 * L);
        c10.intoArray(acc, 2 * L);
        c11.intoArray(acc, 3 * L);
        c20.intoArray(acc, 4 * L);
        c21.intoArray(acc, 5 * L);
        c30.intoArray(acc, 6 * L);
        c31.intoArray(acc, 7 * L);
    }
}
