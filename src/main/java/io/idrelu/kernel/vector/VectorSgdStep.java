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
 * <p><b>Three phases</b>, each a list of tasks that own disjoint output elements (see {@link Parallel}). With at least
 * {@link VectorKernel#MIN_PACKED_K} batch rows (the packed path) both products go through {@link PackedTile}'s
 * register tile over packed panels:
 * <ol>
 *   <li><b>Forward, teacher and student in one pass over X.</b> {@code W} and {@code W*} are packed by unit panels
 *       ({@code W[r][j..j+L)} then {@code W*[r][j..j+L)} per {@code r}; tasks own panels), then tasks own blocks of
 *       {@link #BLOCK_ROWS} batch rows: the block of X stays in L2 while every panel streams from L1 through the
 *       tiles (before: every panel swept the whole of X, 512 KB at d = B = 256, from L3). Each lane runs the
 *       contract chain {@code h = fma(x_b[r], W[r][j], h)} for {@code r = 0..d-1} from {@code 0}, then
 *       {@code + x_b[j]} (identity units) and {@code relu}; lanes of units past {@code d} are zero-padded and
 *       dropped. With fewer batch rows (the online case) the row-by-row path of {@link VectorKernel#gemm}.</li>
 *   <li><b>Per batch row</b> (tasks own blocks of rows {@code b}): relu row sums ({@link VectorKernel#reluRowSums}'s
 *       chain, on one row), residual, coefficient {@code c_b = 2 r_b / B}, mask row written straight into the
 *       gradient's packed panels; and the transpose of X. Then, on the caller, the loss as one fma chain over
 *       {@code b} in increasing order.</li>
 *   <li><b>Gradient and update</b> (tasks own blocks of rows of {@code W}): the tile over {@code X^T}'s rows and the
 *       mask panels, epilogue {@code W = fma(-eta, G, W)}; every element's chain over {@code b} stays inside one
 *       tile.</li>
 * </ol>
 */
final class VectorSgdStep {
    private static final VectorSpecies<Double> S = VectorKernel.S;
    private static final int L = VectorKernel.L;
    private static final int ROWS = VectorKernel.ROWS;
    /** Batch rows per task of phase 2. */
    private static final int ROW_BLOCK = 16;
    /** Batch rows (forward) or rows of {@code W} (gradient) per task of the packed path: a multiple of the tile's rows. */
    private static final int BLOCK_ROWS = 48;
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
        /** Packed path (batch >= {@link VectorKernel#MIN_PACKED_K}): tiles over packed panels; else the row path. */
        final boolean packed;
        final int unitPanels;
        final int maskPanels;
        /** {@code X^T} ({@code d x B}), the gradient's left-hand matrix. */
        final double[] xt;
        /** {@code W} and {@code W*} packed by unit panels (see {@link #packWeights}). */
        final double[] wp;
        /** The mask {@code M} packed by two-vector column panels ({@code B x 2L} each; columns past d stay zero). */
        final double[] mp;
        /** Raw tile accumulators, one buffer per thread. */
        final double[][] acc;
        final double[][] pack;

        Buffers(int d, int batch, Parallel parallel) {
            this.d = d;
            this.batch = batch;
            this.parallel = parallel;
            this.hs = new double[batch * d];
            this.ht = new double[batch * d];
            this.fTeacher = new double[batch];
            this.residuals = new double[batch];
            this.packed = batch >= VectorKernel.MIN_PACKED_K;
            this.unitPanels = chunks(d, L);
            this.maskPanels = chunks(d, PackedTile.WIDTH);
            this.xt = new double[packed ? batch * d : 0];
            this.wp = new double[packed ? unitPanels * d * PackedTile.WIDTH : 0];
            this.mp = new double[packed ? maskPanels * batch * PackedTile.WIDTH : 0];
            this.acc = new double[parallel.threads()][PackedTile.accLength()];
            this.pack = new double[parallel.threads()][packed ? 0 : (Math.max(d, batch) + ROWS) * 2 * L];
        }
    }

    static double step(int d, boolean identity, double[] w, double[] wStar, double[] x, int batch, double eta,
                       Buffers s) {
        Parallel par = s.parallel;
        boolean packed = s.packed;
        // Phase 1: both forward passes.
        if (packed) {
            int stride = d * PackedTile.WIDTH;
            par.forEach(s.unitPanels, (t, p) -> packWeights(t, d, w, wStar, s.wp, t * stride));
            par.forEach(chunks(batch, BLOCK_ROWS), (t, p) -> {
                int b0 = t * BLOCK_ROWS;
                forwardBlock(b0, Math.min(batch, b0 + BLOCK_ROWS), batch, d, identity, x, s, s.acc[p]);
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
        // Phase 2: per batch row; on the packed path the mask goes straight into the gradient's panels, with X^T.
        par.forEach(chunks(batch, ROW_BLOCK), (t, p) -> {
            int b0 = t * ROW_BLOCK;
            int b1 = Math.min(batch, b0 + ROW_BLOCK);
            rowsResidualAndMask(d, batch, b0, b1, s);
            if (packed) {
                transpose(d, batch, b0, b1, x, s.xt);
            }
        });
        double sum = 0.0;
        for (int b = 0; b < batch; b++) {
            double r = s.residuals[b];
            sum = Math.fma(r, r, sum);
        }
        // Phase 3: W = fma(-eta, X^T M, W).
        if (packed) {
            par.forEach(chunks(d, BLOCK_ROWS), (t, p) -> {
                int r0 = t * BLOCK_ROWS;
                gradientBlock(r0, Math.min(d, r0 + BLOCK_ROWS), d, batch, eta, w, s, s.acc[p]);
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
     * Unit panel {@code p} (units {@code j0 = pL ..}): {@code wp[off + r*2L ..]} = {@code W[r][j0..j0+L)} then
     * {@code W*[r][j0..j0+L)}; units past {@code d} stay zero (their lanes are computed and never stored).
     */
    private static void packWeights(int p, int d, double[] w, double[] wStar, double[] wp, int off) {
        int j0 = p * L;
        int nv = Math.min(L, d - j0);
        for (int r = 0; r < d; r++) {
            System.arraycopy(w, r * d + j0, wp, off + r * PackedTile.WIDTH, nv);
            System.arraycopy(wStar, r * d + j0, wp, off + r * PackedTile.WIDTH + L, nv);
        }
    }

    /**
     * Batch rows {@code b0..b1-1}, every unit panel: the block of X (at most {@link #BLOCK_ROWS} rows) stays in
     * L2 while each packed panel ({@code d x 2L}) is read from L1 by all the block's tiles; a last tile short of
     * {@link PackedTile#ROWS} rows starts earlier and stores only its new rows (see {@link PackedTile}).
     */
    private static void forwardBlock(int b0, int b1, int batch, int d, boolean identity, double[] x, Buffers s,
                                     double[] acc) {
        int stride = d * PackedTile.WIDTH;
        for (int p = 0; p < s.unitPanels; p++) {
            for (int i = b0; i < b1; i += PackedTile.ROWS) {
                int start = Math.min(i, batch - PackedTile.ROWS); // batch >= MIN_PACKED_K >= ROWS on the packed path
                PackedTile.tile(x, start * d, d, d, s.wp, p * stride, acc);
                finishForward(start, i - start, Math.min(b1, i + PackedTile.ROWS) - start, p * L, d, identity, x,
                        s.hs, s.ht, acc);
            }
        }
    }

    /**
     * Epilogue of a forward tile computed from row {@code start}, its rows {@code m0 <= m < m1}, units {@code j0..}: {@code + x_b[j]} (identity student, always
     * the teacher), then relu; lanes past {@code d} are dropped.
     */
    private static void finishForward(int start, int m0, int m1, int j0, int d, boolean identity, double[] x,
                                      double[] hs, double[] ht, double[] acc) {
        int nv = Math.min(L, d - j0);
        DoubleVector zero = DoubleVector.zero(S);
        for (int m = m0; m < m1; m++) {
            int o = (start + m) * d + j0;
            int a = m * PackedTile.WIDTH;
            if (nv == L) {
                DoubleVector xj = DoubleVector.fromArray(S, x, o);
                DoubleVector hv = DoubleVector.fromArray(S, acc, a);
                if (identity) {
                    hv = hv.add(xj);
                }
                zero.blend(hv, hv.compare(VectorOperators.GT, 0.0)).intoArray(hs, o);
                DoubleVector tv = DoubleVector.fromArray(S, acc, a + L).add(xj);
                zero.blend(tv, tv.compare(VectorOperators.GT, 0.0)).intoArray(ht, o);
            } else {
                for (int l = 0; l < nv; l++) {
                    double hv = identity ? acc[a + l] + x[o + l] : acc[a + l];
                    double tv = acc[a + L + l] + x[o + l];
                    hs[o + l] = hv > 0 ? hv : 0.0;
                    ht[o + l] = tv > 0 ? tv : 0.0;
                }
            }
        }
    }

    /**
     * Rows {@code r0..r1-1} of {@code W}: {@code W[r][j] = fma(-eta, G[r][j], W[r][j])} with {@code G = X^T M} from
     * the tile over {@code X^T}'s rows and the mask panels ({@code B x 2L}, columns past {@code d} zero).
     */
    private static void gradientBlock(int r0, int r1, int d, int batch, double eta, double[] w, Buffers s,
                                      double[] acc) {
        int stride = batch * PackedTile.WIDTH;
        double[] xt = s.xt;
        for (int q = 0; q < s.maskPanels; q++) {
            if (d < PackedTile.ROWS) { // fewer rows than a tile in all: one row at a time (lda = 0)
                for (int r = r0; r < r1; r++) {
                    PackedTile.tile(xt, r * batch, 0, batch, s.mp, q * stride, acc);
                    finishGradient(r, 0, 1, q * PackedTile.WIDTH, d, eta, w, acc);
                }
                continue;
            }
            for (int i = r0; i < r1; i += PackedTile.ROWS) {
                int start = Math.min(i, d - PackedTile.ROWS);
                PackedTile.tile(xt, start * batch, batch, batch, s.mp, q * stride, acc);
                finishGradient(start, i - start, Math.min(r1, i + PackedTile.ROWS) - start, q * PackedTile.WIDTH, d,
                        eta, w, acc);
            }
        }
    }

    /** Epilogue of a gradient tile computed from row {@code start}: its rows {@code m0 <= m < m1}, columns {@code j0..}. */
    private static void finishGradient(int start, int m0, int m1, int j0, int d, double eta, double[] w, double[] acc) {
        DoubleVector ne = DoubleVector.broadcast(S, -eta);
        for (int m = m0; m < m1; m++) {
            for (int v = 0; v < 2; v++) {
                int j = j0 + v * L;
                int nv = Math.min(L, d - j);
                int o = (start + m) * d + j;
                int a = m * PackedTile.WIDTH + v * L;
                if (nv == L) {
                    ne.fma(DoubleVector.fromArray(S, acc, a), DoubleVector.fromArray(S, w, o)).intoArray(w, o);
                } else {
                    for (int l = 0; l < nv; l++) {
                        w[o + l] = Math.fma(-eta, acc[a + l], w[o + l]);
                    }
                }
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
            if (s.packed) {
                // mask element (b, j) at mp[(j / 2L) * B * 2L + b * 2L + j % 2L]
                double[] mp = s.mp;
                int w2 = PackedTile.WIDTH;
                int j = 0;
                for (; j < vb; j += L) {
                    VectorMask<Double> active = DoubleVector.fromArray(S, hs, o + j).compare(VectorOperators.GT, 0.0);
                    zero.blend(cv, active).intoArray(mp, (j / w2) * batch * w2 + b * w2 + j % w2);
                }
                for (; j < d; j++) {
                    mp[(j / w2) * batch * w2 + b * w2 + j % w2] = hs[o + j] > 0 ? c : 0.0;
                }
                continue;
            }
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
