package io.idrelu.claims;

import io.idrelu.kernel.Kernel;
import io.idrelu.model.GaussianSampler;
import io.idrelu.model.Matrices;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Claim C6 (MATH.md section 4): the gradient norm bounds behind [LY17] Theorem 3.1 and the SGD lemma:
 * the population gradient is bounded by a constant times {@code ||W - W*||_F} near {@code W*}, and the
 * stochastic gradient has a norm bound {@code G} (step size {@code eta <= gamma^2 / G^2}).
 *
 * <p>What is decided: the exponent {@code a} in {@code ||grad L(W* + t D)||_F ~ t^a} (per random pair
 * {@code (W*, D)}, OLS slope of log-norm on {@code log t}), by a t-interval over pairs at the stated
 * level. HOLDS when the interval lies inside {@code (3/4, 3/2)}, i.e. the exponent is resolved to 1
 * against the nearest alternatives 1/2 and 2 (midpoints); VIOLATED when the interval lies outside;
 * INCONCLUSIVE otherwise. Everything else is measured and reported, not decided: the constant
 * {@code c} with {@code ||grad L|| <= c ||W - W*||_F} near {@code W*} and on the whole region, its growth
 * exponent in {@code d}, and quantiles and {@code E||G||^2} of the stochastic gradient at batch 1 and
 * the configured batch, with fitted exponents in {@code d}. Gradient numbers are given in true units
 * and, where named so, paper units (pi times).
 */
public final class C6GradientNormBounds implements Claim {

    /** Lower and upper edges of the decision band for the exponent (midpoints to 1/2 and 2). */
    public static final double EXPONENT_LOW = 0.75;
    public static final double EXPONENT_HIGH = 1.5;

