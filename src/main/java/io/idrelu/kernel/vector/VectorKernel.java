package io.idrelu.kernel.vector;

import io.idrelu.kernel.Kernel;
import io.idrelu.kernel.OnlineFusion;
import io.idrelu.kernel.Parallel;
import io.idrelu.kernel.PopulationClosedForm;
import io.idrelu.kernel.ScalarKernel;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Double kernel on the JDK Vector API ({@code jdk.incubator.vector}), bit-identical to
 * {@link ScalarKernel} for every batch quantity and for the population closed form (MATH.md,
 * [LY17] section 2).
 *
 * <p><b>Why bit-identical.</b> The work is vectorised <em>across units</em> {@code j}: a lane holds
 * one output element and performs exactly the scalar kernel's chain for that element, e.g.
 * {@code h_bj = fma(x_b[r], W[r][j], h_bj)} for {@code r = 0, 1, ...} with {@code x_b[r]} broadcast.
 * Lane-wise {@code fma}, {@code add}, compare and blend are correctly rounded IEEE operations, the
 * same as {@link Math#fma}. The two reductions (relu sum over {@code j}, loss over {@code b}) and the
 * residual/coefficient step stay scalar, in the scalar order. Vectorising <em>along</em> one dot
 * product would reassociate the sum and was rejected for that reason.
 *
 * <p><b>Blocking.</b> Both products ({@code H = X W} for the forward pass, {@code G = X^T M} for the
 * gradient) go through one register-blocked routine. With at least six output rows and an inner
 * dimension of at least eight, each column panel of two vectors of the right-hand matrix is copied into a
 * contiguous buffer (read in place its rows are {@code d} elements apart, a power of two at {@code d = 256},
 * so they collide in a few L1 sets), then blocks of six output rows by two vectors (twelve independent
 * fma chains) sweep it. With fewer rows (the forward pass of the online case {@code B = 1}) or a short
 * inner dimension (its rank-one gradient) the routine goes row by row, eight vectors at a time, reading
 * the right-hand rows as contiguous runs. Blocking and packing reorder <em>which</em> element is worked
 * on and copy values unchanged, never alter the operations applied to one element, so the scalar kernel
 * needs no blocking to match. Leftover columns below {@code species.loopBound(n)} use one vector, the rest
 * a scalar tail with {@link Math#fma}. No lane count is hard-coded: everything derives from
 * {@link DoubleVector#SPECIES_PREFERRED}.
 */
public final class VectorKernel implements Kernel, OnlineFusion {
    static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    static final int L = S.length();

    static final int STORE = 0;
    static final int ADD = 1;
    static final int SGD = 2;
    /** {@code ADD} / {@code STORE}, then {@code h > 0 ? h : 0} (the forward pass of a step, see reluRowSums). */
    static final int ADD_RELU = 3;
    static final int STORE_RELU = 4;

    private final PopulationClosedForm population = new VectorPopulation();

    /** Human-readable preferred species, e.g. {@code DoubleVector 256-bit, 4 lanes}. */
    public static String speciesDescription() {
        return "DoubleVector " + S.vectorBitSize() + "-bit, " + L + " lanes";
    }

    private final VectorOnlineStep online = new VectorOnlineStep();

    @Override
    public void teacherOutputs(int d, double[] wStar, double[] xs, int count, double[] work, double[] out) {
        online.teacherOutputs(d, wStar, xs, count, work, out);
    }

    @Override
    public io.idrelu.kernel.AlignedDoubles packTeacher(int d, double[] wStar) {
        return online.packTeacher(d, wStar);
    }

    @Override
    public void teacherOutputs(int d, double[] wStar, io.idrelu.kernel.AlignedDoubles packed, double[] xs, int count,
                               double[] work, double[] out) {
        online.teacherOutputs(d, wStar, packed, xs, count, work, out);
    }

    @Override
    public void studentChains(int d, double[] w, int wo, double[] xs, int xo, double[] h) {
        online.studentChains(d, w, wo, xs, xo, h);
    }

    @Override
    public double fusedStep(int d, boolean identity, double[] w, int wo, double[] xs, int xo, double fTeacher,
                            double eta, double[] h, double[] mask, int nextXo, double[] hNext) {
        return online.fusedStep(d, identity, w, wo, xs, xo, fTeacher, eta, h, mask, nextXo, hNext);
    }

    @Override
    public String name() {
        return "vector";
    }

    static final class Buffers implements Scratch {
        final int d;
        final int batch;
        final double[] h;
        final double[] fTeacher;
        final double[] residuals;
        /** Packed column panel of the right-hand matrix (see {@link #gemm}). */
        final double[] pack;
        /** {@code X^T} ({@code d x B}, row-major) for the gradient product. */
        final double[] xt;

        Buffers(int d, int batch) {
            this.d = d;
            this.batch = batch;
            this.h = new double[batch * d];
            this.fTeacher = new double[batch];
            this.residuals = new double[batch];
            this.pack = new double[(Math.max(d, batch) + ROWS) * 2 * L];
            this.xt = new double[batch * d];
        }
    }

    @Override
    public Scratch newScratch(int d, int batch) {
        return new VectorSgdStep.Buffers(d, batch, Parallel.SERIAL);
    }

    /** The step's scratch, with {@code parallel}'s threads: bit-identical for every thread count (see {@link VectorSgdStep}). */
    @Override
    public Scratch newScratch(int d, int batch, Parallel parallel) {
        return new VectorSgdStep.Buffers(d, batch, parallel);
    }

    @Override
    public void preActivations(int d, boolean identity, double[] w, double[] x, int batch, double[] h) {
        assert w.length == d * d && x.length >= batch * d && h.length >= batch * d;
        gemm(batch, d, d, x, d, 1, w, h, identity ? ADD : STORE, x, 0.0, null);
    }

    @Override
    public void forward(int d, boolean identity, double[] w, double[] x, int batch, double[] out) {
        double[] h = new double[batch * d];
        preActivations(d, identity, w, x, batch, h);
        ScalarKernel.reluSums(h, d, batch, out);
    }

    @Override
    public double lossAndGradient(int d, boolean identity, double[] w, double[] wStar,
                                  double[] x, int batch, double[] residuals, double[] grad) {
        assert grad.length == d * d;
        Buffers s = new Buffers(d, batch);
        double loss = residualsAndCoefficients(d, identity, w, wStar, x, batch, s);
        gradientProduct(d, batch, x, s, grad, STORE, 0.0);
        if (residuals != null) {
            System.arraycopy(s.residuals, 0, residuals, 0, batch);
        }
        return loss;
    }

    @Override
    public double sgdStep(int d, boolean identity, double[] w, double[] wStar,
                          double[] x, int batch, double eta, Scratch scratch) {
        VectorSgdStep.Buffers s = (VectorSgdStep.Buffers) scratch;
        assert s.d == d && s.batch == batch : s.d + "x" + s.batch + " != " + d + "x" + batch + " scratch size";
        return VectorSgdStep.step(d, identity, w, wStar, x, batch, eta, s);
    }

    private static double residualsAndCoefficients(int d, boolean identity, double[] w, double[] wStar,
                                                   double[] x, int batch, Buffers s) {
        gemm(batch, d, d, x, d, 1, wStar, s.h, ADD_RELU, x, 0.0, s.pack);
        reluRowSums(s.h, d, batch, s.fTeacher);
        gemm(batch, d, d, x, d, 1, w, s.h, identity ? ADD_RELU : STORE_RELU, x, 0.0, s.pack);
        reluRowSums(s.h, d, batch, s.residuals);
        double sum = 0.0;
        double[] h = s.h;
        int vb = S.loopBound(d);
        DoubleVector zero = DoubleVector.zero(S);
        for (int b = 0; b < batch; b++) {
            double r = s.residuals[b] - s.fTeacher[b];
            s.residuals[b] = r;
            sum = Math.fma(r, r, sum);
            double c = (2.0 * r) / batch;
            DoubleVector cv = DoubleVector.broadcast(S, c);
            int o = b * d;
            int j = 0;
            for (; j < vb; j += L) {
                VectorMask<Double> active = DoubleVector.fromArray(S, h, o + j).compare(VectorOperators.GT, 0.0);
                zero.blend(cv, active).intoArray(h, o + j);
            }
            for (; j < d; j++) {
                h[o + j] = h[o + j] > 0 ? c : 0.0;
            }
        }
        return sum / batch;
    }

    /**
     * {@link ScalarKernel#reluSums}, bit for bit, on pre-activations that the gemm epilogue already replaced by
     * {@code h > 0 ? h : 0} (modes {@code *_RELU}): each row is the chain {@code s = 0; s += r_j} over
     * {@code j = 0..d-1}, exactly the contract's terms (inactive units contribute {@code +0}, which
     * equals skipping them; see {@link ScalarKernel#reluSums}), with no compare left in the loop. Four rows run
     * interleaved to hide the add latency. The relu'd matrix still gives the contract's mask, since
     * {@code relu(h) > 0} exactly when {@code h > 0} (NaN included: both false).
     */
    static void reluRowSums(double[] r, int d, int batch, double[] out) {
        int b = 0;
        for (; b + 4 <= batch; b += 4) {
            double s0 = 0.0;
            double s1 = 0.0;
            double s2 = 0.0;
            double s3 = 0.0;
            int o0 = b * d;
            int o1 = o0 + d;
            int o2 = o1 + d;
            int o3 = o2 + d;
            for (int j = 0; j < d; j++) {
                s0 += r[o0 + j];
                s1 += r[o1 + j];
                s2 += r[o2 + j];
                s3 += r[o3 + j];
            }
            out[b] = s0;
            out[b + 1] = s1;
            out[b + 2] = s2;
            out[b + 3] = s3;
        }
        for (; b < batch; b++) {
            double s = 0.0;
            int o = b * d;
            for (int j = 0; j < d; j++) {
                s += r[o + j];
            }
            out[b] = s;
        }
    }

    /**
     * {@code G = X^T M} (left in {@code s.h}) with the given epilogue into {@code c}. On the packed path
     * {@code X} is first transposed into {@code s.xt} so the six rows of a register block read six
     * contiguous runs instead of one cache line per {@code k} at a stride of {@code d} elements (which,
     * at power-of-two {@code d}, thrashes a few L1 sets). Values are copied, the chains are unchanged.
     */
    private static void gradientProduct(int d, int batch, double[] x, Buffers s, double[] c, int mode, double eta) {
        if (d >= ROWS && batch >= MIN_PACKED_K) {
            double[] xt = s.xt;
            for (int b0 = 0; b0 < batch; b0 += 16) {
                int b1 = Math.min(batch, b0 + 16);
                for (int r0 = 0; r0 < d; r0 += 16) {
                    int r1 = Math.min(d, r0 + 16);
                    for (int b = b0; b < b1; b++) {
                        for (int r = r0; r < r1; r++) {
                            xt[r * batch + b] = x[b * d + r];
                        }
                    }
                }
            }
            gemm(d, d, batch, xt, batch, 1, s.h, c, mode, null, eta, s.pack);
        } else {
            gemm(d, d, batch, x, 1, d, s.h, c, mode, null, eta, s.pack);
        }
    }

    /**
     * {@code C(i,j) = fma-chain over k < kLen of A(i,k) * Bm[k*n + j]} starting from {@code 0}, with
     * {@code A(i,k) = a[i*ais + k*aks]}, then the epilogue: {@code STORE c = acc}, {@code ADD
     * c = acc + addend[i*n + j]}, {@code SGD c = fma(-eta, acc, c)}; {@code C} is row-major {@code rows x n}.
     *
     * <p>With at least {@link #ROWS} rows, each column panel of two vectors of {@code Bm} is first copied
     * into the contiguous {@code pack} buffer (length {@code >= kLen * 2L}; allocated if {@code null}):
     * the panel's rows are {@code n} doubles apart, a power of two at {@code d = 256}, so read in place
     * they map to a handful of L1 sets and evict each other; packed, they stream sequentially. Rows then go
     * in blocks of {@link #ROWS} (12 independent fma chains), leftover rows one at a time. The copy moves
     * values, never rounds, so every element still gets exactly the chain above.
     */
    static void gemm(int rows, int n, int kLen, double[] a, int ais, int aks, double[] bm,
                     double[] c, int mode, double[] addend, double eta, double[] pack) {
        gemm(rows, n, kLen, a, ais, aks, bm, c, mode, addend, eta, pack, 0, n);
    }

    /**
     * {@link #gemm(int, int, int, double[], int, int, double[], double[], int, double[], double, double[])} for the
     * output columns {@code jFrom <= j < jTo} only (the multi-core step gives each task a column range). Every
     * element still gets its full chain, so any split of the columns gives the same bits.
     */
    static void gemm(int rows, int n, int kLen, double[] a, int ais, int aks, double[] bm,
                     double[] c, int mode, double[] addend, double eta, double[] pack, int jFrom, int jTo) {
        int vb = jFrom + S.loopBound(jTo - jFrom);
        int j = jFrom;
        if (rows >= ROWS && kLen >= MIN_PACKED_K) {
            int w2 = 2 * L;
            double[] pb = pack != null && pack.length >= (kLen + ROWS) * w2 ? pack : new double[(kLen + ROWS) * w2];
            for (; j + w2 <= vb; j += w2) {
                for (int k = 0; k < kLen; k++) {
                    System.arraycopy(bm, k * n + j, pb, k * w2, w2);
                }
                int i = 0;
                for (; i + ROWS <= rows; i += ROWS) {
                    block6x2(i, j, n, kLen, a, ais, aks, pb, c, mode, addend, eta);
                }
                for (; i < rows; i++) {
                    block1x2(i, j, n, kLen, a, ais, aks, pb, c, mode, addend, eta);
                }
            }
            for (; j < vb; j += L) {
                for (int i = 0; i < rows; i++) {
                    block1x1(i, j, n, kLen, a, ais, aks, bm, c, mode, addend, eta);
                }
            }
            for (; j < jTo; j++) {
                for (int i = 0; i < rows; i++) {
                    element(i, j, n, kLen, a, ais, aks, bm, c, mode, addend, eta);
                }
            }
            return;
        }
        // Few rows (the forward pass at B = 1) or a short inner dimension (the rank-B gradient at small
        // B): row by row, eight vectors at a time, so the right-hand rows are read as contiguous 8L-wide
        // runs and each output row is written once, in order; packing would cost as much as the product.
        double[] acc = pack != null && pack.length >= 8 * L ? pack : new double[8 * L];
        for (int i = 0; i < rows; i++) {
            int jj = jFrom;
            for (; jj + 8 * L <= vb; jj += 8 * L) {
                block1x8(i, jj, n, kLen, a, ais, aks, bm, c, mode, addend, eta, acc);
            }
            for (; jj + 4 * L <= vb; jj += 4 * L) {
                block1x4(i, jj, n, kLen, a, ais, aks, bm, c, mode, addend, eta, acc);
            }
            for (; jj < vb; jj += L) {
                block1x1(i, jj, n, kLen, a, ais, aks, bm, c, mode, addend, eta);
            }
            for (; jj < jTo; jj++) {
                element(i, jj, n, kLen, a, ais, aks, bm, c, mode, addend, eta);
            }
        }
    }

    /** Rows per register block of the packed path (public for the tests' path-coverage assertions). */
    public static final int ROWS = 6;
    /** Below this inner dimension the packed path does not pay for its copy. */
    public static final int MIN_PACKED_K = 8;

    private static void block1x8(int i, int j, int n, int kLen, double[] a, int ais, int aks, double[] bm,
                                 double[] c, int mode, double[] addend, double eta, double[] acc) {
        DoubleVector c0 = DoubleVector.zero(S);
        DoubleVector c1 = c0;
        DoubleVector c2 = c0;
        DoubleVector c3 = c0;
        DoubleVector c4 = c0;
        DoubleVector c5 = c0;
        DoubleVector c6 = c0;
        DoubleVector c7 = c0;
        int a0 = i * ais;
        for (int k = 0; k < kLen; k++) {
            int bo = k * n + j;
            DoubleVector x = DoubleVector.broadcast(S, a[a0 + k * aks]);
            c0 = x.fma(DoubleVector.fromArray(S, bm, bo), c0);
            c1 = x.fma(DoubleVector.fromArray(S, bm, bo + L), c1);
            c2 = x.fma(DoubleVector.fromArray(S, bm, bo + 2 * L), c2);
            c3 = x.fma(DoubleVector.fromArray(S, bm, bo + 3 * L), c3);
            c4 = x.fma(DoubleVector.fromArray(S, bm, bo + 4 * L), c4);
            c5 = x.fma(DoubleVector.fromArray(S, bm, bo + 5 * L), c5);
            c6 = x.fma(DoubleVector.fromArray(S, bm, bo + 6 * L), c6);
            c7 = x.fma(DoubleVector.fromArray(S, bm, bo + 7 * L), c7);
        }
        int o = i * n + j;
        // raw accumulators first, then an array-only epilogue (see block6x2: avoids boxing)
        c0.intoArray(acc, 0);
        c1.intoArray(acc, L);
        c2.intoArray(acc, 2 * L);
        c3.intoArray(acc, 3 * L);
        c4.intoArray(acc, 4 * L);
        c5.intoArray(acc, 5 * L);
        c6.intoArray(acc, 6 * L);
        c7.intoArray(acc, 7 * L);
        finishRow(acc, 8, c, o, mode, addend, eta);
    }

    /** Six rows by two vectors from a packed panel {@code pb[k*2L + ...]}. */
    private static void block6x2(int i, int j, int n, int kLen, double[] a, int ais, int aks, double[] pb,
                                 double[] c, int mode, double[] addend, double eta) {
        DoubleVector c00 = DoubleVector.zero(S);
        DoubleVector c01 = c00;
        DoubleVector c10 = c00;
        DoubleVector c11 = c00;
        DoubleVector c20 = c00;
        DoubleVector c21 = c00;
        DoubleVector c30 = c00;
        DoubleVector c31 = c00;
        DoubleVector c40 = c00;
        DoubleVector c41 = c00;
        DoubleVector c50 = c00;
        DoubleVector c51 = c00;
        int a0 = i * ais;
        int w2 = 2 * L;
        for (int k = 0; k < kLen; k++) {
            int bo = k * w2;
            DoubleVector b0 = DoubleVector.fromArray(S, pb, bo);
            DoubleVector b1 = DoubleVector.fromArray(S, pb, bo + L);
            int ak = a0 + k * aks;
            DoubleVector x = DoubleVector.broadcast(S, a[ak]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = DoubleVector.broadcast(S, a[ak + ais]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = DoubleVector.broadcast(S, a[ak + 2 * ais]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = DoubleVector.broadcast(S, a[ak + 3 * ais]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = DoubleVector.broadcast(S, a[ak + 4 * ais]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = DoubleVector.broadcast(S, a[ak + 5 * ais]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
        }
        // Accumulators to the buffer's tail, then an array-only epilogue: passing twelve vectors to a call that C2
        // declines to inline (this method is at its node budget) would box them all.
        int t = kLen * w2;
        c00.intoArray(pb, t + 0 * L);
        c01.intoArray(pb, t + 1 * L);
        c10.intoArray(pb, t + 2 * L);
        c11.intoArray(pb, t + 3 * L);
        c20.intoArray(pb, t + 4 * L);
        c21.intoArray(pb, t + 5 * L);
        c30.intoArray(pb, t + 6 * L);
        c31.intoArray(pb, t + 7 * L);
        c40.intoArray(pb, t + 8 * L);
        c41.intoArray(pb, t + 9 * L);
        c50.intoArray(pb, t + 10 * L);
        c51.intoArray(pb, t + 11 * L);
        finishBlock(pb, t, c, i * n + j, n, mode, addend, eta);
    }

    /** Epilogue of a six-by-two block whose raw chains are in {@code acc[t ..]} (row-major, two vectors per row). */
    private static void finishBlock(double[] acc, int t, double[] c, int o, int n, int mode, double[] addend, double eta) {
        for (int m = 0; m < ROWS; m++) {
            finish(DoubleVector.fromArray(S, acc, t + 2 * m * L), c, o + m * n, mode, addend, eta);
            finish(DoubleVector.fromArray(S, acc, t + (2 * m + 1) * L), c, o + m * n + L, mode, addend, eta);
        }
    }

    /** One row by two vectors from a packed panel. */
    private static void block1x2(int i, int j, int n, int kLen, double[] a, int ais, int aks, double[] pb,
                                 double[] c, int mode, double[] addend, double eta) {
        DoubleVector c0 = DoubleVector.zero(S);
        DoubleVector c1 = c0;
        int a0 = i * ais;
        int w2 = 2 * L;
        for (int k = 0; k < kLen; k++) {
            DoubleVector x = DoubleVector.broadcast(S, a[a0 + k * aks]);
            c0 = x.fma(DoubleVector.fromArray(S, pb, k * w2), c0);
            c1 = x.fma(DoubleVector.fromArray(S, pb, k * w2 + L), c1);
        }
        int o = i * n + j;
        finish(c0, c, o, mode, addend, eta);
        finish(c1, c, o + L, mode, addend, eta);
    }

    private static void block1x4(int i, int j, int n, int kLen, double[] a, int ais, int aks, double[] bm,
                                 double[] c, int mode, double[] addend, double eta, double[] acc) {
        DoubleVector c0 = DoubleVector.zero(S);
        DoubleVector c1 = c0;
        DoubleVector c2 = c0;
        DoubleVector c3 = c0;
        int a0 = i * ais;
        for (int k = 0; k < kLen; k++) {
            int bo = k * n + j;
            DoubleVector x = DoubleVector.broadcast(S, a[a0 + k * aks]);
            c0 = x.fma(DoubleVector.fromArray(S, bm, bo), c0);
            c1 = x.fma(DoubleVector.fromArray(S, bm, bo + L), c1);
            c2 = x.fma(DoubleVector.fromArray(S, bm, bo + 2 * L), c2);
            c3 = x.fma(DoubleVector.fromArray(S, bm, bo + 3 * L), c3);
        }
        int o = i * n + j;
        c0.intoArray(acc, 0);
        c1.intoArray(acc, L);
        c2.intoArray(acc, 2 * L);
        c3.intoArray(acc, 3 * L);
        finishRow(acc, 4, c, o, mode, addend, eta);
    }

    /** Epilogue of {@code vectors} consecutive vectors of one output row whose raw chains are in {@code acc[0 ..]}. */
    private static void finishRow(double[] acc, int vectors, double[] c, int o, int mode, double[] addend, double eta) {
        for (int v = 0; v < vectors; v++) {
            finish(DoubleVector.fromArray(S, acc, v * L), c, o + v * L, mode, addend, eta);
        }
    }

    private static void block1x1(int i, int j, int n, int kLen, double[] a, int ais, int aks, double[] bm,
                                 double[] c, int mode, double[] addend, double eta) {
        DoubleVector c0 = DoubleVector.zero(S);
        int a0 = i * ais;
        for (int k = 0; k < kLen; k++) {
            c0 = DoubleVector.broadcast(S, a[a0 + k * aks]).fma(DoubleVector.fromArray(S, bm, k * n + j), c0);
        }
        finish(c0, c, i * n + j, mode, addend, eta);
    }

    private static void element(int i, int j, int n, int kLen, double[] a, int ais, int aks, double[] bm,
                                double[] c, int mode, double[] addend, double eta) {
        double acc = 0.0;
        int a0 = i * ais;
        for (int k = 0; k < kLen; k++) {
            acc = Math.fma(a[a0 + k * aks], bm[k * n + j], acc);
        }
        int o = i * n + j;
        switch (mode) {
            case STORE: c[o] = acc; break;
            case ADD: c[o] = acc + addend[o]; break;
            case ADD_RELU: { double t = acc + addend[o]; c[o] = t > 0 ? t : 0.0; break; }
            case STORE_RELU: c[o] = acc > 0 ? acc : 0.0; break;
            default: c[o] = Math.fma(-eta, acc, c[o]); break;
        }
    }

    private static void finish(DoubleVector acc, double[] c, int o, int mode, double[] addend, double eta) {
        switch (mode) {
            case STORE: acc.intoArray(c, o); break;
            case ADD: acc.add(DoubleVector.fromArray(S, addend, o)).intoArray(c, o); break;
            case ADD_RELU: relu(acc.add(DoubleVector.fromArray(S, addend, o))).intoArray(c, o); break;
            case STORE_RELU: relu(acc).intoArray(c, o); break;
            default: DoubleVector.broadcast(S, -eta).fma(acc, DoubleVector.fromArray(S, c, o)).intoArray(c, o); break;
        }
    }

    /** Lane-wise {@code t > 0 ? t : 0} (a compare and a blend, as the scalar select). */
    static DoubleVector relu(DoubleVector t) {
        return DoubleVector.zero(S).blend(t, t.compare(VectorOperators.GT, 0.0));
    }

    @Override
    public double populationLossAndGradient(int d, boolean identity, double[] w, double[] wStar, double[] grad) {
        return population.lossAndGradient(d, identity, w, wStar, grad);
    }

    @Override
    public double populationLossAndGradient(int d, boolean identity, double[] w, double[] wStar, double[] grad,
                                            Parallel parallel) {
        return population.lossAndGradient(d, identity, w, wStar, grad, parallel);
    }
}
