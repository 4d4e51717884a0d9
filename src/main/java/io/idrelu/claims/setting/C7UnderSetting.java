package io.idrelu.claims.setting;

import io.idrelu.claims.C7PhaseOnePotentialDecrease;
import io.idrelu.claims.C7PhaseOnePotentialDecrease.Config;
import io.idrelu.claims.C7PhaseOnePotentialDecrease.Trial;
import io.idrelu.claims.ClaimContext;
import io.idrelu.claims.ClaimResult;
import io.idrelu.model.GaussianSampler;
import io.idrelu.model.Problem;
import io.idrelu.setting.NetworkKernel;
import io.idrelu.setting.NetworkKernels;
import io.idrelu.setting.Setting;
import io.idrelu.setting.SettingProblem;
import io.idrelu.setting.SettingSgd;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * C7 (Phase I: the potential decreases in expectation while {@code g >= 197 gamma^2} and falls below it within
 * {@code 1/(16 eta)} steps) under a setting other than [LY17]'s (issue 11; proofs-notes/C7.md, "Under other
 * settings"). The same start, statistics and decision as {@link C7PhaseOnePotentialDecrease}: every block starts at
 * {@code W0_k = -gamma I} with teacher block {@code W*_k = gamma I}; the seed drives the setting's input stream (and
 * label noise); training is {@link SettingSgd} on the generic fast path.
 *
 * <p><b>Extension for {@code K} blocks</b> (not in [LY17], which has one): {@code g = (1/K) sum_k g(W_k; W*_k)}, each
 * block's [LY17] potential against its own teacher block, averaged so that {@code K = 1} is the paper's {@code g},
 * {@code g(W_0) = 2 d gamma} for every K and the threshold {@code 197 gamma^2} and step bound keep their meaning per
 * block ({@link SettingTrajectories#potential}).
 */
public final class C7UnderSetting {
    private C7UnderSetting() { }

    /** Runs C7 under {@code ctx.setting()} with the claim's configuration {@code c} (its d unless the law fixes d). */
    public static ClaimResult run(ClaimContext ctx, Config c) {
        return run(ctx, c, NetworkKernels.matching(ctx.kernel()));
    }

    /** The same on {@code kernel} (tests: a deliberately wrong kernel for the negative control). */
    public static ClaimResult run(ClaimContext ctx, Config c0, NetworkKernel kernel) {
        long start = System.nanoTime();
        int d = SettingTrajectories.dimensions(ctx, new int[] {c0.d()})[0];
        Config c = d == c0.d() ? c0 : new Config(d, c0.gamma(), c0.eta(), c0.batch(), c0.trials(), c0.maxStepsFactor(),
                c0.windows(), c0.level());
        Setting s = ctx.settingAt(d);
        int k = s.architecture().blocks();
        SettingProblem p = phaseOneProblem(s, c.gamma());
        double[] wStar = SettingTrajectories.flat(p.wStar());
        SettingSgd sgd = SettingTrajectories.sgd(s, kernel);
        Trial[] trials = new Trial[c.trials()];
        for (int i = 0; i < trials.length; i++) {
            long seed = GaussianSampler.trialSeed(ctx.seed(), i);
            trials[i] = C7PhaseOnePotentialDecrease.trialOf(c, ctx.constants(), seed,
                    SettingTrajectories.driver(sgd, p, ctx.seed(), i, c.batch(), c.eta()),
                    w -> SettingTrajectories.potential(d, true, w, wStar));
            ctx.progress().accept("C7 trial " + i + ": crossing at step " + trials[i].crossing());
        }
        Map<String, Object> extra = SettingTrajectories.details(ctx, "d = " + d + (ctx.dimensionFixed()
                ? " (fixed by the input law)" : " (the preset's)") + ", " + k + " block(s)");
        extra.put("potentialDefinition", k == 1 ? "[LY17]'s g(W) = sum_i (|v_i| - |u_i|)"
                : "extension for K = " + k + " blocks: g = (1/K) sum_k sum_i (|v_{k,i}| - |u_{k,i}|), each block against"
                + " its own teacher block (proofs-notes/C7.md)");
        return C7PhaseOnePotentialDecrease.judge(ctx, c, trials, 2 * d * c.gamma(), SettingTrajectories.KERNEL_NAME,
                extra, start);
    }

    /** [LY17]'s Phase I start in every block: {@code W0_k = -gamma I}, {@code W*_k = gamma I}. */
    static SettingProblem phaseOneProblem(Setting s, double gamma) {
        Problem one = C7PhaseOnePotentialDecrease.phaseOneProblem(s.d(), gamma);
        List<double[]> w0 = new ArrayList<>();
        List<double[]> ws = new ArrayList<>();
        for (int b = 0; b < s.architecture().blocks(); b++) {
            w0.add(one.w0());
            ws.add(one.wStar());
        }
        return new SettingProblem(s, w0, ws);
    }
}
