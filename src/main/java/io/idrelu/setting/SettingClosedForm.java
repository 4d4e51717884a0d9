package io.idrelu.setting;

import io.idrelu.audit.PopulationLossBound;
import io.idrelu.audit.Precision;
import io.idrelu.kernel.Kernel;

import java.util.Optional;

/**
 * The double fast path of the population closed forms under a setting (claims A2 and C8 under other settings;
 * proofs-notes/A2.md "Under other settings"), built on today's fast closed form ({@link Kernel#populationLossAndGradient},
 * MATH.md section 2) evaluated on <b>transformed unit lists</b>, with a bound on {@code |fast - exact|} derived from
 * today's A2 bound ({@link PopulationLossBound}) plus the rounding of the transformation and of the recombination.
 *
 * <p>Every supported case is a ReLU network difference {@code f - f* = sum_{p in P} relu(<p, g>) - sum_{q in Q} relu(<q, g>)}
 * with {@code g ~ N(0, I)}, so {@code L = L_relu(P; Q)}:
 * <ul>
 *   <li>{@code N(0, I)}, ReLU: {@code P = U}, {@code Q = V}: today's kernel call itself (no transformation).</li>
 *   <li>{@code N(0, Sigma)}, ReLU: {@code x = C g}, {@code <u, x> = <C^T u, g>}: {@code P = C^T U}, {@code Q = C^T V};
 *       gradient {@code dL/dU = C dL/dP}.</li>
 *   <li>{@code N(0, I)}, leaky ReLU slope {@code a}: {@code leaky(t) = relu(t) - a relu(-t)}. For {@code a >= 0},
 *       {@code a relu(-t) = relu(-a t)}, so {@code P = {u_i, -a v_i}}, {@code Q = {v_i, -a u_i}} and
 *       {@code dL/du_j = dL/dp_{u_j} - a dL/dq_{-a u_j}}, the second from the symmetric call {@code L(Q; P)} (the loss is
 *       symmetric in student and teacher). For {@code a < 0}, {@code -a relu(-t) = relu(a t)}: {@code P = {u_i, a u_i}},
 *       {@code Q = {v_i, a v_i}}, {@code dL/du_j = dL/dp_{u_j} + a dL/dp_{a u_j}}.</li>
 *   <li>label noise {@code sigma}: {@code + sigma^2} on the loss, gradient unchanged.</li>
 * </ul>
 * <b>Passing unit lists to the square kernel exactly.</b> With {@code n = max(|P|, |Q|)} units in {@code R^m}, the kernel
 * runs at {@code D = m + n}: unit {@code j} is column {@code j}, its coordinates sit in rows {@code n..n+m-1}; the
 * student is vanilla (the columns as given); the teacher matrix holds {@code -1} on the whole diagonal, which the
 * kernel's {@code + I} turns into {@code 0} exactly (rows {@code 0..n-1} are padding; columns {@code n..D-1} are zero
 * units). Zero coordinates add exact zeros to every fma chain, and zero units contribute {@code kappa = 0} and a zero
 * gradient column, so the kernel sees exactly the computed units.
 *
 * <p><b>Bound</b> (true units): today's A2 bound evaluated at the padded matrices (the kernel's own rounding, at
 * dimension {@code D}), plus the transformation's rounding propagated by Lipschitz constants of the closed form
 * (derivation in proofs-notes/A2.md): with {@code delta_k} a bound on {@code |p~_k - p_k|} and {@code S = sum |units|},
 * {@code |Delta L| <= (S + Delta) Delta}, {@code Delta = sum delta_k}; for a student unit {@code j}
 * {@code |Delta dL/dp_j| <= delta_j + 2 sum_{k != j} [c1 (|b_k| + delta_k) delta_j / (|p_j| - delta_j) + c2 delta_k]},
 * {@code c1 = 3/(2 pi)}, {@code c2 = (pi + 2)/(2 pi)}; plus the rounding of {@code C G} ({@code gamma_d}), of the leaky
 * recombination (one fma) and of {@code + sigma^2}.
 */
