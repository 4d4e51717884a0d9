package io.idrelu.setting;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.idrelu.model.GaussianSampler;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.stat.inference.KolmogorovSmirnovTest;

import java.util.ArrayList;
import java.util.List;

/**
 * How far a data set is from [LY17]'s premise {@code x ~ N(0, I_d)} (issue 11; proofs-notes/settings.md section 8),
 * measured on the data as it would be used (raw, standardised or whitened):
 * <ul>
 *   <li>per column mean, variance (divisor n), skewness {@code E z^3} and excess kurtosis {@code E z^4 - 3} of the
 *       column standardised by its own mean and sd, and the largest off-diagonal correlation;</li>
 *   <li>a Kolmogorov-Smirnov test of each column against {@code N(0, 1)} (Commons Math), with a <b>Bonferroni</b>
 *       correction over the {@code d} columns: the marginals are "consistent with N(0, 1)" when every p-value is
 *       {@code >= alpha / d}, so the family-wise false-rejection rate on Gaussian data is at most {@code alpha}. When the
 *       data were standardised with their own mean and variance the KS p-values are conservative (Lilliefors): the
 *       test rejects Gaussian data even less often, and has less power;</li>
 *   <li>the ReLU kernel {@code E[relu(<a,x>) relu(<b,x>)]} (the only way x enters the population loss of [LY17],
 *       MATH.md section 2) for {@code pairs} seeded random unit directions: the empirical mean against the Gaussian
 *       closed form {@code kappa(a, b)}, as a z-score with the empirical standard error; consistent when every
 *       {@code |z| <= Phi^-1(1 - alpha / (2 pairs))} (Bonferroni again).</li>
 * </ul>
 * Marginal normality does not imply joint normality; the kernel check is the part that speaks to the theorem's
 * closed forms. Which claims survive on the data is for the claims run under the setting (next step of issue 11).
 */
public final class PremiseReport {
    /** Default family-wise level. */
    public static final double DEFAULT_ALPHA = 0.01;
    public static final int DEFAULT_PAIRS = 10;

    /** Per column: name, mean, variance, skewness, excess kurtosis, KS statistic and p-value. */
    public record Column(String name, double mean, double variance, double skewness, double excessKurtosis,
                         double ksStatistic, double ksPValue) { }

    /** One direction pair: {@code cos angle(a, b)}, empirical kernel, its standard error, closed form, z. */
    public record KernelPair(double cosine, double empirical, double standardError, double gaussian, double z) { }

    private final String source;
    private final String preparation;
    private final int n;
    private final double alpha;
    private final List<Column> columns;
    private final double maxCorrelation;
    private final List<KernelPair> kernel;

    private PremiseReport(String source, String preparation, int n, double alpha, List<Column> columns, double maxCorrelation,
                          List<KernelPair> kernel) {
        this.source = source;
        this.preparation = preparation;
        this.n = n;
        this.alpha = alpha;
        this.columns = List.copyOf(columns);
        this.maxCorrelation = maxCorrelation;
        this.kernel = List.copyOf(kernel);
    }

    /**
     * @param data        the data as it would be used (already standardised/whitened if so asked)
     * @param preparation {@code raw}, {@code standardised} or {@code whitened}, for the report
     */
    public static PremiseReport of(String source, String preparation, DataMatrix data, double alpha, int pairs, long seed) {
        if (!(alpha > 0 && alpha < 1)) {
            throw new IllegalArgumentException("alpha = " + alpha + ": expected a level 0 < alpha < 1");
        }
        if (pairs < 1) {
            throw new IllegalArgumentException("pairs = " + pairs + ": expected at least 1 direction pair");
        }
        if (data.rows() < 3) {
            throw new IllegalArgumentException(source + " has " + data.rows() + " rows: expected at least 3 for moments and a KS test");
        }
        int n = data.rows();
        int d = data.d();
        NormalDistribution std = new NormalDistribution(null, 0, 1);
        KolmogorovSmirnovTest ks = new KolmogorovSmirnovTest();
        List<Column> cols = new ArrayList<>();
        double[][] z = new double[d][n];
        for (int c = 0; c < d; c++) {
            double[] v = new double[n];
            double mean = 0;
            for (int i = 0; i < n; i++) {
                v[i] = data.get(i, c);
                mean += v[i];
            }
            mean /= n;
            double var = 0;
            for (int i = 0; i < n; i++) {
                var += (v[i] - mean) * (v[i] - mean);
            }
            var /= n;
            double sd = Math.sqrt(var);
            double m3 = 0;
            double m4 = 0;
            for (int i = 0; i < n; i++) {
                double t = sd > 0 ? (v[i] - mean) / sd : 0;
                z[c][i] = t;
                m3 += t * t * t;
                m4 += t * t * t * t;
            }
            cols.add(new Column(data.columns().get(c), mean, var, m3 / n, m4 / n - 3, ks.kolmogorovSmirnovStatistic(std, v),
                    ks.kolmogorovSmirnovTest(std, v)));
        }
        double maxCorr = 0;
        for (int a = 0; a < d; a++) {
            for (int b = a + 1; b < d; b++) {
                double s = 0;
                for (int i = 0; i < n; i++) {
                    s += z[a][i] * z[b][i];
                }
                maxCorr = Math.max(maxCorr, Math.abs(s / n));
            }
        }
        return new PremiseReport(source, preparation, n, alpha, cols, maxCorr, kernelPairs(data, pairs, seed));
    }

