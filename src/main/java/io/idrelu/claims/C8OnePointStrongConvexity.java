package io.idrelu.claims;

import io.idrelu.kernel.Kernel;
import io.idrelu.model.GaussianSampler;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Claim C8 (MATH.md section 4): [LY17]'s Phase II one-point strong convexity, recalled as
 * {@code <-grad L(W), W* - W> > 0.084 ||W* - W||_F^2} in paper units on the region
 * {@code ||W||_2, ||W*||_2 <= gamma}, {@code g(W) <= 197 gamma^2} (constants from {@link PaperConstants}).
 *
 * <p>The paper's {@code gamma} is an unspecified small constant, so the check sweeps {@code gamma} and
 * decides only on {@code gamma <= decisionGammaMax}; larger {@code gamma} are reported (the smallest one
 * where the constant fails is the "critical gamma") but do not decide. In each {@code (d, gamma)} cell:
 * random pairs in the region, then an adversarial projected local search ({@link RatioSearch}) that
 * minimises the ratio. VIOLATED with the witness if any ratio in the decision range is {@code <= } the
 * constant. The worst case is recomputed with {@link io.idrelu.reference.PopulationReference} when available.
 */
public final class C8OnePointStrongConvexity implements Claim {

    /**
     * @param dims              dimensions swept
     * @param gammas            region radii swept
     * @param decisionGammaMax  largest gamma the verdict is held to (the paper's "small constant")
     * @param samplesPerCell    random pairs per (d, gamma); a quarter are drawn with norms up to 2 gamma
     *                          so the region test sees points outside the region too
     * @param searchStarts      adversarial searches per (d, gamma), alternately from a fresh random pair
     *                          and from W* plus the softest Hessian direction
     * @param searchSteps       proposals per search
     * @param referenceDigits   digits of the high-precision recomputation of the worst case
     * @param descentDims       block sizes {@code k} of the gradient descent ({@link RatioDescent}), per gamma
     * @param descentStarts     descents per (k, gamma), each from its own random start
     * @param descentIterations accepted steps per descent at most
     * @param embedDims         dimensions into which every descent result is embedded block-diagonally
     *                          ({@code floor(D/k)} copies) and evaluated there
     */
    public record Config(int[] dims, double[] gammas, double decisionGammaMax, int samplesPerCell,
                         int searchStarts, int searchSteps, int referenceDigits, int[] descentDims, int descentStarts,
                         int descentIterations, int[] embedDims) {
        /** Without the descent and the embedding (the search of the earlier versions). */
        public Config(int[] dims, double[] gammas, double decisionGammaMax, int samplesPerCell, int searchStarts,
                      int searchSteps, int referenceDigits) {
            this(dims, gammas, decisionGammaMax, samplesPerCell, searchStarts, searchSteps, referenceDigits,
                    new int[0], 0, 0, new int[0]);
        }

        public static Config forPreset(Preset p) {
            return switch (p) {
                case QUICK -> new Config(new int[] {2, 4}, new double[] {0.05, 0.1, 0.5}, 0.1, 16, 1, 60, 30,
                        new int[] {3}, 1, 10, new int[0]);
                case DEFAULT -> new Config(new int[] {2, 5, 8}, new double[] {0.01, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.5},
                        0.1, 40, 2, 300, 30, new int[] {3}, 2, 30, new int[] {100});
                case PAPER -> new Config(new int[] {10, 50, 100}, new double[] {0.01, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.5},
                        0.1, 20, 2, 200, 30, new int[] {3, 5}, 4, 80, new int[] {100});
                case DEEP -> new Config(new int[] {5, 10, 30, 100},
                        new double[] {0.01, 0.05, 0.1, 0.125, 0.15, 0.175, 0.2, 0.25, 0.3, 0.4, 0.5},
                        0.1, 100, 3, 1000, 40, new int[] {3, 5, 8}, 6, 200, new int[] {10, 30, 100, 200});
            };
        }

        Map<String, Object> describe() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("dims", java.util.Arrays.toString(dims));
            m.put("gammas", java.util.Arrays.toString(gammas));
            m.put("decisionGammaMax", decisionGammaMax);
            m.put("samplesPerCell", samplesPerCell);
            m.put("searchStarts", searchStarts);
            m.put("searchSteps", searchSteps);
            m.put("descentDims", java.util.Arrays.toString(descentDims));
            m.put("descentStarts", descentStarts);
            m.put("descentIterations", descentIterations);
            m.put("embedDims", java.util.Arrays.toString(embedDims));
            return m;
        }
    }

    private final Config fixedConfig;

    /** Sizes from the context's preset. */
    public C8OnePointStrongConvexity() {
        this(null);
    }

    /** Fixed sizes (tests); {@code null} means "from the preset". */
    public C8OnePointStrongConvexity(Config config) {
        this.fixedConfig = config;
    }

    @Override
    public String id() {
        return "C8";
    }

    @Override
    public String statement() {
        return "Phase II one-point strong convexity <-grad L, W*-W> > 0.084 ||W*-W||_F^2 (paper units) on the region";
    }

    /** One evaluated pair: which trial produced it and where it lies. */
    public record Trial(int d, double gamma, String mode, long seed, double ratio, double[] w, double[] wStar,
                        OnePoint.Location location) {
        Replay replay(double phase1Threshold, int searchSteps) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("d", d);
            c.put("gamma", gamma);
            c.put("mode", mode);
            c.put("phase1Threshold", phase1Threshold);
            if (mode.startsWith("search") || mode.startsWith(DESCENT)) {
                c.put("searchSteps", searchSteps);
            }
            return new Replay("C8", c, seed);
        }
    }

    /**
     * Re-runs one trial alone from its seed: {@code mode} is {@code random} (norms up to gamma),
     * {@code random-wide} (norms up to 2 gamma), {@code search} (adversarial search from a random pair)
     * or {@code search-hessian} (adversarial search from W* plus the softest Hessian direction).
     */
    public static Trial trial(Kernel kernel, int d, double gamma, String mode, long seed, double phase1Threshold,
                              int searchSteps) {
        return trial(OnePoint.of(kernel), d, gamma, mode, seed, phase1Threshold, searchSteps);
    }

    /**
     * As {@link #trial(Kernel, int, double, String, long, double, int)}, with the ratio (paper units) of any function:
     * a setting's population gradient (issue 11, {@code claims.setting.C8UnderSetting}); the same draws from the seed.
     */
    public static Trial trial(OnePoint.RatioFunction ratio, int d, double gamma, String mode, long seed,
                              double phase1Threshold, int searchSteps) {
        if (mode.startsWith(DESCENT)) {
            return descentTrial(ratio, d, gamma, mode, seed, phase1Threshold, searchSteps);
        }
        GaussianSampler s = new GaussianSampler(seed);
        double scale = mode.equals("random-wide") ? 2 * gamma : gamma;
        double u = Math.max(1e-3, Math.abs(s.next()) / 3);
        double[] w = OnePoint.randomWithSpectralNorm(s, d, scale * Math.min(1, u));
        double[] ws = OnePoint.randomWithSpectralNorm(s, d, scale * Math.min(1, Math.max(1e-3, Math.abs(s.next()) / 2)));
        if (mode.equals("search-hessian") && d >= 2) {
            // Start near W* along the Hessian's softest direction at W = W* = 0 (w_0 = a, w_1 = -a,
            // a = e_0 + e_1; see the C8 test), where the ratio starts near pi/2 - 1.
            double len = gamma * Math.min(1, 0.05 + Math.abs(s.next()) / 2);
            w = ws.clone();
            w[0] += len / 2;
            w[d] += len / 2;
            w[1] -= len / 2;
            w[d + 1] -= len / 2;
            OnePoint.projectToSpectralBall(w, d, gamma);
        }
        if (mode.startsWith("search")) {
            double limit = phase1Threshold * gamma * gamma;
            RatioSearch.Best b = RatioSearch.minimise(ratio, d, w, ws, gamma, gamma, g -> g <= limit, true,
                    searchSteps, s);
            w = b.w();
            ws = b.wStar();
        }
        return new Trial(d, gamma, mode, seed, ratio.ratio(d, w, ws), w, ws,
                OnePoint.locate(d, w, ws, gamma, phase1Threshold));
    }

    /** Mode prefix of the gradient-descent trials: {@code descent-k<k>} (at d = k) or {@code descent-k<k>-in-d}. */
    public static final String DESCENT = "descent-k";

    /**
     * A descent trial ({@link RatioDescent}): from a random start at block size {@code k} (parsed from {@code mode}
     * = {@code descent-k<k>}), {@code steps} descent steps at dimension k; if {@code d > k}, the result is embedded
     * block-diagonally into dimension {@code d} and evaluated there.
     */
    static Trial descentTrial(Kernel kernel, int d, double gamma, String mode, long seed, double phase1Threshold,
                              int steps) {
        return descentTrial(OnePoint.of(kernel), d, gamma, mode, seed, phase1Threshold, steps);
    }

    /** {@link #descentTrial(Kernel, int, double, String, long, double, int)} of any ratio function (issue 11). */
    public static Trial descentTrial(OnePoint.RatioFunction ratio, int d, double gamma, String mode, long seed,
                                     double phase1Threshold, int steps) {
        int k = Integer.parseInt(mode.substring(DESCENT.length()));
        GaussianSampler s = new GaussianSampler(seed);
        double[][] x = RatioDescent.randomStart(s, k, gamma);
        RatioSearch.Best b = RatioDescent.minimise(ratio, k, x[0], x[1], gamma, phase1Threshold * gamma * gamma, steps);
        double[] w = d == k ? b.w() : RatioDescent.blockDiagonal(b.w(), k, d);
        double[] ws = d == k ? b.wStar() : RatioDescent.blockDiagonal(b.wStar(), k, d);
        return new Trial(d, gamma, mode, seed, ratio.ratio(d, w, ws), w, ws,
                OnePoint.locate(d, w, ws, gamma, phase1Threshold));
    }

    /**
     * Runs under every setting, on the setting's population gradient (closed form, finite law exactly, or Monte Carlo
     * with an interval); for K blocks the inner product and the norm run over all blocks (an extension).
     */
    @Override
    public java.util.Optional<String> applicability(io.idrelu.setting.Setting setting) {
        return java.util.Optional.empty();
    }

    @Override
    public ClaimResult run(ClaimContext ctx) {
        if (!ctx.isLy17()) { return io.idrelu.claims.setting.C8UnderSetting.run(ctx, fixedConfig); }
        long t0 = System.nanoTime();
        Config cfg = fixedConfig != null ? fixedConfig : Config.forPreset(ctx.preset());
        double constant = ctx.constants().onePointConstant();
        double thr = ctx.constants().phase1Threshold();
        Map<String, Object> details = new LinkedHashMap<>();
        // each witness is recomputed with the reference once (at d = 100 that is the expensive part)
        Map<Trial, OptionalDouble> refCache = new java.util.IdentityHashMap<>();
        java.util.function.Function<Trial, OptionalDouble> reference = t -> refCache.computeIfAbsent(t,
                x -> OnePoint.referenceRatio(x.d(), x.w(), x.wStar(), cfg.referenceDigits()));
        details.put("config", cfg.describe());
        details.put("constantProvenance", PaperConstants.provenance("onePointConstant"));
        details.put("kernel", ctx.kernel().name());

        Trial worstDecision = null;
        Trial worstOverall = null;
        Trial worstPremise = null;
        // worst inside trial per (d, gamma), over every mode
        Map<Integer, java.util.TreeMap<Double, Trial>> cellWorst = new java.util.TreeMap<>();
        double criticalGamma = Double.NaN;
        long inside = 0;
        long outside = 0;
        long outsideByPotential = 0;
        double minOutsideRatio = Double.POSITIVE_INFINITY;
        double maxAngle = 0;
        long trialIndex = 0;
        List<String> cells = new ArrayList<>();
        // every inside ratio, for the report's histogram (split by whether its gamma decides the verdict)
        List<Double> decidingRatios = new ArrayList<>();
        List<Double> reportedRatios = new ArrayList<>();
        for (int d : cfg.dims()) {
            for (double gamma : cfg.gammas()) {
                List<Double> sample = gamma <= cfg.decisionGammaMax() ? decidingRatios : reportedRatios;
                double minRandom = Double.POSITIVE_INFINITY;
                double minSearch = Double.POSITIVE_INFINITY;
                Trial worstCell = null;
                for (int i = 0; i < cfg.samplesPerCell(); i++) {
                    String mode = i % 4 == 3 ? "random-wide" : "random";
                    Trial t = trial(ctx.kernel(), d, gamma, mode, GaussianSampler.trialSeed(ctx.seed(), trialIndex++), thr,
                            cfg.searchSteps());
                    maxAngle = Math.max(maxAngle, OnePoint.maxStudentTeacherAngle(d, t.w(), t.wStar()));
                    if (!t.location().inside()) {
                        outside++;
                        if (!t.location().potentialInside()) {
                            outsideByPotential++;
                        }
                        minOutsideRatio = Math.min(minOutsideRatio, t.ratio());
                        continue;
                    }
                    inside++;
                    sample.add(t.ratio());
                    minRandom = Math.min(minRandom, t.ratio());
                    if (worstCell == null || t.ratio() < worstCell.ratio()) {
                        worstCell = t;
                    }
                }
                for (int i = 0; i < cfg.searchStarts(); i++) {
                    String mode = i % 2 == 0 ? "search" : "search-hessian";
                    Trial t = trial(ctx.kernel(), d, gamma, mode, GaussianSampler.trialSeed(ctx.seed(), trialIndex++),
                            thr, cfg.searchSteps());
                    if (!t.location().inside()) {
                        outside++;
                        continue;
                    }
                    inside++;
                    sample.add(t.ratio());
                    minSearch = Math.min(minSearch, t.ratio());
                    if (worstCell == null || t.ratio() < worstCell.ratio()) {
                        worstCell = t;
                    }
                }
                cells.add("d=" + d + " gamma=" + gamma + " minRandom=" + fmt(minRandom) + " minSearch=" + fmt(minSearch));
                ctx.progress().accept("C8 d=" + d + " gamma=" + gamma + " min ratio " + fmt(Math.min(minRandom, minSearch)));
                if (worstCell != null) {
                    keepWorst(cellWorst, worstCell);
                }
            }
        }
        // Gradient descent at small block sizes k, evaluated at k and embedded block-diagonally into embedDims.
        long descentIndex = 0;
        int descentInside = 0;
        for (double gamma : cfg.gammas()) {
            List<Double> sample = gamma <= cfg.decisionGammaMax() ? decidingRatios : reportedRatios;
            for (int k : cfg.descentDims()) {
                for (int i = 0; i < cfg.descentStarts(); i++) {
                    // seeds from a stream disjoint from the random and search trials
                    long seed = GaussianSampler.trialSeed(ctx.seed() ^ DESCENT_STREAM, descentIndex++);
                    List<Integer> targets = new ArrayList<>();
                    targets.add(k);
                    for (int bigD : cfg.embedDims()) {
                        if (bigD > k) {
                            targets.add(bigD);
                        }
                    }
                    for (int target : targets) {
                        Trial t = descentTrial(ctx.kernel(), target, gamma, DESCENT + k, seed, thr, cfg.descentIterations());
                        if (!t.location().inside() || Double.isNaN(t.ratio())) {
                            outside++;
                            continue;
                        }
                        inside++;
                        descentInside++;
                        sample.add(t.ratio());
                        keepWorst(cellWorst, t);
                    }
                }
            }
            ctx.progress().accept("C8 descent gamma=" + gamma + " done");
        }
        details.put("descentInsideSamples", descentInside);
        // per d: the critical gamma (largest swept gamma below the first one where some point has ratio <= the
        // constant) and the witness at the first failing gamma, re-checked with the reference
        Map<String, Object> criticalByD = new LinkedHashMap<>();
        for (Map.Entry<Integer, java.util.TreeMap<Double, Trial>> e : cellWorst.entrySet()) {
            int d = e.getKey();
            Double lastPassing = null;
            Trial firstFailing = null;
            StringBuilder minima = new StringBuilder();
            for (Map.Entry<Double, Trial> g : e.getValue().entrySet()) {
                Trial t = g.getValue();
                minima.append(minima.length() == 0 ? "" : ", ").append(g.getKey()).append(": ").append(fmt(t.ratio()));
                if (firstFailing == null && t.ratio() <= constant) {
                    firstFailing = t;
                } else if (firstFailing == null) {
                    lastPassing = g.getKey();
                }
            }
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("minRatioByGamma", minima.toString());
            row.put("criticalGamma", lastPassing == null ? "none (fails at the smallest swept gamma)" : lastPassing);
            if (firstFailing != null) {
                row.put("firstFailingGamma", firstFailing.gamma());
                row.put("witnessRatio", firstFailing.ratio());
                OptionalDouble ref = reference.apply(firstFailing);
                row.put("witnessRatioReference", ref.isPresent() ? (Object) ref.getAsDouble() : "unavailable");
                row.put("witness", replayOf(firstFailing, thr, cfg).line());
                row.put("witnessLocation", firstFailing.location().toString());
            } else {
                row.put("firstFailingGamma", "none up to " + e.getValue().lastKey());
            }
            criticalByD.put("d=" + d, row);
            if (firstFailing != null && (Double.isNaN(criticalGamma) || firstFailing.gamma() < criticalGamma)) {
                criticalGamma = firstFailing.gamma();
            }
        }
        for (java.util.TreeMap<Double, Trial> byGamma : cellWorst.values()) {
            for (Trial t : byGamma.values()) {
                if (worstOverall == null || t.ratio() < worstOverall.ratio()) {
                    worstOverall = t;
                }
                if (t.gamma() <= cfg.decisionGammaMax() && (worstDecision == null || t.ratio() < worstDecision.ratio())) {
                    worstDecision = t;
                }
                if (t.gamma() <= cfg.decisionGammaMax() && t.d() >= ctx.constants().minD()
                        && (worstPremise == null || t.ratio() < worstPremise.ratio())) {
                    worstPremise = t;
                }
            }
        }
        details.put("criticalGammaByD", criticalByD);
        details.put("cells", cells);
        details.put("insideSamples", inside);
        details.put("outsideSamples", outside);
        details.put("outsideByPotential", outsideByPotential);
        details.put("minRatioOutsideRegion", minOutsideRatio);
        details.put("maxAngleStudentTeacher", maxAngle);
        details.put("criticalGamma", Double.isNaN(criticalGamma) ? "none found" : "smallest gamma where some d fails: "
                + criticalGamma + " (per d: criticalGammaByD)");
        details.put("hessianFloorPaperUnits", Math.PI / 2 - 1);
        putHistogram(details, decidingRatios, reportedRatios, cfg.decisionGammaMax(), constant);
        if (worstOverall != null) {
            details.put("worstOverallRatio", worstOverall.ratio());
            details.put("worstOverall", replayOf(worstOverall, thr, cfg).line());
            // only when already computed as some d's witness: a further reference at d = 100 costs seconds
            OptionalDouble refOverall = refCache.getOrDefault(worstOverall, OptionalDouble.empty());
            if (refOverall.isPresent()) {
                details.put("worstOverallRatioReference", refOverall.getAsDouble());
            }
        }
        if (worstDecision == null) {
            return new ClaimResult(id(), statement(), Verdict.INCONCLUSIVE, Double.NaN, constant, ">", Units.PAPER,
                    Double.NaN, Double.NaN, constant, inside, null, details, seconds(t0))
                    .explained(Decisive.of("min one-point ratio", Double.NaN, ">", constant, Units.PAPER),
                            "no sample inside the region with gamma <= " + cfg.decisionGammaMax());
        }
        OptionalDouble ref = reference.apply(worstDecision);
        if (ref.isPresent()) {
            details.put("worstRatioReference", ref.getAsDouble());
            details.put("worstRatioRelativeDifference", Math.abs(ref.getAsDouble() - worstDecision.ratio())
                    / Math.abs(ref.getAsDouble()));
        } else {
            details.put("worstRatioReference", "unavailable (PopulationReference not in this build)");
        }
        details.put("worstLocation", worstDecision.location().toString());
        int minD = ctx.constants().minD();
        Trial decisive = worstDecision;
        Verdict v;
        if (worstPremise != null && worstPremise.ratio() <= constant) {
            // a counterexample inside the theorem's premises (d >= minD, gamma "small"); confirmed by the reference
            OptionalDouble refP = reference.apply(worstPremise);
            boolean confirmed = refP.isEmpty() || refP.getAsDouble() <= constant;
            decisive = worstPremise;
            v = confirmed ? Verdict.VIOLATED : Verdict.INCONCLUSIVE;
            details.put("reason", "ratio " + fmt(worstPremise.ratio()) + (refP.isPresent() ? " (reference " + refP.getAsDouble()
                    + ")" : "") + " <= " + constant + " at d = " + worstPremise.d() + " >= minD = " + minD + ", gamma = "
                    + worstPremise.gamma() + " <= decisionGammaMax = " + cfg.decisionGammaMax()
                    + (confirmed ? "" : "; not confirmed by the reference, so INCONCLUSIVE"));
        } else if (worstDecision.ratio() <= constant) {
            v = Verdict.INCONCLUSIVE;
            details.put("reason", "ratio " + fmt(worstDecision.ratio()) + " <= " + constant + " found only at d = "
                    + worstDecision.d() + " < minD = " + minD + " (outside Theorem 3.1's premise d >= " + minD + ")");
        } else {
            v = Verdict.HOLDS;
        }
        double min = decisive.ratio();
        details.put("margin", "min ratio over gamma <= decisionGammaMax minus the constant (paper units); the premise "
                + "d >= minD decides a VIOLATED verdict");
        return new ClaimResult(id(), statement(), v, min, constant, ">", Units.PAPER, min - constant, min, constant,
                inside, replayOf(decisive, thr, cfg), details, seconds(t0))
                .explained(Decisive.of("min one-point ratio", min, ">", constant, Units.PAPER),
                        v == Verdict.HOLDS ? "" : String.valueOf(details.get("reason")));
    }

    /** Seed stream of the descent trials (xor-ed into the base seed, so their seeds differ from the other trials'). */
    public static final long DESCENT_STREAM = 0x64657363656e74L;

    private static void keepWorst(Map<Integer, java.util.TreeMap<Double, Trial>> cells, Trial t) {
        java.util.TreeMap<Double, Trial> byGamma = cells.computeIfAbsent(t.d(), k -> new java.util.TreeMap<>());
        Trial old = byGamma.get(t.gamma());
        if (old == null || t.ratio() < old.ratio()) {
            byGamma.put(t.gamma(), t);
        }
    }

    private static Replay replayOf(Trial t, double thr, Config cfg) {
        return t.replay(thr, t.mode().startsWith(DESCENT) ? cfg.descentIterations() : cfg.searchSteps());
    }

    /** Details key of the histogram series of the ratios inside the region with {@code gamma <= decisionGammaMax}. */
    public static final String SERIES_DECIDING = "small gamma (decides)";
    /** Details key of the histogram series of the other inside ratios (reported only). */
    public static final String SERIES_REPORTED = "larger gamma (reported only)";

    /**
     * The report's plot: the distribution of every sampled one-point ratio inside the region (random pairs
     * and search ends; their count is the result's {@code trials}), paper units, as two density histograms
     * against the constant.
     */
    private static void putHistogram(Map<String, Object> details, List<Double> deciding, List<Double> reported,
                                     double gammaMax, double constant) {
        Map<String, Object> series = new LinkedHashMap<>();
        if (!deciding.isEmpty()) {
            series.put(SERIES_DECIDING, deciding);
        }
        if (!reported.isEmpty()) {
            series.put(SERIES_REPORTED, reported);
        }
        if (series.isEmpty()) {
            return;
        }
        Map<String, Object> plot = PlotSeries.options(
                "C8: one-point ratio of every sample inside the region (paper units)",
                "Density histograms of <-grad L(W), W* - W> / ||W* - W||_F^2 in paper units (pi x true units) over all "
                        + "sampled pairs inside the region (random pairs and adversarial-search ends): " + deciding.size()
                        + " with gamma <= " + gammaMax + " ('small gamma', these decide), " + reported.size()
                        + " with larger gamma (reported only); each histogram has area 1. The claim holds if no deciding ratio is at or below "
                        + "the constant " + constant + " (dashed); pi/2 - 1 is the ratio's floor near W = W* = 0.",
                "one-point ratio (paper units = pi x true units)", "density (samples per unit ratio)", false, false);
        plot.put("kind", "histogram");
        Map<String, Object> v = new LinkedHashMap<>();
        v.put(constant + " (paper)", constant);
        v.put("pi/2 - 1 (floor at 0)", Math.PI / 2 - 1);
        plot.put("vline", v);
        details.put("series", series);
        details.put("plot", plot);
    }

    static String fmt(double x) {
        return String.format(java.util.Locale.ROOT, "%.5g", x);
    }

    static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }
}
