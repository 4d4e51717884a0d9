package io.idrelu.kernel.vector;

import io.idrelu.kernel.AlignedDoubles;
import io.idrelu.kernel.ArrayAddress;
import io.idrelu.kernel.OnlineFusion;
import io.idrelu.kernel.ScalarKernel;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link OnlineFusion} for {@link VectorKernel}: the online step ({@code B = 1}, [LY17] Theorem 3.1) with one pass over
 * {@code W} per step, bit-identical to {@link ScalarKernel#sgdStep} at batch 1.
 *
 * <p>Per element the operations are the contract's: {@code g = fma(x[r], m[j], 0)} (the gradient chain of one
 * sample), {@code W[r][j] = fma(-eta, g, W[r][j])}, and the next sample's chain {@code hNext[j] = fma(x'[r], W[r][j],
 * hNext[j])} with the <em>updated</em> {@code W[r][j]}, for {@code r = 0, 1, ...} in increasing order starting from
 * {@code 0}: exactly the chain {@link ScalarKernel} computes at the start of the next step. The pass goes by column
 * blocks of eight vectors with the chains and the mask in registers ({@link #updateAndForward}; the step is bound by
 * loads and stores: one read and one write of {@code W}, instead of reading {@code W*}, {@code W} twice and writing
 * {@code W}). {@code W} may start at an offset {@code wo} in its array, so a caller can keep it cache-line aligned
 * ({@link io.idrelu.kernel.AlignedDoubles}). The gradient {@code g} is not computed with an fma but selected, with the
 * same bits, from the row's product ({@link #selectedGradient}): two fma per element instead of three.
 */
final class VectorOnlineStep implements OnlineFusion {
    private static final VectorSpecies<Double> S = VectorKernel.S;
    private static final int L = VectorKernel.L;
    /** The lanes of {@link #S} as longs (same shape): the gradient is selected by a bitwise and ({@link #blockOf8}). */
    private static final VectorSpecies<Long> LS = S.withLanes(long.class);
    /** Vectors per column block of the fused pass ({@link #updateAndForward}). */
    static final int BLOCK_VECTORS = 8;

    @Override
    public void teacherOutputs(int d, double[] wStar, double[] xs, int count, double[] work, double[] out) {
        teacherOutputs(d, wStar, null, xs, count, work, out);
    }

    /**
     * {@code W*} as {@link #teacherTiles} reads it: the two-vector panels one after the other ({@code d x 2L} each,
     * columns past {@code d} zero), so a block of samples needs no packing. The teacher does not change during a
     * run; packing it once instead of per block of 64 samples took the block from 3.7-4.5 to 2.6-2.8 us per sample
     * (d = 256, Zen 4, one JVM, alternating).
     */
    @Override
    public AlignedDoubles packTeacher(int d, double[] wStar) {
        int w2 = PackedTile.WIDTH;
        int panels = (d + w2 - 1) / w2;
        double[] packed = new double[panels * d * w2];
        for (int j0 = 0; j0 < d; j0 += w2) {
            int nv = Math.min(w2, d - j0);
            for (int r = 0; r < d; r++) {
                System.arraycopy(wStar, r * d + j0, packed, j0 * d + r * w2, nv);
            }
        }
        return new AlignedDoubles(packed);
    }

    @Override
    public void teacherOutputs(int d, double[] wStar, AlignedDoubles packed, double[] xs, int count, double[] work,
                               double[] out) {
        if (count < PackedTile.ROWS) {
            VectorKernel.gemm(count, d, d, xs, d, 1, wStar, work, VectorKernel.ADD_RELU, xs, 0.0, null);
        } else {
            if (packed != null) {
                packed.realign();
            }
            teacherTiles(d, wStar, packed, xs, count, work);
        }
        VectorKernel.reluRowSums(work, d, count, out);
    }

    /**
     * {@code work[b][j] = relu(chain_r(xs_b[r] * W*[r][j]) + xs_b[j])} (the teacher's contract chain, identity units) for
     * {@code count >= 4} samples: one two-vector panel of {@code W*} at a time ({@code d x 2L}, L1; from
     * {@code packed} when given, else packed here) is swept by {@link PackedTile} over the samples (in L2). Lanes of
     * columns past {@code d} are never stored.
     */
    private static void teacherTiles(int d, double[] wStar, AlignedDoubles packed, double[] xs, int count,
                                     double[] work) {
        int w2 = PackedTile.WIDTH;
        // the panel's loads are most of the tile's memory traffic: start it on a cache line (ArrayAddress)
        double[] panel = packed != null ? packed.array() : new double[d * w2 + ArrayAddress.LINE / Double.BYTES - 1];
        int lineStart = packed != null ? packed.offset() : ArrayAddress.lineOffset(panel);
        double[] acc = new double[PackedTile.accLength()];
        DoubleVector zero = DoubleVector.zero(S);
        for (int j0 = 0; j0 < d; j0 += w2) {
            int nv = Math.min(w2, d - j0);
            int po = lineStart;
            if (packed != null) {
                po += j0 * d;
            } else {
                for (int r = 0; r < d; r++) {
                    System.arraycopy(wStar, r * d + j0, panel, po + r * w2, nv);
                }
            }
            for (int i = 0; i < count; i += PackedTile.ROWS) {
                int start = Math.min(i, count - PackedTile.ROWS);
                PackedTile.tile(xs, start * d, d, d, panel, po, acc);
                for (int m = i - start; m < Math.min(count, i + PackedTile.ROWS) - start; m++) {
                    int o = (start + m) * d + j0;
                    int a = m * w2;
                    if (nv == w2) {
                        DoubleVector t0 = DoubleVector.fromArray(S, acc, a).add(DoubleVector.fromArray(S, xs, o));
                        zero.blend(t0, t0.compare(VectorOperators.GT, 0.0)).intoArray(work, o);
                        DoubleVector t1 = DoubleVector.fromArray(S, acc, a + L).add(DoubleVector.fromArray(S, xs, o + L));
                        zero.blend(t1, t1.compare(VectorOperators.GT, 0.0)).intoArray(work, o + L);
                    } else {
                        for (int l = 0; l < nv; l++) {
                            double t = acc[a + l] + xs[o + l];
                            work[o + l] = t > 0 ? t : 0.0;
                        }
                    }
                }
            }
        }
    }

    @Override
    public void studentChains(int d, double[] w, int wo, double[] xs, int xo, double[] h) {
        // rows in increasing r, each element's chain from 0 (called once per block of samples: plain loops suffice)
        java.util.Arrays.fill(h, 0, d, 0.0);
        int vb = S.loopBound(d);
        for (int r = 0; r < d; r++) {
            double xr = xs[xo + r];
            DoubleVector xv = DoubleVector.broadcast(S, xr);
            int o = wo + r * d;
            int j = 0;
            for (; j < vb; j += L) {
                xv.fma(DoubleVector.fromArray(S, w, o + j), DoubleVector.fromArray(S, h, j)).intoArray(h, j);
            }
            for (; j < d; j++) {
                h[j] = Math.fma(xr, w[o + j], h[j]);
            }
        }
    }

    @Override
    public double fusedStep(int d, boolean identity, double[] w, int wo, double[] xs, int xo, double fTeacher,
                            double eta, double[] h, double[] mask, int nextXo, double[] hNext) {
        // The selects v > 0 ? v : 0 and h > 0 ? c : 0 as vector blends: as scalar code C2 compiles each to a branch
        // (x86 has no conditional move for doubles), taken about half the time at random, so two mispredictions per
        // active unit per step. Same values; the output's sum stays the contract's sequential chain over j.
        int vb = S.loopBound(d);
        DoubleVector zero = DoubleVector.zero(S);
        int j = 0;
        for (; j < vb; j += L) {
            DoubleVector v = DoubleVector.fromArray(S, h, j);
            if (identity) {
                v = v.add(DoubleVector.fromArray(S, xs, xo + j));
                v.intoArray(h, j);
            }
            zero.blend(v, v.compare(VectorOperators.GT, 0.0)).intoArray(mask, j);
        }
        for (; j < d; j++) {
            double v = identity ? h[j] + xs[xo + j] : h[j];
            h[j] = v;
            mask[j] = v > 0 ? v : 0.0;
        }
        double f = 0.0;
        for (j = 0; j < d; j++) {
            f += mask[j];   // relu(v_j), in order
        }
        double res = f - fTeacher;
        double loss = Math.fma(res, res, 0.0) / 1;
        double c = (2.0 * res) / 1;
        if (nextXo < 0 || !allFinite(xs, xo, d)) {
            // the gradient as the contract writes it, g = fma(x[r], m[j], 0) with m[j] = c or 0 (a non-finite x[r]
            // gives NaN on inactive columns too, which the selected gradient below would not)
            DoubleVector cv = DoubleVector.broadcast(S, c);
            for (j = 0; j < vb; j += L) {
                zero.blend(cv, DoubleVector.fromArray(S, h, j).compare(VectorOperators.GT, 0.0)).intoArray(mask, j);
            }
            for (; j < d; j++) {
                mask[j] = h[j] > 0 ? c : 0.0;
            }
            updateOnly(d, w, wo, xs, xo, eta, mask);
            if (nextXo >= 0) {
                studentChains(d, w, wo, xs, nextXo, hNext);
            }
        } else {
            // mask[j] = all ones where h[j] > 0, else +0 (raw bits; see selectedGradient)
            DoubleVector ones = LongVector.broadcast(LS, -1L).reinterpretAsDoubles();
            for (j = 0; j < vb; j += L) {
                zero.blend(ones, DoubleVector.fromArray(S, h, j).compare(VectorOperators.GT, 0.0)).intoArray(mask, j);
            }
            updateAndForward(d, w, wo, xs, xo, eta, c, h, mask, nextXo, hNext);
        }
        return loss;
    }

    /** Whether {@code x[o], ..., x[o + n - 1]} are all finite ({@code v - v} is 0 for those, NaN otherwise). */
    private static boolean allFinite(double[] x, int o, int n) {
        int vb = S.loopBound(n);
        DoubleVector acc = DoubleVector.zero(S);
        int i = 0;
        for (; i < vb; i += L) {
            DoubleVector v = DoubleVector.fromArray(S, x, o + i);
            acc = acc.add(v.sub(v));
        }
        double s = acc.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            s += x[o + i] - x[o + i];
        }
        return s == 0.0;
    }

    /**
     * The contract's gradient {@code fma(x[r], m[j], +0)} ({@code m[j] = c} on active columns, {@code +0} on the others)
     * without an fma: on an active lane it is {@code fma(x[r], c, 0)}, the row's broadcast product {@code gr}; on an
     * inactive lane it is {@code x[r] * (+0) + (+0) = +0} for finite {@code x[r]} (callers check), which is
     * {@code gr} with all bits cleared. So {@code gr & lanes}, with {@code lanes} all ones on active lanes and zero
     * elsewhere, gives the same bits, and a bitwise and does not use the two fma pipes that the pass otherwise
     * shares three ways per element (Zen 4).
     */
    private static DoubleVector selectedGradient(LongVector gr, LongVector lanes) {
        return gr.and(lanes).reinterpretAsDoubles();
    }

    /** The broadcast product {@code fma(x, c, 0)} of one row, as lane bits for {@link #selectedGradient}. */
    private static LongVector rowProduct(double x, double c) {
        return LongVector.broadcast(LS, Double.doubleToRawLongBits(Math.fma(x, c, 0.0)));
    }

    private static LongVector lanes(double[] m, int j) {
        return DoubleVector.fromArray(S, m, j).reinterpretAsLongs();
    }

    private static void updateOnly(int d, double[] w, int wo, double[] xs, int xo, double eta, double[] m) {
        int vb = S.loopBound(d);
        DoubleVector zero = DoubleVector.zero(S);
        DoubleVector ne = DoubleVector.broadcast(S, -eta);
        for (int r = 0; r < d; r++) {
            double xr = xs[xo + r];
            DoubleVector xv = DoubleVector.broadcast(S, xr);
            int o = wo + r * d;
            int j = 0;
            for (; j < vb; j += L) {
                DoubleVector g = xv.fma(DoubleVector.fromArray(S, m, j), zero);
                ne.fma(g, DoubleVector.fromArray(S, w, o + j)).intoArray(w, o + j);
            }
            for (; j < d; j++) {
                w[o + j] = Math.fma(-eta, Math.fma(xr, m[j], 0.0), w[o + j]);
            }
        }
    }

    /**
     * {@code W -= eta * x m^T} and {@code hn = chains of the next sample against the new W}, column block by column
     * block: a block of {@link #BLOCK_VECTORS} vectors keeps its lane masks and its eight chains in registers while
     * rows {@code r = 0, 1, ...} stream past, so per row and block there are eight loads and eight stores of {@code W}
     * and two broadcasts, nothing else. Each element's operations and each chain's order over {@code r} are those
     * of the row-by-row pass (so the bits are), only the order in which the elements are visited changes; the
     * gradient is selected with a bitwise and ({@link #selectedGradient}), so two fma per element remain. Measured
     * at d = 256 (Zen 4, W 64-byte aligned, one JVM, alternating): 0.136-0.145 ns per element against 0.166-0.178 for
     * four rows at a time over all columns (six memory operations and five stores per four rows and vector). Columns
     * past the last full block go four vectors at a time if they can (d = 100: one block of eight, one of four), then
     * one vector at a time, then one column at a time (the scalar tail, with the contract's gradient).
     * {@code m} holds the lane masks ({@code h[j] > 0}: all ones, else +0); every {@code x[xo + r]} is finite.
     */
    static void updateAndForward(int d, double[] w, int wo, double[] xs, int xo, double eta, double c,
                          double[] h, double[] m, int nxo, double[] hn) {
        int vb = S.loopBound(d);
        int j = 0;
        for (; j + BLOCK_VECTORS * L <= vb; j += BLOCK_VECTORS * L) {
            blockOf8(d, w, wo + j, xs, xo, eta, c, m, j, nxo, hn);
        }
        if (j + 4 * L <= vb) {
            blockOf4(d, w, wo + j, xs, xo, eta, c, m, j, nxo, hn);
            j += 4 * L;
        }
        DoubleVector zero = DoubleVector.zero(S);
        DoubleVector ne = DoubleVector.broadcast(S, -eta);
        for (; j < vb; j += L) {
            LongVector k = lanes(m, j);
            DoubleVector acc = zero;
            for (int r = 0; r < d; r++) {
                int o = wo + r * d + j;
                DoubleVector wn = ne.fma(selectedGradient(rowProduct(xs[xo + r], c), k), DoubleVector.fromArray(S, w, o));
                wn.intoArray(w, o);
                acc = DoubleVector.broadcast(S, xs[nxo + r]).fma(wn, acc);
            }
            acc.intoArray(hn, j);
        }
        for (; j < d; j++) {
            // the chain stays in a register down the column (through hn[j] in memory, each fma would wait for the
            // previous one's store to forward)
            double mj = h[j] > 0 ? c : 0.0;
            double acc = 0.0;
            for (int r = 0; r < d; r++) {
                int o = wo + r * d + j;
                double wn = Math.fma(-eta, Math.fma(xs[xo + r], mj, 0.0), w[o]);
                w[o] = wn;
                acc = Math.fma(xs[nxo + r], wn, acc);
            }
            hn[j] = acc;
        }
    }

    /**
     * {@link #updateAndForward} on the columns {@code [j, j + 8L)} ({@code W[r][j]} at {@code w[o + r*d]}): written
     * out, one variable per vector, so C2 keeps the eight lane masks and eight chains in registers (23 of AVX-512's 32).
     * The selection {@code g.and(k).reinterpretAsDoubles()} is {@link #selectedGradient} written out: through the
     * helper, C2 stopped inlining at its node-count cutoff ({@code NodeCountInliningCutoff}) and the last calls ran
     * the Vector API's Java fallback (59 against 13 us per step at d = 256).
     */
    private static void blockOf8(int d, double[] w, int o, double[] xs, int xo, double eta, double c, double[] m, int j,
                                 int nxo, double[] hn) {
        DoubleVector zero = DoubleVector.zero(S);
        DoubleVector ne = DoubleVector.broadcast(S, -eta);
        LongVector k0 = lanes(m, j + 0 * L);
        LongVector k1 = lanes(m, j + 1 * L);
        LongVector k2 = lanes(m, j + 2 * L);
        LongVector k3 = lanes(m, j + 3 * L);
        LongVector k4 = lanes(m, j + 4 * L);
        LongVector k5 = lanes(m, j + 5 * L);
        LongVector k6 = lanes(m, j + 6 * L);
        LongVector k7 = lanes(m, j + 7 * L);
        DoubleVector a0 = zero;
        DoubleVector a1 = zero;
        DoubleVector a2 = zero;
        DoubleVector a3 = zero;
        DoubleVector a4 = zero;
        DoubleVector a5 = zero;
        DoubleVector a6 = zero;
        DoubleVector a7 = zero;
        for (int r = 0; r < d; r++) {
            LongVector g = rowProduct(xs[xo + r], c);
            DoubleVector n = DoubleVector.broadcast(S, xs[nxo + r]);
            int p = o + r * d;
            DoubleVector w0 = ne.fma(g.and(k0).reinterpretAsDoubles(), DoubleVector.fromArray(S, w, p + 0 * L));
            w0.intoArray(w, p + 0 * L);
            a0 = n.fma(w0, a0);
            DoubleVector w1 = ne.fma(g.and(k1).reinterpretAsDoubles(), DoubleVector.fromArray(S, w, p + 1 * L));
            w1.intoArray(w, p + 1 * L);
            a1 = n.fma(w1, a1);
            DoubleVector w2 = ne.fma(g.and(k2).reinterpretAsDoubles(), DoubleVector.fromArray(S, w, p + 2 * L));
            w2.intoArray(w, p + 2 * L);
            a2 = n.fma(w2, a2);
            DoubleVector w3 = ne.fma(g.and(k3).reinterpretAsDoubles(), DoubleVector.fromArray(S, w, p + 3 * L));
            w3.intoArray(w, p + 3 * L);
            a3 = n.fma(w3, a3);
            DoubleVector w4 = ne.fma(g.and(k4).reinterpretAsDoubles(), DoubleVector.fromArray(S, w, p + 4 * L));
            w4.intoArray(w, p + 4 * L);
            a4 = n.fma(w4, a4);
            DoubleVector w5 = ne.fma(g.and(k5).reinterpretAsDoubles(), DoubleVector.fromArray(S, w, p + 5 * L));
            w5.intoArray(w, p + 5 * L);
            a5 = n.fma(w5, a5);
            DoubleVector w6 = ne.fma(g.and(k6).reinterpretAsDoubles(), DoubleVector.fromArray(S, w, p + 6 * L));
            w6.intoArray(w, p + 6 * L);
            a6 = n.fma(w6, a6);
            DoubleVector w7 = ne.fma(g.and(k7).reinterpretAsDoubles(), DoubleVector.fromArray(S, w, p + 7 * L));
            w7.intoArray(w, p + 7 * L);
            a7 = n.fma(w7, a7);
        }
        a0.intoArray(hn, j + 0 * L);
        a1.intoArray(hn, j + 1 * L);
        a2.intoArray(hn, j + 2 * L);
        a3.intoArray(hn, j + 3 * L);
        a4.intoArray(hn, j + 4 * L);
        a5.intoArray(hn, j + 5 * L);
        a6.intoArray(hn, j + 6 * L);
        a7.intoArray(hn, j + 7 * L);
    }

    /** {@link #blockOf8} for four vectors (the columns after the last block of eight). */
    private static void blockOf4(int d, double[] w, int o, double[] xs, int xo, double eta, double c, double[] m, int j,
                                 int nxo, double[] hn) {
        DoubleVector zero = DoubleVector.zero(S);
        DoubleVector ne = DoubleVector.broadcast(S, -eta);
        LongVector k0 = lanes(m, j + 0 * L);
        LongVector k1 = lanes(m, j + 1 * L);
        LongVector k2 = lanes(m, j + 2 * L);
        LongVector k3 = lanes(m, j + 3 * L);
        DoubleVector a0 = zero;
        DoubleVector a1 = zero;
        DoubleVector a2 = zero;
        DoubleVector a3 = zero;
        for (int r = 0; r < d; r++) {
            LongVector g = rowProduct(xs[xo + r], c);
            DoubleVector n = DoubleVector.broadcast(S, xs[nxo + r]);
            int p = o + r * d;
            DoubleVector w0 = ne.fma(g.and(k0).reinterpretAsDoubles(), DoubleVector.fromArray(S, w, p + 0 * L));
            w0.intoArray(w, p + 0 * L);
            a0 = n.fma(w0, a0);
            DoubleVector w1 = ne.fma(g.and(k1).reinterpretAsDoubles(), DoubleVector.fromArray(S, w, p + 1 * L));
            w1.intoArray(w, p + 1 * L);
            a1 = n.fma(w1, a1);
            DoubleVector w2 = ne.fma(g.and(k2).reinterpretAsDoubles(), DoubleVector.fromArray(S, w, p + 2 * L));
            w2.intoArray(w, p + 2 * L);
            a2 = n.fma(w2, a2);
            DoubleVector w3 = ne.fma(g.and(k3).reinterpretAsDoubles(), DoubleVector.fromArray(S, w, p + 3 * L));
            w3.intoArray(w, p + 3 * L);
            a3 = n.fma(w3, a3);
        }
        a0.intoArray(hn, j + 0 * L);
        a1.intoArray(hn, j + 1 * L);
        a2.intoArray(hn, j + 2 * L);
        a3.intoArray(hn, j + 3 * L);
    }
}
