package io.idrelu.kernel;

import java.util.Arrays;

/**
 * Plain-loop double kernel: the definition of the fast path's floating-point order. Every other
 * double kernel that claims bit-identity ({@code io.idrelu.kernel.vector.VectorKernel}) performs, for
 * each output element, exactly the operations below in exactly this order; only the loop nesting and
 * blocking may differ. Batch quantities follow MATH.md section 1 ([LY17] two-layer ReLU teacher-student).
 *
 * <p>Exact operation order (this is the contract the tests pin down):
 * <ol>
 *   <li>pre-activation {@code h_bj = fma(x_b[d-1], W[d-1][j], ... fma(x_b[0], W[0][j], 0.0))}, then
 *       {@code h_bj + x_b[j]} for identity units;</li>
 *   <li>output {@code f_b}: {@code s = 0.0; for j = 0..d-1: if (h_bj > 0) s += h_bj} (kink inactive;
 *       equivalently {@code s += h_bj > 0 ? h_bj : 0}, bit for bit, see {@link #reluSums});</li>
 *   <li>residual {@code r_b = f_b(student) - f_b(teacher)}, teacher identity-mapped;</li>
 *   <li>loss {@code s = 0.0; for b: s = fma(r_b, r_b, s)}; then {@code loss = s / B} (one division,
 *       not a multiplication by a rounded {@code 1/B});</li>
 *   <li>coefficient {@code c_b = (2 * r_b) / B} (the doubling is exact, one rounding), applied per
 *       row <em>before</em> accumulation: {@code m_bj = h_bj > 0 ? c_b : 0.0};</li>
 *   <li>gradient {@code G[r][j] = fma(x_{B-1}[r], m_{B-1,j}, ... fma(x_0[r], m_0j, 0.0))}, i.e. the
 *       product {@code X^T M} as an fma chain over {@code b} in increasing order;</li>
 *   <li>SGD update {@code W[r][j] = fma(-eta, G[r][j], W[r][j])} (one rounding).</li>
 * </ol>
 * Every step is either lane-wise in {@code j} (steps 1, 5, 6, 7) or a scalar reduction (steps 2, 4),
 * which is why a kernel vectorised across units can match this one bit for bit.
 *
 * <p>The population closed form is {@link PopulationClosedForm} with scalar primitives.
 */
public final class ScalarKernel implements Kernel {

    private final PopulationClosedForm population = new PopulationClosedForm();

    @Override
    public String name() {
        return "scalar";
    }

    /** Work buffers: one {@code B*d} activation/coefficient buffer, residuals, gradient. */
    static final class Buffers implements Scratch {
        final int d;
        final int batch;
        final double[] h;
        final double[] fTeacher;
        final double[] residuals;
        final double[] grad;

        Buffers(int d, int batch) {
            this.d = d;
            this.batch = batch;
            this.h = new double[batch * d];
            this.fTeacher = new double[batch];
            this.residuals = new double[batch];
            this.grad = new double[d * d];
        }
    }

    @Override
    public Scratch newScratch(int d, int batch) {
        return new Buffers(d, batch);
    }

    @Override
    public void preActivations(int d, boolean identity, double[] w, double[] x, int batch, double[] h) {
        assert w.length == d * d && x.length >= batch * d && h.length >= batch * d;
        Arrays.fill(h, 0, batch * d, 0.0);
        for (int b = 0; b < batch; b++) {
            int o = b * d;
            for (int r = 0; r < d; r++) {
                double xr = x[o + r];
                int wo = r * d;
                for (int j = 0; j < d; j++) {
                    h[o + j] = Math.fma(xr, w[wo + j], h[o + j]);
                }
            }
            if (identity) {
                for (int j = 0; j < d; j++) {
                    h[o + j] = h[o + j] + x[o + j];
                }
            }
        }
    }

    @Override
    public void forward(int d, boolean identity, double[] w, double[] x, int batch, double[] out) {
        assert out.length >= batch;
        double[] h = new double[batch * d];
        preActivations(d, identity, w, x, batch, h);
        reluSums(h, d, batch, out);
    }

