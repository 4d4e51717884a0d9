package io.idrelu.setting.reference;

import io.idrelu.setting.Activation;
import io.idrelu.setting.Architecture;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * Reference batch quantities of the {@code K}-block network (proofs-notes/settings.md sections 1 and 6): forward
 * {@code z_0 = x}, {@code h_k = (I + W_k)^T z_{k-1}} (student vanilla: {@code W_k^T z_{k-1}}; teacher always
 * identity-mapped), {@code z_k = act(h_k)}, {@code f = sum_i z_K[i]}; backward {@code g_K = 1},
 * {@code delta_k = act'(h_k) . g_k}, {@code g_{k-1} = (I + W_k) delta_k}; {@code dl/dW_k[r][j] = (2/B) sum_b r_b
 * z_{k-1,b}[r] delta_{k,b}[j]}. True units, loss without 1/2, kink inactive (MATH.md section 1).
 *
 * <p><b>Exactness.</b> For ReLU and leaky ReLU every operation is {@code +}, {@code *} or a sign test on exact
 * BigDecimals: the result is <b>exact</b> for any depth, no MathContext ({@code digits} is ignored). For softplus
 * and GELU the activation values and derivatives are computed at {@code q = p + guard} digits and the
 * vectors {@code h, z, delta, g} are rounded to {@code q} digits after each block (so digits do not grow with
 * depth); sums and products are otherwise exact. Stated bound (proofs-notes/settings.md section 6, tested by the precision
 * ladder in {@code ExactNetworkTest}): every returned quantity {@code v} (outputs, residuals, {@code sum r^2},
 * {@code S_k} entries) is within {@code 10^-p (1 + |v|)} of the true value (mixed absolute/relative, for
 * inputs and weights of moderate size, {@code |h| <= 10^3}).
 */
public final class ExactNetwork {
    /** Extra digits per block, plus a base: covers Lipschitz growth ({@code <= 1.13^K}) and the roundings per path. */
    public static final int GUARD_BASE = 10;
    public static final int GUARD_PER_BLOCK = 2;

    private final Architecture arch;
    private final Activation act;
    private final MathContext mc;

    /** @param digits requested digits {@code p} for smooth activations (ignored, may be 0, for piecewise-linear ones) */
    public ExactNetwork(Architecture arch, Activation act, int digits) {
        this.arch = arch;
        this.act = act;
        if (act.piecewiseLinear()) {
            this.mc = null;
        } else {
            if (digits < 1) {
                throw new IllegalArgumentException("digits = " + digits + ": expected p >= 1 for the smooth activation " + act);
            }
            this.mc = new MathContext(digits + GUARD_BASE + GUARD_PER_BLOCK * arch.blocks(), RoundingMode.HALF_EVEN);
        }
    }

    /** Working precision (null when exact). */
    public MathContext workingPrecision() {
        return mc;
    }

