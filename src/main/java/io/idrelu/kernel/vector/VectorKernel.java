package io.idrelu.kernel.vector;

import io.idrelu.kernel.Kernel;
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
 * gradient) go through one register-blocked routine: column panels of two vectors outer, blocks of
 * four output rows inner, so each panel of the right-hand matrix is reused from L1 by four rows and
 * eight independent fma chains hide the fma latency. Blocking reorders <em>which</em> element is worked
 * on, never the operations applied to one element, so the scalar kernel needs no blocking to match.
 * Leftover rows use one row by four vectors (the online case {@code B = 1}), leftover columns below
 * {@code species.loopBound(n)} one vector, and the rest a scalar tail with {@link Math#fma}. No lane
 * count is hard-coded: everything derives from {@link DoubleVector#SPECIES_PREFERRED}.
 */
public final class VectorKernel implements Kernel {
    static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    static final int L = S.length();

    private static final int STORE = 0;
    private static final int ADD = 1;
    private static final int SGD = 2;

    private final PopulationClosedForm population = new VectorPopulation();

    /** Human-readable preferred species, e.g. {@code DoubleVector 256-bit, 4 lanes}. */
    public static String speciesDescription() {
        return "DoubleVector " + S.vectorBitSize() + "-bit, " + L + " lanes";
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

        Buffers(int d, int batch) {
            this.d = d;
            this.batch = batch;
            this.h = new double[batch * d];
            this.fTeacher = new double[batch];
            this.residuals = new double[batch];
        }
    }

    @Override
    public Scratch newScratch(int d, int batch) {
        return new Buffers(d, batch);
    }

    @Override
    public void preActivations(int d, boolean identity, double[] w, double[] x, int batch, double[] h) {
        assert w.length == d * d && x.length >= batch * d && h.length >= batch * d;
        gemm(batch, d, d, x, d, 1, w, h, identity ? ADD : STORE, x, 0.0);
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
        gemm(d, d, batch, x, 1, d, s.h, grad, STORE, null, 0.0);
        if (residuals != null) {
            System.arraycopy(s.residuals, 0, residuals, 0, batch);
        }
        return loss;
    }

    @Override
    public double sgdStep(int d, boolean identity, double[] w, double[] wStar,
                          double[] x, int batch, double eta, Scratch scratch) {
        Buffers s = (Buffers) scratch;
        assert s.d == d && s.batch == batch : s.d + "x" + s.batch + " != " + d + "x" + batch + " scratch size";
        double loss = residualsAndCoefficients(d, identity, w, wStar, x, batch, s);
        // The gradient reads only x and the coefficients, so W can be updated in place panel by panel.
        gemm(d, d, batch, x, 1, d, s.h, w, SGD, null, eta);
        return loss;
    }

    private static double residualsAndCoefficients(int d, boolean identity, double[] w, double[] wStar,
                                                   double[] x, int batch, Buffers s) {
        gemm(batch, d, d, x, d, 1, wStar, s.h, ADD, x, 0.0);
        ScalarKernel.reluSums(s.h, d, batch, s.fTeacher);
        gemm(batch, d, d, x, d, 1, w, s.h, identity ? ADD : STORE, x, 0.0);
        ScalarKernel.reluSums(s.h, d, batch, s.residuals);
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
     * {@code C(i,j) = fma-chain over k < kLen of A(i,k) * Bm[k*n + j]} starting from {@code 0}, with
     * {@code A(i,k) = a[i*ais + k*aks]}, then the epilogue: {@code STORE c = acc}, {@code ADD
     * c = acc + addend[i*n + j]}, {@code SGD c = fma(-eta, acc, c)}; {@code C} is row-major {@code rows x n}.
     */
    static void gemm(int rows, int n, int kLen, double[] a, int ais, int aks, double[] bm,
                     double[] c, int mode, double[] addend, double eta) {
        int vb = S.loopBound(n);
        int rows4 = rows - rows % 4;
        int j = 0;
        for (; j + 2 * L <= vb; j += 2 * L) {
            for (int i = 0; i < rows4; i += 4) {
                block4x2(i, j, n, kLen, a, ais, aks, bm, c, mode, addend, eta);
            }
        }
        for (; j < vb; j += L) {
            for (int i = 0; i < rows4; i++) {
                block1x1(i, j, n, kLen, a, ais, aks, bm, c, mode, addend, eta);
            }
        }
        for (; j < n; j++) {
            for (int i = 0; i < rows4; i++) {
                element(i, j, n, kLen, a, ais, aks, bm, c, mode, addend, eta);
            }
        }
        for (int i = rows4; i < rows; i++) {
            int jj = 0;
            for (; jj + 4 * L <= vb; jj += 4 * L) {
                block1x4(i, jj, n, kLen, a, ais, aks, bm, c, mode, addend, eta);
            }
            for (; jj < vb; jj += L) {
                block1x1(i, jj, n, kLen, a, ais, aks, bm, c, mode, addend, eta);
            }
            for (; jj < n; jj++) {
                element(i, jj, n, kLen, a, ais, aks, bm, c, mode, addend, eta);
            }
        }
    }

    private static void block4x2(int i, int j, int n, int kLen, double[] a, int ais, int aks, double[] bm,
                                 double[] c, int mode, double[] addend, double eta) {
        DoubleVector c00 = DoubleVector.zero(S);
        DoubleVector c01 = c00;
        DoubleVector c10 = c00;
        DoubleVector c11 = c00;
        DoubleVector c20 = c00;
        DoubleVector c21 = c00;
        DoubleVector c30 = c00;
        DoubleVector c31 = c00;
        int a0 = i * ais;
        for (int k = 0; k < kLen; k++) {
            int bo = k * n + j;
            DoubleVector b0 = DoubleVector.fromArray(S, bm, bo);
            DoubleVector b1 = DoubleVector.fromArray(S, bm, bo + L);
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
        }
        int o = i * n + j;
        finish(c00, c, o, mode, addend, eta);
        finish(c01, c, o + L, mode, addend, eta);
        finish(c10, c, o + n, mode, addend, eta);
        finish(c11, c, o + n + L, mode, addend, eta);
        finish(c20, c, o + 2 * n, mode, addend, eta);
        finish(c21, c, o + 2 * n + L, mode, addend, eta);
        finish(c30, c, o + 3 * n, mode, addend, eta);
        finish(c31, c, o + 3 * n + L, mode, addend, eta);
    }

    private static void block1x4(int i, int j, int n, int kLen, double[] a, int ais, int aks, double[] bm,
                                 double[] c, int mode, double[] addend, double eta) {
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
        finish(c0, c, o, mode, addend, eta);
        finish(c1, c, o + L, mode, addend, eta);
        finish(c2, c, o + 2 * L, mode, addend, eta);
        finish(c3, c, o + 3 * L, mode, addend, eta);
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
            default: c[o] = Math.fma(-eta, acc, c[o]); break;
        }
    }

    private static void finish(DoubleVector acc, double[] c, int o, int mode, double[] addend, double eta) {
        switch (mode) {
            case STORE: acc.intoArray(c, o); break;
            case ADD: acc.add(DoubleVector.fromArray(S, addend, o)).intoArray(c, o); break;
            default: DoubleVector.broadcast(S, -eta).fma(acc, DoubleVector.fromArray(S, c, o)).intoArray(c, o); break;
        }
    }

    @Override
    public double populationLossAndGradient(int d, boolean identity, double[] w, double[] wStar, double[] grad) {
        return population.lossAndGradient(d, identity, w, wStar, grad);
    }

    /** The closed form with its three lane-wise row primitives vectorised; same per-element chains. */
    static final class VectorPopulation extends PopulationClosedForm {
        @Override
        protected void squareRow(double[] row, int ro, double[] acc, int n) {
            int vb = S.loopBound(n);
            int k = 0;
            for (; k < vb; k += L) {
                DoubleVector t = DoubleVector.fromArray(S, row, ro + k);
                t.fma(t, DoubleVector.fromArray(S, acc, k)).intoArray(acc, k);
            }
            for (; k < n; k++) {
                double t = row[ro + k];
                acc[k] = Math.fma(t, t, acc[k]);
            }
        }

        @Override
        protected void kahanRow(double ai, double na, double[] b, int bo, double[] nb,
                                double[] minus, double[] plus, int n) {
            int vb = S.loopBound(n);
            int k = 0;
            for (; k < vb; k += L) {
                DoubleVector p = DoubleVector.fromArray(S, nb, k).mul(ai);
                DoubleVector q = DoubleVector.fromArray(S, b, bo + k).mul(na);
                DoubleVector tm = p.sub(q);
                DoubleVector tp = p.add(q);
                tm.fma(tm, DoubleVector.fromArray(S, minus, k)).intoArray(minus, k);
                tp.fma(tp, DoubleVector.fromArray(S, plus, k)).intoArray(plus, k);
            }
            for (; k < n; k++) {
                double p = nb[k] * ai;
                double q = na * b[bo + k];
                double tm = p - q;
                double tp = p + q;
                minus[k] = Math.fma(tm, tm, minus[k]);
                plus[k] = Math.fma(tp, tp, plus[k]);
            }
        }

        @Override
        protected void fmaRow(double s, double[] row, int ro, double[] acc, int ao, int n) {
            int vb = S.loopBound(n);
            DoubleVector sv = DoubleVector.broadcast(S, s);
            int k = 0;
            for (; k < vb; k += L) {
                sv.fma(DoubleVector.fromArray(S, row, ro + k), DoubleVector.fromArray(S, acc, ao + k))
                        .intoArray(acc, ao + k);
            }
            for (; k < n; k++) {
                acc[ao + k] = Math.fma(s, row[ro + k], acc[ao + k]);
            }
        }
    }
}
