package io.idrelu.claims.setting;

import io.idrelu.claims.ClaimContext;
import io.idrelu.claims.ClaimResult;
import io.idrelu.claims.Decisive;
import io.idrelu.claims.Preset;
import io.idrelu.claims.Replay;
import io.idrelu.claims.Units;
import io.idrelu.claims.Verdict;
import io.idrelu.model.GaussianSampler;
import io.idrelu.setting.InputSampler;
import io.idrelu.setting.MonteCarloPopulation;
import io.idrelu.setting.NetworkAudit;
import io.idrelu.setting.NetworkKernel;
import io.idrelu.setting.NetworkKernels;
import io.idrelu.setting.PopulationRoute;
import io.idrelu.setting.Setting;
import io.idrelu.setting.SettingClosedForm;
import io.idrelu.setting.SettingProblem;
import io.idrelu.setting.reference.SettingPopulation;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Claim A2 under a setting other than [LY17] (issue 11; proofs-notes/A2.md "Under other settings"): the fast population
 * loss and gradient agree with the reference within a derived bound, by the setting's {@link PopulationRoute}:
 * <ul>
 *   <li>closed form (Gaussian(Sigma) + ReLU, N(0, I) + leaky ReLU, label noise): {@link SettingClosedForm} (today's fast
 *       closed form on transformed units, with its bound) against {@link SettingPopulation#closedForm} at 40 digits;</li>
 *   <li>finite law (data set, Rademacher at small d): the fast full batch over the whole support ({@code NetworkKernel})
 *       against the exact full batch ({@code ExactNetwork}), bound from {@code NetworkBounds} ({@link NetworkAudit});</li>
 *   <li>no closed form (Student-t, GELU, K blocks, ...): both paths on the same fixed Monte Carlo sample (running bound,
 *       {@link NetworkAudit}); the population loss is reported with its CLT interval ({@link MonteCarloPopulation}).
 *       There A2 tests the arithmetic of the fast path, not a closed form.</li>
 * </ul>
 * At each d: the points {@code W0}, {@code W*} and {@code W* + 1e-3 (W0 - W*)} of {@code SettingProblem.random}.
 * VIOLATED with the witness when any quantity's {@code |fast - exact| / bound > 1}.
 */
public final class A2UnderSetting {
    /** Digits of the closed-form reference (as today's A2). */
    public static final int REF_DIGITS = 40;
    /** Two-sided CLT multiplier of the reported Monte Carlo intervals (as proofs-notes/settings.md section 7). */
    public static final double Z = 4.5;

    private A2UnderSetting() { }

    /** Dimensions per preset (when the law does not fix d), Monte Carlo audit rows and estimate rows. */
    record Config(int[] dims, int auditRows, int mcBatches, int mcBatchSize) {
        static Config forPreset(Preset p) {
            return switch (p) {
                case QUICK -> new Config(new int[] {2, 4}, 16, 16, 1024);
                case DEFAULT -> new Config(new int[] {2, 4, 8}, 32, 64, 4096);
                case PAPER -> new Config(new int[] {8, 16}, 32, 64, 4096);
                case DEEP -> new Config(new int[] {4, 8, 16, 32}, 64, 256, 4096);
            };
        }
    }

    public static ClaimResult run(ClaimContext ctx) {
        return run(ctx, s -> s);
    }

    /**
     * As {@link #run(ClaimContext)}, with the fast path handed {@code fastSetting.apply(setting)} instead of the setting
     * (a negative control: a wrong leaky slope, Sigma ignored; the reference keeps the true setting).
     */
    public static ClaimResult run(ClaimContext ctx, UnaryOperator<Setting> fastSetting) {
        long t0 = System.nanoTime();
        Config cfg = Config.forPreset(ctx.preset());
        NetworkKernel net = NetworkKernels.matching(ctx.kernel()); // the kernel --kernel chose, audited
        int[] dims = ctx.dimensionFixed() ? new int[] {ctx.setting().d()} : cfg.dims();
        PopulationRoute route = PopulationRoute.of(ctx.setting());
        Worst worst = new Worst();
        List<String> cases = new ArrayList<>();
        Map<String, Object> mc = new LinkedHashMap<>();
        for (int d : dims) {
            Setting s = ctx.settingAt(d);
            long seed = GaussianSampler.trialSeed(ctx.seed(), 2000L * d);
            ctx.progress().accept("A2 (" + route + "): d=" + d);
            SettingProblem pr = SettingProblem.random(s, seed);
            List<List<double[]>> points = points(pr);
            String[] names = {"W0", "W*", "near W*"};
            for (int i = 0; i < points.size(); i++) {
                String where = "d=" + d + " " + names[i];
                Map<String, Object> replay = new LinkedHashMap<>();
                replay.put("d", d);
                replay.put("point", names[i]);
                replay.put("route", route.name());
                double before = worst.ratio;
                switch (route) {
                    case CLOSED_FORM -> closedForm(ctx, s, fastSetting.apply(s), points.get(i).get(0), pr.wStar().get(0),
                            worst, where);
                    case FINITE_LAW -> {
                        double[] x = PopulationRoute.support(s);
                        int n = x.length / d;
                        NetworkAudit a = NetworkAudit.run(net, s.architecture(), s.activation(), points.get(i),
                                pr.wStar(), x, n, null, fastSetting.apply(s).activation());
                        worst.add(where + " full batch n=" + n + ": " + a.worstQuantity(), a.worstRatio(), a.checked());
                    }
                    case MONTE_CARLO -> {
                        InputSampler sampler = InputSampler.of(s.inputs(), d);
                        InputSampler.Stream st = sampler.forTrial(seed, 1);
                        double[] x = st.batch(cfg.auditRows());
                        double sigma = s.labels().sigma();
                        double[] noise = sigma > 0 ? st.noise(cfg.auditRows(), sigma) : null;
                        NetworkAudit a = NetworkAudit.run(net, s.architecture(), s.activation(), points.get(i),
                                pr.wStar(), x, cfg.auditRows(), noise, fastSetting.apply(s).activation());
                        worst.add(where + " MC sample B=" + cfg.auditRows() + ": " + a.worstQuantity(), a.worstRatio(), a.checked());
                        if (i == 0) {
                            MonteCarloPopulation e = MonteCarloPopulation.estimate(net, s, sampler, points.get(i), pr.wStar(),
                                    GaussianSampler.trialSeed(seed, 2), cfg.mcBatches(), cfg.mcBatchSize());
                            mc.put("d=" + d + " L(W0) true units", String.format(Locale.ROOT, "%.6g +- %.3g (z = %.1f, n = %d)",
                                    e.mean(), e.halfWidth(Z), Z, e.n()));
                        }
                    }
                    default -> throw new IllegalStateException(route.name());
                }
                if (worst.ratio > before) {
                    worst.replay = new Replay("A2", replay, seed);
                }
            }
            cases.add("d=" + d + " (" + route + ")");
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("setting", ctx.setting().toString());
        details.put("route", route.name());
        details.put("dims", cases);
        details.put("what", switch (route) {
            case CLOSED_FORM -> "fast closed form on transformed units (SettingClosedForm) vs " + REF_DIGITS
                    + "-digit SettingPopulation.closedForm; bound: today's A2 bound + transformation rounding (proofs-notes/A2.md)";
            case FINITE_LAW -> "fast full batch over the whole support (NetworkKernel) vs exact full batch (ExactNetwork), "
                    + "NetworkBounds running bound: the population of the finite law, exactly";
            case MONTE_CARLO -> "no closed form: fast vs reference on the same fixed Monte Carlo sample (NetworkBounds running "
                    + "bound); A2 tests the arithmetic of the fast path, not a closed form";
        });
        if (!mc.isEmpty()) {
            details.put("monteCarloPopulationLoss", mc);
        }
        if (ctx.setting().labels().sigma() > 0 && route == PopulationRoute.FINITE_LAW) {
            details.put("noise", "the finite law's full batch is noiseless; label noise adds sigma^2 to L (gradient unchanged)");
        }
        details.put("checked", worst.count);
        details.put("worst", worst.where);
        details.put("units", "true units; the decisive number is a ratio");
        Verdict v = worst.ratio <= 1 ? Verdict.HOLDS : Verdict.VIOLATED;
        String why = v == Verdict.HOLDS ? "" : "|fast - exact| > bound at " + worst.where;
        return new ClaimResult("A2", "fast population loss and gradient agree with the reference within the derived bound",
                v, worst.ratio, 1.0, "<=", Units.NONE, 1 - worst.ratio, Double.NaN, Double.NaN, worst.count, worst.replay,
                details, (System.nanoTime() - t0) / 1e9)
                .explained(Decisive.of("max |fast - exact|/bound", worst.ratio, "<=", 1.0, Units.NONE), why);
    }

    /** {@code W0}, {@code W*} and {@code W* + 1e-3 (W0 - W*)} (every block). */
    static List<List<double[]>> points(SettingProblem pr) {
        List<double[]> w0 = pr.w0();
        List<double[]> ws = pr.wStar();
        List<double[]> near = new ArrayList<>();
        for (int k = 0; k < w0.size(); k++) {
            double[] m = new double[w0.get(k).length];
            for (int i = 0; i < m.length; i++) {
                m[i] = ws.get(k)[i] + 1e-3 * (w0.get(k)[i] - ws.get(k)[i]);
            }
            near.add(m);
        }
        return List.of(w0, ws, near);
    }

    /** The closed-form route at one point: loss and every gradient entry. */
    static void closedForm(ClaimContext ctx, Setting s, Setting fast, double[] w, double[] ws, Worst worst, String where) {
        int d = s.d();
        SettingClosedForm.Value f = new SettingClosedForm(ctx.kernel(), fast).at(w, ws);
        SettingPopulation.ClosedForm ref = SettingPopulation.closedForm(s, REF_DIGITS, w, ws);
        double refRel = Math.pow(10, 2 - REF_DIGITS);
        worst.check(where + " loss", f.loss(), ref.loss(), f.lossBound() + refRel * (1 + Math.abs(f.loss())));
        for (int r = 0; r < d; r++) {
            for (int j = 0; j < d; j++) {
                double g = f.gradient()[r * d + j];
                worst.check(where + " grad[" + r + "][" + j + "]", g, ref.gradient()[r][j],
                        f.gradientBound()[r * d + j] + refRel * (1 + Math.abs(g)));
            }
        }
    }

    /** The largest {@code |fast - exact| / bound} seen, where, and how many quantities. */
    static final class Worst {
        double ratio;
        String where = "none";
        long count;
        Replay replay;

        void check(String name, double fast, BigDecimal exact, double bound) {
            BigDecimal err = new BigDecimal(fast).subtract(exact).abs();
            double r = err.signum() == 0 ? 0 : err.doubleValue() / bound;
            add(name + ": |" + fast + " - " + exact.round(new MathContext(17)) + "| = " + err.round(new MathContext(3))
                    + " vs bound " + String.format(Locale.ROOT, "%.3g", bound), Double.isNaN(r) ? Double.POSITIVE_INFINITY : r, 1);
        }

        void add(String name, double r, long n) {
            count += n;
            if (r > ratio || (count == n && ratio == 0)) {
                ratio = Math.max(ratio, r);
                where = name;
            }
        }
    }
}
