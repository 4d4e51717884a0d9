package io.idrelu.claims;

import io.idrelu.kernel.Kernel;
import io.idrelu.model.GaussianSampler;
import io.idrelu.model.Potential;
import io.idrelu.model.Problem;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * C7 ([LY17] Theorem 3.1, Phase I): with {@code eta <= gamma^2 / G^2} the potential
 * {@code g(W) = sum_i (|v_i| - |u_i|)} decreases in expectation while {@code g >= 197 gamma^2} and falls
 * below {@code 197 gamma^2} within {@code 1/(16 eta)} steps (both constants recalled, overridable).
 *
 * <p>Where Phase I really happens: {@code |g| <= sum |v_i - u_i| <= 2 d gamma} whenever
 * {@code ||W||_2, ||W*||_2 <= gamma}, so {@code g >= 197 gamma^2} is possible only if
 * {@code gamma < 2d/197}; random small starts have {@code g} near 0. The claim therefore starts at the
 * extreme admissible point {@code W_0 = -gamma I}, {@code W* = gamma I} (every unit shrunk, every teacher
 * unit stretched), where {@code g(W_0) = 2 d gamma} exactly; the seed drives the SGD stream.
 *
 * <p>Decrease: windows of equal length while every seed is still in Phase I; per window a Student-t
 * interval (Bonferroni over windows) of the mean decrease of {@code g} over seeds. Step count: the first
 * step with {@code g < 197 gamma^2} per seed against {@code 1/(16 eta_paper)} with
 * {@code eta_paper = eta / pi} (the paper's gradient is {@code pi} times ours, so the same update uses a
 * step {@code pi} times smaller in the paper's units); the literal true-units reading {@code 1/(16 eta)}
 * is reported too. A step count beyond the bound is a violation only where the theorem's hypotheses
 * ({@code d >= 100}, {@code eta <= gamma^2 / G^2}) hold; elsewhere it is reported as a finding.
 */
public final class C7PhaseOnePotentialDecrease implements Claim {

    /**
     * @param maxStepsFactor each run stops at {@code maxStepsFactor} times the paper-reading step bound (or when
     *                       {@code g} crosses the threshold)
     * @param windows        largest number of decrease windows
     * @param level          family confidence level (Bonferroni over windows)
     */
    public record Config(int d, double gamma, double eta, int batch, int trials, double maxStepsFactor, int windows,
                         double level) {
        public Config {
            if (d < 1 || batch < 1 || trials < 2 || windows < 1) {
                throw new IllegalArgumentException("need d, batch, windows >= 1 and trials >= 2: d=" + d + " batch=" + batch
                        + " windows=" + windows + " trials=" + trials);
            }
            if (!(gamma > 0 && gamma < 1) || !(eta > 0) || !(maxStepsFactor >= 1) || !(level > 0 && level < 1)) {
                throw new IllegalArgumentException("need 0 < gamma < 1, eta > 0, maxStepsFactor >= 1, 0 < level < 1: "
                        + gamma + ", " + eta + ", " + maxStepsFactor + ", " + level);
            }
        }

        public static Config forPreset(Preset p) {
            return switch (p) {
                case QUICK -> new Config(4, 0.02, 5e-4, 16, 6, 8, 4, 0.99);
                case DEFAULT -> new Config(8, 0.02, 5e-4, 16, 10, 8, 6, 0.99);
                case PAPER -> new Config(100, 0.1, 0.001, 200, 5, 8, 6, 0.99);
                case DEEP -> new Config(100, 0.1, 2e-5, 200, 5, 8, 6, 0.99);
            };
        }

        public Map<String, Object> asMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("d", d);
            m.put("gamma", gamma);
            m.put("eta", eta);
            m.put("batch", batch);
            m.put("trials", trials);
            m.put("maxStepsFactor", maxStepsFactor);
            m.put("windows", windows);
            m.put("level", level);
            return m;
        }
    }

    /**
     * One seed: {@code potential[t] = g(W_t)} for {@code t = 0..} (until the crossing or the cap), the first
     * step with {@code g < threshold} ({@code -1} if none), and {@code maxStochGrad2}, the largest
     * {@code ||G_t||_F^2} (true units) seen while in Phase I.
     */
    public record Trial(long seed, double[] potential, int crossing, double maxStochGrad2) { }

    private final Config override;

    public C7PhaseOnePotentialDecrease() {
        this(null);
    }

    public C7PhaseOnePotentialDecrease(Config config) {
        this.override = config;
    }

    static final String ID = "C7";
    static final String STATEMENT =
            "Phase I: g decreases in expectation while g >= 197 gamma^2 and falls below it within 1/(16 eta) steps";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String statement() {
        return STATEMENT;
    }

    /** The Phase I start: {@code W_0 = -gamma I}, {@code W* = gamma I}, identity student. */
    public static Problem phaseOneProblem(int d, double gamma) {
        double[] w0 = new double[d * d];
        double[] ws = new double[d * d];
        for (int j = 0; j < d; j++) {
            w0[j * d + j] = -gamma;
            ws[j * d + j] = gamma;
        }
        return new Problem(d, true, w0, ws);
    }

    /** Step bound in the paper's reading, {@code 1/(16 eta_paper)} with {@code eta_paper = eta_true / pi}. */
    static double stepBoundPaperReading(double factor, double eta) {
        return factor * Math.PI / eta;
    }

    /** Runs the trial with seed {@code seed} alone (replay). */
    public static Trial runTrial(Kernel kernel, Config c, PaperConstants pc, long seed) {
        int d = c.d();
        Problem p = phaseOneProblem(d, c.gamma());
        double[] wStar = p.wStar();
        return trialOf(c, pc, seed, (steps, obs) -> Trajectories.run(kernel, p, c.batch(), c.eta(), seed, steps, obs),
                w -> Potential.of(d, true, w, wStar));
    }

    /**
     * Records one seed's trajectory from {@code driver}: {@code g(W_t)} by {@code potential} every step until the
     * first {@code g < threshold} or the cap, and the largest {@code ||G_t||^2} (true units, from
     * {@code (W_t - W_{t+1}) / eta}) while in Phase I. Shared by [LY17]'s run and the run under a setting
     * ({@code io.idrelu.claims.setting.C7UnderSetting}, where {@code w} is the flat concatenation of the blocks).
     */
    public static Trial trialOf(Config c, PaperConstants pc, long seed, TrajectoryDriver driver,
                                java.util.function.ToDoubleFunction<double[]> potential) {
        double threshold = pc.phase1Threshold() * c.gamma() * c.gamma();
        int cap = (int) Math.ceil(c.maxStepsFactor() * stepBoundPaperReading(pc.phase1StepFactor(), c.eta()));
        List<Double> g = new ArrayList<>();
        int[] crossing = {-1};
        double[] maxG2 = {0};
        double[][] prev = new double[1][];
        driver.run(cap, (t, w) -> {
            if (prev[0] != null) {
                double s = 0;
                for (int i = 0; i < w.length; i++) {
                    double gi = (prev[0][i] - w[i]) / c.eta();
                    s += gi * gi;
                }
                maxG2[0] = Math.max(maxG2[0], s);
            }
            double gt = potential.applyAsDouble(w);
            g.add(gt);
            if (!(gt >= threshold)) {
                crossing[0] = Double.isNaN(gt) ? -1 : t;
                return false;
            }
            prev[0] = w.clone();
            return true;
        });
        double[] pot = new double[g.size()];
        for (int i = 0; i < pot.length; i++) {
            pot[i] = g.get(i);
        }
        return new Trial(seed, pot, crossing[0], maxG2[0]);
    }

    /**
     * Runs under every setting with an identity-mapped student (issue 11; proofs-notes/C7.md): for {@code K} blocks the
     * potential is the mean of the blocks' potentials (an extension). Not for a vanilla student: the Phase I
     * potential compares the columns of {@code I + W} with the teacher's.
     */
    @Override
    public java.util.Optional<String> applicability(io.idrelu.setting.Setting setting) {
        return setting.architecture().identity() ? java.util.Optional.empty()
                : java.util.Optional.of("C7: the Phase I potential is defined for the identity-mapped student (setting: vanilla)");
    }

    @Override
    public ClaimResult run(ClaimContext ctx) {
        Config c = override != null ? override : Config.forPreset(ctx.preset());
        if (!ctx.isLy17()) {
            return io.idrelu.claims.setting.C7UnderSetting.run(ctx, c);
        }
        PaperConstants pc = ctx.constants();
        long start = System.nanoTime();
        Trial[] trials = new Trial[c.trials()];
        for (int i = 0; i < trials.length; i++) {
            trials[i] = runTrial(ctx.kernel(), c, pc, GaussianSampler.trialSeed(ctx.seed(), i));
            ctx.progress().accept("C7 trial " + i + ": crossing at step " + trials[i].crossing());
        }
        return judge(ctx, c, trials, 2 * c.d() * c.gamma(), ctx.kernel().name(), Map.of(), start);
    }

    /**
     * The verdict from the recorded trials (shared with the run under a setting): the decrease part and the step
     * part, as described in the class comment.
     *
     * @param g0         {@code g(W_0)}, the same for every seed
     * @param kernelName the fast path that ran
     * @param extra      details appended at the end (the setting, what ran); empty under [LY17]
     * @param start      {@code System.nanoTime()} at the start of the run
     */
    public static ClaimResult judge(ClaimContext ctx, Config c, Trial[] trials, double g0, String kernelName,
                                    Map<String, Object> extra, long start) {
        PaperConstants pc = ctx.constants();
        int n = c.trials();
        int d = c.d();
        double gamma2 = c.gamma() * c.gamma();
        double threshold = pc.phase1Threshold() * gamma2;
        int shortest = Integer.MAX_VALUE;
        double maxG2 = 0;
        for (int i = 0; i < n; i++) {
            shortest = Math.min(shortest, trials[i].potential().length - 1);
            maxG2 = Math.max(maxG2, trials[i].maxStochGrad2());
        }
        Map<String, Object> det = new LinkedHashMap<>();
        det.put("margin", "decrease part: smallest lower CI end of the mean per-window decrease of g; "
                + "step part (in 'stepMargin'): paper-reading bound - worst crossing step");
        det.put("threshold", threshold);
        det.put("gAtStart", g0);
        det.put("thresholdMeaningfulOnlyIfGammaBelow", 2.0 * d / pc.phase1Threshold());
        // Coverage: Phase I is visited (g_0 >= threshold) and left (some g_t < threshold).
        int crossed = 0;
        for (Trial tr : trials) {
            if (tr.crossing() >= 0) {
                crossed++;
            }
        }
        det.put("phaseIVisited", g0 >= threshold);
        det.put("seedsReachingPhaseII", crossed);

        // Part 1: decrease in expectation, per window, while every seed is in Phase I.
        Verdict decrease;
        double decreaseLow;
        Map<String, String> windowIntervals = new LinkedHashMap<>();
        int length = Math.max(1, shortest / c.windows());
        int windows = Math.min(c.windows(), shortest / length);
        if (!(g0 >= threshold) || windows < 1) {
            decrease = Verdict.INCONCLUSIVE;
            decreaseLow = Double.NaN;
            windowIntervals.put("none", g0 >= threshold ? "a seed left Phase I at step 0" : "Phase I empty: g_0 < threshold");
        } else {
            decrease = Verdict.HOLDS;
            decreaseLow = Double.POSITIVE_INFINITY;
            double perTest = Interval.bonferroni(c.level(), windows);
            for (int k = 0; k < windows; k++) {
                double[] dec = new double[n];
                for (int i = 0; i < n; i++) {
                    double[] g = trials[i].potential();
                    dec[i] = g[k * length] - g[(k + 1) * length];
                    if (!Double.isFinite(dec[i])) {
                        dec[i] = Double.NEGATIVE_INFINITY;
                    }
                }
                boolean diverged = false;
                for (double v : dec) {
                    diverged |= !Double.isFinite(v);
                }
                if (diverged) {
                    windowIntervals.put("steps " + k * length + ".." + (k + 1) * length, "diverged (non-finite g)");
                    decrease = Verdict.VIOLATED;
                    decreaseLow = Double.NEGATIVE_INFINITY;
                    continue;
                }
                Interval iv = Interval.forMean(dec, perTest);
                windowIntervals.put("steps " + k * length + ".." + (k + 1) * length,
                        String.format(Locale.ROOT, "mean decrease %.4g in [%.4g, %.4g]", iv.mean(), iv.low(), iv.high()));
                decrease = Trajectories.worse(decrease, iv.low() > 0 ? Verdict.HOLDS
                        : iv.high() < 0 ? Verdict.VIOLATED : Verdict.INCONCLUSIVE);
                decreaseLow = Math.min(decreaseLow, iv.low());
            }
            det.put("windowLevel", perTest);
        }
        det.put("decreaseVerdict", decrease.name());
        det.put("decreaseWindows", windowIntervals);

        // Part 2: crossing step against the bound.
        double boundPaper = stepBoundPaperReading(pc.phase1StepFactor(), c.eta());
        double boundTrue = pc.phase1StepFactor() / c.eta();
        int worstIdx = 0;
        int withinPaper = 0;
        int withinTrue = 0;
        double worstSteps = 0;
        double sumSteps = 0;
        for (int i = 0; i < n; i++) {
            int cr = trials[i].crossing();
            double steps = cr < 0 ? Double.POSITIVE_INFINITY : cr;
            sumSteps += steps;
            if (steps <= boundPaper) {
                withinPaper++;
            }
            if (steps <= boundTrue) {
                withinTrue++;
            }
            if (steps > worstSteps || i == 0) {
                worstSteps = steps;
                worstIdx = i;
            }
        }
        // Theorem 3.1's hypotheses, in the paper's reading: eta_paper <= gamma^2 / G_paper^2,
        // i.e. eta_true <= gamma^2 / (pi G_true^2) with G^2 the largest ||G_t||^2 seen in Phase I.
        double etaHypothesisBound = gamma2 / (Math.PI * maxG2);
        boolean hypotheses = d >= pc.minD() && c.eta() <= etaHypothesisBound;
        Verdict steps = withinPaper == n ? Verdict.HOLDS : hypotheses ? Verdict.VIOLATED : Verdict.INCONCLUSIVE;
        det.put("stepVerdict", steps.name());
        det.put("stepBoundPaperReading", boundPaper);
        det.put("stepBoundTrueReading", boundTrue);
        det.put("seedsWithinPaperReading", withinPaper + " of " + n);
        det.put("seedsWithinTrueReading", withinTrue + " of " + n);
        det.put("meanCrossingStep", sumSteps / n);
        det.put("worstCrossingStep", worstSteps);
        det.put("stepMargin", boundPaper - worstSteps);
        det.put("empiricalStepFactorTimesEtaPaper", worstSteps * c.eta() / Math.PI);
        det.put("maxStochGrad2TrueUnits", maxG2);
        det.put("etaHypothesisBoundTrueUnits", etaHypothesisBound);
        det.put("hypothesesHold", hypotheses);
        det.put("hypothesisNote", "d >= " + pc.minD() + ": " + (d >= pc.minD()) + "; eta <= gamma^2/(pi G^2): "
                + (c.eta() <= etaHypothesisBound));
        det.put("kernel", kernelName);
        det.putAll(extra);

        Verdict v = Trajectories.worse(decrease, steps);
        List<String> why = new java.util.ArrayList<>();
        if (decrease != Verdict.HOLDS) {
            why.add(String.format(Locale.ROOT, "mean decrease of g: lower CI end %.3g <= 0", decreaseLow));
        }
        if (steps != Verdict.HOLDS) {
            why.add(String.format(Locale.ROOT, "g < %s gamma^2 reached by step %.0f > bound %.0f in %d/%d seeds", pc.phase1Threshold(),
                    worstSteps, boundPaper, n - withinPaper, n)
                    + (hypotheses ? "" : "; not VIOLATED: " + (d < pc.minD() ? "d = " + d + " < minD = " + pc.minD()
                    : String.format(Locale.ROOT, "eta %.3g > gamma^2/(pi G^2) = %.3g", c.eta(), etaHypothesisBound))));
        }
        return new ClaimResult(ID, STATEMENT, v, decreaseLow, 0.0, ">", Units.NONE, decreaseLow,
                worstSteps * c.eta() / Math.PI, pc.phase1StepFactor(), n,
                new Replay(ID, c.asMap(), trials[worstIdx].seed()), det, (System.nanoTime() - start) / 1e9)
                .explained(steps != Verdict.HOLDS && (decrease == Verdict.HOLDS || (steps == v && decrease != v))
                        // the step part decides: the crossing step against 1/(16 eta) with eta read in paper units
                        ? Decisive.of("Phase I end step", worstSteps, "<=", boundPaper, Units.PAPER)
                        : Decisive.of("mean decrease of g, CI low", decreaseLow, ">", 0.0, Units.NONE), String.join("; ", why));
    }
}
