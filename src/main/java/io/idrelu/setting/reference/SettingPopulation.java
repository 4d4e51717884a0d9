package io.idrelu.setting.reference;

import io.idrelu.reference.PopulationReference;
import io.idrelu.setting.Activation;
import io.idrelu.setting.Architecture;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * Population quantities {@code L(W) = E[(f(x, W) - y)^2]} where a closed form or an exact finite law exists
 * (proofs-notes/settings.md section 7). Label noise adds {@code sigma^2} to {@code L} and nothing to its gradient
 * (callers add it; {@link #withNoise}).
 * <ul>
 *   <li>Gaussian {@code N(0, I)}, ReLU, one block: today's {@link PopulationReference} (MATH.md section 2).</li>
 *   <li>Gaussian {@code N(0, Sigma)}, one block: with {@code x = C g}, {@code C C^T = Sigma}, {@code <u, x> = <C^T u, g>},
 *       so {@code L_Sigma(U; V) = L_I(C^T U; C^T V)} and {@code dL/dU = C dL/dM} at {@code M = C^T U}. The products
 *       {@code C^T U} are exact (doubles times doubles), only the closed form rounds ({@link #gaussianCovRelu}).</li>
 *   <li>Leaky ReLU, one block, Gaussian: {@code leaky(t) = relu(t) - a relu(-t)}, so {@code f} is a ReLU network with
 *       {@code 4d} units {@code p = (u_i, -u_i, v_i, -v_i)} and output weights {@code c = (1, -a, -1, a)}
 *       (student minus teacher) and {@code L = sum_{k,l} c_k c_l kappa(p_k, p_l)} ({@link #gaussianLeakyLoss}).
 *       Gradient by differentiating the same sum ({@link #gaussianLeakyGradient}).</li>
 *   <li>Any finite law (Rademacher at small {@code d} by enumerating its {@code 2^d} points; the empirical law of a
 *       data set): the exact expectation is one full batch over the support with equal weights, any depth and
 *       activation ({@link #finiteLaw}).</li>
 * </ul>
 */
public final class SettingPopulation {
    /** Largest {@code d} enumerated for Rademacher inputs ({@code 2^d} rows). */
    public static final int MAX_RADEMACHER_D = 16;

    private SettingPopulation() { }

    /**
     * {@code L(W)} of the ReLU one-block network under {@code N(0, Sigma)}, {@code chol} = lower Cholesky factor of Sigma
     * (row-major); accurate as {@link PopulationReference#loss} at the transformed units.
     */
    public static BigDecimal gaussianCovReluLoss(int digits, boolean identity, BigDecimal[][] w, BigDecimal[][] wStar, double[] chol) {
        return new PopulationReference(digits).loss(false, transformStudent(identity, w, chol), transformTeacher(wStar, chol));
    }

    /**
     * {@code dL/dW} (true units) of the ReLU one-block network under {@code N(0, Sigma)}: {@code C} times the
     * standard-Gaussian gradient at the transformed units (student as a vanilla network {@code M = C^T U}).
     */
    public static BigDecimal[][] gaussianCovReluGradient(int digits, boolean identity, BigDecimal[][] w, BigDecimal[][] wStar, double[] chol) {
        int d = w.length;
        BigDecimal[][] gm = new PopulationReference(digits).gradient(false, transformStudent(identity, w, chol), transformTeacher(wStar, chol));
        MathContext mc = new MathContext(digits + PopulationReference.GUARD_DIGITS, RoundingMode.HALF_EVEN);
        BigDecimal[][] g = new BigDecimal[d][d];
        for (int r = 0; r < d; r++) {
            for (int j = 0; j < d; j++) {
                BigDecimal acc = BigDecimal.ZERO;
                for (int s = 0; s < d; s++) {
                    acc = acc.add(new BigDecimal(chol[r * d + s]).multiply(gm[s][j]));
                }
                g[r][j] = acc.round(mc);
            }
        }
        return g;
    }

    /** {@code M = C^T U}, {@code U = I + W} or {@code W}: exact. */
    static BigDecimal[][] transformStudent(boolean identity, BigDecimal[][] w, double[] chol) {
        return cTranspose(units(identity, w), chol);
    }

    /** The teacher's transformed units {@code C^T V} as an identity-mapped matrix {@code C^T V - I}: exact. */
    static BigDecimal[][] transformTeacher(BigDecimal[][] wStar, double[] chol) {
        BigDecimal[][] m = cTranspose(units(true, wStar), chol);
        for (int i = 0; i < m.length; i++) {
            m[i][i] = m[i][i].subtract(BigDecimal.ONE);
        }
        return m;
    }

    private static BigDecimal[][] units(boolean identity, BigDecimal[][] w) {
        int d = w.length;
        BigDecimal[][] u = new BigDecimal[d][d];
        for (int r = 0; r < d; r++) {
            for (int c = 0; c < d; c++) {
                u[r][c] = identity && r == c ? w[r][c].add(BigDecimal.ONE) : w[r][c];
            }
        }
        return u;
    }

    private static BigDecimal[][] cTranspose(BigDecimal[][] u, double[] chol) {
        int d = u.length;
        BigDecimal[][] m = new BigDecimal[d][d];
        for (int s = 0; s < d; s++) {
            for (int j = 0; j < d; j++) {
                BigDecimal acc = BigDecimal.ZERO;
                for (int r = 0; r < d; r++) {
                    acc = acc.add(new BigDecimal(chol[r * d + s]).multiply(u[r][j]));
                }
                m[s][j] = acc;
            }
        }
        return m;
    }

    /**
     * The ReLU decomposition {@code f - f* = sum_k c_k relu(<p_k, x>)} of the one-block leaky-ReLU residual
     * ({@code leaky(t) = relu(t) - a relu(-t)}): per unit {@code i}, in this order, {@code (u_i, 1), (-u_i, -a),
     * (v_i, -1), (-v_i, a)}, appended to {@code p} and {@code c}. Shared by the loss and the gradient.
     */
    private static void leakyDecomposition(double a, BigDecimal[][] u, BigDecimal[][] v, List<BigDecimal[]> p,
                                           List<BigDecimal> c) {
        BigDecimal ba = new BigDecimal(a);
        for (int i = 0; i < u.length; i++) {
            p.add(column(u, i));
            c.add(BigDecimal.ONE);
            p.add(negate(column(u, i)));
            c.add(ba.negate());
            p.add(column(v, i));
            c.add(BigDecimal.ONE.negate());
            p.add(negate(column(v, i)));
            c.add(ba);
        }
    }

    /**
     * {@code L(W)} for the one-block leaky-ReLU network (slope {@code a}) under {@code N(0, I)} via the ReLU decomposition,
     * within {@code 10^-p sum_{k,l} |c_k c_l| |p_k||p_l|} (each {@code kappa} within {@code 10^-p |p_k||p_l|}).
     */
    public static BigDecimal gaussianLeakyLoss(int digits, double a, boolean identity, BigDecimal[][] w, BigDecimal[][] wStar) {
        int d = w.length;
        BigDecimal[][] u = units(identity, w);
        BigDecimal[][] v = units(true, wStar);
        List<BigDecimal[]> p = new ArrayList<>();
        List<BigDecimal> c = new ArrayList<>();
        leakyDecomposition(a, u, v, p, c);
        PopulationReference ref = new PopulationReference(digits);
        MathContext mc = new MathContext(digits + PopulationReference.GUARD_DIGITS, RoundingMode.HALF_EVEN);
        BigDecimal sum = BigDecimal.ZERO;
        for (int k = 0; k < p.size(); k++) {
            if (c.get(k).signum() == 0) {
                continue;
            }
            for (int l = k; l < p.size(); l++) {
                if (c.get(l).signum() == 0) {
                    continue;
                }
                BigDecimal term = c.get(k).multiply(c.get(l)).multiply(ref.kappa(p.get(k), p.get(l)), mc);
                sum = sum.add(l == k ? term : term.multiply(BigDecimal.valueOf(2)), mc);
            }
        }
        return sum;
    }

    /**
     * {@code dL/dW} (true units) of the one-block leaky-ReLU network under {@code N(0, I)}: differentiating
     * {@code L = sum_{k,l} c_k c_l kappa(p_k, p_l)} through the two units that contain {@code u_j} ({@code u_j} with
     * weight 1, {@code -u_j} with weight {@code -a}) gives
     * {@code dL/du_j = 2 sum_l c_l [grad_a kappa(u_j, p_l) + a grad_a kappa(-u_j, p_l)]} (all {@code l}), with
     * {@code grad_a kappa(a, b) = ((pi - th) b + (|a||b| sin th / |a|^2) a) / (2 pi)} (MATH.md section 2). Angles via
     * {@code atan2(|a||b| sin th, <a,b>)} with the exact radicand, at {@code p + 10} digits; a zero unit contributes 0.
     */
    public static BigDecimal[][] gaussianLeakyGradient(int digits, double a, boolean identity, BigDecimal[][] w, BigDecimal[][] wStar) {
        int d = w.length;
        BigDecimal[][] u = units(identity, w);
        BigDecimal[][] v = units(true, wStar);
        List<BigDecimal[]> p = new ArrayList<>();
        List<BigDecimal> c = new ArrayList<>();
        leakyDecomposition(a, u, v, p, c);
        BigDecimal ba = new BigDecimal(a);
        MathContext mc = new MathContext(digits + 10, RoundingMode.HALF_EVEN);
        BigDecimal pi = ch.obermuhlner.math.big.BigDecimalMath.pi(mc);
        BigDecimal twoPi = pi.multiply(BigDecimal.valueOf(2));
        BigDecimal[][] g = new BigDecimal[d][d];
        for (int j = 0; j < d; j++) {
            BigDecimal[] uj = column(u, j);
            BigDecimal[] muj = negate(uj);
            BigDecimal[] acc = new BigDecimal[d];
            java.util.Arrays.fill(acc, BigDecimal.ZERO);
            for (int l = 0; l < p.size(); l++) {
                if (c.get(l).signum() == 0) {
                    continue;
                }
                BigDecimal[] t1 = gradKappa(uj, p.get(l), pi, mc);
                BigDecimal[] t2 = gradKappa(muj, p.get(l), pi, mc);
                for (int r = 0; r < d; r++) {
                    acc[r] = acc[r].add(c.get(l).multiply(t1[r].add(ba.multiply(t2[r]))), mc);
                }
            }
            for (int r = 0; r < d; r++) {
                g[r][j] = acc[r].multiply(BigDecimal.valueOf(2)).divide(twoPi, mc);
            }
        }
        return g;
    }

    /** {@code 2 pi grad_a kappa(a, b) = (pi - th) b + (|a||b| sin th / |a|^2) a}, 0 if a or b is 0. */
    private static BigDecimal[] gradKappa(BigDecimal[] a, BigDecimal[] b, BigDecimal pi, MathContext mc) {
        int d = a.length;
        BigDecimal na = dot(a, a);
        BigDecimal nb = dot(b, b);
        BigDecimal[] out = new BigDecimal[d];
        if (na.signum() == 0 || nb.signum() == 0) {
            java.util.Arrays.fill(out, BigDecimal.ZERO);
            return out;
        }
        BigDecimal cab = dot(a, b);
        BigDecimal rad = na.multiply(nb).subtract(cab.multiply(cab)); // exact, >= 0
        BigDecimal s = rad.signum() <= 0 ? BigDecimal.ZERO : rad.sqrt(mc);
        BigDecimal th = ch.obermuhlner.math.big.BigDecimalMath.atan2(s, cab, mc);
        BigDecimal piMinus = pi.subtract(th, mc);
        BigDecimal f = s.divide(na, mc);
        for (int r = 0; r < d; r++) {
            out[r] = piMinus.multiply(b[r]).add(f.multiply(a[r]), mc);
        }
        return out;
    }

    private static BigDecimal dot(BigDecimal[] a, BigDecimal[] b) {
        BigDecimal s = BigDecimal.ZERO;
        for (int i = 0; i < a.length; i++) {
            s = s.add(a[i].multiply(b[i]));
        }
        return s;
    }

    private static BigDecimal[] column(BigDecimal[][] m, int j) {
        BigDecimal[] c = new BigDecimal[m.length];
        for (int r = 0; r < m.length; r++) {
            c[r] = m[r][j];
        }
        return c;
    }

    private static BigDecimal[] negate(BigDecimal[] v) {
        BigDecimal[] n = new BigDecimal[v.length];
        for (int i = 0; i < v.length; i++) {
            n[i] = v[i].negate();
        }
        return n;
    }

    /**
     * The exact population quantities of a finite law with equal weights on {@code rows} (Rademacher: all sign vectors;
     * a data set: its rows): one full batch, so {@link NetworkValues#loss} and {@link NetworkValues#gradient} are the
     * population loss and gradient (exact for piecewise-linear activations when {@code rows.length = 2^a 5^b}, e.g.
     * Rademacher; else rounded once).
     */
    public static NetworkValues finiteLaw(Architecture arch, Activation act, int digits, List<BigDecimal[][]> w,
                                          List<BigDecimal[][]> wStar, BigDecimal[][] rows) {
        return new ExactNetwork(arch, act, digits).evaluate(w, wStar, rows, null);
    }

    /** All {@code 2^d} points of {@code {-1, +1}^d} as rows, {@code d <= MAX_RADEMACHER_D}. */
    public static BigDecimal[][] rademacherSupport(int d) {
        if (d < 1 || d > MAX_RADEMACHER_D) {
            throw new IllegalArgumentException("d = " + d + ": Rademacher enumeration needs 1 <= d <= " + MAX_RADEMACHER_D
                    + " (2^d rows); use Monte Carlo above");
        }
        int n = 1 << d;
        BigDecimal[][] x = new BigDecimal[n][d];
        for (int i = 0; i < n; i++) {
            for (int r = 0; r < d; r++) {
                x[i][r] = ((i >> r) & 1) == 1 ? BigDecimal.ONE : BigDecimal.ONE.negate();
            }
        }
        return x;
    }

    /** A closed-form population loss (label noise included) and its gradient (true units), at the reference's digits. */
    public record ClosedForm(BigDecimal loss, BigDecimal[][] gradient) { }

    /**
     * The closed form of {@code setting} at {@code (W, W*)} (row-major doubles, taken exactly): one block, ReLU with
     * {@code N(0, I)} ({@link PopulationReference}) or {@code N(0, Sigma)} ({@link #gaussianCovReluLoss}), or leaky ReLU
     * with {@code N(0, I)} ({@link #gaussianLeakyLoss}); {@code + sigma^2} with label noise ({@link #withNoise}).
     *
     * @throws IllegalArgumentException when the setting has no closed form here
     */
    public static ClosedForm closedForm(io.idrelu.setting.Setting setting, int digits, double[] w, double[] wStar) {
        int d = setting.d();
        boolean identity = setting.architecture().identity();
        BigDecimal[][] we = io.idrelu.model.Matrices.exact(w, d);
        BigDecimal[][] wse = io.idrelu.model.Matrices.exact(wStar, d);
        boolean oneBlock = setting.architecture().blocks() == 1;
        BigDecimal loss;
        BigDecimal[][] grad;
        if (oneBlock && setting.activation() instanceof Activation.Relu
                && setting.inputs() instanceof io.idrelu.setting.InputLaw.StandardGaussian) {
            PopulationReference ref = new PopulationReference(digits);
            loss = ref.loss(identity, we, wse);
            grad = ref.gradient(identity, we, wse);
        } else if (oneBlock && setting.activation() instanceof Activation.Relu
                && setting.inputs() instanceof io.idrelu.setting.InputLaw.GaussianCov g) {
            double[] chol = io.idrelu.setting.InputSampler.cholesky(g.sigma(), d);
            loss = gaussianCovReluLoss(digits, identity, we, wse, chol);
            grad = gaussianCovReluGradient(digits, identity, we, wse, chol);
        } else if (oneBlock && setting.activation() instanceof Activation.LeakyRelu lr
                && setting.inputs() instanceof io.idrelu.setting.InputLaw.StandardGaussian) {
            loss = gaussianLeakyLoss(digits, lr.a(), identity, we, wse);
            grad = gaussianLeakyGradient(digits, lr.a(), identity, we, wse);
        } else {
            throw new IllegalArgumentException("no population closed form for this setting (" + setting.activation() + ", "
                    + setting.inputs().kind() + ", " + setting.architecture().blocks() + " blocks)");
        }
        double sigma = setting.labels().sigma();
        return new ClosedForm(sigma > 0 ? withNoise(loss, sigma) : loss, grad);
    }

    /** {@code L + sigma^2}: the population loss with additive {@code N(0, sigma^2)} label noise independent of x. */
    public static BigDecimal withNoise(BigDecimal loss, double sigma) {
        BigDecimal s = new BigDecimal(sigma);
        return loss.add(s.multiply(s));
    }
}
