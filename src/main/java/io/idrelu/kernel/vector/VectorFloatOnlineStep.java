package io.idrelu.kernel.vector;

import io.idrelu.kernel.OnlineFusionFloat;
import io.idrelu.kernel.ScalarFloatKernel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link OnlineFusionFloat} for {@link VectorFloatKernel}, the float mirror of {@link VectorOnlineStep}: the online step ({@code B = 1}, [LY17] Theorem 3.1) with one pass over
 * {@code W} per step, bit-identical to {@link ScalarFloatKernel#sgdStep} at batch 1.
 *
 * <p>Per element the operations are the contract's: {@code g = fma(x[r], m[j], 0)} (the gradient chain of one
 * sample), {@code W[r][j] = fma(-eta, g, W[r][j])}, and the next sample's chain {@code hNext[j] = fma(x'[r], W[r][j],
 * hNext[j])} with the <em>updated</em> {@code W[r][j]}, for {@code r = 0, 1, ...} in increasing order starting from
 * {@code 0}: exactly the chain {@link ScalarFloatKernel} computes at the start of the next step. Rows go four at a time
 * so {@code hNext} and the mask are loaded and stored once per four rows (the step is bound by memory traffic: one
 * read and one write of {@code W}, instead of reading {@code W*}, {@code W} twice and writing {@code W}).
 */
final class VectorFloatOnlineStep implements OnlineFusionFloat {
    private static final VectorSpecies<Float> S = VectorFloatKernel.S;
    private static final int L = VectorFloatKernel.L;

    @Override
    public void teacherOutputs(int d, float[] wStar, float[] xs, int count, float[] work, float[] out) {
        VectorFloatKernel.gemm(count, d, d, xs, d, 1, wStar, work, VectorFloatKernel.ADD_RELU, xs, 0.0f, null);
        VectorFloatKernel.reluRowSums(work, d, count, out);
    }

    @Override
    public void studentChains(int d, float[] w, float[] xs, int xo, float[] h) {
        // one row through gemm's row-by-row path (called once per block of samples, so the copy is negligible)
        VectorFloatKernel.gemm(1, d, d, java.util.Arrays.copyOfRange(xs, xo, xo + d), d, 1, w, h, VectorFloatKernel.STORE,
                null, 0.0f, null);
    }

    @Override
    public float fusedStep(int d, boolean identity, float[] w, float[] xs, int xo, float fTeacher, float eta,
                            float[] h, float[] mask, int nextXo, float[] hNext) {
        // the two selects as vector blends, as in VectorOnlineStep#fusedStep (scalar, each was a random branch)
        int vb = S.loopBound(d);
        FloatVector zero = FloatVector.zero(S);
        int j = 0;
        for (; j < vb; j += L) {
            FloatVector v = FloatVector.fromArray(S, h, j);
            if (identity) {
                v = v.add(FloatVector.fromArray(S, xs, xo + j));
                v.intoArray(h, j);
            }
            zero.blend(v, v.compare(VectorOperators.GT, 0.0f)).intoArray(mask, j);
        }
        for (; j < d; j++) {
            float v = identity ? h[j] + xs[xo + j] : h[j];
            h[j] = v;
            mask[j] = v > 0 ? v : 0.0f;
        }
        float f = 0.0f;
        for (j = 0; j < d; j++) {
            f += mask[j];   // relu(v_j), in order
        }
        float res = f - fTeacher;
        float loss = Math.fma(res, res, 0.0f) / 1;
        float c = (2.0f * res) / 1;
        FloatVector cv = FloatVector.broadcast(S, c);
        for (j = 0; j < vb; j += L) {
            zero.blend(cv, FloatVector.fromArray(S, h, j).compare(VectorOperators.GT, 0.0f)).intoArray(mask, j);
        }
        for (; j < d; j++) {
            mask[j] = h[j] > 0 ? c : 0.0f;
        }
        if (nextXo < 0) {
            updateOnly(d, w, xs, xo, eta, mask);
        } else {
            java.util.Arrays.fill(hNext, 0, d, 0.0f);
            updateAndForward(d, w, xs, xo, eta, mask, nextXo, hNext);
        }
        return loss;
    }

