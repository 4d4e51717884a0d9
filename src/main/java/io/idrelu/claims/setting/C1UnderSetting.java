package io.idrelu.claims.setting;

import io.idrelu.claims.Applicability;
import io.idrelu.claims.ClaimContext;
import io.idrelu.claims.ClaimResult;
import io.idrelu.claims.Decisive;
import io.idrelu.claims.Interval;
import io.idrelu.claims.Preset;
import io.idrelu.claims.Replay;
import io.idrelu.claims.Units;
import io.idrelu.claims.Verdict;
import io.idrelu.model.GaussianSampler;
import io.idrelu.setting.NetworkKernels;
import io.idrelu.setting.Activation;
import io.idrelu.setting.DataMatrix;
import io.idrelu.setting.InputLaw;
import io.idrelu.setting.InputSampler;
import io.idrelu.setting.MonteCarloPopulation;
import io.idrelu.setting.Setting;
import io.idrelu.setting.SettingProblem;
import io.idrelu.setting.reference.ExactNetwork;
import io.idrelu.setting.reference.SettingPopulation;
import org.apache.commons.math3.distribution.NormalDistribution;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * C1 under a setting other than [LY17]'s (issue 11; proofs-notes/C1.md "Under other settings"): the setting's exact
 * population loss equals the Monte Carlo mean of the squared residual, row by row from the setting's input law and label
 * model ({@link MonteCarloPopulation}, the generic fast path). The population loss, computed before and independently of
 * the sample ({@code SettingPopulation}, proofs-notes/settings.md section 7):
 * <ul>
 *   <li>ReLU, one block, {@code N(0, I)} or {@code N(0, Sigma)}: the closed form (Sigma through its Cholesky factor);</li>
 *   <li>leaky ReLU, one block, {@code N(0, I)}: the closed form of the ReLU decomposition;</li>
 *   <li>Rademacher ({@code d <= 16}) or a data set, any activation and depth: one exact full batch over the support;</li>
 *   <li>label noise: {@code + sigma^2} (noise independent of x).</li>
 * </ul>
 * Per instance an interval {@code mean +- z se} with {@code z} at the Bonferroni level {@code 1 - 0.001 / P} over the
 * {@code P} instances (two-sided); HOLDS when every interval contains the population value, VIOLATED (with the instance
 * as witness) when one excludes it: under the claim the family-wise chance of a false VIOLATED is at most 0.001 (CLT).
 * A wrong closed form, a sampler off the stated law, or a noise term forgotten on either side makes it fail
 * (negative controls in {@code C1UnderSettingTest}).
 */
public final class C1UnderSetting {
    private C1UnderSetting() { }

    /** Family-wise confidence of the simultaneous intervals (as [LY17]'s C1). */
    static final double FAMILY_LEVEL = 0.999;
    /** Digits of the population value (its error is far below any interval half-width here). */
    static final int DIGITS = 30;

    /** Dimensions, instances per d, Monte Carlo batches and rows per batch for a preset. */
    record Sizes(int[] dims, int seeds, int batches, int batchSize) {
        static Sizes of(Preset p) {
            return switch (p) {
                case QUICK -> new Sizes(new int[] {2, 4}, 2, 400, 8);
                case DEFAULT -> new Sizes(new int[] {2, 3, 5, 8}, 2, 2000, 16);
                case PAPER -> new Sizes(new int[] {10}, 2, 2000, 64);
                case DEEP -> new Sizes(new int[] {2, 5, 10}, 4, 20000, 32);
            };
        }
    }

    /** Why C1 has no population value to compare with under {@code s}, or empty when it runs. */
    public static Optional<String> applicability(String id, Setting s) {
        if (s.isLy17() || finiteLaw(s, s.d()) || Applicability.noClosedForm(s).isEmpty()) {
            return Optional.empty();
        }
        return Applicability.notApplicable(id, Applicability.noClosedForm(s).get()
                + ", and no finite support to sum over", s);
    }

    private static boolean finiteLaw(Setting s, int d) {
        return s.inputs() instanceof InputLaw.DataSet
                || s.inputs() instanceof InputLaw.Rademacher && d <= SettingPopulation.MAX_RADEMACHER_D;
    }

    public static ClaimResult run(ClaimContext ctx, String id, String statement) {
        return run(ctx, id, statement, UnaryOperator.identity());
    }

