package io.idrelu.kernel.vector;

import io.idrelu.kernel.Kernel;
import io.idrelu.kernel.Parallel;
import io.idrelu.kernel.ScalarKernel;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link VectorKernel#sgdStep}: one online-SGD step ([LY17] Theorem 3.1, MATH.md section 1), bit-identical to
 * {@link ScalarKernel#sgdStep} and to itself for every thread count.
 *
 * <p><b>Three phases</b>, each a list of tasks that own disjoint output elements (see {@link Parallel}):
 * <ol>
 *   <li><b>Forward, teacher and student in one pass over X.</b> A task owns one vector of units {@code j..j+L}: it
 *       packs {@code W[., j..j+L)} and {@code W*[., j..j+L)} side by side into a contiguous panel, then sweeps the batch
 *       in blocks of six rows; per {@code r} one broadcast of {@code x_b[r]} feeds one fma into the student and one
 *       into the teacher accumulator of each row (twelve chains, eight loads per twelve fma). Each lane runs the
 *       contract chain {@code h = fma(x_b[r], W[r][j], h)} for {@code r = 0..d-1} from {@code 0}, then
 *       {@code + x_b[j]} (identity units) and {@code relu}. With fewer than six rows (the online case) the panel
 *       is not worth packing: column chunks of the row-by-row path of {@link VectorKernel#gemm}.</li>
 *   <li><b>Per batch row</b> (tasks own blocks of rows {@code b}): relu row sums ({@link VectorKernel#reluRowSums}'s
 *       chain, on one row), residual, coefficient {@code c_b = 2 r_b / B}, mask row; and the transpose of X for the
 *       gradient. Then, on the caller, the loss as one fma chain over {@code b} in increasing order.</li>
 *   <li><b>Gradient and update</b> (tasks own column panels of {@code W}): {@link VectorKernel#gemm}'s packed
 *       six-by-two blocks over {@code X^T} with epilogue {@code W = fma(-eta, G, W)}; every element's chain over
 *       {@code b} stays inside one task.</li>
 * </ol>
 */
final class VectorSgdStep {
    private static final VectorSpecies<Double> S = VectorKernel.S;
    private static final int L = VectorKernel.L;
    private static final int ROWS = VectorKernel.ROWS;
    /** Batch rows per task of phase 2. */
    private static final int ROW_BLOCK = 16;
    /** Column chunk of a task on the row-by-row path (the online case). */
    private static final int ROW_PATH_CHUNK = 8 * L;

    private VectorSgdStep() {
    }

    /** Scratch of the step: activations of both networks, residuals, {@code X^T}, one packing buffer per thread. */
    static final class Buffers implements Kernel.Scratch {
        final int d;
        final int batch;
        final Parallel parallel;
        /** Student pre-activations (relu'd), then the coefficient matrix {@code M}. */
        final double[] hs;
        /** Teacher pre-activations (relu'd). */
        final double[] ht;
        final double[] fTeacher;
        final double[] residuals;
        final double[] xt;
        final double[][] pack;

        Buffers(int d, int batch, Parallel parallel) {
            this.d = d;
            this.batch = batch;
            this.parallel = parallel;
            this.hs = new double[batch * d];
            this.ht = new double[batch * d];
            this.fTeacher = new double[batch];
            this.residuals = new double[batch];
            this.xt = new double[batch * d];
            this.pack = new double[parallel.threads()][(Math.max(d, batch) + ROWS) * 2 * L];
        }
    }

    static double step(int d, boolean identity, double[] w, double[] wStar, double[] x, int batch, double eta,
                       Buffers s) {
        Parallel par = s.parallel;
        // Phase 1: both forward passes.
        if (batch >= ROWS) {
            int panels = d / L;
            int tail = d - panels * L;
            par.forEach(panels + (tail > 0 ? 1 : 0), (t, p) -> {
                if (t < panels) {
                    forwardPanel(t * L, d, batch, identity, x, w, wStar, s.hs, s.ht, s.pack[p]);
                } else {
                    forwardTail(panels * L, d, batch, identity, x, w, wStar, s.hs, s.ht);
                }
            });
        } else {
            par.forEach(chunks(d, ROW_PATH_CHUNK), (t, p) -> {
                int j0 = t * ROW_PATH_CHUNK;
                int j1 = Math.min(d, j0 + ROW_PATH_CHUNK);
                VectorKernel.gemm(batch, d, d, x, d, 1, wStar, s.ht, VectorKernel.ADD_RELU, x, 0.0, s.pack[p], j0, j1);
                VectorKernel.gemm(batch, d, d, x, d, 1, w, s.hs,
                        identity ? VectorKernel.ADD_RELU : VectorKernel.STORE_RELU, x, 0.0, s.pack[p], j0, j1);
            });
        }
        // Phase 2: per batch row; X^T for the packed gradient path.
        boolean packedGradient = d >= ROWS && batch >= VectorKernel.MIN_PACKED_K;
        par.forEach(chunks(batch, ROW_BLOCK), (t, p) -> {
            int b0 = t * ROW_BLOCK;
            int b1 = Math.min(batch, b0 + ROW_BLOCK);
            rowsResidualAndMask(d, batch, b0, b1, s);
            if (packedGradient) {
                transpose(d, batch, b0, b1, x, s.xt);
            }
        });
        double sum = 0.0;
        for (int b = 0; b < batch; b++) {
            double r = s.residuals[b];
            sum = Math.fma(r, r, sum);
        }
        // Phase 3: W = fma(-eta, X^T M, W), by column panels of W.
        if (packedGradient) {
            int w2 = 2 * L;
            par.forEach(chunks(d, w2), (t, p) -> {
                int j0 = t * w2;
                VectorKernel.gemm(d, d, batch, s.xt, batch, 1, s.hs, w, VectorKernel.SGD, null, eta, s.pack[p],
                        j0, Math.min(d, j0 + w2));
            });
        } else {
            par.forEach(chunks(d, ROW_PATH_CHUNK), (t, p) -> {
                int j0 = t * ROW_PATH_CHUNK;
                VectorKernel.gemm(d, d, batch, x, 1, d, s.hs, w, VectorKernel.SGD, null, eta, s.pack[p],
                        j0, Math.min(d, j0 + ROW_PATH_CHUNK));
            });
        }
        return sum / batch;
    }

    private static int chunks(int n, int width) {
        return (n + width - 1) / width;
    }

    /**
     * Units {@code j..j+L}: student into {@code hs}, teacher into {@code ht}, both relu'd, for every batch row. The
     * panel {@code pb[r*2L ..]} holds {@code W[r][j..j+L)} then {@code W*[r][j..j+L)}.
     */
    private static void forwardPanel(int j, int d, int batch, boolean identity, double[] x, double[] w,
                                     double[] wStar, double[] hs, double[] ht, double[] pb) {
        int w2 = 2 * L;
        for (int r = 0; r < d; r++) {
            System.arraycopy(w, r * d + j, pb, r * w2, L);
            System.arraycopy(wStar, r * d + j, pb, r * w2 + L, L);
        }
        int i = 0;
        for (; i + ROWS <= batch; i += ROWS) {
            forward6(i, j, d, identity, x, pb, hs, ht);
        }
        for (; i < batch; i++) {
            forward1(i, j, d, identity, x, pb, hs, ht);
        }
    }

    /** Six batch rows: twelve chains (student {@code s*}, teacher {@code t*}) over {@code r} in increasing order. */
    private static void forward6(int i, int j, int d, boolean identity, double[] x, double[] pb,
                                 double[] hs, double[] ht) {
        DoubleVector s0 = DoubleVector.zero(S);
        DoubleVector s1 = s0;
        DoubleVector s2 = s0;
        DoubleVector s3 = s0;
        DoubleVector s4 = s0;
        DoubleVector s5 = s0;
        DoubleVector t0 = s0;
        DoubleVector t1 = s0;
        DoubleVector t2 = s0;
        DoubleVector t3 = s0;
        DoubleVector t4 = s0;
        DoubleVector t5 = s0;
        int x0 = i * d;
        int x1 = x0 + d;
        int x2 = x1 + d;
        int x3 = x2 + d;
        int x4 = x3 + d;
        int x5 = x4 + d;
        int w2 = 2 * L;
        for (int r = 0; r < d; r++) {
            DoubleVector bw = DoubleVector.fromArray(S, pb, r * w2);
            DoubleVector bt = DoubleVector.fromArray(S, pb, r * w2 + L);
            DoubleVector v = DoubleVector.broadcast(S, x[x0 + r]);
            s0 = v.fma(bw, s0);
            t0 = v.fma(bt, t0);
            v = DoubleVector.broadcast(S, x[x1 + r]);
            s1 = v.fma(bw, s1);
            t1 = v.fma(bt, t1);
            v = DoubleVector.broadcast(S, x[x2 + r]);
            s2 = v.fma(bw, s2);
            t2 = v.fma(bt, t2);
            v = DoubleVector.broadcast(S, x[x3 + r]);
            s3 = v.fma(bw, s3);
            t3 = v.fma(bt, t3);
            v = DoubleVector.broadcast(S, x[x4 + r]);
            s4 = v.fma(bw, s4);
            t4 = v.fma(bt, t4);
            v = DoubleVector.broadcast(S, x[x5 + r]);
            s5 = v.fma(bw, s5);
            t5 = v.fma(bt, t5);
        }
        // Raw chains out first, epilogue after: a call with vector arguments that C2 declines to inline (this method
        // is at its node budget) would box all twelve accumulators.
        s0.intoArray(hs, x0 + j);
        t0.intoArray(ht, x0 + j);
        s1.intoArray(hs, x1 + j);
        t1.intoArray(ht, x1 + j);
        s2.intoArray(hs, x2 + j);
        t2.intoArray(ht, x2 + j);
        s3.intoArray(hs, x3 + j);
        t3.intoArray(ht, x3 + j);
        s4.intoArray(hs, x4 + j);
        t4.intoArray(ht, x4 + j);
        s5.intoArray(hs, x5 + j);
        t5.intoArray(ht, x5 + j);
        for (int m = 0; m < ROWS; m++) {
            finishForward(x0 + m * d + j, identity, x, hs, ht);
        }
    }

    private static void forward1(int i, int j, int d, boolean identity, double[] x, double[] pb,
                                 double[] hs, double[] ht) {
        DoubleVector s0 = DoubleVector.zero(S);
        DoubleVector t0 = s0;
        int x0 = i * d;
        int w2 = 2 * L;
        for (int r = 0; r < d; r++) {
            DoubleVector v = DoubleVector.broadcast(S, x[x0 + r]);
            s0 = v.fma(DoubleVector.fromArray(S, pb, r * w2), s0);
            t0 = v.fma(DoubleVector.fromArray(S, pb, r * w2 + L), t0);
        }
        s0.intoArray(hs, x0 + j);
        t0.intoArray(ht, x0 + j);
        finishForward(x0 + j, identity, x, hs, ht);
    }

    /** Epilogue at {@code o = b*d + j} on the stored chains: {@code + x_b[j]} (identity student, always the teacher), then relu. */
    private static void finishForward(int o, boolean identity, double[] x, double[] hs, double[] ht) {
        DoubleVector xj = DoubleVector.fromArray(S, x, o);
        DoubleVector s = DoubleVector.fromArray(S, hs, o);
        if (identity) {
            VectorKernel.relu(s.add(xj)).intoArray(hs, o);
        } else {
            VectorKernel.relu(s).intoArray(hs, o);
        }
        VectorKernel.relu(DoubleVector.fromArray(S, ht, o).add(xj)).intoArray(ht, o);
    }

    /** Units {@code from..d-1} (fewer than a vector), scalar chains in the contract order. */
    private static void forwardTail(int from, int d, int batch, boolean identity, double[] x, double[] w,
                                    double[] wStar, double[] hs, double[] ht) {
        for (int b = 0; b < batch; b++) {
            int o = b * d;
            for (int j = from; j < d; j++) {
                double hsj = 0.0;
                double htj = 0.0;
                for (int r = 0; r < d; r++) {
                    double xr = x[o + r];
                    hsj = Math.fma(xr, w[r * d + j], hsj);
                    htj = Math.fma(xr, wStar[r * d + j], htj);
                }
                if (identity) {
                    hsj = hsj + x[o + j];
                }
                htj = htj + x[o + j];
                hs[o + j] = hsj > 0 ? hsj : 0.0;
                ht[o + j] = htj > 0 ? htj : 0.0;
            }
        }
    }

    /**
     * Rows {@code b0..b1-1}: {@code f = sum_j relu(h_bj)} for both networks (one chain per row in increasing
     * {@code j}, as {@link ScalarKernel#reluSums}), {@code r_b}, {@code c_b = (2 r_b) / B} and the mask row
     * {@code m_bj = h_bj > 0 ? c_b : 0} (written over the student's row).
     */
    private static void rowsResidualAndMask(int d, int batch, int b0, int b1, Buffers s) {
        double[] hs = s.hs;
        double[] ht = s.ht;
        int vb = S.loopBound(d);
        DoubleVector zero = DoubleVector.zero(S);
        for (int b = b0; b < b1; b++) {
            int o = b * d;
            double ft = 0.0;
            double fs = 0.0;
            for (int j = 0; j < d; j++) {
                ft += ht[o + j];
                fs += hs[o + j];
            }
            double r = fs - ft;
            s.fTeacher[b] = ft;
            s.residuals[b] = r;
            double c = (2.0 * r) / batch;
            DoubleVector cv = DoubleVector.broadcast(S, c);
            int j = 0;
            for (; j < vb; j += L) {
                VectorMask<Double> active = DoubleVector.fromArray(S, hs, o + j).compare(VectorOperators.GT, 0.0);
                zero.blend(cv, active).intoArray(hs, o + j);
            }
            for (; j < d; j++) {
                hs[o + j] = hs[o + j] > 0 ? c : 0.0;
            }
        }
    }

    /** {@code xt[r*B + b] = x[b*d + r]} for rows {@code b0..b1-1}, in 16-wide tiles of {@code r}. */
    private static void transpose(int d, int batch, int b0, int b1, double[] x, double[] xt) {
        for (int r0 = 0; r0 < d; r0 += 16) {
            int r1 = Math.min(d, r0 + 16);
            for (int b = b0; b < b1; b++) {
                for (int r = r0; r < r1; r++) {
                    xt[r * batch + b] = x[b * d + r];
                }
            }
        }
    }
}
