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
 * <p><b>Phases</b>, each a list of tasks that own disjoint output elements (see {@link Parallel}). With at least
 * {@link VectorKernel#MIN_PACKED_K} batch rows (the packed path) both products go through {@link StripTile}'s
 * six-by-two register tile, left operands packed into zero-padded six-row strips, right operands into two-vector
 * panels:
 * <ol>
 *   <li><b>Pack {@code W} and {@code W*}</b> by unit panels ({@code W[r][j..j+L)} then {@code W*[r][j..j+L)} per
 *       {@code r}; tasks own panels).</li>
 *   <li><b>Forward, teacher and student in one pass over X, then the row quantities</b> (tasks own blocks of
 *       {@link #BLOCK_STRIPS} strips of batch rows). The task packs its strips of X, then for every unit panel in
 *       increasing order runs the tile on each strip (the block's strips stay in L2, the panel in L1). Each lane runs
 *       the contract chain {@code h = fma(x_b[r], W[r][j], h)} for {@code r = 0..d-1} from {@code 0}, then
 *       {@code + x_b[j]} (identity units, always the teacher) and {@code relu}. The epilogue adds the relu'd values
 *       to the row sums in increasing {@code j} (the panels come in order, the lanes in order: exactly
 *       {@link ScalarKernel#reluSums}'s chain per row) and writes the student's relu'd values straight into the
 *       gradient's mask panels; neither pre-activation matrix is stored. When the block's rows are complete: residual
 *       {@code r_b}, {@code c_b = (2 r_b) / B}, and the mask panels' rows become {@code h_bj > 0 ? c_b : 0} in
 *       place. Lanes of units past {@code d} and rows past {@code B} are never stored or summed.</li>
 *   <li>On the caller, the loss as one fma chain over {@code b} in increasing order.</li>
 *   <li><b>Gradient and update</b> (tasks own blocks of strips of rows of {@code W}): the task packs its strips of
 *       {@code X^T} (contiguous runs of X's rows), then the tile over them and every mask panel, epilogue
 *       {@code W = fma(-eta, G, W)}; every element's chain over {@code b} stays inside one tile. A last mask panel
 *       whose second vector is all past {@code d} ({@code d mod 2L} in {@code 1..L}, e.g. d = 100) runs
 *       {@link StripTile#tileHalf}: the same chains for the lanes that are stored, half the fma.</li>
 * </ol>
 * With fewer batch rows (the online case) the row-by-row path of {@link VectorKernel#gemm} and the scalar row
 * quantities.
 */
final class VectorSgdStep {
    private static final VectorSpecies<Double> S = VectorKernel.S;
    private static final int L = VectorKernel.L;
    private static final int ROWS = VectorKernel.ROWS;
    private static final int W2 = StripTile.WIDTH;
    private static final int SR = StripTile.ROWS;
    /** Batch rows per task of the row path's phase 2. */
    private static final int ROW_BLOCK = 16;
    /**
     * Strips per task of the packed path (48 rows): the block's strips (at d = B = 256, 96 KB) stay in L2 while
     * each panel (16 KB) is read from L1 by all of them.
     */
    static final int BLOCK_STRIPS = 8;
    /** Column chunk of a task on the row-by-row path (the online case). */
    private static final int ROW_PATH_CHUNK = 8 * L;

    private VectorSgdStep() {
    }

    /** Scratch of the step: strips, panels, row quantities, one accumulator (or packing) buffer per thread. */
    static final class Buffers implements Kernel.Scratch {
        final int d;
        final int batch;
        final Parallel parallel;
        /** Packed path (batch >= {@link VectorKernel#MIN_PACKED_K}): strip tiles over packed panels; else the row path. */
        final boolean packed;
        /** Row path: student pre-activations (relu'd), then the coefficient matrix {@code M}. */
        final double[] hs;
        /** Row path: teacher pre-activations (relu'd). */
        final double[] ht;
        final double[] fTeacher;
        final double[] fStudent;
        final double[] residuals;
        /** Packed path: the mask coefficients {@code c_b = (2 r_b) / B}. */
        final double[] coefficients;
        final int unitPanels;
        final int maskPanels;
        /** X by strips of batch rows ({@code strips(B) x d x 6}), the forward's left operand. */
        final double[] xs;
        /** {@code X^T} by strips of its rows ({@code strips(d) x B x 6}), the gradient's left operand. */
        final double[] xts;
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
            this.packed = batch >= VectorKernel.MIN_PACKED_K;
            this.hs = new double[packed ? 0 : batch * d];
            this.ht = new double[packed ? 0 : batch * d];
            this.fTeacher = new double[batch];
            this.fStudent = new double[batch];
            this.residuals = new double[batch];
            this.coefficients = new double[packed ? batch : 0];
            this.unitPanels = chunks(d, L);
            this.maskPanels = chunks(d, W2);
            this.xs = new double[packed ? StripTile.strips(batch) * SR * d : 0];
            this.xts = new double[packed ? StripTile.strips(d) * SR * batch : 0];
            this.wp = new double[packed ? unitPanels * d * W2 : 0];
            this.mp = new double[packed ? maskPanels * batch * W2 : 0];
            this.acc = new double[parallel.threads()][StripTile.accLength()];
            this.pack = new double[parallel.threads()][packed ? 0 : (Math.max(d, batch) + ROWS) * 2 * L];
        }
    }

    static double step(int d, boolean identity, double[] w, double[] wStar, double[] x, int batch, double eta,
                       Buffers s) {
        return s.packed ? packedStep(d, identity, w, wStar, x, batch, eta, s)
                : rowStep(d, identity, w, wStar, x, batch, eta, s);
    }

    private static double packedStep(int d, boolean identity, double[] w, double[] wStar, double[] x, int batch,
                                     double eta, Buffers s) {
        Parallel par = s.parallel;
        int stride = d * W2;
        par.forEach(s.unitPanels, (t, p) -> packWeights(t, d, w, wStar, s.wp, t * stride));
        int rowStrips = StripTile.strips(batch);
        par.forEach(chunks(rowStrips, BLOCK_STRIPS), (t, p) -> {
            int s0 = t * BLOCK_STRIPS;
            forwardBlock(s0, Math.min(rowStrips, s0 + BLOCK_STRIPS), batch, d, identity, x, s, s.acc[p]);
        });
        double sum = lossChain(s.residuals, batch);
        int wStrips = StripTile.strips(d);
        par.forEach(chunks(wStrips, BLOCK_STRIPS), (t, p) -> {
            int s0 = t * BLOCK_STRIPS;
            gradientBlock(s0, Math.min(wStrips, s0 + BLOCK_STRIPS), d, batch, eta, w, x, s, s.acc[p]);
        });
        return sum / batch;
    }

    private static double rowStep(int d, boolean identity, double[] w, double[] wStar, double[] x, int batch,
                                  double eta, Buffers s) {
        Parallel par = s.parallel;
        par.forEach(chunks(d, ROW_PATH_CHUNK), (t, p) -> {
            int j0 = t * ROW_PATH_CHUNK;
            int j1 = Math.min(d, j0 + ROW_PATH_CHUNK);
            VectorKernel.gemm(batch, d, d, x, d, 1, wStar, s.ht, VectorKernel.ADD_RELU, x, 0.0, s.pack[p], j0, j1);
            VectorKernel.gemm(batch, d, d, x, d, 1, w, s.hs,
                    identity ? VectorKernel.ADD_RELU : VectorKernel.STORE_RELU, x, 0.0, s.pack[p], j0, j1);
        });
        par.forEach(chunks(batch, ROW_BLOCK), (t, p) -> {
            int b0 = t * ROW_BLOCK;
            rowsResidualAndMask(d, batch, b0, Math.min(batch, b0 + ROW_BLOCK), s);
        });
        double sum = lossChain(s.residuals, batch);
        par.forEach(chunks(d, ROW_PATH_CHUNK), (t, p) -> {
            int j0 = t * ROW_PATH_CHUNK;
            VectorKernel.gemm(d, d, batch, x, 1, d, s.hs, w, VectorKernel.SGD, null, eta, s.pack[p],
                    j0, Math.min(d, j0 + ROW_PATH_CHUNK));
        });
        return sum / batch;
    }

    /** {@code sum_b r_b^2} as one fma chain over {@code b} in increasing order (the scalar contract). */
    private static double lossChain(double[] residuals, int batch) {
        double sum = 0.0;
        for (int b = 0; b < batch; b++) {
            double r = residuals[b];
            sum = Math.fma(r, r, sum);
        }
        return sum;
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
        if (nv == L) { // one vector each: a System.arraycopy call per L doubles costs more than the copy
            for (int r = 0; r < d; r++) {
                DoubleVector.fromArray(S, w, r * d + j0).intoArray(wp, off + r * W2);
                DoubleVector.fromArray(S, wStar, r * d + j0).intoArray(wp, off + r * W2 + L);
            }
            return;
        }
        for (int r = 0; r < d; r++) {
            System.arraycopy(w, r * d + j0, wp, off + r * W2, nv);
            System.arraycopy(wStar, r * d + j0, wp, off + r * W2 + L, nv);
        }
    }

    /**
     * Strips {@code s0..s1-1} of batch rows: pack them, run every unit panel over them (panels in increasing order,
     * so the row sums run in increasing {@code j}), then the row quantities and the mask of their rows.
     */
    private static void forwardBlock(int s0, int s1, int batch, int d, boolean identity, double[] x, Buffers s,
                                     double[] acc) {
        int stripLen = SR * d;
        for (int st = s0; st < s1; st++) {
            StripTile.packRows(x, d, batch, d, st, s.xs, st * stripLen);
        }
        int b0 = s0 * SR;
        int b1 = Math.min(batch, s1 * SR);
        java.util.Arrays.fill(s.fStudent, b0, b1, 0.0);
        java.util.Arrays.fill(s.fTeacher, b0, b1, 0.0);
        int stride = d * W2;
        for (int p = 0; p < s.unitPanels; p++) {
            for (int st = s0; st < s1; st++) {
                StripTile.tile(s.xs, st * stripLen, d, s.wp, p * stride, acc);
                finishForward(st * SR, Math.min(SR, batch - st * SR), p, d, batch, identity, x, s, acc);
            }
        }
        double[] c = s.coefficients;
        for (int b = b0; b < b1; b++) {
            double r = s.fStudent[b] - s.fTeacher[b];
            s.residuals[b] = r;
            c[b] = (2.0 * r) / batch;
        }
        // Mask panels outer, rows inner: the block's rows of one panel are contiguous (b1 - b0 lines), while one row's
        // slots in successive panels are B * 2L doubles apart (16 KB at B = 256: one L1 set, a miss per access).
        double[] mp = s.mp;
        DoubleVector zero = DoubleVector.zero(S);
        for (int q = 0; q < s.maskPanels; q++) {
            int o = q * batch * W2;
            for (int b = b0; b < b1; b++) {
                DoubleVector cv = DoubleVector.broadcast(S, c[b]);
                for (int v = 0; v < W2; v += L) {
                    int i = o + b * W2 + v;
                    DoubleVector h = DoubleVector.fromArray(S, mp, i);
                    zero.blend(cv, h.compare(VectorOperators.GT, 0.0)).intoArray(mp, i);
                }
            }
        }
    }

    /**
     * Epilogue of the forward tile of rows {@code b0 .. b0+rows-1}, unit panel {@code p} (units {@code j0 = pL ..}):
     * {@code + x_b[j]} (identity student, always the teacher), relu, the student's value into the mask panel
     * ({@code mp[(j / 2L) * B * 2L + b * 2L + j % 2L]}: the unit panel is one half of a mask panel), and both values
     * added to the row sums in increasing {@code j}. Lanes past {@code d} are dropped.
     */
    private static void finishForward(int b0, int rows, int p, int d, int batch, boolean identity, double[] x,
                                      Buffers s, double[] acc) {
        int j0 = p * L;
        int nv = Math.min(L, d - j0);
        int mo = (p >> 1) * batch * W2 + (p & 1) * L;
        double[] mp = s.mp;
        double[] fs = s.fStudent;
        double[] ft = s.fTeacher;
        if (nv < L) {
            finishForwardTail(b0, rows, nv, j0, mo, d, identity, x, mp, fs, ft, acc);
            return;
        }
        DoubleVector zero = DoubleVector.zero(S);
        for (int m = 0; m < rows; m++) {
            int b = b0 + m;
            int a = m * W2;
            DoubleVector xj = DoubleVector.fromArray(S, x, b * d + j0);
            DoubleVector hv = DoubleVector.fromArray(S, acc, a);
            if (identity) {
                hv = hv.add(xj);
            }
            hv = zero.blend(hv, hv.compare(VectorOperators.GT, 0.0));
            hv.intoArray(mp, mo + b * W2);
            hv.intoArray(acc, a);
            DoubleVector tv = DoubleVector.fromArray(S, acc, a + L).add(xj);
            zero.blend(tv, tv.compare(VectorOperators.GT, 0.0)).intoArray(acc, a + L);
            double f = fs[b];
            double g = ft[b];
            for (int l = 0; l < L; l++) { // constant trip count: unrolled, one chain per row in j order
                f += acc[a + l];
                g += acc[a + L + l];
            }
            fs[b] = f;
            ft[b] = g;
        }
    }

    /** {@link #finishForward} for the last unit panel when it has {@code nv < L} units. */
    private static void finishForwardTail(int b0, int rows, int nv, int j0, int mo, int d, boolean identity,
                                          double[] x, double[] mp, double[] fs, double[] ft, double[] acc) {
        for (int m = 0; m < rows; m++) {
            int b = b0 + m;
            int o = b * d + j0;
            int a = m * W2;
            double f = fs[b];
            double g = ft[b];
            for (int l = 0; l < nv; l++) {
                double hv = identity ? acc[a + l] + x[o + l] : acc[a + l];
                double tv = acc[a + L + l] + x[o + l];
                hv = hv > 0 ? hv : 0.0;
                tv = tv > 0 ? tv : 0.0;
                mp[mo + b * W2 + l] = hv;
                f += hv;
                g += tv;
            }
            fs[b] = f;
            ft[b] = g;
        }
    }

    /**
     * Strips {@code s0..s1-1} of rows of {@code W} ({@code X^T}'s rows {@code 6 s0 ..}): pack them, then for every
     * mask panel the tile over each, {@code W[r][j] = fma(-eta, G[r][j], W[r][j])}.
     */
    private static void gradientBlock(int s0, int s1, int d, int batch, double eta, double[] w, double[] x,
                                      Buffers s, double[] acc) {
        int stripLen = SR * batch;
        for (int st = s0; st < s1; st++) {
            StripTile.packColumns(x, d, d, batch, st, s.xts, st * stripLen);
        }
        int stride = batch * W2;
        for (int q = 0; q < s.maskPanels; q++) {
            // a last panel whose second vector is all past d: its lanes are never stored, so only the first is computed
            boolean half = d - q * W2 <= L;
            for (int st = s0; st < s1; st++) {
                if (half) {
                    StripTile.tileHalf(s.xts, st * stripLen, batch, s.mp, q * stride, acc);
                } else {
                    StripTile.tile(s.xts, st * stripLen, batch, s.mp, q * stride, acc);
                }
                finishGradient(st * SR, Math.min(SR, d - st * SR), q * W2, d, eta, w, acc);
            }
        }
    }

    /** Epilogue of a gradient tile: rows {@code r0 .. r0+rows-1} of {@code W}, columns {@code j0 .. j0+2L-1}. */
    private static void finishGradient(int r0, int rows, int j0, int d, double eta, double[] w, double[] acc) {
        DoubleVector ne = DoubleVector.broadcast(S, -eta);
        for (int m = 0; m < rows; m++) {
            for (int v = 0; v < 2; v++) {
                int j = j0 + v * L;
                int nv = Math.min(L, d - j);
                int o = (r0 + m) * d + j;
                int a = m * W2 + v * L;
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
     * Row path, rows {@code b0..b1-1}: {@code f = sum_j relu(h_bj)} for both networks (one chain per row in increasing
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
}