public final class SettingClosedForm {
    private static final double U = Precision.DOUBLE.u();
    private static final double C1 = 3 / (2 * Math.PI);
    private static final double C2 = (Math.PI + 2) / (2 * Math.PI);

    /**
     * Fast values and their bounds (true units).
     *
     * @param gradient      {@code dL/dW}, row-major
     * @param lossBound     bound on {@code |loss - L|}
     * @param gradientBound bound per entry on {@code |gradient - dL/dW|}
     */
    public record Value(double loss, double[] gradient, double lossBound, double[] gradientBound) { }

    private final Kernel kernel;
    private final int d;
    private final boolean identity;
    private final double a;
    private final boolean leaky;
    private final double[] chol;
    private final double sigma;
    /** Whether the current evaluation computes bounds (the instance is not thread-safe). */
    private boolean bounds;

    /** The closed form of {@code setting} (which must have one: {@link #unavailable}) on the kernel's closed form. */
    public SettingClosedForm(Kernel kernel, Setting setting) {
        Optional<String> why = unavailable(setting);
        if (why.isPresent()) {
            throw new IllegalArgumentException(why.get());
        }
        this.kernel = kernel;
        this.d = setting.d();
        this.identity = setting.architecture().identity();
        this.leaky = setting.activation() instanceof Activation.LeakyRelu;
        this.a = leaky ? ((Activation.LeakyRelu) setting.activation()).a() : 0;
        this.chol = setting.inputs() instanceof InputLaw.GaussianCov g ? InputSampler.cholesky(g.sigma(), d) : null;
        this.sigma = setting.labels().sigma();
    }

    /** Empty when a closed form exists (one block; ReLU with N(0, I) or N(0, Sigma); leaky ReLU with N(0, I)); else why not. */
    public static Optional<String> unavailable(Setting s) {
        if (s.architecture().blocks() != 1) {
            return Optional.of("no population closed form for " + s.architecture().blocks() + " blocks");
        }
        boolean relu = s.activation() instanceof Activation.Relu;
        boolean lk = s.activation() instanceof Activation.LeakyRelu;
        if (s.inputs() instanceof InputLaw.StandardGaussian && (relu || lk)) {
            return Optional.empty();
        }
        if (s.inputs() instanceof InputLaw.GaussianCov && relu) {
            return Optional.empty();
        }
        return Optional.of("no population closed form for activation " + s.activation() + " with inputs " + s.inputs().kind());
    }

    /** Population loss and gradient with their bounds at {@code (W, W*)} (row-major, identity-mapped teacher). */
    public Value at(double[] w, double[] wStar) {
        return at(w, wStar, true);
    }

    /** The values alone (bounds {@code NaN}): what a search that only compares values needs. */
    public Value valueAt(double[] w, double[] wStar) {
        return at(w, wStar, false);
    }

    private Value at(double[] w, double[] wStar, boolean withBounds) {
        this.bounds = withBounds;
        Value v;
        if (chol == null && !leaky) {
            double[] g = new double[d * d];
            double loss = kernel.populationLossAndGradient(d, identity, w.clone(), wStar.clone(), g);
            v = new Value(loss, g, withBounds ? PopulationLossBound.of(Precision.DOUBLE, d, identity, w, wStar) : Double.NaN,
                    withBounds ? PopulationLossBound.gradient(Precision.DOUBLE, d, identity, w, wStar) : nan(d * d));
        } else if (chol != null) {
            v = gaussianCov(w, wStar);
        } else {
            v = leakyRelu(w, wStar);
        }
        if (sigma > 0) {
            double s2 = sigma * sigma;
            double loss = v.loss() + s2;
            v = new Value(loss, v.gradient(), v.lossBound() + 1.01 * U * (s2 + Math.abs(loss)), v.gradientBound());
        }
        return v;
    }

    /** Units (columns) with entry-wise bounds on their distance from the exact units. */
    private record Units(double[][] p, double[][] err) {
        int size() {
            return p.length;
        }
    }

