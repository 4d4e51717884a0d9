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
     */
    public record Config(int[] dims, double[] gammas, double decisionGammaMax, int samplesPerCell,
                         int searchStarts, int searchSteps, int referenceDigits) {
        public static Config forPreset(Preset p) {
            return switch (p) {
                case QUICK -> new Config(new int[] {2, 4}, new double[] {0.05, 0.1, 0.5}, 0.1, 16, 1, 60, 30);
                case DEFAULT -> new Config(new int[] {2, 5, 8}, new double[] {0.01, 0.05, 0.1, 0.2, 0.3, 0.5}, 0.1,
                        40, 2, 300, 30);
                case PAPER -> new Config(new int[] {10, 50, 100}, new double[] {0.01, 0.05, 0.1, 0.2, 0.3, 0.5}, 0.1,
                        20, 2, 200, 30);
                case DEEP -> new Config(new int[] {5, 10, 30, 100}, new double[] {0.01, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5},
                        0.1, 100, 3, 1000, 40);
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
            if (mode.startsWith("search")) {
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
            RatioSearch.Best b = RatioSearch.minimise(kernel, d, w, ws, gamma, gamma, g -> g <= limit, true,
                    searchSteps, s);
            w = b.w();
            ws = b.wStar();
        }
        return new Trial(d, gamma, mode, seed, OnePoint.onePointRatio(kernel, d, w, ws), w, ws,
                OnePoint.locate(d, w, ws, gamma, phase1Threshold));
    }

    @Override
    public ClaimResult run(ClaimContext ctx) {
        long t0 = System.nanoTime();
        Config cfg = fixedConfig != null ? fixedConfig : Config.forPreset(ctx.preset());
        double constant = ctx.constants().onePointConstant();
        double thr = ctx.constants().phase1Threshold();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("config", cfg.describe());
        details.put("constantProvenance", PaperConstants.provenance("onePointConstant"));
        details.put("kernel", ctx.kernel().name());

        Trial worstDecision = null;
        Trial worstOverall = null;
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
                if (worstCell == null) {
                    continue;
                }
                if (worstCell.ratio() <= constant && (Double.isNaN(criticalGamma) || gamma < criticalGamma)) {
                    criticalGamma = gamma;
                }
                if (worstOverall == null || worstCell.ratio() < worstOverall.ratio()) {
                    worstOverall = worstCell;
                }
                if (gamma <= cfg.decisionGammaMax() && (worstDecision == null || worstCell.ratio() < worstDecision.ratio())) {
                    worstDecision = worstCell;
                }
            }
        }
        details.put("cells", cells);
        details.put("insideSamples", inside);
        details.put("outsideSamples", outside);
        details.put("outsideByPotential", outsideByPotential);
        details.put("minRatioOutsideRegion", minOutsideRatio);
        details.put("maxAngleStudentTeacher", maxAngle);
        details.put("criticalGamma", criticalGamma);
        details.put("hessianFloorPaperUnits", Math.PI / 2 - 1);
        putHistogram(details, decidingRatios, reportedRatios, cfg.decisionGammaMax(), constant);
        if (worstOverall != null) {
            details.put("worstOverallRatio", worstOverall.ratio());
            details.put("worstOverall", worstOverall.replay(thr, cfg.searchSteps()).line());
            OptionalDouble refOverall = OnePoint.referenceRatio(worstOverall.d(), worstOverall.w(), worstOverall.wStar(),
                    cfg.referenceDigits());
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
        OptionalDouble ref = OnePoint.referenceRatio(worstDecision.d(), worstDecision.w(), worstDecision.wStar(),
                cfg.referenceDigits());
        if (ref.isPresent()) {
            details.put("worstRatioReference", ref.getAsDouble());
            details.put("worstRatioRelativeDifference", Math.abs(ref.getAsDouble() - worstDecision.ratio())
                    / Math.abs(ref.getAsDouble()));
        } else {
            details.put("worstRatioReference", "unavailable (PopulationReference not in this build)");
        }
        details.put("worstLocation", worstDecision.location().toString());
        double min = worstDecision.ratio();
        Verdict v = min > constant ? Verdict.HOLDS : Verdict.VIOLATED;
        details.put("margin", "min ratio over gamma <= decisionGammaMax minus the constant (paper units)");
        return new ClaimResult(id(), statement(), v, min, constant, ">", Units.PAPER, min - constant, min, constant,
                inside, worstDecision.replay(thr, cfg.searchSteps()), details, seconds(t0))
                .explained(Decisive.of("min one-point ratio", min, ">", constant, Units.PAPER), v == Verdict.HOLDS ? ""
                        : "ratio " + fmt(min) + " <= " + constant + " (paper) at " + worstDecision.location());
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