    private static void updateOnly(int d, float[] w, float[] xs, int xo, float eta, float[] m) {
        int vb = S.loopBound(d);
        FloatVector zero = FloatVector.zero(S);
        FloatVector ne = FloatVector.broadcast(S, -eta);
        for (int r = 0; r < d; r++) {
            float xr = xs[xo + r];
            FloatVector xv = FloatVector.broadcast(S, xr);
            int o = r * d;
            int j = 0;
            for (; j < vb; j += L) {
                FloatVector g = xv.fma(FloatVector.fromArray(S, m, j), zero);
                ne.fma(g, FloatVector.fromArray(S, w, o + j)).intoArray(w, o + j);
            }
            for (; j < d; j++) {
                w[o + j] = Math.fma(-eta, Math.fma(xr, m[j], 0.0f), w[o + j]);
            }
        }
    }

    private static void updateAndForward(int d, float[] w, float[] xs, int xo, float eta, float[] m,
                                         int nxo, float[] hn) {
        int vb = S.loopBound(d);
        FloatVector zero = FloatVector.zero(S);
        FloatVector ne = FloatVector.broadcast(S, -eta);
        int r = 0;
        for (; r + 4 <= d; r += 4) {
            FloatVector x0 = FloatVector.broadcast(S, xs[xo + r]);
            FloatVector x1 = FloatVector.broadcast(S, xs[xo + r + 1]);
            FloatVector x2 = FloatVector.broadcast(S, xs[xo + r + 2]);
            FloatVector x3 = FloatVector.broadcast(S, xs[xo + r + 3]);
            FloatVector n0 = FloatVector.broadcast(S, xs[nxo + r]);
            FloatVector n1 = FloatVector.broadcast(S, xs[nxo + r + 1]);
            FloatVector n2 = FloatVector.broadcast(S, xs[nxo + r + 2]);
            FloatVector n3 = FloatVector.broadcast(S, xs[nxo + r + 3]);
            int o0 = r * d;
            int o1 = o0 + d;
            int o2 = o1 + d;
            int o3 = o2 + d;
            int j = 0;
            for (; j < vb; j += L) {
                FloatVector mj = FloatVector.fromArray(S, m, j);
                FloatVector acc = FloatVector.fromArray(S, hn, j);
                FloatVector w0 = ne.fma(x0.fma(mj, zero), FloatVector.fromArray(S, w, o0 + j));
                w0.intoArray(w, o0 + j);
                acc = n0.fma(w0, acc);
                FloatVector w1 = ne.fma(x1.fma(mj, zero), FloatVector.fromArray(S, w, o1 + j));
                w1.intoArray(w, o1 + j);
                acc = n1.fma(w1, acc);
                FloatVector w2 = ne.fma(x2.fma(mj, zero), FloatVector.fromArray(S, w, o2 + j));
                w2.intoArray(w, o2 + j);
                acc = n2.fma(w2, acc);
                FloatVector w3 = ne.fma(x3.fma(mj, zero), FloatVector.fromArray(S, w, o3 + j));
                w3.intoArray(w, o3 + j);
                acc = n3.fma(w3, acc);
                acc.intoArray(hn, j);
            }
            for (; j < d; j++) {
                float acc = hn[j];   // in a register across the four rows (as VectorOnlineStep)
                for (int q = 0; q < 4; q++) {
                    int o = o0 + q * d + j;
                    float wn = Math.fma(-eta, Math.fma(xs[xo + r + q], m[j], 0.0f), w[o]);
                    w[o] = wn;
                    acc = Math.fma(xs[nxo + r + q], wn, acc);
                }
                hn[j] = acc;
            }
        }
        for (; r < d; r++) {
            FloatVector xv = FloatVector.broadcast(S, xs[xo + r]);
            FloatVector nv = FloatVector.broadcast(S, xs[nxo + r]);
            int o = r * d;
            int j = 0;
            for (; j < vb; j += L) {
                FloatVector wn = ne.fma(xv.fma(FloatVector.fromArray(S, m, j), zero), FloatVector.fromArray(S, w, o + j));
                wn.intoArray(w, o + j);
                nv.fma(wn, FloatVector.fromArray(S, hn, j)).intoArray(hn, j);
            }
            for (; j < d; j++) {
                float wn = Math.fma(-eta, Math.fma(xs[xo + r], m[j], 0.0f), w[o + j]);
                w[o + j] = wn;
                hn[j] = Math.fma(xs[nxo + r], wn, hn[j]);
            }
        }
    }
}