    /** {@code U = (I or 0) + W} (the {@code + 1} rounds), or {@code V = I + W*}. */
    private Units base(double[] m, boolean addIdentity) {
        double[][] p = new double[d][d];
        double[][] e = new double[d][d];
        for (int j = 0; j < d; j++) {
            for (int r = 0; r < d; r++) {
                double x = m[r * d + j];
                p[j][r] = addIdentity && r == j ? x + 1.0 : x;
                e[j][r] = addIdentity && r == j ? U * Math.abs(p[j][r]) : 0;
            }
        }
        return new Units(p, e);
    }

    /** {@code s * units} entry-wise (one rounding each). */
    private static Units scaled(Units x, double s) {
        double[][] p = new double[x.size()][];
        double[][] e = new double[x.size()][];
        for (int j = 0; j < x.size(); j++) {
            p[j] = new double[x.p[j].length];
            e[j] = new double[x.p[j].length];
            for (int r = 0; r < p[j].length; r++) {
                p[j][r] = s * x.p[j][r];
                e[j][r] = U * Math.abs(p[j][r]) + Math.abs(s) * x.err[j][r];
            }
        }
        return new Units(p, e);
    }

    private static Units concat(Units x, Units y) {
        double[][] p = new double[x.size() + y.size()][];
        double[][] e = new double[p.length][];
        for (int j = 0; j < p.length; j++) {
            p[j] = j < x.size() ? x.p[j] : y.p[j - x.size()];
            e[j] = j < x.size() ? x.err[j] : y.err[j - x.size()];
        }
        return new Units(p, e);
    }

    /** {@code C^T units}: per entry an fma chain over {@code s}, within {@code gamma_d sum |C_sr||x_s| + sum |C_sr| e_s}. */
    private Units cTranspose(Units x) {
        double[][] p = new double[x.size()][d];
        double[][] e = new double[x.size()][d];
        double gd = Precision.DOUBLE.gamma(d);
        for (int j = 0; j < x.size(); j++) {
            for (int r = 0; r < d; r++) {
                double acc = 0;
                double mag = 0;
                double prop = 0;
                for (int s = 0; s < d; s++) {
                    double c = chol[s * d + r];
                    acc = Math.fma(c, x.p[j][s], acc);
                    mag += Math.abs(c * x.p[j][s]);
                    prop += Math.abs(c) * x.err[j][s];
                }
                p[j][r] = acc;
                e[j][r] = (gd * mag + prop) * 1.01;
            }
        }
        return new Units(p, e);
    }

    private Value gaussianCov(double[] w, double[] wStar) {
        Units pu = cTranspose(base(w, identity));
        Units qv = cTranspose(base(wStar, true));
        Relu r = relu(pu, qv);
        double[] g = new double[d * d];
        double[] gb = new double[d * d];
        double gd = Precision.DOUBLE.gamma(d);
        for (int row = 0; row < d; row++) {
            for (int j = 0; j < d; j++) {
                double acc = 0;
                double mag = 0;
                double prop = 0;
                for (int s = 0; s < d; s++) {
                    double c = chol[row * d + s];
                    acc = Math.fma(c, r.grad[j][s], acc);
                    mag += Math.abs(c * r.grad[j][s]);
                    prop += Math.abs(c) * r.gradBound[j][s];
                }
                g[row * d + j] = acc;
                gb[row * d + j] = (gd * mag + prop) * 1.01;
            }
        }
        return new Value(r.loss, g, r.lossBound, gb);
    }

    private Value leakyRelu(double[] w, double[] wStar) {
        Units uu = base(w, identity);
        Units vv = base(wStar, true);
        double[] g = new double[d * d];
        double[] gb = new double[d * d];
        Relu first;
        if (a >= 0) {
            Units p = concat(uu, scaled(vv, -a));
            Units q = concat(vv, scaled(uu, -a));
            first = relu(p, q);
            Relu second = a == 0 ? null : relu(q, p);
            for (int j = 0; j < d; j++) {
                for (int row = 0; row < d; row++) {
                    double g1 = first.grad[j][row];
                    double b1 = first.gradBound[j][row];
                    double g2 = second == null ? 0 : second.grad[d + j][row];
                    double b2 = second == null ? 0 : second.gradBound[d + j][row];
                    double x = Math.fma(-a, g2, g1);
                    g[row * d + j] = x;
                    gb[row * d + j] = b1 + a * b2 + 1.01 * U * Math.abs(x);
                }
            }
        } else {
            Units p = concat(uu, scaled(uu, a));
            Units q = concat(vv, scaled(vv, a));
            first = relu(p, q);
            for (int j = 0; j < d; j++) {
                for (int row = 0; row < d; row++) {
                    double x = Math.fma(a, first.grad[d + j][row], first.grad[j][row]);
                    g[row * d + j] = x;
                    gb[row * d + j] = first.gradBound[j][row] - a * first.gradBound[d + j][row] + 1.01 * U * Math.abs(x);
                }
            }
        }
        return new Value(first.loss, g, first.lossBound, gb);
    }

