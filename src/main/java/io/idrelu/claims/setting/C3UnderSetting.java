package io.idrelu.claims.setting;

import io.idrelu.claims.Applicability;
import io.idrelu.claims.C1PopulationLossMatchesMonteCarlo;
import io.idrelu.claims.ClaimContext;
import io.idrelu.claims.ClaimResult;
import io.idrelu.claims.Decisive;
import io.idrelu.claims.Interval;
import io.idrelu.claims.Replay;
import io.idrelu.claims.Units;
import io.idrelu.claims.Verdict;
import io.idrelu.model.GaussianSampler;
import io.idrelu.setting.DataMatrix;
import io.idrelu.setting.FastValues;
import io.idrelu.setting.InputLaw;
import io.idrelu.setting.InputSampler;
import io.idrelu.setting.NetworkKernel;
import io.idrelu.setting.NetworkKernels;
import io.idrelu.setting.PopulationRoute;
import io.idrelu.setting.Setting;
import io.idrelu.setting.SettingClosedForm;
import io.idrelu.setting.SettingProblem;
import io.idrelu.setting.reference.ExactNetwork;
import io.idrelu.setting.reference.NetworkValues;
import io.idrelu.setting.reference.SettingPopulation;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * C3 under a setting other than [LY17]'s (issue 11; proofs-notes/C3.md "Under other settings"): the setting's population
 * gradient, computed before and independently of any sample, equals the Monte Carlo mean of batch gradients drawn from
 * the setting's input law and label model (generic fast path {@link NetworkKernel}), in true units. The population
 * gradient ({@link PopulationRoute}):
 * <ul>
 *   <li>closed form (one block; ReLU with {@code N(0, I)} or {@code N(0, Sigma)}, leaky ReLU with {@code N(0, I)}):
 *       {@link SettingPopulation#closedForm} at {@value #DIGITS} digits. The double fast path
 *       ({@link SettingClosedForm}, what C8 uses) is cross-checked against it within its own A2 gradient bound;</li>
 *   <li>finite law (a data set, Rademacher at {@code d <= 16}; any activation and depth): the exact full batch over the
 *       support ({@link SettingPopulation#finiteLaw}), every block's gradient;</li>
 *   <li>label noise {@code y = f* + sigma eps}, {@code eps ~ N(0, 1)} independent of {@code x}: the batch gradient is
 *       {@code (2/B) sum_b (f - f* - sigma eps_b) df/dW}; its expectation is the noiseless one because
 *       {@code E[eps df/dW] = E[eps] E[df/dW] = 0}, so the population gradient is the noiseless one (the loss gains the
 *       constant {@code sigma^2}). The batches here carry the noise, so a gradient that forgot this would fail.</li>
 * </ul>
 * Each coordinate of each instance gets a t interval (normal for {@code n > 1000}) from {@code n} i.i.d. batch gradients at
 * the Bonferroni level {@code 1 - (1 - 0.999)/(number of coordinates)}; HOLDS when all contain the population value,
 * VIOLATED when one excludes it (family-wise false-VIOLATED chance at most 0.001, CLT) or when the fast closed form leaves
 * its bound. Under Monte Carlo settings there is no population gradient other than Monte Carlo itself: NOT_APPLICABLE.
 * Negative controls ({@code C3UnderSettingTest}): the population gradient of a wrong slope, or of the wrong law, is VIOLATED.
 */
public final class C3UnderSetting {
    private C3UnderSetting() { }

    /** Family-wise confidence of the simultaneous intervals (as [LY17]'s C3). */
    static final double FAMILY_LEVEL = 0.999;
    /** Digits of the population gradient (its error is far below any interval half-width here). */
    static final int DIGITS = 30;

    /** Why C3 has no population gradient to compare with under {@code s}, or empty when it runs. */
    public static Optional<String> applicability(String id, Setting s) {
        if (s.isLy17() || PopulationRoute.of(s) != PopulationRoute.MONTE_CARLO) {
            return Optional.empty();
        }
        return Applicability.notApplicable(id, Applicability.noClosedForm(s).orElse("no closed form")
                + " and no finite support: the only population gradient is Monte Carlo itself, nothing independent to compare with", s);
    }

    public static ClaimResult run(ClaimContext ctx, String id, String statement) {
        return run(ctx, id, statement, UnaryOperator.identity());
    }

    /**
     * As {@link #run(ClaimContext, String, String)} with the population gradient computed under {@code populationSetting}
     * of the run's setting (negative controls).
     */
    static ClaimResult run(ClaimContext ctx, String id, String statement, UnaryOperator<Setting> populationSetting) {
        long t0 = System.nanoTime();
        C1UnderSetting.Sizes sz = C1UnderSetting.Sizes.of(ctx.preset());
        int[] dims = ctx.dimensionFixed() ? new int[] {ctx.setting().d()} : sz.dims();
        int blocks = ctx.setting().architecture().blocks();
        long tests = 0;
        for (int d : dims) {
            tests += (long) sz.seeds() * blocks * d * d;
        }
        double perLevel = Interval.bonferroni(FAMILY_LEVEL, (int) tests);
        NetworkKernel net = NetworkKernels.matching(ctx.kernel());   // same bits as the scalar kernel, faster
        Verdict mcVerdict = Verdict.HOLDS;
        Verdict crossVerdict = Verdict.HOLDS;
        double worstZ = -1;
        double worstQ = Double.NaN;
        double worstCross = 0;
        long excluded = 0;
        String worstText = "";
        Replay witness = null;
        String how = "";
        List<Object> table = new ArrayList<>();
        for (int d : dims) {
            Setting s = ctx.dimensionFixed() ? ctx.setting() : ctx.settingAt(d);
            InputSampler sampler = InputSampler.of(s.inputs(), d);
            double sigma = s.labels().sigma();
            for (int i = 0; i < sz.seeds(); i++) {
                long seed = GaussianSampler.trialSeed(ctx.seed(), 100L * d + i);
                SettingProblem p = SettingProblem.random(s, seed);
                List<double[]> w = p.w0();
                List<double[]> ws = p.wStar();
                Population pop = population(populationSetting.apply(s), ctx.kernel(), w, ws);
                how = pop.how();
                worstCross = Math.max(worstCross, pop.crossOverBound());
                if (!(pop.crossOverBound() <= 1)) {
                    crossVerdict = Verdict.VIOLATED;
                }
                // i.i.d. batch gradients from the setting's law and label model (noise included)
                InputSampler.Stream st = sampler.stream(GaussianSampler.trialSeed(seed, 3));
                int n = sz.batches();
                int b = sz.batchSize();
                double[][] mean = new double[blocks][d * d];
                double[][] m2 = new double[blocks][d * d];
                for (int t = 0; t < n; t++) {
                    double[] x = st.batch(b);
                    double[] noise = sigma > 0 ? st.noise(b, sigma) : null;
                    FastValues f = net.evaluate(s.architecture(), s.activation(), w, ws, x, b, noise);
                    for (int k = 0; k < blocks; k++) {
                        double[] g = f.gradients().get(k);
                        for (int c = 0; c < d * d; c++) {
                            double delta = g[c] - mean[k][c];
                            mean[k][c] += delta / (t + 1);
                            m2[k][c] += delta * (g[c] - mean[k][c]);
                        }
                    }
                }
                double cellZ = 0;
                for (int k = 0; k < blocks; k++) {
                    for (int c = 0; c < d * d; c++) {
                        double se = Math.sqrt(m2[k][c] / (n - 1) / n);
                        double value = pop.gradient().get(k)[c];
                        Interval iv = Interval.fromMeanAndStandardError(mean[k][c], se, n, perLevel);
                        Verdict v = iv.contains(value);
                        if (v == Verdict.VIOLATED) {
                            excluded++;
                        }
                        mcVerdict = mcVerdict.worst(v);
                        double z = se > 0 ? Math.abs(mean[k][c] - value) / se : (mean[k][c] == value ? 0 : Double.POSITIVE_INFINITY);
                        cellZ = Math.max(cellZ, z);
                        if (z > worstZ) {
                            worstZ = z;
                            worstQ = C1PopulationLossMatchesMonteCarlo.quantile(iv);
                            worstText = String.format(Locale.ROOT, "block %d W[%d][%d], d = %d, instance %d: population %.6g,"
                                    + " Monte Carlo %.6g +- %.3g", k + 1, c / d, c % d, d, i, value, mean[k][c], iv.halfWidth());
                            Map<String, Object> wc = new LinkedHashMap<>();
                            wc.put("setting", Applicability.label(s));
                            wc.put("d", d);
                            wc.put("instance", i);
                            wc.put("block", k + 1);
                            wc.put("coordinate", c);
                            wc.put("batches", n);
                            wc.put("batchSize", b);
                            witness = new Replay(id, wc, seed);
                        }
                    }
                }
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("d", d);
                row.put("instance", i);
                row.put("maxAbsZ", cellZ);
                row.put("fastVsPopulationOverBound", pop.crossOverBound());
                table.add(row);
                ctx.progress().accept("C3 (" + Applicability.label(s) + "): d=" + d + " instance " + i + " max|z|=" + cellZ);
            }
        }
        Verdict verdict = mcVerdict.worst(crossVerdict);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("setting", Applicability.label(ctx.setting()));
        details.put("dims", dims);
        details.put("population", how);
        details.put("monteCarlo", sz.batches() + " batches x " + sz.batchSize() + " rows per instance from the setting's law"
                + (ctx.setting().labels().sigma() > 0 ? ", labels with their noise" : ""));
        details.put("mcVerdict", mcVerdict.name());
        details.put("crossCheckVerdict", crossVerdict.name());
        details.put("familyLevel", FAMILY_LEVEL);
        details.put("perCoordinateLevel", perLevel);
        details.put("coordinatesTested", tests);
        details.put("coordinatesExcluded", excluded);
        details.put("maxAbsZ", worstZ);
        details.put("worstCoordinate", worstText);
        details.put("maxFastClosedFormErrorOverBound", worstCross);
        details.put("instancesTable", table);
        details.put("units", "gradient in true units (loss without 1/2); z dimensionless");
        String why = mcVerdict != Verdict.HOLDS
                ? String.format(Locale.ROOT, "%d of %d gradient coordinates outside their Monte Carlo interval: max |z| %.4g > %.4g (%s)",
                        excluded, tests, worstZ, worstQ, worstText)
                : crossVerdict != Verdict.HOLDS
                ? String.format(Locale.ROOT, "fast closed form and reference gradient differ by %.3g x the A2 bound", worstCross) : "";
        return new ClaimResult(id, statement, verdict, worstZ, worstQ, "<=", Units.NONE, worstQ - worstZ, Double.NaN, Double.NaN,
                (long) dims.length * sz.seeds() * sz.batches(), witness, details, (System.nanoTime() - t0) / 1e9)
                .explained(Decisive.of("max |z| of grad", worstZ, "<=", worstQ, Units.NONE), why);
    }

    /**
     * The population gradient per block (true units), how it was computed, and (closed form) the largest
     * {@code |fast - reference| / bound} of {@link SettingClosedForm} (0 for a finite law).
     */
    record Population(List<double[]> gradient, String how, double crossOverBound) { }

    static Population population(Setting s, io.idrelu.kernel.Kernel kernel, List<double[]> w, List<double[]> ws) {
        int d = s.d();
        MathContext mc = new MathContext(DIGITS, RoundingMode.HALF_EVEN);
        List<double[]> grads = new ArrayList<>();
        if (s.inputs() instanceof InputLaw.DataSet || s.inputs() instanceof InputLaw.Rademacher) {
            BigDecimal[][] rows;
            if (s.inputs() instanceof InputLaw.DataSet) {
                DataMatrix m = InputSampler.of(s.inputs(), d).data();
                rows = ExactNetwork.exact(m.values(), m.rows(), d);
            } else {
                rows = SettingPopulation.rademacherSupport(d);
            }
            NetworkValues v = SettingPopulation.finiteLaw(s.architecture(), s.activation(), DIGITS, ExactNetwork.exact(w, d),
                    ExactNetwork.exact(ws, d), rows);
            for (int k = 1; k <= w.size(); k++) {
                grads.add(doubles(v.gradient(k, mc), d));
            }
            return new Population(grads, "exact full batch over the " + rows.length + " support points (every block)", 0);
        }
        double[] ref = doubles(SettingPopulation.closedForm(s, DIGITS, w.get(0), ws.get(0)).gradient(), d);
        // the noise adds sigma^2 to the loss only: the fast closed form of the noiseless setting has the same gradient
        SettingClosedForm.Value fast = new SettingClosedForm(kernel, s).at(w.get(0), ws.get(0));
        double worst = 0;
        for (int c = 0; c < d * d; c++) {
            double err = Math.abs(fast.gradient()[c] - ref[c]);
            worst = Math.max(worst, err == 0 ? 0 : err / fast.gradientBound()[c]);
        }
        grads.add(ref);
        return new Population(grads, "closed form at " + DIGITS + " digits (" + Applicability.label(s) + "), gradient unchanged"
                + " by label noise; fast closed form cross-checked within its A2 bound", worst);
    }

    private static double[] doubles(BigDecimal[][] g, int d) {
        double[] out = new double[d * d];
        for (int r = 0; r < d; r++) {
            for (int c = 0; c < d; c++) {
                out[r * d + c] = g[r][c].doubleValue();
            }
        }
        return out;
    }
}