    /**
     * As {@link #run(ClaimContext, String, String)}, with the population value computed under {@code populationSetting}
     * of the run's setting (negative controls: a wrong slope, the noise forgotten).
     */
    static ClaimResult run(ClaimContext ctx, String id, String statement, UnaryOperator<Setting> populationSetting) {
        long t0 = System.nanoTime();
        Sizes sz = Sizes.of(ctx.preset());
        int[] dims = ctx.dimensionFixed() ? new int[] {ctx.setting().d()} : sz.dims();
        int instances = dims.length * sz.seeds();
        double perLevel = Interval.bonferroni(FAMILY_LEVEL, instances);
        double zCrit = new NormalDistribution().inverseCumulativeProbability(1 - (1 - perLevel) / 2);
        double worstZ = -1;
        Replay witness = null;
        List<String> failures = new ArrayList<>();
        List<Map<String, Object>> cases = new ArrayList<>();
        String how = "";
        for (int d : dims) {
            Setting s = ctx.dimensionFixed() ? ctx.setting() : ctx.settingAt(d);
            InputSampler sampler = InputSampler.of(s.inputs(), d);
            for (int i = 0; i < sz.seeds(); i++) {
                long seed = GaussianSampler.trialSeed(ctx.seed(), 100L * d + i);
                ctx.progress().accept("C1 (" + Applicability.label(s) + "): d=" + d + " instance " + i);
                SettingProblem p = SettingProblem.random(s, seed);
                Population pop = population(populationSetting.apply(s), sampler, p);
                how = pop.how();
                MonteCarloPopulation mc = MonteCarloPopulation.estimate(NetworkKernels.matching(ctx.kernel()), s, sampler, p.w0(), p.wStar(),
                        GaussianSampler.trialSeed(seed, 1), sz.batches(), sz.batchSize());
                double z = Math.abs(pop.value() - mc.mean()) / mc.standardError();
                Map<String, Object> c = new LinkedHashMap<>();
                c.put("d", d);
                c.put("instance", i);
                c.put("population", pop.value());
                c.put("monteCarloMean", mc.mean());
                c.put("standardError", mc.standardError());
                c.put("rows", mc.n());
                c.put("z", z);
                cases.add(c);
                boolean fail = !(z <= zCrit);
                if (fail && failures.size() < 10) {
                    failures.add("d=" + d + " instance " + i + ": population L = " + pop.value() + " outside Monte Carlo "
                            + mc.mean() + " +- " + zCrit * mc.standardError() + " (|z| = " + z + ")");
                }
                if (witness == null || z > worstZ) {
                    Map<String, Object> wc = new LinkedHashMap<>(c);
                    wc.put("setting", Applicability.label(s));
                    witness = new Replay(id, wc, seed);
                    worstZ = Math.max(worstZ, z);
                }
            }
        }
        Verdict v = failures.isEmpty() ? Verdict.HOLDS : Verdict.VIOLATED;
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("setting", Applicability.label(ctx.setting()));
        details.put("dims", dims);
        details.put("population", how);
        details.put("monteCarlo", sz.batches() + " batches x " + sz.batchSize() + " rows per instance, mean of (f(x, W0) - y)^2");
        details.put("familyLevel", FAMILY_LEVEL);
        details.put("zCritical", zCrit);
        details.put("failures", failures);
        details.put("cases", cases);
        details.put("units", "loss in true units (L = E[(f(x,W) - y)^2]); z dimensionless");
        String why = v == Verdict.HOLDS ? "" : failures.size() + " instance(s) outside their interval, first: " + failures.get(0);
        return new ClaimResult(id, statement, v, worstZ, zCrit, "<=", Units.NONE, zCrit - worstZ, Double.NaN, Double.NaN,
                instances, witness, details, (System.nanoTime() - t0) * 1e-9)
                .explained(Decisive.of("max |L - MC mean|/se", worstZ, "<=", zCrit, Units.NONE), why);
    }

    /** The population loss of the instance and how it was computed. */
    record Population(double value, String how) { }

    static Population population(Setting s, InputSampler sampler, SettingProblem p) {
        int d = s.d();
        List<BigDecimal[][]> w = ExactNetwork.exact(p.w0(), d);
        List<BigDecimal[][]> ws = ExactNetwork.exact(p.wStar(), d);
        MathContext mc = new MathContext(DIGITS, RoundingMode.HALF_EVEN);
        BigDecimal loss;
        String how;
        if (s.inputs() instanceof InputLaw.DataSet || s.inputs() instanceof InputLaw.Rademacher) {
            BigDecimal[][] rows;
            if (s.inputs() instanceof InputLaw.DataSet) {
                DataMatrix m = sampler.data();
                rows = ExactNetwork.exact(m.values(), m.rows(), d);
            } else {
                rows = SettingPopulation.rademacherSupport(d);
            }
            loss = SettingPopulation.finiteLaw(s.architecture(), s.activation(), DIGITS, w, ws, rows).loss(mc);
            how = "exact full batch over the " + rows.length + " support points";
        } else if (s.activation() instanceof Activation.LeakyRelu l) {
            loss = SettingPopulation.gaussianLeakyLoss(DIGITS, l.a(), s.architecture().identity(), w.get(0), ws.get(0));
            how = "closed form of leaky ReLU under N(0, I) (ReLU decomposition)";
        } else if (s.activation() instanceof Activation.Relu) {
            double[] chol = s.inputs() instanceof InputLaw.GaussianCov g ? InputSampler.cholesky(g.sigma(), d) : identity(d);
            loss = SettingPopulation.gaussianCovReluLoss(DIGITS, s.architecture().identity(), w.get(0), ws.get(0), chol);
            how = s.inputs() instanceof InputLaw.GaussianCov ? "closed form under N(0, Sigma) via its Cholesky factor"
                    : "closed form under N(0, I)";
        } else {
            throw new IllegalStateException("C1: no population value for " + Applicability.label(s) + " (applicability should have said so)");
        }
        if (s.labels().sigma() > 0) {
            loss = SettingPopulation.withNoise(loss, s.labels().sigma());
            how += ", + sigma^2 (label noise)";
        }
        return new Population(loss.doubleValue(), how);
    }

    private static double[] identity(int d) {
        double[] c = new double[d * d];
        for (int i = 0; i < d; i++) {
            c[i * d + i] = 1;
        }
        return c;
    }
}