    private static List<KernelPair> kernelPairs(DataMatrix data, int pairs, long seed) {
        int n = data.rows();
        int d = data.d();
        GaussianSampler g = new GaussianSampler(seed);
        List<KernelPair> out = new ArrayList<>();
        for (int p = 0; p < pairs; p++) {
            double[] a = unit(g, d);
            double[] b = unit(g, d);
            if (p % 2 == 1) { // every other pair correlated: b = (a + b)/|a + b|, angles spread over [0, pi]
                for (int i = 0; i < d; i++) {
                    b[i] += a[i];
                }
                normalise(b);
            }
            double s = 0;
            double s2 = 0;
            for (int i = 0; i < n; i++) {
                double ha = 0;
                double hb = 0;
                for (int c = 0; c < d; c++) {
                    ha += a[c] * data.get(i, c);
                    hb += b[c] * data.get(i, c);
                }
                double k = Math.max(ha, 0) * Math.max(hb, 0);
                s += k;
                s2 += k * k;
            }
            double mean = s / n;
            double se = Math.sqrt(Math.max(s2 / n - mean * mean, 0) / n);
            double cos = 0;
            for (int c = 0; c < d; c++) {
                cos += a[c] * b[c];
            }
            double gauss = kappaUnit(cos);
            out.add(new KernelPair(cos, mean, se, gauss, se > 0 ? (mean - gauss) / se : 0));
        }
        return out;
    }

    /** {@code kappa(a, b)} for unit vectors: {@code (sin th + (pi - th) cos th) / (2 pi)} (MATH.md section 2). */
    static double kappaUnit(double cos) {
        double c = Math.max(-1, Math.min(1, cos));
        double th = Math.acos(c);
        return (Math.sqrt(Math.max(0, 1 - c * c)) + (Math.PI - th) * c) / (2 * Math.PI);
    }

    private static double[] unit(GaussianSampler g, int d) {
        double[] v = new double[d];
        g.fill(v);
        normalise(v);
        return v;
    }

    private static void normalise(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x * x;
        }
        double n = Math.sqrt(s);
        for (int i = 0; i < v.length; i++) {
            v[i] /= n;
        }
    }

    public List<Column> columns() {
        return columns;
    }

    public List<KernelPair> kernel() {
        return kernel;
    }

    public double alpha() {
        return alpha;
    }

    /** Bonferroni per-column level {@code alpha / d}. */
    public double columnLevel() {
        return alpha / columns.size();
    }

    /** Columns whose KS p-value is below {@code alpha / d}. */
    public List<String> nonNormalColumns() {
        List<String> out = new ArrayList<>();
        for (Column c : columns) {
            if (c.ksPValue() < columnLevel()) {
                out.add(c.name());
            }
        }
        return out;
    }

    /** True when no column is rejected at family-wise level alpha. */
    public boolean marginalsConsistentWithStandardNormal() {
        return nonNormalColumns().isEmpty();
    }

    /** Critical |z| of the kernel check: {@code Phi^-1(1 - alpha / (2 pairs))}. */
    public double kernelCriticalZ() {
        return new NormalDistribution(null, 0, 1).inverseCumulativeProbability(1 - alpha / (2.0 * kernel.size()));
    }

    public double maxKernelZ() {
        double m = 0;
        for (KernelPair p : kernel) {
            m = Math.max(m, Math.abs(p.z()));
        }
        return m;
    }

    public boolean kernelConsistentWithGaussian() {
        return maxKernelZ() <= kernelCriticalZ();
    }

    public double maxAbsSkewness() {
        return columns.stream().mapToDouble(c -> Math.abs(c.skewness())).max().orElse(0);
    }

    public double maxAbsExcessKurtosis() {
        return columns.stream().mapToDouble(c -> Math.abs(c.excessKurtosis())).max().orElse(0);
    }

    public double maxCorrelation() {
        return maxCorrelation;
    }

    /** The report as one JSON object (stable keys; numbers as doubles). */
    public ObjectNode toJson() {
        ObjectNode o = new ObjectMapper().createObjectNode();
        o.put("source", source).put("preparation", preparation).put("rows", n).put("d", columns.size()).put("alpha", alpha);
        ObjectNode summary = o.putObject("summary");
        summary.put("max_abs_skewness", maxAbsSkewness()).put("max_abs_excess_kurtosis", maxAbsExcessKurtosis())
                .put("max_abs_correlation", maxCorrelation);
        ObjectNode norm = o.putObject("normality");
        norm.put("test", "Kolmogorov-Smirnov per column against N(0, 1), Bonferroni over columns")
                .put("column_level", columnLevel()).put("consistent", marginalsConsistentWithStandardNormal());
        ArrayNode rej = norm.putArray("rejected_columns");
        nonNormalColumns().forEach(rej::add);
        ArrayNode cols = o.putArray("columns");
        for (Column c : columns) {
            cols.addObject().put("name", c.name()).put("mean", c.mean()).put("variance", c.variance()).put("skewness", c.skewness())
                    .put("excess_kurtosis", c.excessKurtosis()).put("ks_statistic", c.ksStatistic()).put("ks_p_value", c.ksPValue());
        }
        ObjectNode k = o.putObject("relu_kernel");
        k.put("what", "E[relu(<a,x>) relu(<b,x>)] over the rows vs the N(0, I) closed form, unit directions")
                .put("critical_abs_z", kernelCriticalZ()).put("max_abs_z", maxKernelZ()).put("consistent", kernelConsistentWithGaussian());
        ArrayNode ps = k.putArray("pairs");
        for (KernelPair p : kernel) {
            ps.addObject().put("cosine", p.cosine()).put("empirical", p.empirical()).put("standard_error", p.standardError())
                    .put("gaussian", p.gaussian()).put("z", p.z());
        }
        return o;
    }
}
