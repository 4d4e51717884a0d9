package io.idrelu.setting;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Generic scalar double fast path for every setting (proofs-notes/settings.md section 5): forward, residuals,
 * batch loss and batch gradient of every block, plain loops. The floating-point order is part of the contract:
 * <ol>
 *   <li>block {@code k}: {@code h_j = fma(z[d-1], W[d-1][j], ... fma(z[0], W[0][j], 0.0))}, then {@code + z[j]} for
 *       identity units (teacher: always); {@code z_j = act.value(h_j)};</li>
 *   <li>output {@code s = 0.0; for j: s += z_K[j]};</li>
 *   <li>residual {@code r = (f - f*) - noise} (the noise subtraction only with label noise);</li>
 *   <li>loss {@code s = 0.0; for b: s = fma(r_b, r_b, s)}, then {@code s / B}; coefficient {@code c_b = (2 r_b) / B};</li>
 *   <li>backward {@code g_K = 1}; {@code delta_j = act.derivative(h_j) * g_j}, {@code act.derivative(h_j)} taken
 *       from the forward pass for smooth activations ({@link Activation#valuesAndDerivatives}: the same bits, GELU's
 *       {@code erfc} once);
 *       {@code g'_r = fma-chain over j of W[r][j] delta_j from 0.0, then + delta_r} (identity);</li>
 *   <li>gradient {@code G_k[r][j] = fma(z_{k-1,B-1}[r], m_{B-1,j}, ... fma(z_{k-1,0}[r], m_0j, 0.0))} with
 *       {@code m_bj = c_b * delta_bj}.</li>
 * </ol>
 * For {@code K = 1}, ReLU, noiseless, this is {@code io.idrelu.kernel.ScalarKernel}'s order operation for operation
 * ({@code delta} is 0 or 1, so {@code c * delta} is {@code c} or 0 exactly): the same bits (tested).
 * Kernels trust their input (checked at the boundary); sizes are asserted only.
 *
 * <p>{@code io.idrelu.kernel.vector.VectorNetworkKernel} is the same order on the Vector API, with the same bits
 * (tested); {@link NetworkKernels} picks one as {@code --kernel} says.
 */
public class NetworkKernel {

    /** Deliberately wrong kernels for the audit's negative controls (tests only). */
    public enum Mutation {
        NONE,
        /** the student's last block is skipped: {@code z_K = h_K = z_{K-1}}, its gradient is 0 */
        DROP_LAST_BLOCK,
        /** the identity term {@code + z[j]} is left out of the student's pre-activation */
        DROP_IDENTITY,
        /**
         * the backward reads the forward's cached {@code act'} of the previous unit ({@code e - 1}; unit 0 its own);
         * smooth activations only (piecewise-linear ones keep no cache)
         */
        STALE_DERIVATIVE
    }

    private final Mutation mutation;

    public NetworkKernel() {
        this(Mutation.NONE);
    }

    public NetworkKernel(Mutation mutation) {
        this.mutation = mutation;
    }

    /** Short label for reports: {@code scalar} here, {@code vector} for {@code io.idrelu.kernel.vector.VectorNetworkKernel}. */
    public String name() {
        return "scalar";
    }

    /**
     * Evaluates all batch quantities and keeps the intermediate values the audit's running error bound needs.
     *
     * @param noise label noise per row, or null
     */
    public FastValues evaluate(Architecture arch, Activation act, List<double[]> w, List<double[]> wStar,
                               double[] x, int batch, double[] noise) {
        int d = arch.d();
        int k = arch.blocks();
        assert w.size() == k && wStar.size() == k && x.length >= batch * d;
        boolean drop = mutation == Mutation.DROP_LAST_BLOCK;
        int used = drop ? k - 1 : k;
        Trace s = forward(d, k, arch.identity() && mutation != Mutation.DROP_IDENTITY, act, w, x, batch, drop, true);
        Trace t = forward(d, k, true, act, wStar, x, batch, false, false);
        double[] out = outputs(s.z[k], d, batch);
        double[] teacher = outputs(t.z[k], d, batch);
        double[] res = new double[batch];
        double[] c = new double[batch];
        double loss = lossAndResiduals(out, teacher, noise, batch, res, c);
        List<double[]> grads = new ArrayList<>();
        List<double[]> deltas = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            grads.add(new double[d * d]);
            deltas.add(new double[batch * d]);
        }
        double[] g = new double[batch * d];
        Arrays.fill(g, 1.0);
        boolean identity = arch.identity() && mutation != Mutation.DROP_IDENTITY;
        if (drop) {
            Arrays.fill(g, 1.0); // the skipped block passes g through
        }
        int lag = mutation == Mutation.STALE_DERIVATIVE ? 1 : 0;
        for (int i = used - 1; i >= 0; i--) {
            double[] h = s.h[i];
            double[] dz = s.dz[i];
            double[] delta = deltas.get(i);
            if (dz == null) { // piecewise-linear: no cache
                for (int e = 0; e < batch * d; e++) {
                    delta[e] = act.derivative(h[e]) * g[e];
                }
            } else {
                for (int e = 0; e < batch * d; e++) {
                    delta[e] = dz[Math.max(e - lag, 0)] * g[e];
                }
            }
            gradient(d, s.z[i], delta, c, batch, grads.get(i));
            if (i > 0) {
                double[] wi = w.get(i);
                double[] next = new double[batch * d];
                for (int b = 0; b < batch; b++) {
                    int o = b * d;
                    for (int r = 0; r < d; r++) {
                        double acc = 0.0;
                        for (int j = 0; j < d; j++) {
                            acc = Math.fma(wi[r * d + j], delta[o + j], acc);
                        }
                        next[o + r] = identity ? acc + delta[o + r] : acc;
                    }
                }
                g = next;
            }
        }
        return new FastValues(batch, out, teacher, res, loss, grads, Arrays.asList(s.h), Arrays.asList(s.z), deltas,
                Arrays.asList(t.z));
    }

    /**
     * Per-block pre-activations {@code h[i]} (block i+1), activations {@code z[0..K]} and, when kept, the derivatives
     * {@code dz[i] = act'(h[i])} for the backward (null otherwise); row-major {@code [b*d+j]}.
     */
    private static final class Trace {
        final double[][] h;
        final double[][] z;
        final double[][] dz;

        Trace(int k) {
            h = new double[k][];
            z = new double[k + 1][];
            dz = new double[k][];
        }
    }

    /**
     * {@code keepDerivative}: the student's forward (its backward needs {@code act'(h)}), not the teacher's. Kept only for
     * smooth activations, whose value and derivative share an {@code erfc}/{@code exp}; a piecewise-linear
     * derivative is a select, cheaper to redo than to store (the ReLU loops stay as they were).
     */
    private static Trace forward(int d, int k, boolean identity, Activation act, List<double[]> w, double[] x, int batch,
                                 boolean dropLast, boolean keepDerivative) {
        Trace t = new Trace(k);
        t.z[0] = Arrays.copyOf(x, batch * d);
        boolean cache = keepDerivative && !act.piecewiseLinear();
        for (int i = 0; i < k; i++) {
            if (dropLast && i == k - 1) {
                t.h[i] = t.z[i].clone();
                t.z[i + 1] = t.z[i].clone();
                continue;
            }
            double[] wi = w.get(i);
            double[] zin = t.z[i];
            double[] h = new double[batch * d];
            double[] z = new double[batch * d];
            for (int b = 0; b < batch; b++) {
                int o = b * d;
                for (int r = 0; r < d; r++) {
                    double zr = zin[o + r];
                    int wo = r * d;
                    for (int j = 0; j < d; j++) {
                        h[o + j] = Math.fma(zr, wi[wo + j], h[o + j]);
                    }
                }
                if (identity) {
                    for (int j = 0; j < d; j++) {
                        h[o + j] = h[o + j] + zin[o + j];
                    }
                }
                if (!cache) {
                    for (int j = 0; j < d; j++) {
                        z[o + j] = act.value(h[o + j]);
                    }
                }
            }
            if (cache) {
                t.dz[i] = new double[batch * d];
                act.valuesAndDerivatives(h, z, t.dz[i]);
            }
            t.h[i] = h;
            t.z[i + 1] = z;
        }
        return t;
    }

    private static double[] outputs(double[] z, int d, int batch) {
        double[] out = new double[batch];
        for (int b = 0; b < batch; b++) {
            double s = 0.0;
            for (int j = 0; j < d; j++) {
                s += z[b * d + j];
            }
            out[b] = s;
        }
        return out;
    }

    private static void gradient(int d, double[] zin, double[] delta, double[] c, int batch, double[] grad) {
        Arrays.fill(grad, 0.0);
        double[] m = new double[d];
        for (int b = 0; b < batch; b++) {
            int o = b * d;
            for (int j = 0; j < d; j++) {
                m[j] = c[b] * delta[o + j];
            }
            for (int r = 0; r < d; r++) {
                double zr = zin[o + r];
                int go = r * d;
                for (int j = 0; j < d; j++) {
                    grad[go + j] = Math.fma(zr, m[j], grad[go + j]);
                }
            }
        }
    }

    /**
     * The batch loss {@code (1/B) sum_b r_b^2} (one fma chain in b order) of the residuals
     * {@code r_b = f(x_b) - y_b} (labels {@code y = f*(x) + noise}), written to {@code res}, and the output
     * derivatives {@code c_b = 2 r_b / B} written to {@code c}. One copy for the scalar and the vector kernel, so the
     * two share these bits by construction.
     */
    protected static double lossAndResiduals(double[] out, double[] teacher, double[] noise, int batch, double[] res,
                                             double[] c) {
        double sum = 0.0;
        for (int b = 0; b < batch; b++) {
            double r = out[b] - teacher[b];
            if (noise != null) {
                r = r - noise[b];
            }
            res[b] = r;
            sum = Math.fma(r, r, sum);
        }
        for (int b = 0; b < batch; b++) {
            c[b] = (2.0 * res[b]) / batch;
        }
        return sum / batch;
    }
}
