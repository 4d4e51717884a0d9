package io.idrelu.claims.setting;

import io.idrelu.claims.C8OnePointStrongConvexity;
import io.idrelu.claims.ClaimContext;
import io.idrelu.claims.ClaimResult;
import io.idrelu.claims.Decisive;
import io.idrelu.claims.OnePoint;
import io.idrelu.claims.PaperConstants;
import io.idrelu.claims.Preset;
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
import java.util.OptionalDouble;

/**
 * Claim C8 under a setting other than [LY17] (issue 11; proofs-notes/C8.md "Under other settings"): the one-point ratio
 * {@code <-grad L(W), W* - W> / ||W* - W||_F^2} (paper units) on the <b>setting's population gradient</b>
 * ({@link OnePointEstimator}: closed form with its A2 bound, finite law exactly as a full batch, Monte Carlo with a CLT
 * interval), against [LY17]'s constant 0.084 (paper units, {@link PaperConstants#onePointConstant}) on the region
 * {@code ||W||_2, ||W*||_2 <= gamma}, {@code g(W) <= 197 gamma^2} (every block, for K blocks; the inner product and
 * the norm then run over all blocks: an extension).
 *
 * <p>Points per (d, gamma): the random pairs of today's C8 (same draws from the same seeds), and where the gradient is a
 * closed form or exact (one block) today's adversarial searches ({@code RatioSearch}, {@code RatioDescent}) on the
 * setting's ratio. Each point's ratio carries an interval {@code [lo, hi]}. Verdict over the points with
 * {@code gamma <= decisionGammaMax} (today's rule): VIOLATED when some {@code hi < constant} at {@code d >= minD}
 * (confirmed by the exact reference where one exists); INCONCLUSIVE when that happens only at {@code d < minD}, or when
 * some interval contains the constant; HOLDS when every lower end is above it.
 */
public final class C8UnderSetting {
    /** CLT multiplier of the Monte Carlo intervals (proofs-notes/settings.md section 7). */
    public static final double Z = 4.5;
    /** Digits of the reference recomputation of a witness. */
    public static final int REFERENCE_DIGITS = 30;
    /** Seed stream of the Monte Carlo samples (xor-ed into the base seed). */
    static final long MC_STREAM = 0x6d6f6e7465L;

    /** Random pairs per (d, gamma) cell at most, when the gradient is Monte Carlo. */
    public static final int MC_SAMPLES_PER_CELL = 16;

    private C8UnderSetting() { }

    /** Monte Carlo sizes per preset: batches and rows per batch. */
    static int[] monteCarlo(Preset p) {
        return switch (p) {
            case QUICK -> new int[] {16, 512};
            case DEFAULT -> new int[] {16, 1024};
            case PAPER, DEEP -> new int[] {32, 2048};
        };
    }