    /** {@code L_relu(P; Q)} and {@code dL/dp_j} per student unit ({@code grad[j][r]}), each with its bound. */
    private record Relu(double loss, double lossBound, double[][] grad, double[][] gradBound) { }

    private Relu relu(Units pu, Units qu) {
        int m = pu.p[0].length;
        int n = Math.max(pu.size(), qu.size());
        int dd = m + n;
        double[] wp = new double[dd * dd];
        double[] wq = new double[dd * dd];
        for (int j = 0; j < pu.size(); j++) {
            for (int r = 0; r < m; r++) {
                wp[(n + r) * dd + j] = pu.p[j][r];
            }
        }
        for (int j = 0; j < dd; j++) {
            wq[j * dd + j] = -1.0;
        }
        for (int j = 0; j < qu.size(); j++) {
            for (int r = 0; r < m; r++) {
                wq[(n + r) * dd + j] = qu.p[j][r];
            }
        }
        double[] gp = new double[dd * dd];
        double loss = kernel.populationLossAndGradient(dd, false, wp.clone(), wq.clone(), gp);
        double lossBound = bounds ? PopulationLossBound.of(Precision.DOUBLE, dd, false, wp, wq) : Double.NaN;
        double[] kb = bounds ? PopulationLossBound.gradient(Precision.DOUBLE, dd, false, wp, wq) : nan(dd * dd);
        // the transformation's rounding, propagated (class javadoc)
        double[] np = norms(pu.p);
        double[] nq = norms(qu.p);
        double[] ep = norms(pu.err);
        double[] eq = norms(qu.err);
        double s = 0;
        double delta = 0;
        for (int k = 0; k < np.length; k++) {
            s += np[k];
            delta += ep[k];
        }
        for (int k = 0; k < nq.length; k++) {
            s += nq[k];
            delta += eq[k];
        }
        lossBound += 1.01 * (s + delta) * delta;
        double[][] grad = new double[pu.size()][m];
        double[][] gradBound = new double[pu.size()][m];
        for (int j = 0; j < pu.size(); j++) {
            double t = ep[j];
            if (ep[j] > 0 || delta > 0) {
                double denom = np[j] - ep[j];
                double sum = 0;
                for (int k = 0; k < np.length + nq.length; k++) {
                    if (k == j) {
                        continue;
                    }
                    double nb = k < np.length ? np[k] : nq[k - np.length];
                    double eb = k < np.length ? ep[k] : eq[k - np.length];
                    sum += (ep[j] > 0 ? C1 * (nb + eb) * ep[j] / denom : 0) + C2 * eb;
                }
                t = denom > 0 || ep[j] == 0 ? 1.01 * (ep[j] + 2 * sum) : Double.POSITIVE_INFINITY;
            }
            for (int r = 0; r < m; r++) {
                grad[j][r] = gp[(n + r) * dd + j];
                gradBound[j][r] = kb[(n + r) * dd + j] + t;
            }
        }
        return new Relu(loss, lossBound, grad, gradBound);
    }

    private static double[] nan(int n) {
        double[] x = new double[n];
        java.util.Arrays.fill(x, Double.NaN);
        return x;
    }

    private static double[] norms(double[][] v) {
        double[] out = new double[v.length];
        for (int j = 0; j < v.length; j++) {
            double s = 0;
            for (double x : v[j]) {
                s += x * x;
            }
            out[j] = Math.sqrt(s) * (1 + 1e-12);
        }
        return out;
    }
}
