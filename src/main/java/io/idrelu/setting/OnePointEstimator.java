package io.idrelu.setting;

import io.idrelu.kernel.Kernel;
import io.idrelu.setting.reference.ExactNetwork;
import io.idrelu.setting.reference.NetworkValues;
import io.idrelu.setting.reference.SettingPopulation;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/**
 * The one-point ratio {@code <-grad L(W), W* - W> / ||W* - W||_F^2} (claim C8, <b>paper units</b> = pi x true units) on a
 * setting's <b>population</b> gradient, with an interval that contains the exact value (issue 11; proofs-notes/C8.md
 * "Under other settings"). For K blocks the inner product and the squared distance run over all blocks (an extension
 * of the paper's one-block statement). By {@link PopulationRoute}:
 * <ul>
 *   <li>closed form: {@link SettingClosedForm}'s gradient; interval from its A2 gradient bound (rigorous to first order,
 *       as A2), confirmed by {@link SettingPopulation#closedForm} ({@link #reference});</li>
 *   <li>finite law: the fast full batch over the support ({@link NetworkKernel}, exactly the law's population gradient up
 *       to rounding); interval from {@link NetworkBounds}; confirmed by the exact full batch ({@link ExactNetwork});</li>
 *   <li>Monte Carlo: a fixed sample of {@code batches x batchSize} rows drawn once per estimator (common to all points);
 *       the inner product is the mean over the batches of each batch's fast inner product, the interval
 *       {@code mean +- z se} over the batch means (CLT; asymptotic level {@code 2 Phi(z) - 1}). No reference.</li>
 * </ul>
 * The interval bounds the ratio, so a verdict can say VIOLATED only when its upper end is below a constant and HOLDS
 * only when its lower end is above it. Not thread-safe.
 */
public final class OnePointEstimator {
    private static final double U = io.idrelu.audit.Precision.DOUBLE.u();

    /** A ratio in paper units and an interval {@code [lo, hi]} that contains the exact one. */
    public record Ratio(double value, double lo, double hi) { }

    private final Setting setting;
    private final PopulationRoute route;
    private final SettingClosedForm closedForm;
    private final double[] support;
    private final List<double[]> xs = new ArrayList<>();
    private final List<double[]> noises = new ArrayList<>();
    private final int batchSize;
    private final double z;
    private final NetworkKernel net;

    private OnePointEstimator(Setting setting, Kernel kernel, long seed, int batches, int batchSize, double z) {
        this.setting = setting;
        this.route = PopulationRoute.of(setting);
        this.closedForm = route == PopulationRoute.CLOSED_FORM ? new SettingClosedForm(kernel, setting) : null;
        this.support = route == PopulationRoute.FINITE_LAW ? PopulationRoute.support(setting) : null;
        this.batchSize = batchSize;
        this.z = z;
        this.net = kernel == null ? new NetworkKernel() : NetworkKernels.matching(kernel);
        if (route == PopulationRoute.MONTE_CARLO) {
            InputSampler.Stream st = InputSampler.of(setting.inputs(), setting.d()).stream(seed);
            double sigma = setting.labels().sigma();
            for (int t = 0; t < batches; t++) {
                xs.add(st.batch(batchSize));
                noises.add(sigma > 0 ? st.noise(batchSize, sigma) : null);
            }
        }
    }

    /**
     * The estimator of {@code setting}; the closed form runs on {@code kernel}; a Monte Carlo estimator draws its
     * {@code batches x batchSize} rows from the stream {@code seed} now, and uses {@code z} standard errors.
     */
    public static OnePointEstimator of(Setting setting, Kernel kernel, long seed, int batches, int batchSize, double z) {
        return new OnePointEstimator(setting, kernel, seed, batches, batchSize, z);
    }

    public PopulationRoute route() {
        return route;
    }

    public Setting setting() {
        return setting;
    }

    /** Rows behind a Monte Carlo estimate (0 otherwise). */
    public long monteCarloRows() {
        return (long) xs.size() * batchSize;
    }

    /** The ratio's value alone (paper units; NaN at {@code W = W*}); what the searches minimise. */
    public double value(List<double[]> w, List<double[]> ws) {
        return estimate(w, ws, false).value();
    }

    /** The ratio with its interval (paper units). */
    public Ratio ratio(List<double[]> w, List<double[]> ws) {
        return estimate(w, ws, true);
    }

