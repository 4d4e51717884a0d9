package io.idrelu.kernel.vector;

import io.idrelu.setting.Activation;
import io.idrelu.setting.Architecture;
import io.idrelu.setting.FastValues;
import io.idrelu.setting.NetworkKernel;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The generic fast path of every setting ({@link NetworkKernel}, proofs-notes/settings.md section 5) on the JDK Vector
 * API, <b>bit-identical</b> to the scalar {@link NetworkKernel} for every activation, any number of blocks, both
 * students, with and without label noise (tested: {@code VectorNetworkKernelTest}).
 *
 * <p><b>Why bit-identical.</b> As {@link VectorKernel}: the work is vectorised <em>across units</em>; a lane holds one
 * output element and performs exactly the scalar kernel's fma chain for that element, in the same order, starting from
 * the same {@code 0.0}. Lane-wise {@code fma}, {@code add}, {@code mul}, compare and blend are correctly rounded IEEE
 * operations, the same as {@link Math#fma} and Java's {@code +, *}; {@code fma(a, b, c)} rounds {@code a b + c} once,
 * so swapping {@code a} and {@code b} changes nothing. The three products:
 * <ul>
 *   <li>forward {@code h_bj = fma(z_b[r], W[r][j], h_bj)}, {@code r = 0, 1, ...}: {@code z_b[r]} broadcast, row {@code r}
 *       of {@code W} loaded;</li>
 *   <li>backward {@code g'_br = fma(W[r][j], delta_bj, g'_br)}, {@code j = 0, 1, ...}: a dot product per {@code r} in the
 *       scalar loop, so lanes run across {@code r} on a transposed copy of {@code W} (values copied, not changed) with
 *       {@code delta_bj} broadcast;</li>
 *   <li>gradient {@code G[r][j] = fma(z_b[r], m_bj, G[r][j])}, {@code b = 0, 1, ...}: {@code z_b[r]} broadcast, row
 *       {@code b} of {@code M = c delta} loaded.</li>
 * </ul>
 * Each chain is kept in registers over its whole length (four vectors of columns at a time), which reorders <em>which</em>
 * element is worked on, never the operations applied to one element. Piecewise-linear activations run lane-wise
 * ({@code t > 0 ? t : a t} as a compare and a blend: the same select, {@code a t} the same product); smooth ones
 * (softplus, GELU) call the scalar {@link Activation#valuesAndDerivatives} in the forward pass, as the scalar kernel,
 * and the backward reads the derivatives kept there, so their {@code exp}/{@code erfc} are the scalar bits. The output sums, residuals, loss and coefficients are short and stay
 * scalar code in the scalar order. No lane count is hard-coded. Stateless: one instance may serve many threads.
 */
public final class VectorNetworkKernel extends NetworkKernel {
    static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    static final int L = S.length();
    /** Column vectors kept in registers per chain (four fma chains in flight). */
    private static final int UNROLL = 4;

    /** Deliberately wrong vector kernels: the negative controls of the bit-identity test (tests only). */
    public enum Mutation {
        NONE,
        /** the leaky slope rounded to float in the lane-wise path ({@code a = 0.1} becomes {@code 0.100000001...}) */
        LEAKY_SLOPE_AS_FLOAT,
        /** the student's last block skipped ({@code z_K = z_{K-1}}, its gradient 0) */
        SKIP_LAST_BLOCK,
        /** the forward chain summed over {@code r = d-1, ..., 0}: the same sum, reassociated */
        REVERSED_FORWARD_SUM,
        /** every non-zero smooth-activation derivative moved up by one ulp */
        SMOOTH_DERIVATIVE_ULP
    }

    /**
     * Below this {@code d} the scalar loops run ({@link NetworkKernel#evaluate}, the same bits): with fewer than two
     * vectors per row the lanes do not pay for the broadcasts, the transposed copy and the JIT warm-up (measured at
     * d = 4, B = 64: 0.5x to 1.4x, noise; d = 8: 2.4x to 3.2x; benchmarks/setting-kernel.sh).
     */
    static final int MIN_VECTOR_D = 2 * L;

    private final Mutation mutation;
    private final int minVectorD;

    public VectorNetworkKernel() {
        this(Mutation.NONE);
    }

    public VectorNetworkKernel(Mutation mutation) {
        this(mutation, MIN_VECTOR_D);
    }

    /** Tests: {@code minVectorD = 1} runs the lanes at every size, so the small sizes' vector code is compared too. */
    VectorNetworkKernel(Mutation mutation, int minVectorD) {
        this.mutation = mutation;
        this.minVectorD = minVectorD;
    }

    /** Human-readable preferred species, e.g. {@code DoubleVector 256-bit, 4 lanes}. */
    public static String speciesDescription() {
        return "DoubleVector " + S.vectorBitSize() + "-bit, " + L + " lanes";
    }

    @Override
    public String name() {
        return "vector";
    }

    @Override
    public FastValues evaluate(Architecture arch, Activation act, List<double[]> w, List<double[]> wStar,
                               double[] x, int batch, double[] noise) {
        int d = arch.d();
        if (d < minVectorD && mutation == Mutation.NONE) {
            return super.evaluate(arch, act, w, wStar, x, batch, noise);
        }
        int k = arch.blocks();
        assert w.size() == k && wStar.size() == k && x.length >= batch * d;
        boolean skip = mutation == Mutation.SKIP_LAST_BLOCK;
        int used = skip ? k - 1 : k;
        boolean identity = arch.identity();
        double[][][] s = forward(d, k, identity, act, w, x, batch, used, true);
        double[][][] t = forward(d, k, true, act, wStar, x, batch, k, false);
        double[][] sh = s[0];
        double[][] sz = s[1];
        double[][] sdz = s[2];
        double[] out = outputs(sz[k], d, batch);
        double[] teacher = outputs(t[1][k], d, batch);
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
        double[] m = new double[batch * d];
        double[] wt = new double[d * d];
        for (int i = used - 1; i >= 0; i--) {
            double[] delta = deltas.get(i);
            derivativeTimes(act, sh[i], sdz[i], g, delta, batch * d);
            // m_bj = c_b delta_bj, then G[r][j] = fma-chain over b of z_b[r] m_bj
            for (int b = 0; b < batch; b++) {
                scale(c[b], delta, m, b * d, d);
            }
            double[] grad = grads.get(i);
            for (int r = 0; r < d; r++) {
                chains(batch, sz[i], r, d, m, 0, d, grad, r * d, false);
            }
            if (i > 0) {
                transpose(w.get(i), d, wt);
                double[] next = new double[batch * d];
                for (int b = 0; b < batch; b++) {
                    int o = b * d;
                    chains(d, delta, o, 1, wt, 0, d, next, o, false);
                    if (identity) {
                        addInPlace(next, delta, o, d);
                    }
                }
                g = next;
            }
        }
        return new FastValues(batch, out, teacher, res, loss, grads, Arrays.asList(sh), Arrays.asList(sz), deltas,
                Arrays.asList(t[1]));
    }

    /**
     * {@code {h[0..K-1], z[0..K], dz[0..K-1]}} as the scalar kernel's trace; blocks from {@code used} on pass {@code z}
     * through. {@code dz[i] = act'(h[i])} only for smooth activations with {@code keepDerivative} (the student), else
     * null: the piecewise-linear derivative is a lane-wise select in the backward.
     */
    private double[][][] forward(int d, int k, boolean identity, Activation act, List<double[]> w, double[] x, int batch,
                                 int used, boolean keepDerivative) {
        double[][] h = new double[k][];
        double[][] z = new double[k + 1][];
        double[][] dz = new double[k][];
        z[0] = Arrays.copyOf(x, batch * d);
        boolean reversed = mutation == Mutation.REVERSED_FORWARD_SUM;
        for (int i = 0; i < k; i++) {
            if (i >= used) {
                h[i] = z[i].clone();
                z[i + 1] = z[i].clone();
                continue;
            }
            double[] wi = w.get(i);
            double[] zin = z[i];
            double[] hi = new double[batch * d];
            for (int b = 0; b < batch; b++) {
                int o = b * d;
                chains(d, zin, o, 1, wi, 0, d, hi, o, reversed);
                if (identity) {
                    addInPlace(hi, zin, o, d);
                }
            }
            h[i] = hi;
            if (keepDerivative && !act.piecewiseLinear()) {
                z[i + 1] = new double[hi.length];
                dz[i] = new double[hi.length];
                act.valuesAndDerivatives(hi, z[i + 1], dz[i]);
            } else {
                z[i + 1] = activate(act, hi);
            }
        }
        return new double[][][] {h, z, dz};
    }

    /**
     * {@code out[oo + j] = fma(a[ao + (n-1) as], B[bo + (n-1) bs + j], ... fma(a[ao], B[bo + j], 0.0))} for
     * {@code j = 0..cols-1} with {@code cols = bs}: the scalar chain of every column, in order {@code t = 0, 1, ...}
     * ({@code reversed}: the mutation's {@code t = n-1, ..., 0}).
     */
    private static void chains(int n, double[] a, int ao, int as, double[] bm, int bo, int bs, double[] out, int oo,
                               boolean reversed) {
        int cols = bs;
        int j = 0;
        // one small method per width: C2 intrinsifies each fully (a large method with all three loops left some
        // vector operations boxed at small d)
        for (; j + UNROLL * L <= cols; j += UNROLL * L) {
            chains4(n, a, ao, as, bm, bo + j, bs, out, oo + j, reversed);
        }
        for (; j + L <= cols; j += L) {
            chains1(n, a, ao, as, bm, bo + j, bs, out, oo + j, reversed);
        }
        for (; j < cols; j++) {
            double acc = 0.0;
            for (int q = 0; q < n; q++) {
                int t = reversed ? n - 1 - q : q;
                acc = Math.fma(a[ao + t * as], bm[bo + t * bs + j], acc);
            }
            out[oo + j] = acc;
        }
    }

    /** Four vectors of columns from {@code bo}: four fma chains in flight. */
    private static void chains4(int n, double[] a, int ao, int as, double[] bm, int bo, int bs, double[] out, int oo,
                                boolean reversed) {
        DoubleVector c0 = DoubleVector.zero(S);
        DoubleVector c1 = c0;
        DoubleVector c2 = c0;
        DoubleVector c3 = c0;
        for (int q = 0; q < n; q++) {
            int t = reversed ? n - 1 - q : q;
            DoubleVector at = DoubleVector.broadcast(S, a[ao + t * as]);
            int row = bo + t * bs;
            c0 = at.fma(DoubleVector.fromArray(S, bm, row), c0);
            c1 = at.fma(DoubleVector.fromArray(S, bm, row + L), c1);
            c2 = at.fma(DoubleVector.fromArray(S, bm, row + 2 * L), c2);
            c3 = at.fma(DoubleVector.fromArray(S, bm, row + 3 * L), c3);
        }
        c0.intoArray(out, oo);
        c1.intoArray(out, oo + L);
        c2.intoArray(out, oo + 2 * L);
        c3.intoArray(out, oo + 3 * L);
    }

    /** One vector of columns from {@code bo}. */
    private static void chains1(int n, double[] a, int ao, int as, double[] bm, int bo, int bs, double[] out, int oo,
                                boolean reversed) {
        DoubleVector c0 = DoubleVector.zero(S);
        for (int q = 0; q < n; q++) {
            int t = reversed ? n - 1 - q : q;
            c0 = DoubleVector.broadcast(S, a[ao + t * as]).fma(DoubleVector.fromArray(S, bm, bo + t * bs), c0);
        }
        c0.intoArray(out, oo);
    }

    /** {@code h[o+j] = h[o+j] + z[o+j]}, {@code j < n}: the identity term, after the chain as in the scalar kernel. */
    private static void addInPlace(double[] h, double[] z, int o, int n) {
        int j = 0;
        for (; j < S.loopBound(n); j += L) {
            DoubleVector.fromArray(S, h, o + j).add(DoubleVector.fromArray(S, z, o + j)).intoArray(h, o + j);
        }
        for (; j < n; j++) {
            h[o + j] = h[o + j] + z[o + j];
        }
    }

    /** {@code m[o+j] = c * delta[o+j]}. */
    private static void scale(double c, double[] delta, double[] m, int o, int n) {
        int j = 0;
        DoubleVector cv = DoubleVector.broadcast(S, c);
        for (; j < S.loopBound(n); j += L) {
            cv.mul(DoubleVector.fromArray(S, delta, o + j)).intoArray(m, o + j);
        }
        for (; j < n; j++) {
            m[o + j] = c * delta[o + j];
        }
    }

    private static void transpose(double[] w, int d, double[] wt) {
        for (int r = 0; r < d; r++) {
            for (int j = 0; j < d; j++) {
                wt[j * d + r] = w[r * d + j];
            }
        }
    }

    /** {@code z = act(h)} elementwise: lane-wise for ReLU and leaky ReLU, the scalar function otherwise. */
    private double[] activate(Activation act, double[] h) {
        int n = h.length;
        double[] z = new double[n];
        int e = 0;
        if (act instanceof Activation.Relu) {
            DoubleVector zero = DoubleVector.zero(S);
            for (; e < S.loopBound(n); e += L) {
                DoubleVector hv = DoubleVector.fromArray(S, h, e);
                zero.blend(hv, hv.compare(VectorOperators.GT, 0.0)).intoArray(z, e);
            }
        } else if (act instanceof Activation.LeakyRelu leaky) {
            double a = slope(leaky);
            for (; e < S.loopBound(n); e += L) {
                DoubleVector hv = DoubleVector.fromArray(S, h, e);
                hv.mul(a).blend(hv, hv.compare(VectorOperators.GT, 0.0)).intoArray(z, e);
            }
        }
        for (; e < n; e++) {
            z[e] = act.value(h[e]);
        }
        return z;
    }

    /**
     * {@code delta = act'(h) * g} elementwise: lane-wise for ReLU and leaky ReLU, else {@code act'(h)} from the
     * forward's {@code dz} (the scalar function's bits); {@code dz} null: the scalar function (the lanes' tail).
     */
    private void derivativeTimes(Activation act, double[] h, double[] dz, double[] g, double[] delta, int n) {
        int e = 0;
        if (act instanceof Activation.Relu || act instanceof Activation.LeakyRelu) {
            // relu' = t > 0 ? 1.0 : 0.0, leaky' = t > 0 ? 1.0 : a, then * g as the scalar kernel
            double a = act instanceof Activation.LeakyRelu leaky ? slope(leaky) : 0.0;
            DoubleVector inactive = DoubleVector.broadcast(S, a);
            DoubleVector one = DoubleVector.broadcast(S, 1.0);
            for (; e < S.loopBound(n); e += L) {
                VectorMask<Double> on = DoubleVector.fromArray(S, h, e).compare(VectorOperators.GT, 0.0);
                inactive.blend(one, on).mul(DoubleVector.fromArray(S, g, e)).intoArray(delta, e);
            }
        }
        boolean perturb = mutation == Mutation.SMOOTH_DERIVATIVE_ULP && !act.piecewiseLinear();
        for (; e < n; e++) {
            double p = dz != null ? dz[e] : act.derivative(h[e]);
            delta[e] = (perturb && p != 0 ? Math.nextUp(p) : p) * g[e];
        }
    }

    private double slope(Activation.LeakyRelu leaky) {
        return mutation == Mutation.LEAKY_SLOPE_AS_FLOAT ? (double) (float) leaky.a() : leaky.a();
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
}