    /** One judged point. */
    record Point(int d, double gamma, String mode, long seed, List<double[]> w, List<double[]> ws,
                 OnePointEstimator.Ratio ratio) {
        Replay replay(String setting) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("d", d);
            c.put("gamma", gamma);
            c.put("mode", mode);
            c.put("setting", setting);
            return new Replay("C8", c, seed);
        }
    }

    public static ClaimResult run(ClaimContext ctx, C8OnePointStrongConvexity.Config fixed) {
        long t0 = System.nanoTime();
        C8OnePointStrongConvexity.Config cfg = fixed != null ? fixed : C8OnePointStrongConvexity.Config.forPreset(ctx.preset());
        double constant = ctx.constants().onePointConstant();
        double thr = ctx.constants().phase1Threshold();
        int minD = ctx.constants().minD();
        int[] mcSize = monteCarlo(ctx.preset());
        int[] dims = ctx.dimensionFixed() ? new int[] {ctx.setting().d()} : cfg.dims();
        PopulationRoute route = PopulationRoute.of(ctx.setting());
        int blocks = ctx.setting().architecture().blocks();
        boolean search = route != PopulationRoute.MONTE_CARLO && blocks == 1;
        // a Monte Carlo point costs batches x rows forward and backward passes: at most MC_SAMPLES_PER_CELL per cell
        int samples = search ? cfg.samplesPerCell() : Math.min(cfg.samplesPerCell(), MC_SAMPLES_PER_CELL);
        Map<Integer, OnePointEstimator> estimators = new HashMap<>();
        java.util.function.IntFunction<OnePointEstimator> at = d -> estimators.computeIfAbsent(d, dd -> OnePointEstimator.of(
                ctx.settingAt(dd), ctx.kernel(), GaussianSampler.trialSeed(ctx.seed() ^ MC_STREAM, dd), mcSize[0], mcSize[1], Z));
        OnePoint.RatioFunction ratioFn = (d, w, ws) -> at.apply(d).value(List.of(w), List.of(ws));
        OnePoint.RatioFunction none = (d, w, ws) -> Double.NaN;

        List<Point> points = new ArrayList<>();
        long outside = 0;
        long trialIndex = 0;
        List<String> cells = new ArrayList<>();
        for (int d : dims) {
            for (double gamma : cfg.gammas()) {
                double min = Double.POSITIVE_INFINITY;
                for (int i = 0; i < samples; i++) {
                    String mode = i % 4 == 3 ? "random-wide" : "random";
                    long seed = GaussianSampler.trialSeed(ctx.seed(), trialIndex++);
                    List<double[]> w = new ArrayList<>();
                    List<double[]> ws = new ArrayList<>();
                    boolean inside = true;
                    for (int k = 0; k < blocks; k++) {
                        // block 1 is today's trial from this seed; further blocks from derived seeds
                        long sk = k == 0 ? seed : GaussianSampler.trialSeed(seed, k);
                        C8OnePointStrongConvexity.Trial t = C8OnePointStrongConvexity.trial(none, d, gamma, mode, sk, thr, 0);
                        inside &= t.location().inside();
                        w.add(t.w());
                        ws.add(t.wStar());
                    }
                    if (!inside) {
                        outside++;
                        continue;
                    }
                    Point p = new Point(d, gamma, mode, seed, w, ws, at.apply(d).ratio(w, ws));
                    points.add(p);
                    min = Math.min(min, p.ratio().value());
                }
                if (search) {
                    for (int i = 0; i < cfg.searchStarts(); i++) {
                        String mode = i % 2 == 0 ? "search" : "search-hessian";
                        long seed = GaussianSampler.trialSeed(ctx.seed(), trialIndex++);
                        C8OnePointStrongConvexity.Trial t = C8OnePointStrongConvexity.trial(ratioFn, d, gamma, mode, seed, thr,
                                cfg.searchSteps());
                        if (!t.location().inside() || Double.isNaN(t.ratio())) {
                            outside++;
                            continue;
                        }
                        Point p = new Point(d, gamma, mode, seed, List.of(t.w()), List.of(t.wStar()),
                                at.apply(d).ratio(List.of(t.w()), List.of(t.wStar())));
                        points.add(p);
                        min = Math.min(min, p.ratio().value());
                    }
                }
                cells.add("d=" + d + " gamma=" + gamma + " min ratio " + fmt(min));
                ctx.progress().accept("C8 (" + route + ") d=" + d + " gamma=" + gamma + " min ratio " + fmt(min));
            }
        }
        if (search) {
            // today's descent at the block sizes k (or at the fixed d), embedded block-diagonally where d is free
            long descentIndex = 0;
            for (double gamma : cfg.gammas()) {
                int[] ks = ctx.dimensionFixed() ? new int[] {ctx.setting().d()} : cfg.descentDims();
                for (int k : ks) {
                    // at a fixed d (a data set) one step costs 4 d^2 ratios instead of 4 k^2: the step count is scaled
                    // by kMax / d (the cost by d / kMax, not (d / kMax)^2), at least one step
                    int kMax = java.util.Arrays.stream(cfg.descentDims()).max().orElse(k);
                    int iterations = ctx.dimensionFixed() && k > kMax
                            ? Math.max(1, cfg.descentIterations() * kMax / k)
                            : cfg.descentIterations();
                    for (int i = 0; i < cfg.descentStarts(); i++) {
                        long seed = GaussianSampler.trialSeed(ctx.seed() ^ C8OnePointStrongConvexity.DESCENT_STREAM, descentIndex++);
                        List<Integer> targets = new ArrayList<>();
                        targets.add(k);
                        if (!ctx.dimensionFixed()) {
                            for (int bigD : cfg.embedDims()) {
                                if (bigD > k) {
                                    targets.add(bigD);
                                }
                            }
                        }
                        for (int target : targets) {
                            C8OnePointStrongConvexity.Trial t = C8OnePointStrongConvexity.descentTrial(ratioFn, target, gamma,
                                    C8OnePointStrongConvexity.DESCENT + k, seed, thr, iterations);
                            if (!t.location().inside() || Double.isNaN(t.ratio())) {
                                outside++;
                                continue;
                            }
                            points.add(new Point(target, gamma, t.mode(), seed, List.of(t.w()), List.of(t.wStar()),
                                    at.apply(target).ratio(List.of(t.w()), List.of(t.wStar()))));
                        }
                    }
                }
                ctx.progress().accept("C8 (" + route + ") descent gamma=" + gamma + " done");
            }
        }
        C8SearchUnderSetting.Found found = null;
        if (!search) {
            // Monte Carlo or K > 1: search on an independent sample (Monte Carlo), judge every found point with `at`
            found = adversarial(ctx, cfg, route, dims, at);
            points.addAll(found.points());
            outside += found.outside();
        }

        // judge
        String settingName = ctx.setting().toString();
        Point smallest = null;
        Point smallestDeciding = null;
        Point lowestLo = null;
        Point failPremise = null;
        Point failSmallD = null;
        Point undecided = null;
        Map<String, Double> minByGamma = new java.util.TreeMap<>();
        for (Point p : points) {
            OnePointEstimator.Ratio r = p.ratio();
            if (Double.isNaN(r.value())) {
                continue;
            }
            minByGamma.merge("d=" + p.d() + " gamma=" + p.gamma(), r.value(), Math::min);
            if (smallest == null || r.value() < smallest.ratio().value()) {
                smallest = p;
            }
            if (p.gamma() > cfg.decisionGammaMax()) {
                continue;
            }
            if (smallestDeciding == null || r.value() < smallestDeciding.ratio().value()) {
                smallestDeciding = p;
            }
            if (lowestLo == null || !(r.lo() >= lowestLo.ratio().lo())) {
                lowestLo = p;
            }
            if (r.hi() < constant) {
                if (p.d() >= minD) {
                    failPremise = worse(failPremise, p);
                } else {
                    failSmallD = worse(failSmallD, p);
                }
            } else if (!(r.lo() > constant)) {
                undecided = worse(undecided, p);
            }
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("setting", settingName);
        details.put("route", route.name());
        details.put("gradient", switch (route) {
            case CLOSED_FORM -> "population closed form (SettingClosedForm), interval from its A2 bound";
            case FINITE_LAW -> "exact finite law: fast full batch over the whole support, interval from NetworkBounds";
            case MONTE_CARLO -> "Monte Carlo: " + mcSize[0] + " batches x " + mcSize[1] + " rows (fixed per d), interval mean +- "
                    + Z + " se of the batch means";
        });
        details.put("search", search ? "random pairs + RatioSearch + RatioDescent on the setting's ratio"
                : route == PopulationRoute.MONTE_CARLO
                ? "random pairs + RatioSearch + RatioDescent (embedded into " + java.util.Arrays.toString(ctx.dimensionFixed() ? new int[0] : cfg.embedDims())
                        + ") at the largest deciding gamma (regions are nested in gamma), minimising the ratio on a search sample of "
                        + C8SearchUnderSetting.Budget.of(ctx.preset(), cfg) + " independent of the judging sample; every found point judged on the judging sample"
                        + (blocks > 1 ? "; the search moves block 1, blocks 2.." + blocks + " a fixed random pair in the region" : "")
                : "random pairs + RatioSearch + RatioDescent on the exact ratio; the search moves block 1, blocks 2.." + blocks
                        + " a fixed random pair in the region");
        if (found != null) {
            details.put("searchedPoints", found.lines());
        }
        if (blocks > 1) {
            details.put("blocks", "extension: the inner product and ||W* - W||_F^2 run over all " + blocks
                    + " blocks; region: every block's norms and potential");
        }
        details.put("dims", java.util.Arrays.toString(dims));
        details.put("randomPairsPerCell", samples);
        if (search && ctx.dimensionFixed()) {
            int kMax = java.util.Arrays.stream(cfg.descentDims()).max().orElse(ctx.setting().d());
            details.put("descentStepsAtFixedD", ctx.setting().d() > kMax
                    ? Math.max(1, cfg.descentIterations() * kMax / ctx.setting().d()) : cfg.descentIterations());
        }
        details.put("gammas", java.util.Arrays.toString(cfg.gammas()));
        details.put("decisionGammaMax", cfg.decisionGammaMax());
        details.put("constantProvenance", PaperConstants.provenance("onePointConstant"));
        details.put("cells", cells);
        details.put("minRatioByCell", minByGamma);
        details.put("insideSamples", points.size());
        details.put("outsideSamples", outside);
        details.put("units", "paper units (pi x true units)");
        if (smallest != null) {
            details.put("smallestRatio", smallest.ratio().value());
            details.put("smallestRatioInterval", interval(smallest));
            details.put("smallestRatioWitness", smallest.replay(settingName).line());
        }
        Verdict v;
        String reason = "";
        Point decisive = smallestDeciding;
        if (smallestDeciding == null) {
            v = Verdict.INCONCLUSIVE;
            reason = "no sample inside the region with gamma <= " + cfg.decisionGammaMax();
        } else if (failPremise != null) {
            OptionalDouble ref = at.apply(failPremise.d()).reference(failPremise.w(), failPremise.ws(), REFERENCE_DIGITS);
            boolean confirmed = ref.isEmpty() || ref.getAsDouble() < constant;
            decisive = failPremise;
            v = confirmed ? Verdict.VIOLATED : Verdict.INCONCLUSIVE;
            reason = "ratio " + interval(failPremise) + (ref.isPresent() ? " (reference " + fmt(ref.getAsDouble()) + ")" : "")
                    + " < " + constant + " at d = " + failPremise.d() + " >= minD = " + minD + ", gamma = " + failPremise.gamma()
                    + (confirmed ? "" : "; not confirmed by the reference, so INCONCLUSIVE");
            details.put("witnessRatioReference", ref.isPresent() ? (Object) ref.getAsDouble() : "none (Monte Carlo)");
        } else if (failSmallD != null) {
            OptionalDouble ref = at.apply(failSmallD.d()).reference(failSmallD.w(), failSmallD.ws(), REFERENCE_DIGITS);
            decisive = failSmallD;
            v = Verdict.INCONCLUSIVE;
            reason = "ratio " + interval(failSmallD) + (ref.isPresent() ? " (reference " + fmt(ref.getAsDouble()) + ")" : "")
                    + " < " + constant + " found only at d = " + failSmallD.d() + " < minD = " + minD
                    + " (outside Theorem 3.1's premise d >= " + minD + ")";
            details.put("witnessRatioReference", ref.isPresent() ? (Object) ref.getAsDouble() : "none (Monte Carlo)");
        } else if (undecided != null) {
            decisive = undecided;
            v = Verdict.INCONCLUSIVE;
            reason = "the interval " + interval(undecided) + " of the ratio at d = " + undecided.d() + ", gamma = "
                    + undecided.gamma() + " contains the constant " + constant;
        } else {
            v = Verdict.HOLDS;
            decisive = lowestLo;
        }
        if (!reason.isEmpty()) {
            details.put("reason", reason);
        }
        double measured = decisive == null ? Double.NaN
                : v == Verdict.HOLDS ? decisive.ratio().lo() : v == Verdict.VIOLATED ? decisive.ratio().hi() : decisive.ratio().value();
        details.put("measured", v == Verdict.HOLDS ? "smallest lower interval end (paper units)"
                : v == Verdict.VIOLATED ? "upper interval end of the witness (paper units)" : "the decisive point's ratio (paper units)");
        details.put("margin", "measured minus the constant (paper units)");
        Replay worst = decisive == null ? null : decisive.replay(settingName);
        return new ClaimResult("C8", "Phase II one-point strong convexity <-grad L, W*-W> > 0.084 ||W*-W||_F^2 (paper units) "
                + "on the setting's population gradient", v, measured, constant, ">", Units.PAPER, measured - constant,
                smallestDeciding == null ? Double.NaN : smallestDeciding.ratio().value(), constant, points.size(), worst, details,
                (System.nanoTime() - t0) / 1e9)
                .explained(Decisive.of(v == Verdict.HOLDS ? "min lower end of the one-point ratio" : "one-point ratio", measured, ">",
                        constant, Units.PAPER), reason);
    }

    /**
     * The search of {@link C8SearchUnderSetting} under Monte Carlo (at the deciding gammas, on a search sample independent
     * of {@code judge}'s) or under an exact route with {@code K > 1} blocks (every gamma, search and judge the same exact
     * function).
     */
    private static C8SearchUnderSetting.Found adversarial(ClaimContext ctx, C8OnePointStrongConvexity.Config cfg,
                                                          PopulationRoute route, int[] dims,
                                                          java.util.function.IntFunction<OnePointEstimator> judge) {
        boolean mc = route == PopulationRoute.MONTE_CARLO;
        // Monte Carlo: only the largest deciding gamma. The regions are nested (norms <= gamma and g(W) <= 197 gamma^2 grow
        // with gamma), so the smallest ratio over every deciding gamma's region is the smallest over this one's.
        double[] gammas = mc ? java.util.Arrays.stream(cfg.gammas()).filter(g -> g <= cfg.decisionGammaMax()).max().stream().toArray()
                : cfg.gammas();
        C8SearchUnderSetting.Budget budget = C8SearchUnderSetting.Budget.of(ctx.preset(), cfg);
        Map<Integer, OnePointEstimator> searchers = new HashMap<>();
        java.util.function.IntFunction<OnePointEstimator> search = d -> searchers.computeIfAbsent(d, dd -> C8SearchUnderSetting.searchEstimator(
                ctx.settingAt(dd), ctx.kernel(), GaussianSampler.trialSeed(ctx.seed() ^ C8SearchUnderSetting.SEARCH_STREAM, dd),
                judge.apply(dd), GaussianSampler.trialSeed(ctx.seed() ^ MC_STREAM, dd), budget.sample(), Z));
        int[] ks = ctx.dimensionFixed() ? new int[] {ctx.setting().d()} : cfg.descentDims();
        int kMax = java.util.Arrays.stream(cfg.descentDims()).max().orElse(0);
        int descent = mc ? budget.descentIterations() : cfg.descentIterations();
        // at a fixed d one descent step costs 4 d^2 ratios instead of 4 k^2 (as the one-block search above)
        int iterations = ctx.dimensionFixed() && kMax > 0 && ks[0] > kMax ? Math.max(1, descent * kMax / ks[0]) : descent;
        return C8SearchUnderSetting.run(search, judge, ctx.setting().architecture().blocks(), ctx.seed(),
                ctx.constants().phase1Threshold(), dims, gammas, cfg.searchStarts(), mc ? budget.searchSteps() : cfg.searchSteps(),
                ks, cfg.descentStarts(), iterations, ctx.dimensionFixed() ? new int[0] : cfg.embedDims(), ctx.progress());
    }

    private static Point worse(Point a, Point b) {
        return a == null || b.ratio().value() < a.ratio().value() ? b : a;
    }

    private static String interval(Point p) {
        return fmt(p.ratio().value()) + " in [" + fmt(p.ratio().lo()) + ", " + fmt(p.ratio().hi()) + "]";
    }

    static String fmt(double x) {
        return String.format(Locale.ROOT, "%.5g", x);
    }
}