    /**
     * {@code out[b] = sum_j relu(h_bj)} in increasing {@code j}; shared by every double kernel.
     *
     * <p>Each row is one chain {@code s = 0; s += h_bj > 0 ? h_bj : 0} over {@code j = 0..d-1}. Adding
     * {@code +0} for an inactive unit equals skipping it bit for bit ({@code s} starts at {@code +0} and only
     * gains positive terms, so it is never {@code -0}; {@code NaN} and infinities pass through unchanged), so
     * this is the contract's "{@code if (h > 0) s += h}" written as a select, which compiles to a conditional
     * move instead of a branch that a Gaussian input mispredicts half the time. Four rows run interleaved
     * (four independent chains hide the add latency); each row's own chain is unchanged.
     */
    public static void reluSums(double[] h, int d, int batch, double[] out) {
        reluSums(h, d, 0, batch, out);
    }

    /** {@link #reluSums(double[], int, int, double[])} for rows {@code from <= b < to} only. */
    public static void reluSums(double[] h, int d, int from, int batch, double[] out) {
        int b = from;
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
                double v0 = h[o0 + j];
                double v1 = h[o1 + j];
                double v2 = h[o2 + j];
                double v3 = h[o3 + j];
                s0 += v0 > 0 ? v0 : 0.0;
                s1 += v1 > 0 ? v1 : 0.0;
                s2 += v2 > 0 ? v2 : 0.0;
                s3 += v3 > 0 ? v3 : 0.0;
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
                double v = h[o + j];
                s += v > 0 ? v : 0.0;
            }
            out[b] = s;
        }
    }

    @Override
    public double lossAndGradient(int d, boolean identity, double[] w, double[] wStar,
                                  double[] x, int batch, double[] residuals, double[] grad) {
        assert grad.length == d * d;
        Buffers s = (Buffers) newScratch(d, batch);
        double loss = residualsAndCoefficients(d, identity, w, wStar, x, batch, s);
        gradient(d, x, batch, s.h, grad);
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
        gradient(d, x, batch, s.h, s.grad);
        double[] g = s.grad;
        for (int i = 0; i < g.length; i++) {
            w[i] = Math.fma(-eta, g[i], w[i]);
        }
        return loss;
    }

    /**
     * Steps 1-5: teacher outputs, student pre-activations, residuals and loss; leaves the
     * coefficient matrix {@code m_bj} in {@code s.h} (overwriting the student's pre-activations).
     */
    private double residualsAndCoefficients(int d, boolean identity, double[] w, double[] wStar,
                                            double[] x, int batch, Buffers s) {
        preActivations(d, true, wStar, x, batch, s.h);
        reluSums(s.h, d, batch, s.fTeacher);
        preActivations(d, identity, w, x, batch, s.h);
        reluSums(s.h, d, batch, s.residuals);
        return finishResidualsAndMask(s.h, d, batch, s.fTeacher, s.residuals);
    }

    /**
     * Steps 3-5, shared by every double kernel: {@code res[b] <- fStudent[b] - fTeacher[b]} in place,
     * loss, and {@code h[b][j] <- h_bj > 0 ? c_b : 0}. The mask is a per-element select, so kernels
     * may vectorise this loop themselves; this version is the definition.
     */
    public static double finishResidualsAndMask(double[] h, int d, int batch, double[] fTeacher, double[] res) {
        double sum = 0.0;
        for (int b = 0; b < batch; b++) {
            double r = res[b] - fTeacher[b];
            res[b] = r;
            sum = Math.fma(r, r, sum);
            double c = (2.0 * r) / batch;
            int o = b * d;
            for (int j = 0; j < d; j++) {
                h[o + j] = h[o + j] > 0 ? c : 0.0;
            }
        }
        return sum / batch;
    }

    /** Step 6: {@code G = X^T M} as an fma chain over {@code b}. */
    private static void gradient(int d, double[] x, int batch, double[] m, double[] grad) {
        Arrays.fill(grad, 0.0);
        for (int b = 0; b < batch; b++) {
            int o = b * d;
            for (int r = 0; r < d; r++) {
                double xr = x[o + r];
                int go = r * d;
                for (int j = 0; j < d; j++) {
                    grad[go + j] = Math.fma(xr, m[o + j], grad[go + j]);
                }
            }
        }
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
