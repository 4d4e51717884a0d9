package io.idrelu.claims.setting;

import io.idrelu.claims.Applicability;
import io.idrelu.claims.C9NegativeInnerProductOutsideRegion;
import io.idrelu.claims.ClaimContext;
import io.idrelu.claims.ClaimResult;
import io.idrelu.claims.Decisive;
import io.idrelu.claims.OnePoint;
import io.idrelu.claims.Replay;
import io.idrelu.claims.Units;
import io.idrelu.claims.Verdict;
import io.idrelu.model.GaussianSampler;
import io.idrelu.setting.OnePointEstimator;
import io.idrelu.setting.PopulationRoute;
import io.idrelu.setting.Setting;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * C9 under a one-block setting with an exact population gradient (issue 11; proofs-notes/C9.md "Under other settings"):
 * outside the potential condition {@code g(W) <= 197 gamma^2} the inner product {@code <-grad L(W), W* - W>} of the
 * <b>setting's</b> population gradient can be negative. The search is [LY17]'s ({@link C9NegativeInnerProductOutsideRegion#search},
 * same starts and draws) minimising the setting's one-point ratio ({@link OnePointEstimator}: the closed form of leaky
 * ReLU or {@code N(0, Sigma)}, or a data set's exact full batch). HOLDS with a witness whose ratio interval (the fast
 * value's rigorous bound) lies below 0 and whose sign the exact reference ({@link OnePointEstimator#reference}) confirms;
 * INCONCLUSIVE otherwise (absence of a witness proves nothing). A gradient with the wrong sign convention or the wrong
 * law would show as an unconfirmed witness (negative control in {@code C9UnderSettingTest}).
 *
 * <p>Where it applies ({@link #applicability}): one block (the inner product is defined per block); label noise alone:
 * {@code L_noisy(W) = E[(f(x, W) - f(x, W*) - sigma eps)^2] = L(W) - 2 sigma E[eps] E[f - f*] + sigma^2 = L(W) + sigma^2}
 * ({@code eps} independent of {@code x}, mean 0, variance 1), so {@code grad L_noisy = grad L}, the potential and the
 * region do not involve labels, and [LY17]'s witness and verdict carry over unchanged; Monte Carlo gradients:
 * NOT_APPLICABLE (a witness's sign needs an exact reference to confirm it).
 */
public final class C9UnderSetting {
    private C9UnderSetting() { }

    /** Why C9 does not run under {@code s}, or empty when it does. */
    public static Optional<String> applicability(String id, Setting s) {
        if (s.isLy17()) {
            return Optional.empty();
        }
        if (s.architecture().blocks() != 1) {
            return Applicability.notApplicable(id, "the inner product <-grad L, W* - W> is defined for one block", s);
        }
        if (Applicability.onlyNoise(s)) {
            return Applicability.notApplicable(id, "label noise adds sigma^2 to L and leaves grad L unchanged (E[eps] = 0,"
                    + " eps independent of x): [LY17]'s C9 witness and verdict carry over (not re-run)", s);
        }
        if (PopulationRoute.of(s) == PopulationRoute.MONTE_CARLO) {
            return Applicability.notApplicable(id, Applicability.noClosedForm(s).orElse("no closed form")
                    + ": the population gradient is Monte Carlo only, and a witness's sign needs an exact reference", s);
        }
        return Optional.empty();
    }

    public static ClaimResult run(ClaimContext ctx, C9NegativeInnerProductOutsideRegion.Config cfg, String id, String statement) {
        return run(ctx, cfg, id, statement, java.util.function.UnaryOperator.identity());
    }

    /** As above with the searched ratio replaced by {@code searched} of the setting's (negative controls); the verdict stays the setting's. */
    static ClaimResult run(ClaimContext ctx, C9NegativeInnerProductOutsideRegion.Config cfg, String id, String statement,
                           java.util.function.UnaryOperator<OnePoint.RatioFunction> searched) {
        long t0 = System.nanoTime();
        double thr = ctx.constants().phase1Threshold();
        int[] dims = ctx.dimensionFixed() ? new int[] {ctx.setting().d()} : cfg.dims();
        Map<Integer, OnePointEstimator> estimators = new HashMap<>();
        java.util.function.IntFunction<OnePointEstimator> at = d -> estimators.computeIfAbsent(d, dd -> OnePointEstimator.of(
                ctx.settingAt(dd), ctx.kernel(), 0L, 1, 1, C8UnderSetting.Z));
        OnePoint.RatioFunction ratio = searched.apply((d, w, ws) -> at.apply(d).value(List.of(w), List.of(ws)));
        C9NegativeInnerProductOutsideRegion.Witness best = null;
        long trials = 0;
        long index = 0;
        List<String> perD = new ArrayList<>();
        for (int d : dims) {
            double min = Double.POSITIVE_INFINITY;
            for (int i = 0; i < cfg.starts(); i++) {
                C9NegativeInnerProductOutsideRegion.Witness w = C9NegativeInnerProductOutsideRegion.search(ratio, d, cfg.gamma(),
                        cfg.wMax(), GaussianSampler.trialSeed(ctx.seed(), index++), thr, cfg.steps(), i % 2 == 1);
                index++; // [LY17]'s run spends the next seed on the norm-ball search: the same starts here
                trials++;
                if (!Double.isNaN(w.ratio())) {
                    min = Math.min(min, w.ratio());
                    if (best == null || w.ratio() < best.ratio()) {
                        best = w;
                    }
                }
            }
            perD.add("d=" + d + " minRatio(||W||_2<=" + cfg.wMax() + ")=" + C8UnderSetting.fmt(min));
            ctx.progress().accept("C9 (" + Applicability.label(ctx.setting()) + ") d=" + d + " most negative ratio " + C8UnderSetting.fmt(min));
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("setting", Applicability.label(ctx.setting()));
        details.put("route", PopulationRoute.of(ctx.setting()).name());
        details.put("dims", java.util.Arrays.toString(dims));
        details.put("search", cfg.starts() + " searches per d, " + cfg.steps() + " steps, ||W||_2 <= " + cfg.wMax()
                + ", ||W*||_2 = " + cfg.gamma() + ", g(W) > " + thr + " gamma^2, on the setting's population ratio");
        details.put("perDimension", perD);
        details.put("units", "paper units (pi x true units)");
        if (best == null) {
            return new ClaimResult(id, statement, Verdict.INCONCLUSIVE, Double.NaN, 0, "<", Units.PAPER, Double.NaN, Double.NaN,
                    Double.NaN, trials, null, details, (System.nanoTime() - t0) / 1e9)
                    .explained(Decisive.of("most negative ratio", Double.NaN, "<", 0, Units.PAPER),
                            "no point with g > " + thr + " gamma^2 found to evaluate the ratio at");
        }
        OnePointEstimator e = at.apply(best.d());
        OnePointEstimator.Ratio r = e.ratio(List.of(best.w()), List.of(best.wStar()));
        OptionalDouble ref = e.reference(List.of(best.w()), List.of(best.wStar()), C8UnderSetting.REFERENCE_DIGITS);
        details.put("witnessInterval", List.of(r.lo(), r.hi()));
        details.put("witnessRatioReference", ref.isPresent() ? (Object) ref.getAsDouble() : "none");
        details.put("witnessLocation", best.location().toString());
        Verdict v = r.hi() < 0 && ref.isPresent() && ref.getAsDouble() < 0 ? Verdict.HOLDS : Verdict.INCONCLUSIVE;
        String why = v == Verdict.HOLDS ? ""
                : r.value() < 0 ? String.format(Locale.ROOT, "the witness ratio %.4g [%.4g, %.4g] is not confirmed below 0 by the"
                        + " reference (%s)", r.value(), r.lo(), r.hi(), ref.isPresent() ? C8UnderSetting.fmt(ref.getAsDouble()) : "none")
                : String.format(Locale.ROOT, "no negative ratio found outside the region (most negative %.4g >= 0)", r.value());
        Map<String, Object> rc = new LinkedHashMap<>();
        rc.put("setting", Applicability.label(ctx.setting()));
        rc.put("d", best.d());
        rc.put("radius", best.radius());
        rc.put("rotated", best.rotated());
        rc.put("steps", cfg.steps());
        rc.put("phase1Threshold", thr);
        return new ClaimResult(id, statement, v, r.hi(), 0, "<", Units.PAPER, -r.hi(), r.value(), Double.NaN, trials,
                new Replay(id, rc, best.seed()), details, (System.nanoTime() - t0) / 1e9)
                .explained(Decisive.of("most negative ratio (upper end)", r.hi(), "<", 0, Units.PAPER), why);
    }
}
