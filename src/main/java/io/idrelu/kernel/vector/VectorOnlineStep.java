package io.idrelu.kernel.vector;

import io.idrelu.kernel.OnlineFusion;
import io.idrelu.kernel.ScalarKernel;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link OnlineFusion} for {@link VectorKernel}: the online step ({@code B = 1}, [LY17] Theorem 3.1) with one pass over
 * {@code W} per step, bit-identical to {@link ScalarKernel#sgdStep} at batch 1.
 *
 * <p>Per element the operations are the contract's: {@code g = fma(x[r], m[j], 0)} (the gradient chain of one
 * sample), {@code W[r][j] = fma(-eta, g, W[r][j])}, and the next sample's chain {@code hNext[j] = fma(x'[r], W[r][j],
 * hNext[j])} with the <em>updated</em> {@code W[r][j]}, for {@code r = 0, 1, ...} in increasing order starting from
 * {@code 0}: exactly the chain {@link ScalarKernel} computes at the start of the next step. Rows go four at a time
 * so {@code hNext} and the mask are loaded and stored once per four rows (the step is bound by memory traffic: one
 * read and one write of {@code W}, instead of reading {@code W*}, {@code W} twice and writing {@code W}).
 */
final class VectorOnlineStep implements OnlineFusion {
    private static final VectorSpecies<Double> S = VectorKernel.S;
    private static final int L = VectorKernel.L;

    @Override
    public void teacherOutputs(int d, double[] wStar, double[] xs, int count, double[] work, double[] out) {
        if (count < PackedTile.ROWS) {
            VectorKernel.gemm(count, d, d, xs, d, 1, wStar, work, VectorKernel.ADD_RELU, xs, 0.0, null);
        } else {
            teacherTiles(d, wStar, xs, count, work);
        }
        VectorKernel.reluRowSums(work, d, count, out);
    }

