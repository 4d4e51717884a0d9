package io.idrelu.claims;

import io.idrelu.kernel.Kernel;
import io.idrelu.model.GaussianSampler;
import io.idrelu.model.Potential;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Claim C9 (MATH.md section 4): outside [LY17]'s potential condition {@code g(W) <= 197 gamma^2} the
 * inner product {@code <-grad L(W), W* - W>} can be negative, which is why Theorem 3.1 needs Phase I
 * (drive {@code g} below the threshold) before the one-point strong convexity of Phase II (claim C8)
 * applies. This is an existence claim: HOLDS with a witness {@code (W, W*)} with
 * {@code ||W*||_2 <= gamma}, {@code g(W) > 197 gamma^2} and a negative ratio (paper units), the sign
 * confirmed by {@link io.idrelu.reference.PopulationReference} when available; INCONCLUSIVE when the
 * search finds none (absence of a witness proves nothing).
 *
 * <p>Search: {@link RatioSearch} from starts {@code W = -c I + noise} (all units shrunk, so
 * {@code g ~ c d} is large), alternating with rotated starts {@code W = -a I + b P} (see
 * {@link #search(Kernel, int, double, double, long, double, int, boolean)}) with {@code ||W||_2 <= wMax}, {@code W*} random with {@code ||W*||_2 = gamma},
 * accepting only moves that keep {@code g > 197 gamma^2}. The same search restricted to
 * {@code ||W||_2 <= gamma} (the norm ball of the region, where only the potential condition fails) is
 * reported as well, where feasible ({@code g} can exceed {@code 197 gamma^2} there only if
 * {@code d > 197 gamma / 2}, roughly).
 */
public final class C9NegativeInnerProductOutsideRegion implements Claim {

    /**
     * @param dims            dimensions searched
     * @param gamma           region radius (small, as the paper's gamma)
     * @param wMax            spectral radius for {@code W} in the main search
     * @param starts          searches per dimension
     * @param steps           proposals per search
     * @param referenceDigits digits of the high-precision recomputation of the witness
     */
    public record Config(int[] dims, double gamma, double wMax, int starts, int steps, int referenceDigits) {
        public static Config forPreset(Preset p) {
            return switch (p) {
                case QUICK -> new Config(new int[] {5, 8}, 0.05, 0.9, 3, 300, 30);
                case DEFAULT -> new Config(new int[] {3, 5, 8, 12}, 0.05, 0.9, 4, 600, 30);
                case PAPER -> new Config(new int[] {10, 50, 100}, 0.05, 0.9, 2, 300, 30);
                case DEEP -> new Config(new int[] {3, 5, 10, 30, 100}, 0.05, 0.9, 3, 1500, 40);
            };
        }

        Map<String, Object> describe() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("dims", java.util.Arrays.toString(dims));
            m.put("gamma", gamma);
            m.put("wMax", wMax);
            m.put("starts", starts);
            m.put("steps", steps);
            return m;
        }
    }

    private final Config fixedConfig;

    public C9NegativeInnerProductOutsideRegion() {
        this(null);
    }

    /** Fixed sizes (tests); {@code null} means "from the preset". */
    public C9NegativeInnerProductOutsideRegion(Config config) {
        this.fixedConfig = config;
    }

    /**
     * The witness {@code <-grad L, W* - W> < 0} is defined for one block (proofs-notes/settings.md section 9). Under a
     * one-block setting with an exact population gradient (closed form, finite law) it runs on that gradient
     * ({@code claims.setting.C9UnderSetting}); under label noise alone [LY17]'s verdict carries over; under Monte Carlo
     * NOT_APPLICABLE (the reasons are {@code C9UnderSetting}'s).
     */
    @Override
    public java.util.Optional<String> applicability(io.idrelu.setting.Setting s) {
        return io.idrelu.claims.setting.C9UnderSetting.applicability(id(), s);
    }

    @Override
    public String id() {
        return "C9";
    }

    @Override
    public String statement() {
        return "outside g <= 197 gamma^2 the inner product <-grad L, W*-W> can be negative (witness)";
    }

    /** One search result. */
    public record Witness(int d, double radius, long seed, boolean rotated, double ratio, double[] w, double[] wStar,
                          OnePoint.Location location) { }

    /**
     * Runs one search alone from its seed, with {@code W} in the spectral ball of radius {@code radius}
     * ({@code wMax} for the main search, {@code gamma} for the norm-ball search).
     */
    public static Witness search(Kernel kernel, int d, double gamma, double radius, long seed, double phase1Threshold,
                                 int steps) {
        return search(kernel, d, gamma, radius, seed, phase1Threshold, steps, false);
    }

    /**
     * As {@link #search(Kernel, int, double, double, long, double, int)}; with {@code rotated} the start is
     * {@code W = -a I + b P} ({@code P} the cyclic shift of units, {@code b/a} random in [1, 1.6]), scaled
     * to {@code ||W||_2 = radius}: every student unit shrinks and turns towards its neighbour's teacher
     * direction, the shape of the witnesses the unstructured search found first (d = 3: {@code a ~ 0.45,
     * b ~ 0.58}).
     */
    public static Witness search(Kernel kernel, int d, double gamma, double radius, long seed, double phase1Threshold,
                                 int steps, boolean rotated) {
        return search(OnePoint.of(kernel), d, gamma, radius, seed, phase1Threshold, steps, rotated);
    }

    /**
     * As {@link #search(Kernel, int, double, double, long, double, int, boolean)} with the ratio of any population gradient
     * (a setting's closed form or exact finite law, issue 11: {@code claims.setting.C9UnderSetting}); the same draws.
     */
    public static Witness search(OnePoint.RatioFunction ratio, int d, double gamma, double radius, long seed,
                                 double phase1Threshold, int steps, boolean rotated) {
        GaussianSampler s = new GaussianSampler(seed);
        double limit = phase1Threshold * gamma * gamma;
        double c = radius * (0.75 + 0.25 * Math.min(1, Math.abs(s.next()) / 2));
        double[] w = new double[d * d];
        double[] noise = s.batch(d, d);
        double b = rotated ? 1 + 0.6 * Math.min(1, Math.abs(s.next()) / 2) : 0;
        for (int r = 0; r < d; r++) {
            for (int k = 0; k < d; k++) {
                // Unit k (column k) gets -c e_k, and with rotation + b c e_{k+1}.
                double shift = rotated && d > 1 && r == (k + 1) % d ? b * c : 0;
                w[r * d + k] = (r == k ? -c : 0) + shift + 0.1 * radius * noise[r * d + k] / Math.sqrt(d);
            }
        }
        if (rotated) {
            double n = io.idrelu.model.Matrices.spectralNorm(w, d);
            for (int i = 0; i < w.length; i++) {
                w[i] *= radius / n;
            }
        }
        OnePoint.projectToSpectralBall(w, d, radius);
        double[] ws = OnePoint.randomWithSpectralNorm(s, d, gamma);
        if (!(Potential.of(d, true, w, ws) > limit)) {
            return new Witness(d, radius, seed, rotated, Double.NaN, w, ws, OnePoint.locate(d, w, ws, gamma, phase1Threshold));
        }
        RatioSearch.Best found = RatioSearch.minimise(ratio, d, w, ws, radius, gamma, g -> g > limit, true, steps, s);
        return new Witness(d, radius, seed, rotated, found.ratio(), found.w(), found.wStar(),
                OnePoint.locate(d, found.w(), found.wStar(), gamma, phase1Threshold));
    }

    @Override
    public ClaimResult run(ClaimContext ctx) {
        if (!ctx.isLy17()) {
            return io.idrelu.claims.setting.C9UnderSetting.run(ctx, fixedConfig != null ? fixedConfig : Config.forPreset(ctx.preset()),
                    id(), statement());
        }
        long t0 = System.nanoTime();
        Config cfg = fixedConfig != null ? fixedConfig : Config.forPreset(ctx.preset());
        double thr = ctx.constants().phase1Threshold();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("config", cfg.describe());
        details.put("thresholdProvenance", PaperConstants.provenance("phase1Threshold"));
        details.put("kernel", ctx.kernel().name());
        Witness best = null;
        Witness bestBall = null;
        long trials = 0;
        long index = 0;
        List<String> perD = new ArrayList<>();
        for (int d : cfg.dims()) {
            double minMain = Double.POSITIVE_INFINITY;
            double minBall = Double.NaN;
            for (int i = 0; i < cfg.starts(); i++) {
                Witness w = search(ctx.kernel(), d, cfg.gamma(), cfg.wMax(), GaussianSampler.trialSeed(ctx.seed(), index++),
                        thr, cfg.steps(), i % 2 == 1);
                trials++;
                if (!Double.isNaN(w.ratio())) {
                    minMain = Math.min(minMain, w.ratio());
                    if (best == null || w.ratio() < best.ratio()) {
                        best = w;
                    }
                }
                Witness ball = search(ctx.kernel(), d, cfg.gamma(), cfg.gamma(), GaussianSampler.trialSeed(ctx.seed(), index++),
                        thr, cfg.steps());
                if (!Double.isNaN(ball.ratio())) {
                    trials++;
                    minBall = Double.isNaN(minBall) ? ball.ratio() : Math.min(minBall, ball.ratio());
                    if (bestBall == null || ball.ratio() < bestBall.ratio()) {
                        bestBall = ball;
                    }
                }
            }
            perD.add("d=" + d + " minRatio(||W||_2<=" + cfg.wMax() + ")=" + C8OnePointStrongConvexity.fmt(minMain)
                    + " minRatio(||W||_2<=gamma)=" + (Double.isNaN(minBall) ? "infeasible (g cannot exceed threshold)"
                    : C8OnePointStrongConvexity.fmt(minBall)));
            ctx.progress().accept("C9 d=" + d + " most negative ratio " + C8OnePointStrongConvexity.fmt(minMain));
        }
        details.put("perDimension", perD);
        if (bestBall != null) {
            details.put("normBallMinRatio", bestBall.ratio());
            details.put("normBallLocation", bestBall.location().toString());
        }
        if (best == null) {
            return new ClaimResult(id(), statement(), Verdict.INCONCLUSIVE, Double.NaN, 0, "<", Units.PAPER, Double.NaN,
                    Double.NaN, Double.NaN, trials, null, details, C8OnePointStrongConvexity.seconds(t0))
                    .explained(Decisive.of("most negative ratio", Double.NaN, "<", 0, Units.PAPER),
                            "no point with g >= " + thr + " gamma^2 found to evaluate the ratio at");
        }
        details.put("witnessLocation", best.location().toString());
        details.put("witnessPotentialOverThreshold", best.location().potential() / best.location().threshold());
        if (best.d() <= 5) {
            details.put("witnessW", java.util.Arrays.toString(best.w()));
            details.put("witnessWStar", java.util.Arrays.toString(best.wStar()));
        }
        Verdict v = best.ratio() < 0 ? Verdict.HOLDS : Verdict.INCONCLUSIVE;
        OptionalDouble ref = OnePoint.referenceRatio(best.d(), best.w(), best.wStar(), cfg.referenceDigits());
        if (ref.isPresent()) {
            details.put("witnessRatioReference", ref.getAsDouble());
            details.put("witnessRatioRelativeDifference", Math.abs(ref.getAsDouble() - best.ratio()) / Math.abs(ref.getAsDouble()));
            if (v == Verdict.HOLDS && !(ref.getAsDouble() < 0)) {
                v = Verdict.INCONCLUSIVE;
                details.put("note", "reference does not confirm the sign of the witness");
            }
        } else {
            details.put("witnessRatioReference", "unavailable (PopulationReference not in this build)");
        }
        details.put("margin", "-(most negative ratio): positive when a witness exists (paper units)");
        Map<String, Object> rc = new LinkedHashMap<>(cfg.describe());
        rc.put("d", best.d());
        rc.put("radius", best.radius());
        rc.put("rotated", best.rotated());
        rc.put("phase1Threshold", thr);
        String why = v == Verdict.HOLDS ? ""
                : best.ratio() < 0 ? "the reference does not confirm the sign of the witness ratio " + best.ratio()
                : String.format(java.util.Locale.ROOT, "no negative ratio found outside the region (most negative %.4g >= 0)", best.ratio());
        return new ClaimResult(id(), statement(), v, best.ratio(), 0, "<", Units.PAPER, -best.ratio(), best.ratio(),
                Double.NaN, trials, new Replay("C9", rc, best.seed()), details, C8OnePointStrongConvexity.seconds(t0))
                .explained(Decisive.of("most negative ratio", best.ratio(), "<", 0, Units.PAPER), why);
    }
}
