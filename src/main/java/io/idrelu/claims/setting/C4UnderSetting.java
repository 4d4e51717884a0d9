package io.idrelu.claims.setting;

import io.idrelu.claims.Applicability;
import io.idrelu.claims.ClaimContext;
import io.idrelu.claims.ClaimResult;
import io.idrelu.claims.Decisive;
import io.idrelu.claims.Preset;
import io.idrelu.claims.Replay;
import io.idrelu.claims.Units;
import io.idrelu.claims.Verdict;
import io.idrelu.model.GaussianSampler;
import io.idrelu.setting.DataMatrix;
import io.idrelu.setting.InputLaw;
import io.idrelu.setting.InputSampler;
import io.idrelu.setting.Setting;
import io.idrelu.setting.SettingProblem;
import io.idrelu.setting.reference.ExactNetwork;
import io.idrelu.setting.reference.NetworkValues;
import io.idrelu.setting.reference.SettingPopulation;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * C4 under a setting other than [LY17]'s (issue 11; proofs-notes/C4.md "Under other settings"): the population loss is
 * smallest at the teacher, {@code L(W*) = sigma^2} (0 when noiseless), and strictly larger at every
 * {@code W = W* + s D} that was tried (random unit-Frobenius directions {@code D} over all blocks, distances {@code s}
 * from 1e-8 to order one; for a vanilla student the teacher's point is {@code I + W*_k}). The excess {@code L(W) - L(W*) = E[(f(x, W) - f(x, W*))^2]} (label noise is independent of
 * {@code x} and cancels) is decided on the exact reference ({@code ExactNetwork}: exact BigDecimal for ReLU and leaky
 * ReLU, 30 digits for smooth activations, where a difference counts only beyond twice the reference's bound):
 * <ul>
 *   <li><b>finite laws</b> (Rademacher for d <= 16, a data set): one full batch over the support, so the excess is the
 *       population excess itself, exactly; it is 0 when the data cannot tell {@code W} from {@code W*} (e.g. a unit
 *       inactive on every row): then the claim is VIOLATED for that law, with the direction as witness;</li>
 *   <li><b>continuous laws</b> (Gaussian, Student-t, sphere, Gaussian(Sigma)): a sample of rows; a certified
 *       {@code f(x_b, W) != f(x_b, W*)} at one sample point proves a positive excess (the network is continuous and
 *       the law has a positive density around every point of its support, so they differ on a set of positive
 *       probability). No difference on any row is VIOLATED (evidence of a flat direction; at worst a false alarm of
 *       a too small sample, which the witness lets one replay).</li>
 * </ul>
 * At {@code W = W*} the residuals must be exactly 0 on every row (checked, not assumed). The column permutations of the
 * teacher are also zeros of the loss (as under [LY17]; proofs-notes/C4.md) and are not among the directions tried.
 */
public final class C4UnderSetting {
    private C4UnderSetting() { }

    /** Digits of the reference for smooth activations (as {@code NetworkAudit}). */
    static final int DIGITS = 30;

    /** Dimensions, seeds per d, directions, distances and sample rows (continuous laws) per preset. */
    record Sizes(int[] dims, int seeds, int directions, double[] scales, int rows) {
        static Sizes of(Preset p) {
            return switch (p) {
                case QUICK -> new Sizes(new int[] {2, 3}, 1, 2, new double[] {1e-8, 1e-3, 0.3}, 32);
                case DEFAULT -> new Sizes(new int[] {2, 3, 4, 5}, 2, 3, new double[] {1e-8, 1e-4, 1e-2, 0.3, 1.0}, 64);
                case PAPER -> new Sizes(new int[] {10}, 1, 2, new double[] {1e-6, 1e-2, 0.3}, 64);
                case DEEP -> new Sizes(new int[] {2, 3, 4, 5, 6, 8}, 4, 6, new double[] {1e-12, 1e-8, 1e-4, 1e-2, 0.3, 1.0, 3.0}, 128);
            };
        }
    }

    public static ClaimResult run(ClaimContext ctx, String id, String statement) {
        long t0 = System.nanoTime();
        Sizes sz = Sizes.of(ctx.preset());
        int[] dims = ctx.dimensionFixed() ? new int[] {ctx.setting().d()} : sz.dims();
        double minRatio = Double.POSITIVE_INFINITY; // smallest excess / s^2 over the directions
        Replay witness = null;
        boolean witnessFails = false;
        List<String> failures = new ArrayList<>();
        List<Map<String, Object>> cases = new ArrayList<>();
        long tried = 0;
        String support = "";
        for (int d : dims) {
            Setting s = ctx.dimensionFixed() ? ctx.setting() : ctx.settingAt(d);
            ExactNetwork ref = new ExactNetwork(s.architecture(), s.activation(), DIGITS);
            InputSampler sampler = InputSampler.of(s.inputs(), d);
            for (int seedIndex = 0; seedIndex < sz.seeds(); seedIndex++) {
                long seed = GaussianSampler.trialSeed(ctx.seed(), 4000L + 100L * d + seedIndex);
                Rows rows = rows(s, sampler, d, seed, sz.rows());
                support = rows.kind();
                SettingProblem p = SettingProblem.random(s, seed);
                List<double[]> wStar = p.wStar();
                List<BigDecimal[][]> starExact = ExactNetwork.exact(wStar, d);
                List<BigDecimal[][]> zero = studentAtTeacher(s, starExact);
                ctx.progress().accept("C4 (" + Applicability.label(s) + "): d=" + d + " seed " + seedIndex + ", " + rows.x().length + " rows, " + rows.kind());
                // at W*: every residual exactly 0
                Excess atTeacher = excess(ref, s.activation().piecewiseLinear(), zero, starExact, rows.x());
                if (atTeacher.certifiedRows() > 0 || atTeacher.sum().signum() != 0) {
                    failures.add("d=" + d + " seed " + seedIndex + ": f(x, W*) != f(x, W*) on " + atTeacher.certifiedRows() + " rows");
                }
                for (int dir = 0; dir < sz.directions(); dir++) {
                    List<double[]> dirs = direction(GaussianSampler.forTrial(seed, 100 + dir), d, wStar.size());
                    for (double scale : sz.scales()) {
                        tried++;
                        // W = (student at the teacher) + s D, exactly (the step s D_i is a double)
                        List<BigDecimal[][]> w = new ArrayList<>();
                        double dist2 = 0;
                        for (int k = 0; k < zero.size(); k++) {
                            BigDecimal[][] m = new BigDecimal[d][d];
                            for (int r = 0; r < d; r++) {
                                for (int j = 0; j < d; j++) {
                                    double step = scale * dirs.get(k)[r * d + j];
                                    m[r][j] = zero.get(k)[r][j].add(new BigDecimal(step));
                                    dist2 += step * step;
                                }
                            }
                            w.add(m);
                        }
                        Excess e = excess(ref, s.activation().piecewiseLinear(), w, starExact, rows.x());
                        double ratio = e.mean().doubleValue() / dist2;
                        Map<String, Object> c = new LinkedHashMap<>();
                        c.put("d", d);
                        c.put("seed", seedIndex);
                        c.put("direction", dir);
                        c.put("s", scale);
                        c.put("excessLoss", e.mean().doubleValue());
                        c.put("excessOverDistanceSquared", ratio);
                        c.put("rowsWhereOutputsDiffer", e.certifiedRows());
                        cases.add(c);
                        boolean fail = e.certifiedRows() == 0 || dist2 == 0;
                        if (fail && failures.size() < 10) {
                            failures.add("d=" + d + " seed " + seedIndex + " direction " + dir + " s=" + scale
                                    + ": f(x, W* + s D) = f(x, W*) on all " + rows.x().length + " rows (" + rows.kind() + ")");
                        }
                        // the witness: the first failing direction, else the one with the smallest excess ratio
                        if (fail ? !witnessFails : !witnessFails && (witness == null || ratio < minRatio)) {
                            Map<String, Object> wc = new LinkedHashMap<>(c);
                            wc.put("setting", Applicability.label(s));
                            witness = new Replay(id, wc, seed);
                            witnessFails = fail;
                        }
                        minRatio = Math.min(minRatio, ratio);
                    }
                }
            }
        }
        Verdict v = failures.isEmpty() ? Verdict.HOLDS : Verdict.VIOLATED;
        double sigma = ctx.setting().labels().sigma();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("setting", Applicability.label(ctx.setting()));
        details.put("dims", dims);
        details.put("support", support);
        details.put("minimum", sigma > 0 ? "L(W*) = sigma^2 = " + sigma * sigma + " (label noise), the excess is noise-free" : "L(W*) = 0");
        details.put("reference", ctx.setting().activation().piecewiseLinear() ? "exact BigDecimal"
                : DIGITS + " digits; a row counts as differing when |f(W) - f(W*)| > 2 x 10^-" + DIGITS + " (1 + |f|)");
        details.put("directionsTried", tried);
        details.put("minExcessOverDistanceSquared", minRatio);
        details.put("failures", failures);
        details.put("cases", cases);
        details.put("units", "loss in true units (L = E[(f(x,W) - y)^2]); distances Frobenius over all blocks");
        details.put("notChecked", "zeros at the column permutations of the teacher (they exist here as under [LY17]; proofs-notes/C4.md)");
        String why = v == Verdict.HOLDS ? "" : failures.size() + (failures.size() >= 10 ? "+" : "") + " failing, first: " + failures.get(0);
        double measured = minRatio;
        return new ClaimResult(id, statement, v, measured, 0, ">", Units.TRUE, measured, Double.NaN, Double.NaN, tried, witness,
                details, (System.nanoTime() - t0) * 1e-9)
                .explained(Decisive.of("min (L(W) - L(W*)) / |W - W*|^2", measured, ">", 0, Units.TRUE), why);
    }

    /**
     * The student's weights that compute the teacher: {@code W*} for the identity-mapped student, {@code I + W*_k} per
     * block for the vanilla one (the teacher is always identity-mapped).
     */
    static List<BigDecimal[][]> studentAtTeacher(Setting s, List<BigDecimal[][]> wStar) {
        if (s.architecture().identity()) {
            return wStar;
        }
        List<BigDecimal[][]> m = new ArrayList<>();
        for (BigDecimal[][] w : wStar) {
            BigDecimal[][] a = new BigDecimal[w.length][];
            for (int r = 0; r < w.length; r++) {
                a[r] = w[r].clone();
                a[r][r] = a[r][r].add(BigDecimal.ONE); // exact: I + W*, which no double may hold
            }
            m.add(a);
        }
        return m;
    }

    /** The rows the excess is computed on and what they are. */
    record Rows(BigDecimal[][] x, String kind) { }

    static Rows rows(Setting s, InputSampler sampler, int d, long seed, int sampleRows) {
        if (s.inputs() instanceof InputLaw.Rademacher && d <= SettingPopulation.MAX_RADEMACHER_D) {
            return new Rows(SettingPopulation.rademacherSupport(d), "exact: all 2^" + d + " sign vectors (population)");
        }
        if (s.inputs() instanceof InputLaw.DataSet) {
            DataMatrix m = sampler.data();
            return new Rows(ExactNetwork.exact(m.values(), m.rows(), d), "exact: all " + m.rows() + " rows of the data (population)");
        }
        double[] x = sampler.stream(seed).batch(sampleRows);
        return new Rows(ExactNetwork.exact(x, sampleRows, d), sampleRows + " sampled rows (positive density: one differing row proves L(W) > L(W*))");
    }

    /** {@code sum_b (f(x_b, W) - f(x_b, W*))^2}, its mean, and the rows where the outputs certainly differ. */
    record Excess(BigDecimal sum, BigDecimal mean, int certifiedRows) { }

    static Excess excess(ExactNetwork ref, boolean exact, List<BigDecimal[][]> w, List<BigDecimal[][]> wStar, BigDecimal[][] x) {
        NetworkValues v = ref.evaluate(w, wStar, x, null);
        BigDecimal tolScale = exact ? BigDecimal.ZERO : new BigDecimal("2e-" + DIGITS);
        BigDecimal sum = BigDecimal.ZERO;
        int differ = 0;
        for (int b = 0; b < x.length; b++) {
            BigDecimal r = v.residuals()[b];
            sum = sum.add(r.multiply(r));
            BigDecimal tol = tolScale.multiply(BigDecimal.ONE.add(v.outputs()[b].abs()).add(v.teacherOutputs()[b].abs()));
            if (r.abs().compareTo(tol) > 0) {
                differ++;
            }
        }
        BigDecimal mean = sum.divide(BigDecimal.valueOf(x.length), MathContext.DECIMAL64);
        return new Excess(sum, mean, differ);
    }

    /** A direction with unit Frobenius norm over all {@code blocks} blocks. */
    static List<double[]> direction(GaussianSampler g, int d, int blocks) {
        List<double[]> m = new ArrayList<>();
        double n2 = 0;
        for (int k = 0; k < blocks; k++) {
            double[] a = g.batch(d, d);
            for (double v : a) {
                n2 += v * v;
            }
            m.add(a);
        }
        double inv = 1 / Math.sqrt(n2);
        for (double[] a : m) {
            for (int i = 0; i < a.length; i++) {
                a[i] *= inv;
            }
        }
        return m;
    }
}