    private Ratio estimate(List<double[]> w, List<double[]> ws, boolean interval) {
        int d = setting.d();
        double dist2 = 0;
        int n = 0;
        for (int k = 0; k < w.size(); k++) {
            for (int i = 0; i < d * d; i++) {
                double diff = ws.get(k)[i] - w.get(k)[i];
                dist2 += diff * diff;
                n++;
            }
        }
        if (dist2 == 0) {
            return new Ratio(Double.NaN, Double.NaN, Double.NaN);
        }
        double inner;
        double half;
        switch (route) {
            case CLOSED_FORM -> {
                SettingClosedForm.Value v = interval ? closedForm.at(w.get(0), ws.get(0)) : closedForm.valueAt(w.get(0), ws.get(0));
                double[] e = inner(w, ws, List.of(v.gradient()), interval ? List.of(v.gradientBound()) : null, n);
                inner = e[0];
                half = e[1];
            }
            case FINITE_LAW -> {
                int rows = support.length / d;
                FastValues f = net.evaluate(setting.architecture(), setting.activation(), w, ws, support, rows, null);
                List<double[]> bounds = null;
                if (interval) {
                    NetworkBounds nb = new NetworkBounds(setting.architecture(), setting.activation(), w, ws, f, null);
                    bounds = new ArrayList<>();
                    for (int k = 1; k <= w.size(); k++) {
                        double[] b = new double[d * d];
                        for (int i = 0; i < d * d; i++) {
                            b[i] = nb.gradient(k, i / d, i % d);
                        }
                        bounds.add(b);
                    }
                }
                double[] e = inner(w, ws, f.gradients(), bounds, n);
                inner = e[0];
                half = e[1];
            }
            default -> {
                int m = xs.size();
                double mean = 0;
                double m2 = 0;
                for (int t = 0; t < m; t++) {
                    FastValues f = net.evaluate(setting.architecture(), setting.activation(), w, ws, xs.get(t), batchSize,
                            noises.get(t));
                    double s = inner(w, ws, f.gradients(), null, n)[0];
                    double delta = s - mean;
                    mean += delta / (t + 1);
                    m2 += delta * (s - mean);
                }
                inner = mean;
                half = m > 1 ? z * Math.sqrt(m2 / (m - 1) / m) : Double.POSITIVE_INFINITY;
            }
        }
        double value = Math.PI * inner / dist2;
        if (!interval) {
            return new Ratio(value, Double.NaN, Double.NaN);
        }
        // the squared distance rounds (n terms, gamma_{n+1} relative) and so do pi and the division
        double h = Math.PI * half / dist2 + Math.abs(value) * io.idrelu.audit.Precision.DOUBLE.gamma(n + 4);
        return new Ratio(value, value - 1.01 * h, value + 1.01 * h);
    }

    /**
     * {@code {<-G, W* - W>, bound}} in true units over all blocks: the bound (when {@code bounds} is given) is
     * {@code sum b_i |diff_i| + (gamma_n + u) sum |g_i diff_i|} (the gradient's bound, the rounding of {@code W* - W}
     * and of the sum).
     */
    private static double[] inner(List<double[]> w, List<double[]> ws, List<double[]> g, List<double[]> bounds, int n) {
        double s = 0;
        double mag = 0;
        double prop = 0;
        for (int k = 0; k < w.size(); k++) {
            double[] gk = g.get(k);
            for (int i = 0; i < gk.length; i++) {
                double diff = ws.get(k)[i] - w.get(k)[i];
                s += -gk[i] * diff;
                mag += Math.abs(gk[i] * diff);
                if (bounds != null) {
                    prop += bounds.get(k)[i] * Math.abs(diff);
                }
            }
        }
        double half = bounds == null ? Double.NaN : 1.01 * ((1 + U) * prop + (io.idrelu.audit.Precision.DOUBLE.gamma(n) + 2 * U) * mag);
        return new double[] {s, half};
    }

    /**
     * The ratio (paper units) recomputed by the exact reference at {@code digits}: the closed form
     * ({@link SettingPopulation#closedForm}) or the exact full batch over the finite law's support ({@link ExactNetwork});
     * empty for Monte Carlo.
     */
    public OptionalDouble reference(List<double[]> w, List<double[]> ws, int digits) {
        int d = setting.d();
        List<BigDecimal[][]> grads = new ArrayList<>();
        MathContext mc = new MathContext(digits, RoundingMode.HALF_EVEN);
        if (route == PopulationRoute.CLOSED_FORM) {
            grads.add(SettingPopulation.closedForm(setting, digits, w.get(0), ws.get(0)).gradient());
        } else if (route == PopulationRoute.FINITE_LAW) {
            int rows = support.length / d;
            NetworkValues v = new ExactNetwork(setting.architecture(), setting.activation(), digits)
                    .evaluate(ExactNetwork.exact(w, d), ExactNetwork.exact(ws, d), ExactNetwork.exact(support, rows, d), null);
            for (int k = 1; k <= w.size(); k++) {
                grads.add(v.gradient(k, mc));
            }
        } else {
            return OptionalDouble.empty();
        }
        BigDecimal inner = BigDecimal.ZERO;
        BigDecimal dist2 = BigDecimal.ZERO;
        for (int k = 0; k < w.size(); k++) {
            for (int r = 0; r < d; r++) {
                for (int c = 0; c < d; c++) {
                    BigDecimal diff = new BigDecimal(ws.get(k)[r * d + c]).subtract(new BigDecimal(w.get(k)[r * d + c]));
                    inner = inner.subtract(grads.get(k)[r][c].multiply(diff));
                    dist2 = dist2.add(diff.multiply(diff));
                }
            }
        }
        return OptionalDouble.of(Math.PI * inner.divide(dist2, mc).doubleValue());
    }
}