    /**
     * {@code work[b][j] = relu(chain_r(xs_b[r] * W*[r][j]) + xs_b[j])} (the teacher's contract chain, identity units) for
     * {@code count >= 4} samples: one two-vector panel of {@code W*} at a time is packed ({@code d x 2L}, L1) and
     * swept by {@link PackedTile} over the samples (in L2). Lanes of columns past {@code d} are never stored.
     */
    private static void teacherTiles(int d, double[] wStar, double[] xs, int count, double[] work) {
        int w2 = PackedTile.WIDTH;
        double[] panel = new double[d * w2];
        double[] acc = new double[PackedTile.accLength()];
        DoubleVector zero = DoubleVector.zero(S);
        for (int j0 = 0; j0 < d; j0 += w2) {
            int nv = Math.min(w2, d - j0);
            for (int r = 0; r < d; r++) {
                System.arraycopy(wStar, r * d + j0, panel, r * w2, nv);
            }
            for (int i = 0; i < count; i += PackedTile.ROWS) {
                int start = Math.min(i, count - PackedTile.ROWS);
                PackedTile.tile(xs, start * d, d, d, panel, 0, acc);
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
    public void studentChains(int d, double[] w, double[] xs, int xo, double[] h) {
        // one row through gemm's row-by-row path (called once per block of samples, so the copy is negligible)
        VectorKernel.gemm(1, d, d, java.util.Arrays.copyOfRange(xs, xo, xo + d), d, 1, w, h, VectorKernel.STORE,
                null, 0.0, null);
    }

    @Override
    public double fusedStep(int d, boolean identity, double[] w, double[] xs, int xo, double fTeacher, double eta,
                            double[] h, double[] mask, int nextXo, double[] hNext) {
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
        DoubleVector cv = DoubleVector.broadcast(S, c);
        for (j = 0; j < vb; j += L) {
            zero.blend(cv, DoubleVector.fromArray(S, h, j).compare(VectorOperators.GT, 0.0)).intoArray(mask, j);
        }
        for (; j < d; j++) {
            mask[j] = h[j] > 0 ? c : 0.0;
        }
        if (nextXo < 0) {
            updateOnly(d, w, xs, xo, eta, mask);
        } else {
            java.util.Arrays.fill(hNext, 0, d, 0.0);
            updateAndForward(d, w, xs, xo, eta, mask, nextXo, hNext);
        }
        return loss;
    }

    private static void updateOnly(int d, double[] w, double[] xs, int xo, double eta, double[] m) {
        int vb = S.loopBound(d);
        DoubleVector zero = DoubleVector.zero(S);
        DoubleVector ne = DoubleVector.broadcast(S, -eta);
        for (int r = 0; r < d; r++) {
            double xr = xs[xo + r];
            DoubleVector xv = DoubleVector.broadcast(S, xr);
            int o = r * d;
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

    private static void updateAndForward(int d, double[] w, double[] xs, int xo, double eta, double[] m,
                                         int nxo, double[] hn) {
        int vb = S.loopBound(d);
        DoubleVector zero = DoubleVector.zero(S);
        DoubleVector ne = DoubleVector.broadcast(S, -eta);
        int r = 0;
        for (; r + 4 <= d; r += 4) {
            DoubleVector x0 = DoubleVector.broadcast(S, xs[xo + r]);
            DoubleVector x1 = DoubleVector.broadcast(S, xs[xo + r + 1]);
            DoubleVector x2 = DoubleVector.broadcast(S, xs[xo + r + 2]);
            DoubleVector x3 = DoubleVector.broadcast(S, xs[xo + r + 3]);
            DoubleVector n0 = DoubleVector.broadcast(S, xs[nxo + r]);
            DoubleVector n1 = DoubleVector.broadcast(S, xs[nxo + r + 1]);
            DoubleVector n2 = DoubleVector.broadcast(S, xs[nxo + r + 2]);
            DoubleVector n3 = DoubleVector.broadcast(S, xs[nxo + r + 3]);
            int o0 = r * d;
            int o1 = o0 + d;
            int o2 = o1 + d;
            int o3 = o2 + d;
            int j = 0;
            for (; j < vb; j += L) {
                DoubleVector mj = DoubleVector.fromArray(S, m, j);
                DoubleVector acc = DoubleVector.fromArray(S, hn, j);
                DoubleVector w0 = ne.fma(x0.fma(mj, zero), DoubleVector.fromArray(S, w, o0 + j));
                w0.intoArray(w, o0 + j);
                acc = n0.fma(w0, acc);
                DoubleVector w1 = ne.fma(x1.fma(mj, zero), DoubleVector.fromArray(S, w, o1 + j));
                w1.intoArray(w, o1 + j);
                acc = n1.fma(w1, acc);
                DoubleVector w2 = ne.fma(x2.fma(mj, zero), DoubleVector.fromArray(S, w, o2 + j));
                w2.intoArray(w, o2 + j);
                acc = n2.fma(w2, acc);
                DoubleVector w3 = ne.fma(x3.fma(mj, zero), DoubleVector.fromArray(S, w, o3 + j));
                w3.intoArray(w, o3 + j);
                acc = n3.fma(w3, acc);
                acc.intoArray(hn, j);
            }
            for (; j < d; j++) {
                // the chain stays in a register across the four rows: through hn[j] in memory, each fma waited for
                // the previous one's store to forward (the d mod L tail columns cost several times a vector lane)
                double acc = hn[j];
                for (int q = 0; q < 4; q++) {
                    int o = o0 + q * d + j;
                    double wn = Math.fma(-eta, Math.fma(xs[xo + r + q], m[j], 0.0), w[o]);
                    w[o] = wn;
                    acc = Math.fma(xs[nxo + r + q], wn, acc);
                }
                hn[j] = acc;
            }
        }
        for (; r < d; r++) {
            DoubleVector xv = DoubleVector.broadcast(S, xs[xo + r]);
            DoubleVector nv = DoubleVector.broadcast(S, xs[nxo + r]);
            int o = r * d;
            int j = 0;
            for (; j < vb; j += L) {
                DoubleVector wn = ne.fma(xv.fma(DoubleVector.fromArray(S, m, j), zero), DoubleVector.fromArray(S, w, o + j));
                wn.intoArray(w, o + j);
                nv.fma(wn, DoubleVector.fromArray(S, hn, j)).intoArray(hn, j);
            }
            for (; j < d; j++) {
                double wn = Math.fma(-eta, Math.fma(xs[xo + r], m[j], 0.0), w[o + j]);
                w[o + j] = wn;
                hn[j] = Math.fma(xs[nxo + r], wn, hn[j]);
            }
        }
    }
}