    /**
     * @param dims              dimensions
     * @param gamma             region radius for {@code W*} (and W on the region pairs)
     * @param pairs             random {@code (W*, D)} pairs per dimension for the exponent
     * @param distances         {@code t} values as fractions of gamma ({@code ||W - W*||_F = t gamma})
     * @param regionPairs       independent {@code (W, W*)} pairs in the gamma ball per dimension
     * @param stochasticSamples batch-1 gradients per dimension (the configured batch gets a tenth)
     * @param batch             the other batch size sampled ([LY17] section 5.2 uses 200)
     * @param level             confidence level of the exponent interval
     */
    public record Config(int[] dims, double gamma, int pairs, double[] distances, int regionPairs,
                         int stochasticSamples, int batch, double level) {
        public static Config forPreset(Preset p) {
            double[] t = {1e-3, 1e-2, 1e-1};
            return switch (p) {
                case QUICK -> new Config(new int[] {2, 4, 8}, 0.2, 12, t, 12, 200, 20, 0.95);
                case DEFAULT -> new Config(new int[] {2, 4, 8, 16}, 0.2, 30, t, 40, 2000, 200, 0.95);
                case PAPER -> new Config(new int[] {10, 25, 50, 100}, 0.2, 20, t, 20, 2000, 200, 0.95);
                case DEEP -> new Config(new int[] {5, 10, 20, 50, 100}, 0.2, 60, t, 60, 20000, 200, 0.95);
            };
        }

        Map<String, Object> describe() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("dims", Arrays.toString(dims));
            m.put("gamma", gamma);
            m.put("pairs", pairs);
            m.put("distances", Arrays.toString(distances));
            m.put("regionPairs", regionPairs);
            m.put("stochasticSamples", stochasticSamples);
            m.put("batch", batch);
            m.put("level", level);
            return m;
        }
    }

    private final Config fixedConfig;

    public C6GradientNormBounds() {
        this(null);
    }

    /** Fixed sizes (tests); {@code null} means "from the preset". */
    public C6GradientNormBounds(Config config) {
        this.fixedConfig = config;
    }

    /**
     * Under [LY17], and under one-block settings with an exact population gradient ({@code claims.setting.C6UnderSetting},
     * which gives the reasons elsewhere).
     */
    @Override
    public java.util.Optional<String> applicability(io.idrelu.setting.Setting s) {
        return io.idrelu.claims.setting.C6UnderSetting.applicability(id(), s);
    }

    @Override
    public String id() {
        return "C6";
    }

    @Override
    public String statement() {
        return "||grad L||_F <= c ||W - W*||_F near W* (exponent 1); stochastic gradient bound G against d";
    }

    /** Exponent of one pair: OLS slope of {@code log ||grad L(W* + t gamma D)||_F} on {@code log t}; also the largest ratio. */
    public record PairFit(double slope, double maxRatioTrue) { }

    /** Runs one pair alone from its seed. */
    public static PairFit pair(Kernel kernel, int d, double gamma, double[] distances, long seed) {
        return pair((dd, w, ws) -> OnePoint.trueGradient(kernel, dd, w, ws), d, gamma, distances, seed);
    }

    /** A population gradient in true units as a function of {@code (d, W, W*)} (a setting's, issue 11). */
    @FunctionalInterface
    public interface GradientFunction {
        double[] gradient(int d, double[] w, double[] wStar);
    }

    /** {@link #pair(Kernel, int, double, double[], long)} on any population gradient (the same draws from the seed). */
    public static PairFit pair(GradientFunction gradient, int d, double gamma, double[] distances, long seed) {
        GaussianSampler s = new GaussianSampler(seed);
        double[] ws = OnePoint.randomWithSpectralNorm(s, d, gamma * Math.min(1, 0.2 + Math.abs(s.next()) / 2));
        double[] dir = s.batch(d, d);
        double n = Matrices.frobeniusNorm(dir);
        double[] x = new double[distances.length];
        double[] y = new double[distances.length];
        double maxRatio = 0;
        for (int k = 0; k < distances.length; k++) {
            double t = distances[k] * gamma;
            double[] w = new double[d * d];
            for (int i = 0; i < w.length; i++) {
                w[i] = ws[i] + t * dir[i] / n;
            }
            double g = Matrices.frobeniusNorm(gradient.gradient(d, w, ws));
            x[k] = Math.log(t);
            y[k] = Math.log(g);
            maxRatio = Math.max(maxRatio, g / Math.sqrt(Matrices.squaredDistance(w, ws)));
        }
        return new PairFit(LeastSquares.fit(x, y).slope(), maxRatio);
    }

    @Override
    public ClaimResult run(ClaimContext ctx) {
        if (!ctx.isLy17()) {
            return io.idrelu.claims.setting.C6UnderSetting.run(ctx, fixedConfig != null ? fixedConfig : Config.forPreset(ctx.preset()),
                    id(), statement());
        }
        long t0 = System.nanoTime();
        Config cfg = fixedConfig != null ? fixedConfig : Config.forPreset(ctx.preset());
        Kernel k = ctx.kernel();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("config", cfg.describe());
        details.put("kernel", k.name());
        List<Double> slopes = new ArrayList<>();
        int nd = cfg.dims().length;
        double[] logD = new double[nd];
        double[] logCNear = new double[nd];
        double[] logCRegion = new double[nd];
        double[] logEG2 = new double[nd];
        double[] logQ999 = new double[nd];
        double[] logEG2Batch = new double[nd];
        double[] logEG2OverLoss = new double[nd];
        long index = 0;
        long trials = 0;
        double worstSlopeDistance = -1;
        double worstSlope = Double.NaN;
        long worstSeed = 0;
        int worstD = 0;
        long samplesWithBothStates = 0;
        long samplesAllInactive = 0;
        List<String> perD = new ArrayList<>();
        for (int di = 0; di < nd; di++) {
            int d = cfg.dims()[di];
            double cNear = 0;
            for (int p = 0; p < cfg.pairs(); p++) {
                long seed = GaussianSampler.trialSeed(ctx.seed(), index++);
                PairFit f = pair(k, d, cfg.gamma(), cfg.distances(), seed);
                trials++;
                slopes.add(f.slope());
                cNear = Math.max(cNear, f.maxRatioTrue());
                if (Math.abs(f.slope() - 1) > worstSlopeDistance || Double.isNaN(f.slope())) {
                    worstSlopeDistance = Double.isNaN(f.slope()) ? Double.POSITIVE_INFINITY : Math.abs(f.slope() - 1);
                    worstSeed = seed;
                    worstD = d;
                    worstSlope = f.slope();
                }
            }
            // Whole region: independent W, W* in the gamma ball.
            double cRegion = 0;
            double[] lx = new double[cfg.regionPairs()];
            double[] ly = new double[cfg.regionPairs()];
            for (int p = 0; p < cfg.regionPairs(); p++) {
                GaussianSampler s = GaussianSampler.forTrial(ctx.seed(), index++);
                double[] w = OnePoint.randomWithSpectralNorm(s, d, cfg.gamma() * Math.min(1, 0.05 + Math.abs(s.next()) / 2));
                double[] ws = OnePoint.randomWithSpectralNorm(s, d, cfg.gamma() * Math.min(1, 0.05 + Math.abs(s.next()) / 2));
                double dist = Math.sqrt(Matrices.squaredDistance(w, ws));
                double g = Matrices.frobeniusNorm(OnePoint.trueGradient(k, d, w, ws));
                cRegion = Math.max(cRegion, g / dist);
                lx[p] = Math.log(dist);
                ly[p] = Math.log(g);
                trials++;
            }
            LeastSquares.Fit regionFit = cfg.regionPairs() > 2 ? LeastSquares.fit(lx, ly)
                    : new LeastSquares.Fit(Double.NaN, Double.NaN, 0);
            // Stochastic gradients at one W in the region (norms gamma), batch 1 and the configured batch.
            GaussianSampler s = GaussianSampler.forTrial(ctx.seed(), index++);
            double[] w = OnePoint.randomWithSpectralNorm(s, d, cfg.gamma());
            double[] ws = OnePoint.randomWithSpectralNorm(s, d, cfg.gamma());
            double[] popGrad = new double[d * d];
            double popLoss = k.populationLossAndGradient(d, true, w, ws, popGrad);
            double popNorm = Matrices.frobeniusNorm(popGrad);
            double[] norms1 = new double[cfg.stochasticSamples()];
            double[] sq1 = new double[cfg.stochasticSamples()];
            double[] grad = new double[d * d];
            double[] h = new double[d];
            for (int i = 0; i < norms1.length; i++) {
                double[] x = s.batch(1, d);
                k.lossAndGradient(d, true, w, ws, x, 1, null, grad);
                norms1[i] = Matrices.frobeniusNorm(grad);
                sq1[i] = norms1[i] * norms1[i];
                k.preActivations(d, true, w, x, 1, h);
                int active = 0;
                for (double v : h) {
                    active += v > 0 ? 1 : 0;
                }
                if (active > 0 && active < d) {
                    samplesWithBothStates++;
                } else if (active == 0) {
                    samplesAllInactive++;
                }
            }
            int nb = Math.max(2, cfg.stochasticSamples() / 10);
            double[] sqB = new double[nb];
            for (int i = 0; i < nb; i++) {
                k.lossAndGradient(d, true, w, ws, s.batch(cfg.batch(), d), cfg.batch(), null, grad);
                double g = Matrices.frobeniusNorm(grad);
                sqB[i] = g * g;
            }
            trials += norms1.length + nb;
            Interval eg2 = Interval.forMean(sq1, cfg.level());
            Interval eg2B = Interval.forMean(sqB, cfg.level());
            double[] sorted = norms1.clone();
            Arrays.sort(sorted);
            double q50 = quantile(sorted, 0.5);
            double q99 = quantile(sorted, 0.99);
            double q999 = quantile(sorted, 0.999);
            logD[di] = Math.log(d);
            logCNear[di] = Math.log(cNear);
            logCRegion[di] = Math.log(cRegion);
            logEG2[di] = Math.log(eg2.mean());
            logQ999[di] = Math.log(q999);
            logEG2Batch[di] = Math.log(eg2B.mean());
            logEG2OverLoss[di] = Math.log(eg2.mean() / popLoss);
            perD.add(String.format(java.util.Locale.ROOT,
                    "d=%d cNear(true)=%.4g cNear(paper)=%.4g cRegion(true)=%.4g regionLogLogSlope=%.4f+-%.4f"
                            + " ||grad L||(true)=%.4g batch1 E||G||^2(true)=%.4g [%.4g,%.4g] q50=%.4g q99=%.4g q99.9=%.4g"
                            + " (paper x pi: q99.9=%.4g) batch%d E||G||^2(true)=%.4g L(W)=%.4g batch1 E||G||^2/L=%.4g",
                    d, cNear, Math.PI * cNear, cRegion, regionFit.slope(), regionFit.standardError(), popNorm, eg2.mean(), eg2.low(),
                    eg2.high(), q50, q99, q999, Math.PI * q999, cfg.batch(), eg2B.mean(), popLoss, eg2.mean() / popLoss));
            ctx.progress().accept("C6 d=" + d + " cNear(true)=" + C8OnePointStrongConvexity.fmt(cNear));
        }
        double[] sl = slopes.stream().mapToDouble(Double::doubleValue).toArray();
        Interval exponent = Interval.forMean(sl, cfg.level());
        details.put("perDimension", perD);
        details.put("exponentNearWStar", exponent.mean());
        details.put("worstPairExponent", worstSlope);
        details.put("exponentInterval", "[" + exponent.low() + ", " + exponent.high() + "] at level " + cfg.level());
        if (nd >= 2) {
            details.put("cNearGrowthExponentInD", LeastSquares.fit(logD, logCNear).slope());
            details.put("cRegionGrowthExponentInD", LeastSquares.fit(logD, logCRegion).slope());
            details.put("batch1MeanSquaredNormExponentInD", LeastSquares.fit(logD, logEG2).slope());
            details.put("batch1Quantile999ExponentInD", LeastSquares.fit(logD, logQ999).slope());
            // E||G||^2 = 4 E[r^2 ||x||^2 #active] scales with L(W) at the sampled W; dividing by L(W)
            // removes the W-to-W spread of the loss and leaves the d-dependence of the bound G^2 / L.
            details.put("batch1MeanSquaredNormOverLossExponentInD", LeastSquares.fit(logD, logEG2OverLoss).slope());
            details.put("batch" + cfg.batch() + "MeanSquaredNormExponentInD", LeastSquares.fit(logD, logEG2Batch).slope());
        }
        details.put("stochasticSamplesWithBothActivationStates", samplesWithBothStates);
        details.put("stochasticSamplesAllInactive", samplesAllInactive);
        Verdict v;
        if (exponent.low() > EXPONENT_LOW && exponent.high() < EXPONENT_HIGH) {
            v = Verdict.HOLDS;
        } else if (exponent.high() < EXPONENT_LOW || exponent.low() > EXPONENT_HIGH) {
            v = Verdict.VIOLATED;
        } else {
            v = Verdict.INCONCLUSIVE;
        }
        double margin = Math.min(exponent.low() - EXPONENT_LOW, EXPONENT_HIGH - exponent.high());
        details.put("margin", "distance of the exponent interval to the edges of (0.75, 1.5)");
        Map<String, Object> rc = new LinkedHashMap<>();
        rc.put("d", worstD);
        rc.put("gamma", cfg.gamma());
        rc.put("distances", Arrays.toString(cfg.distances()));
        rc.put("mode", "pair");
        String why = v == Verdict.HOLDS ? "" : String.format(java.util.Locale.ROOT,
                "exponent interval [%.4g, %.4g] (level %s) %s (%s, %s)", exponent.low(), exponent.high(), cfg.level(),
                v == Verdict.VIOLATED ? "outside" : "not inside", EXPONENT_LOW, EXPONENT_HIGH);
        return new ClaimResult(id(), statement(), v, exponent.mean(), 1.0, "in (0.75, 1.5)", Units.NONE, margin,
                exponent.mean(), 1.0, trials, new Replay("C6", rc, worstSeed), details, C8OnePointStrongConvexity.seconds(t0))
                .explained(Decisive.within("exponent p of ||grad L||", exponent.mean(), EXPONENT_LOW, EXPONENT_HIGH, Units.NONE), why);
    }

    /** Quantile of sorted data (nearest rank). */
    static double quantile(double[] sorted, double q) {
        int i = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }
}