    /**
     * All batch quantities. {@code w} and {@code wStar}: {@code K} matrices {@code [r][c]}; {@code x}: rows
     * {@code [b][r]}; {@code noise}: {@code B} label-noise values or null (noiseless).
     */
    public NetworkValues evaluate(List<BigDecimal[][]> w, List<BigDecimal[][]> wStar, BigDecimal[][] x, BigDecimal[] noise) {
        int d = arch.d();
        int k = arch.blocks();
        if (w.size() != k || wStar.size() != k) {
            throw new IllegalArgumentException("W has " + w.size() + " and W* " + wStar.size() + " blocks != architecture.blocks = " + k);
        }
        int batch = x.length;
        if (batch < 1) {
            throw new IllegalArgumentException("X is empty: expected B >= 1 rows of length d = " + d);
        }
        for (int b = 0; b < batch; b++) {
            if (x[b].length != d) {
                throw new IllegalArgumentException("X row " + b + " has " + x[b].length + " entries != d = " + d);
            }
        }
        if (noise != null && noise.length != batch) {
            throw new IllegalArgumentException("noise has " + noise.length + " values != B = " + batch);
        }
        BigDecimal[] out = new BigDecimal[batch];
        BigDecimal[] teacher = new BigDecimal[batch];
        BigDecimal[] res = new BigDecimal[batch];
        List<BigDecimal[][]> sums = new ArrayList<>();
        List<BigDecimal[][]> pre = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            sums.add(zeros(d, d));
            pre.add(new BigDecimal[batch][]);
        }
        BigDecimal sumSq = BigDecimal.ZERO;
        for (int b = 0; b < batch; b++) {
            Forward student = forward(arch.identity(), w, x[b]);
            Forward tch = forward(true, wStar, x[b]);
            out[b] = student.output;
            teacher[b] = tch.output;
            BigDecimal y = noise == null ? tch.output : tch.output.add(noise[b]);
            res[b] = student.output.subtract(y);
            sumSq = sumSq.add(res[b].multiply(res[b]));
            for (int i = 0; i < k; i++) {
                pre.get(i)[b] = student.h[i];
            }
            if (res[b].signum() != 0) {
                backward(w, student, res[b], sums);
            }
        }
        return new NetworkValues(batch, out, teacher, res, sumSq, sums, pre);
    }

    /** One row's forward pass: {@code z[0..K]}, {@code h[0..K-1]} (block {@code i+1}), output. */
    private static final class Forward {
        final BigDecimal[][] z;
        final BigDecimal[][] h;
        BigDecimal output;

        Forward(int k) {
            z = new BigDecimal[k + 1][];
            h = new BigDecimal[k][];
        }
    }

    private Forward forward(boolean identity, List<BigDecimal[][]> w, BigDecimal[] x) {
        int d = arch.d();
        int k = arch.blocks();
        Forward f = new Forward(k);
        f.z[0] = x;
        for (int i = 0; i < k; i++) {
            BigDecimal[][] wi = w.get(i);
            BigDecimal[] zin = f.z[i];
            BigDecimal[] h = new BigDecimal[d];
            BigDecimal[] z = new BigDecimal[d];
            for (int j = 0; j < d; j++) {
                BigDecimal acc = identity ? zin[j] : BigDecimal.ZERO;
                for (int r = 0; r < d; r++) {
                    acc = acc.add(wi[r][j].multiply(zin[r]));
                }
                h[j] = round(acc);
                z[j] = ExactActivation.value(act, h[j], mc);
            }
            f.h[i] = h;
            f.z[i + 1] = z;
        }
        BigDecimal s = BigDecimal.ZERO;
        for (BigDecimal v : f.z[k]) {
            s = s.add(v);
        }
        f.output = s;
        return f;
    }

    /** Adds {@code r z_{k-1}[r] delta_k[j]} to every block's {@code S_k}. */
    private void backward(List<BigDecimal[][]> w, Forward f, BigDecimal r, List<BigDecimal[][]> sums) {
        int d = arch.d();
        BigDecimal[] g = new BigDecimal[d];
        java.util.Arrays.fill(g, BigDecimal.ONE);
        for (int i = arch.blocks() - 1; i >= 0; i--) {
            BigDecimal[] delta = new BigDecimal[d];
            for (int j = 0; j < d; j++) {
                delta[j] = round(ExactActivation.derivative(act, f.h[i][j], mc).multiply(g[j]));
            }
            BigDecimal[][] s = sums.get(i);
            BigDecimal[] zin = f.z[i];
            for (int a = 0; a < d; a++) {
                if (zin[a].signum() == 0) {
                    continue;
                }
                BigDecimal rz = r.multiply(zin[a]);
                for (int j = 0; j < d; j++) {
                    if (delta[j].signum() != 0) {
                        s[a][j] = s[a][j].add(rz.multiply(delta[j]));
                    }
                }
            }
            if (i > 0) {
                BigDecimal[][] wi = w.get(i);
                BigDecimal[] next = new BigDecimal[d];
                for (int a = 0; a < d; a++) {
                    BigDecimal acc = arch.identity() ? delta[a] : BigDecimal.ZERO;
                    for (int j = 0; j < d; j++) {
                        acc = acc.add(wi[a][j].multiply(delta[j]));
                    }
                    next[a] = round(acc);
                }
                g = next;
            }
        }
    }

    private BigDecimal round(BigDecimal v) {
        return mc == null ? v : v.round(mc);
    }

    private static BigDecimal[][] zeros(int r, int c) {
        BigDecimal[][] m = new BigDecimal[r][c];
        for (BigDecimal[] row : m) {
            java.util.Arrays.fill(row, BigDecimal.ZERO);
        }
        return m;
    }

    /** Exact BigDecimal copies of double matrices ({@code new BigDecimal(double)}), row-major {@code d x d}. */
    public static List<BigDecimal[][]> exact(List<double[]> w, int d) {
        List<BigDecimal[][]> out = new ArrayList<>();
        for (double[] m : w) {
            out.add(exact(m, m.length / d, d));
        }
        return out;
    }

    /** Row-major {@code rows x cols} doubles as exact BigDecimals. */
    public static BigDecimal[][] exact(double[] m, int rows, int cols) {
        BigDecimal[][] out = new BigDecimal[rows][cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                out[r][c] = new BigDecimal(m[r * cols + c]);
            }
        }
        return out;
    }
}
