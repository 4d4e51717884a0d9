package io.idrelu.claims.setting;

import io.idrelu.claims.C10IteratesStayInRegion;
import io.idrelu.claims.ClaimContext;
import io.idrelu.claims.ClaimResult;
import io.idrelu.claims.Decisive;
import io.idrelu.claims.Replay;
import io.idrelu.claims.Units;
import io.idrelu.claims.Verdict;
import io.idrelu.model.GaussianSampler;
import io.idrelu.model.Matrices;
import io.idrelu.setting.Init;
import io.idrelu.setting.InputSampler;
import io.idrelu.setting.NetworkKernel;
import io.idrelu.setting.NetworkKernels;
import io.idrelu.setting.Setting;
import io.idrelu.setting.SettingProblem;
import io.idrelu.setting.SettingSgd;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Claim C10 under a setting other than [LY17]'s (proofs-notes/C10.md, "Under other settings"): SGD iterates on the
 * fast path ({@link SettingSgd}) stay in the region {@code max_k ||W_{k,t}||_2 <= regionRatio gamma_0} for every
 * block {@code k} and step {@code t}, with the [LY17] version's rule and constants (preset config,
 * {@code regionRatio = 2}); {@code gamma_0} is the setting's spectral-norm initialisation ({@code ||W0_k||_2 =
 * ||W*_k||_2 = gamma_0}), or for a scaled initialisation the largest spectral norm of the start and teacher blocks
 * (the smallest {@code gamma_0} the theorem's assumption allows). A data set's fixed d uses {@link SettingSteps}.
 */
public final class C10UnderSetting {
    private C10UnderSetting() { }

    /** One trial: the largest per-block ratio over the checked steps and where (+infinity if the run blew up). */
    public record Trial(long seed, double gamma0, double maxRatio, int argmaxStep, int argmaxBlock, double maxRatioAfterStart) { }

    public static Trial runTrial(NetworkKernel kernel, Setting s, InputSampler sampler, C10IteratesStayInRegion.Config c, SettingSteps st, long seed) {
        int d = s.d();
        SettingProblem p = SettingProblem.random(s, seed);
        double gamma0;
        if (s.init() instanceof Init.SpectralNorm sn) {
            gamma0 = sn.gamma();
        } else {
            gamma0 = 0;
            for (List<double[]> m : List.of(p.w0(), p.wStar())) {
                for (double[] w : m) {
                    gamma0 = Math.max(gamma0, Matrices.spectralNorm(w, d));
                }
            }
        }
        double g0 = gamma0;
        int every = Math.max(1, (int) Math.round((double) c.every() * st.steps() / c.steps()));
        double[] max = {ratio(p.w0(), d, g0)[0]};
        int[] arg = {0, (int) ratio(p.w0(), d, g0)[1]};
        double[] after = {0};
        new SettingSgd(s, kernel, sampler).run(p, seed, 0, st.steps(), c.batch(), st.eta(), (t, w, v) -> {
            int step = t + 1;
            boolean finite = w.stream().allMatch(m -> java.util.Arrays.stream(m).allMatch(Double::isFinite));
            if (step % every == 0 || step == st.steps() || !finite) {
                double[] r = finite ? ratio(w, d, g0) : new double[] {Double.POSITIVE_INFINITY, 0};
                after[0] = Math.max(after[0], r[0]);
                if (!(r[0] <= max[0])) {
                    max[0] = r[0];
                    arg[0] = step;
                    arg[1] = (int) r[1];
                }
            }
            return finite;
        });
        return new Trial(seed, g0, max[0], arg[0], arg[1] + 1, after[0]);
    }

    /** {@code {max_k ||W_k||_2 / gamma0, argmax k}}. */
    private static double[] ratio(List<double[]> w, int d, double gamma0) {
        double best = -1;
        int at = 0;
        for (int k = 0; k < w.size(); k++) {
            double r = Matrices.spectralNorm(w.get(k), d) / gamma0;
            if (!(r <= best)) {
                best = r;
                at = k;
            }
        }
        return new double[] {best, at};
    }

    /** @param override the claim's test/replay configuration, or null for the preset's */
    public static ClaimResult run(ClaimContext ctx, C10IteratesStayInRegion.Config override) {
        long start = System.nanoTime();
        C10IteratesStayInRegion.Config c = override != null ? override : C10IteratesStayInRegion.Config.forPreset(ctx.preset());
        int d = ctx.dimensionFixed() ? ctx.setting().d() : c.d();
        Setting s = ctx.settingAt(d);
        SettingSteps st = SettingSteps.of(c.d(), c.eta(), c.steps(), d);
        InputSampler sampler = InputSampler.of(s.inputs(), d);
        Trial worst = null;
        int outside = 0;
        double sumMax = 0;
        double maxAfter = 0;
        for (int i = 0; i < c.trials(); i++) {
            long seed = GaussianSampler.trialSeed(ctx.seed(), i);
            Trial tr = runTrial(NetworkKernels.matching(ctx.kernel()), s, sampler, c, st, seed);
            sumMax += tr.maxRatio();
            maxAfter = Math.max(maxAfter, tr.maxRatioAfterStart());
            if (!(tr.maxRatio() <= c.regionRatio())) {
                outside++;
            }
            if (worst == null || !(tr.maxRatio() <= worst.maxRatio())) {
                worst = tr;
            }
            ctx.progress().accept("C10 (" + A3UnderSetting.describe(s) + ") trial " + i + ": max_k ||W_k,t||_2/gamma0 = " + tr.maxRatio());
        }
        double measured = worst.maxRatio();
        Verdict v = measured <= c.regionRatio() ? Verdict.HOLDS : Verdict.VIOLATED;
        Map<String, Object> cfg = new LinkedHashMap<>(c.asMap());
        Map<String, Object> det = new LinkedHashMap<>();
        st.record(cfg, det, s, d, c.d());
        det.put("gamma0", worst.gamma0());
        det.put("margin", "regionRatio - max over seeds, blocks and t of ||W_k,t||_2 / gamma_0");
        det.put("meanOverSeedsOfMaxRatio", sumMax / c.trials());
        det.put("trialsOutsideRegion", outside);
        det.put("worstArgmaxStep", worst.argmaxStep());
        det.put("worstArgmaxBlock", worst.argmaxBlock());
        det.put("maxRatioAfterStart", maxAfter);
        det.put("strictReadingGammaEqualsGamma0", maxAfter <= 1.0 ? "HOLDS: no t >= 1 leaves the ball of radius gamma_0"
                : "VIOLATED: iterates leave the ball of radius gamma_0");
        det.put("kernel", "NetworkKernel (SettingSgd)");
        return new ClaimResult("C10", "SGD iterates stay in the region ||W_t||_2 <= gamma (max_t ||W_t||_2 / gamma_0 <= gamma/gamma_0)",
                v, measured, c.regionRatio(), "<=", Units.NONE, c.regionRatio() - measured, measured, Double.NaN,
                c.trials(), new Replay("C10", cfg, worst.seed()), det, (System.nanoTime() - start) / 1e9)
                .explained(Decisive.of("max_t,k ||W_k,t||_2/gamma0", measured, "<=", c.regionRatio(), Units.NONE),
                        v == Verdict.HOLDS ? "" : String.format(Locale.ROOT,
                                "%d of %d runs left the region: max ||W_k,t||_2/gamma0 %.4g > %s at step %d, block %d (d = %d)",
                                outside, c.trials(), measured, c.regionRatio(), worst.argmaxStep(), worst.argmaxBlock(), d));
    }
}
