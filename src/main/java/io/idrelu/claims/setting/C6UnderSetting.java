package io.idrelu.claims.setting;

import io.idrelu.claims.Applicability;
import io.idrelu.claims.C6GradientNormBounds;
import io.idrelu.claims.ClaimContext;
import io.idrelu.claims.ClaimResult;
import io.idrelu.claims.Decisive;
import io.idrelu.claims.Interval;
import io.idrelu.claims.OnePoint;
import io.idrelu.claims.Replay;
import io.idrelu.claims.Units;
import io.idrelu.claims.Verdict;
import io.idrelu.model.GaussianSampler;
import io.idrelu.model.Matrices;
import io.idrelu.setting.NetworkKernel;
import io.idrelu.setting.NetworkKernels;
import io.idrelu.setting.PopulationRoute;
import io.idrelu.setting.Setting;
import io.idrelu.setting.SettingClosedForm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * C6 under a one-block setting with an exact population gradient (issue 11; proofs-notes/C6.md "Under other settings"):
 * the decided part of [LY17]'s C6, the exponent {@code a} in {@code ||grad L(W* + t D)||_F ~ t^a} near {@code W*}, on the
 * <b>setting's</b> population gradient (the fast closed form {@link SettingClosedForm} of leaky ReLU or {@code N(0, Sigma)},
 * or a data set's full batch over its rows with {@link NetworkKernel}), with [LY17]'s pairs and draws
 * ({@link C6GradientNormBounds#pair}) and its decision: HOLDS when the t interval of the exponent over pairs lies in
 * {@code (3/4, 3/2)}, VIOLATED when it lies outside, INCONCLUSIVE otherwise. Also measured (not decided): the largest
 * {@code ||grad L|| / ||W - W*||_F} near {@code W*} and on random pairs of the gamma ball. [LY17]'s stochastic-gradient
 * measurements (batch norms at N(0, I) rows) are not repeated here.
 *
 * <p>Where it applies ({@link #applicability}): one block; label noise alone: the population gradient is [LY17]'s
 * ({@code L_noisy = L + sigma^2}, derivation in {@link C9UnderSetting}), so the decided exponent carries over (the
 * stochastic gradient's norm does change by the noise term {@code -(2/B) sum sigma eps_b df/dW}; [LY17]'s C6 only reports
 * it); Monte Carlo: NOT_APPLICABLE (the exponent needs the gradient at {@code t = 1e-3 gamma}, where its norm is far below
 * a Monte Carlo interval's width). Negative control ({@code C6UnderSettingTest}): a gradient offset by a constant is
 * VIOLATED (exponent near 0).
 */
public final class C6UnderSetting {
    private C6UnderSetting() { }

    /** Why C6 does not run under {@code s}, or empty when it does. */
    public static Optional<String> applicability(String id, Setting s) {
        if (s.isLy17()) {
            return Optional.empty();
        }
        if (s.architecture().blocks() != 1) {
            return Applicability.notApplicable(id, "the norm bounds ||grad L|| <= c ||W - W*|| are stated for one block", s);
        }
        if (Applicability.onlyNoise(s)) {
            return Applicability.notApplicable(id, "label noise adds sigma^2 to L and leaves grad L unchanged (E[eps] = 0, eps"
                    + " independent of x): [LY17]'s decided C6 exponent carries over (not re-run)", s);
        }
        if (PopulationRoute.of(s) == PopulationRoute.MONTE_CARLO) {
            return Applicability.notApplicable(id, Applicability.noClosedForm(s).orElse("no closed form")
                    + ": the exponent needs ||grad L|| at distance 1e-3 gamma, far below a Monte Carlo interval's width", s);
        }
        return Optional.empty();
    }

    public static ClaimResult run(ClaimContext ctx, C6GradientNormBounds.Config cfg, String id, String statement) {
        return run(ctx, cfg, id, statement, UnaryOperator.identity());
    }

    /** As above with the population gradient replaced by {@code perturb} of the setting's (negative controls). */
    static ClaimResult run(ClaimContext ctx, C6GradientNormBounds.Config cfg, String id, String statement,
                           UnaryOperator<C6GradientNormBounds.GradientFunction> perturb) {
        long t0 = System.nanoTime();
        int[] dims = ctx.dimensionFixed() ? new int[] {ctx.setting().d()} : cfg.dims();
        C6GradientNormBounds.GradientFunction grad = perturb.apply(gradient(ctx));
        List<Double> slopes = new ArrayList<>();
        List<String> perD = new ArrayList<>();
        long index = 0;
        long trials = 0;
        double worstDistance = -1;
        double worstSlope = Double.NaN;
        long worstSeed = 0;
        int worstD = 0;
        for (int d : dims) {
            double cNear = 0;
            for (int p = 0; p < cfg.pairs(); p++) {
                long seed = GaussianSampler.trialSeed(ctx.seed(), index++);
                C6GradientNormBounds.PairFit f = C6GradientNormBounds.pair(grad, d, cfg.gamma(), cfg.distances(), seed);
                trials++;
                slopes.add(f.slope());
                cNear = Math.max(cNear, f.maxRatioTrue());
                double dist = Double.isNaN(f.slope()) ? Double.POSITIVE_INFINITY : Math.abs(f.slope() - 1);
                if (dist > worstDistance) {
                    worstDistance = dist;
                    worstSlope = f.slope();
                    worstSeed = seed;
                    worstD = d;
                }
            }
            // the whole gamma ball: independent W, W* (as [LY17]'s region pairs)
            double cRegion = 0;
            for (int p = 0; p < cfg.regionPairs(); p++) {
                GaussianSampler s = GaussianSampler.forTrial(ctx.seed(), index++);
                double[] w = OnePoint.randomWithSpectralNorm(s, d, cfg.gamma() * Math.min(1, 0.05 + Math.abs(s.next()) / 2));
                double[] ws = OnePoint.randomWithSpectralNorm(s, d, cfg.gamma() * Math.min(1, 0.05 + Math.abs(s.next()) / 2));
                cRegion = Math.max(cRegion, Matrices.frobeniusNorm(grad.gradient(d, w, ws)) / Math.sqrt(Matrices.squaredDistance(w, ws)));
                trials++;
            }
            perD.add(String.format(Locale.ROOT, "d=%d cNear(true)=%.4g cNear(paper)=%.4g cRegion(true)=%.4g", d, cNear,
                    Math.PI * cNear, cRegion));
            ctx.progress().accept("C6 (" + Applicability.label(ctx.setting()) + ") d=" + d + " cNear(true)=" + C8UnderSetting.fmt(cNear));
        }
        Interval exponent = Interval.forMean(slopes.stream().mapToDouble(Double::doubleValue).toArray(), cfg.level());
        Verdict v;
        if (exponent.low() > C6GradientNormBounds.EXPONENT_LOW && exponent.high() < C6GradientNormBounds.EXPONENT_HIGH) {
            v = Verdict.HOLDS;
        } else if (exponent.high() < C6GradientNormBounds.EXPONENT_LOW || exponent.low() > C6GradientNormBounds.EXPONENT_HIGH) {
            v = Verdict.VIOLATED;
        } else {
            v = Verdict.INCONCLUSIVE;
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("setting", Applicability.label(ctx.setting()));
        details.put("route", PopulationRoute.of(ctx.setting()).name());
        details.put("gradient", PopulationRoute.of(ctx.setting()) == PopulationRoute.CLOSED_FORM
                ? "fast closed form (SettingClosedForm)" : "full batch over the support (NetworkKernel)");
        details.put("dims", Arrays.toString(dims));
        details.put("pairs", cfg.pairs());
        details.put("distances", Arrays.toString(cfg.distances()));
        details.put("perDimension", perD);
        details.put("exponentNearWStar", exponent.mean());
        details.put("worstPairExponent", worstSlope);
        details.put("exponentInterval", "[" + exponent.low() + ", " + exponent.high() + "] at level " + cfg.level());
        details.put("notMeasured", "stochastic-gradient norms (batch 1 and " + cfg.batch() + "): [LY17]'s C6 reports them under N(0, I) only");
        double margin = Math.min(exponent.low() - C6GradientNormBounds.EXPONENT_LOW, C6GradientNormBounds.EXPONENT_HIGH - exponent.high());
        Map<String, Object> rc = new LinkedHashMap<>();
        rc.put("setting", Applicability.label(ctx.setting()));
        rc.put("d", worstD);
        rc.put("gamma", cfg.gamma());
        rc.put("distances", Arrays.toString(cfg.distances()));
        rc.put("mode", "pair");
        String why = v == Verdict.HOLDS ? "" : String.format(Locale.ROOT, "exponent interval [%.4g, %.4g] (level %s) %s (%s, %s)",
                exponent.low(), exponent.high(), cfg.level(), v == Verdict.VIOLATED ? "outside" : "not inside",
                C6GradientNormBounds.EXPONENT_LOW, C6GradientNormBounds.EXPONENT_HIGH);
        return new ClaimResult(id, statement, v, exponent.mean(), 1.0, "in (0.75, 1.5)", Units.NONE, margin, exponent.mean(), 1.0,
                trials, new Replay(id, rc, worstSeed), details, (System.nanoTime() - t0) / 1e9)
                .explained(Decisive.within("exponent p of ||grad L||", exponent.mean(), C6GradientNormBounds.EXPONENT_LOW,
                        C6GradientNormBounds.EXPONENT_HIGH, Units.NONE), why);
    }

    /** The setting's population gradient in true units: the fast closed form, or the full batch over a finite law's support. */
    static C6GradientNormBounds.GradientFunction gradient(ClaimContext ctx) {
        Map<Integer, SettingClosedForm> forms = new HashMap<>();
        Map<Integer, double[]> supports = new HashMap<>();
        NetworkKernel net = NetworkKernels.matching(ctx.kernel());   // same bits as the scalar kernel, faster
        return (d, w, ws) -> {
            Setting s = ctx.settingAt(d);
            if (PopulationRoute.of(s) == PopulationRoute.CLOSED_FORM) {
                return forms.computeIfAbsent(d, dd -> new SettingClosedForm(ctx.kernel(), s)).valueAt(w, ws).gradient();
            }
            double[] x = supports.computeIfAbsent(d, dd -> PopulationRoute.support(s));
            return net.evaluate(s.architecture(), s.activation(), List.of(w), List.of(ws), x, x.length / d, null).gradients().get(0);
        };
    }
}
