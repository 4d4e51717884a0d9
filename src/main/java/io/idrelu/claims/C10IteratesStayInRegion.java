package io.idrelu.claims;

import io.idrelu.model.GaussianSampler;
import io.idrelu.model.Matrices;
import io.idrelu.model.Problem;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * C10 ([LY17] Theorem 3.1, Phase II): the SGD iterates stay in the region the one-point strong
 * convexity needs, {@code ||W_t||_2 <= gamma} with {@code ||W_0||_2, ||W*||_2 <= gamma_0 < gamma}.
 * The paper does not give {@code gamma / gamma_0}; it is {@link Config#regionRatio} and the measured
 * {@code max_t ||W_t||_2 / gamma_0} (worst over seeds) is reported as the empirical constant.
 */
public final class C10IteratesStayInRegion implements Claim {

    /**
     * @param d           dimension
     * @param gamma       {@code ||W_0||_2 = ||W*||_2 = gamma} (the theorem's {@code gamma_0}); Problem.random
     * @param eta         step, true units
     * @param batch       batch size B
     * @param steps       SGD steps per trial
     * @param trials      seeds
     * @param every       spectral norm every {@code every} steps (and at the last step)
     * @param regionRatio region radius over start radius, {@code gamma / gamma_0}: [LY17] only says
     *                    {@code gamma > gamma_0}; the presets take 2 and the measured ratio is reported
     */
    public record Config(int d, double gamma, double eta, int batch, int steps, int trials, int every,
                         double regionRatio) {
        public Config {
            if (d < 1 || batch < 1 || steps < 1 || trials < 1 || every < 1) {
                throw new IllegalArgumentException("d, batch, steps, trials, every must be >= 1: " + d + ", " + batch
                        + ", " + steps + ", " + trials + ", " + every);
            }
            if (!(gamma > 0) || !(eta > 0) || !(regionRatio > 0)) {
                throw new IllegalArgumentException("gamma, eta, regionRatio must be > 0: " + gamma + ", " + eta + ", " + regionRatio);
            }
        }

        public static Config forPreset(Preset p) {
            return switch (p) {
                case QUICK -> new Config(4, 0.5, 0.05, 8, 200, 5, 10, 2.0);
                case DEFAULT -> new Config(8, 0.5, 0.05, 16, 400, 10, 10, 2.0);
                case PAPER -> new Config(100, 0.6, 0.001, 200, 3000, 5, 100, 2.0);
                case DEEP -> new Config(100, 0.6, 0.001, 200, 20000, 10, 100, 2.0);
            };
        }

        public Map<String, Object> asMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("d", d);
            m.put("gamma", gamma);
            m.put("eta", eta);
            m.put("batch", batch);
            m.put("steps", steps);
            m.put("trials", trials);
            m.put("every", every);
            m.put("regionRatio", regionRatio);
            return m;
        }
    }

    /** What one trial measured: the largest {@code ||W_t||_2 / gamma} and where (+infinity if the run blew up). */
    public record Trial(long seed, double maxRatio, int argmaxStep, double finalRatio, double maxRatioAfterStart) { }

    private final Config override;

    public C10IteratesStayInRegion() {
        this(null);
    }

    /** A claim that ignores the preset and uses {@code config} (tests, replay). */
    public C10IteratesStayInRegion(Config config) {
        this.override = config;
    }

    @Override
    public String id() {
        return "C10";
    }

    @Override
    public String statement() {
        return "SGD iterates stay in the region ||W_t||_2 <= gamma (max_t ||W_t||_2 / gamma_0 <= gamma/gamma_0)";
    }

    /** Runs trial with seed {@code seed} alone (replay). */
    public static Trial runTrial(io.idrelu.kernel.Kernel kernel, Config c, long seed) {
        Problem p = Problem.random(c.d(), c.gamma(), seed, true);
        double[] max = {0};
        int[] arg = {0};
        double[] last = {0};
        double[] after = {0};
        Trajectories.run(kernel, p, c.batch(), c.eta(), seed, c.steps(), (t, w) -> {
            if (t % c.every() == 0 || t == c.steps() || !Trajectories.allFinite(w)) {
                double r = Trajectories.allFinite(w) ? Matrices.spectralNorm(w, c.d()) / c.gamma() : Double.POSITIVE_INFINITY;
                last[0] = r;
                if (t > 0 && !(r <= after[0])) {
                    after[0] = r;
                }
                if (r > max[0] || Double.isNaN(r)) {
                    max[0] = r;
                    arg[0] = t;
                }
            }
            return true;
        });
        return new Trial(seed, max[0], arg[0], last[0], after[0]);
    }

    /** Runs under every setting (issue 11): per block for K blocks, on the setting's fast path. */
    @Override
    public java.util.Optional<String> applicability(io.idrelu.setting.Setting setting) {
        return java.util.Optional.empty();
    }

    @Override
    public ClaimResult run(ClaimContext ctx) {
        if (!ctx.isLy17()) { return io.idrelu.claims.setting.C10UnderSetting.run(ctx, override); }
        Config c = override != null ? override : Config.forPreset(ctx.preset());
        long start = System.nanoTime();
        Trial worst = null;
        double sumMax = 0;
        double maxAfter = 0;
        int outside = 0;
        for (int i = 0; i < c.trials(); i++) {
            long seed = GaussianSampler.trialSeed(ctx.seed(), i);
            Trial tr = runTrial(ctx.kernel(), c, seed);
            sumMax += tr.maxRatio();
            maxAfter = Double.isNaN(tr.maxRatioAfterStart()) ? Double.NaN : Math.max(maxAfter, tr.maxRatioAfterStart());
            if (!(tr.maxRatio() <= c.regionRatio())) {
                outside++;
            }
            if (worst == null || !(tr.maxRatio() <= worst.maxRatio())) {
                worst = tr;
            }
            ctx.progress().accept("C10 trial " + i + ": max ||W_t||_2/gamma = " + tr.maxRatio());
        }
        double measured = worst.maxRatio();
        Verdict v = measured <= c.regionRatio() ? Verdict.HOLDS : Verdict.VIOLATED;
        Map<String, Object> det = new LinkedHashMap<>();
        det.put("margin", "regionRatio - max over seeds and t of ||W_t||_2 / gamma_0");
        det.put("meanOverSeedsOfMaxRatio", sumMax / c.trials());
        det.put("trialsOutsideRegion", outside);
        det.put("worstArgmaxStep", worst.argmaxStep());
        det.put("worstFinalRatio", worst.finalRatio());
        // t = 0 is excluded here: ||W_0||_2 = gamma_0 by construction, and its computed SVD norm may exceed it by ulps.
        det.put("maxRatioAfterStart", maxAfter);
        det.put("strictReadingGammaEqualsGamma0", maxAfter <= 1.0 ? "HOLDS: no t >= 1 leaves the ball of radius gamma_0"
                : "VIOLATED: iterates leave the ball of radius gamma_0");
        det.put("stableStepTrueUnits", "eta < 4/d = " + 4.0 / c.d() + " (docs/MATH.md section 2)");
        det.put("kernel", ctx.kernel().name());
        return new ClaimResult(id(), statement(), v, measured, c.regionRatio(), "<=", Units.NONE,
                c.regionRatio() - measured, measured, Double.NaN, c.trials(),
                new Replay(id(), c.asMap(), worst.seed()), det, (System.nanoTime() - start) / 1e9)
                .explained(Decisive.of("max_t ||W_t||_2/gamma0", measured, "<=", c.regionRatio(), Units.NONE),
                        v == Verdict.HOLDS ? "" : String.format(java.util.Locale.ROOT,
                                "%d of %d runs left the region: max ||W_t||_2/gamma0 %.4g > %s at step %d", outside,
                                c.trials(), measured, c.regionRatio(), worst.argmaxStep()));
    }
}
