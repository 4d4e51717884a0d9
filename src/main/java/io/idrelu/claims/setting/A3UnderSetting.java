package io.idrelu.claims.setting;

import io.idrelu.claims.A3TrajectoryAgreement;
import io.idrelu.claims.ClaimContext;
import io.idrelu.claims.ClaimResult;
import io.idrelu.claims.Decisive;
import io.idrelu.claims.Preset;
import io.idrelu.claims.Replay;
import io.idrelu.claims.Units;
import io.idrelu.claims.Verdict;
import io.idrelu.model.GaussianSampler;
import io.idrelu.setting.Activation;
import io.idrelu.setting.InputSampler;
import io.idrelu.setting.NetworkKernel;
import io.idrelu.setting.NetworkKernels;
import io.idrelu.setting.Setting;
import io.idrelu.setting.SettingProblem;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Claim A3 under a setting other than [LY17]'s (proofs-notes/A3.md, "Under other settings"): fast and reference SGD
 * on identical rows and noise stay within the derived envelope of {@link SettingTrajectoryAudit} at every step and
 * reach the same outcome. Sizes as the [LY17] version ({@link A3TrajectoryAgreement#options}: the preset's d values,
 * batch {@code min(16, 20000/d^2)}, {@code eta = min(0.05, 0.1/d)}), one trajectory per d at that batch and one per
 * batch size 1, 2, 3; a data set's fixed d replaces the preset's.
 */
public final class A3UnderSetting {
    private A3UnderSetting() { }

    /** d values per preset: [LY17]'s A3 sizes ({@code A3TrajectoryAgreement.Config}). */
    static int[] dims(Preset p) {
        return switch (p) {
            case QUICK -> new int[] {3};
            case DEFAULT -> new int[] {1, 3, 7, 13};
            case PAPER -> new int[] {13};
            case DEEP -> new int[] {1, 3, 7, 13};
        };
    }

    /** Steps for small d per preset (as [LY17]'s A3). */
    static int stepsSmall(Preset p) {
        return switch (p) {
            case QUICK -> 10;
            case DEFAULT, PAPER -> 30;
            case DEEP -> 200;
        };
    }

    public static ClaimResult run(ClaimContext ctx) {
        return run(ctx, NetworkKernels.matching(ctx.kernel()), null);
    }

    /**
     * With a given fast kernel and fast-path activation (null: the setting's): negative controls pass a broken
     * kernel or a wrong slope, which must make the claim VIOLATED.
     */
    public static ClaimResult run(ClaimContext ctx, NetworkKernel kernel, Activation fastAct) {
        long t0 = System.nanoTime();
        int[] dims = ctx.dimensionFixed() ? new int[] {ctx.setting().d()} : dims(ctx.preset());
        List<Map<String, Object>> rows = new ArrayList<>();
        SettingTrajectoryAudit.Report worst = null;
        Map<String, Object> worstCfg = null;
        long worstSeed = 0;
        int failed = 0;
        int vacuous = 0;
        int n = 0;
        long candidates = 0;
        long flips = 0;
        String firstFailure = "";
        for (int d : dims) {
            Setting s = ctx.settingAt(d);
            InputSampler sampler = InputSampler.of(s.inputs(), d);
            var o = A3TrajectoryAgreement.options(d, stepsSmall(ctx.preset()));
            int[] batches = {o.batch(), 1, 2, 3};
            for (int i = 0; i < batches.length; i++) {
                int b = batches[i];
                long seed = GaussianSampler.trialSeed(ctx.seed(), 3000L * d + (i == 0 ? 0 : 500 + b));
                SettingProblem p = SettingProblem.random(s, seed);
                ctx.progress().accept("A3 (" + describe(s) + "): d=" + d + " batch " + b + " (" + o.steps() + " steps)");
                Activation fa = fastAct == null ? s.activation() : fastAct;
                var rep = SettingTrajectoryAudit.run(s, sampler, kernel, fa, p, seed, 1, b, o.steps(), o.eta());
                n++;
                candidates += rep.candidates();
                flips += rep.flipSamples();
                Map<String, Object> cfg = new LinkedHashMap<>();
                cfg.put("d", d);
                cfg.put("blocks", s.architecture().blocks());
                cfg.put("batch", b);
                cfg.put("steps", o.steps());
                cfg.put("eta", o.eta());
                cfg.put("trial", 1);
                Map<String, Object> row = new LinkedHashMap<>(cfg);
                row.put("maxRatio", rep.maxRatio());
                row.put("finalObserved", rep.finalObserved());
                row.put("finalEnvelope", rep.finalEnvelope());
                row.put("maxAmplification", rep.maxAmplification());
                row.put("flipSamples", rep.flipSamples());
                row.putAll(rep.notes());
                row.put("passed", rep.passed());
                rows.add(row);
                if (rep.passed() && !(rep.finalEnvelope() < ((Number) rep.notes().get("finalWeightNorm")).doubleValue())) {
                    // the envelope (non-decreasing in t) reached the size of the weights themselves: it no longer tells the
                    // two trajectories apart from arbitrary weights, so it cannot confirm the claim
                    vacuous++;
                }
                if (!rep.passed()) {
                    failed++;
                    if (firstFailure.isEmpty()) {
                        firstFailure = String.format(Locale.ROOT, "d=%d B=%d: %s", d, b, rep.violations() > 0
                                ? "||W_fast - W_ref||_F = " + rep.worstObserved() + " > envelope " + rep.worstEnvelope()
                                + " at step " + rep.worstStep()
                                : "outcome differs (converged fast " + rep.notes().get("convergedFast") + ", reference "
                                + rep.notes().get("convergedReference") + ", sqrt-loss gap " + rep.notes().get("sqrtLossGap")
                                + " vs band " + rep.notes().get("sqrtLossBand") + ")");
                    }
                }
                boolean worse = worst == null || (!rep.passed() && worst.passed())
                        || (rep.passed() == worst.passed() && !(rep.maxRatio() <= worst.maxRatio()));
                if (worse) {
                    worst = rep;
                    worstCfg = cfg;
                    worstSeed = seed;
                }
            }
        }
        Verdict v = failed > 0 ? Verdict.VIOLATED : vacuous > 0 ? Verdict.INCONCLUSIVE : Verdict.HOLDS;
        double ratio = worst.maxRatio();
        Map<String, Object> det = new LinkedHashMap<>();
        det.put("setting", describe(ctx.setting()));
        det.put("dimensions", java.util.Arrays.toString(dims));
        det.put("rigour", "envelope rigorous given the running A1 bound (NetworkBounds) and the a-priori ball bounds"
                + " (proofs-notes/A3.md, Under other settings)");
        det.put("margin", "1 - max over trajectories and steps of ||W_fast - W_ref||_F / e_t");
        det.put("trajectoriesFailed", failed + " of " + n);
        det.put("trajectoriesWithVoidEnvelope", vacuous + " of " + n + " (final envelope >= ||W_fast||_F: uninformative)");
        det.put("patternCandidates", candidates);
        det.put("jumpSamples", flips);
        det.put("trajectories", rows);
        det.put("series", Map.of("step", steps(worst.observed().size()), A3TrajectoryAgreement.SERIES_OBSERVED,
                worst.observed(), A3TrajectoryAgreement.SERIES_ENVELOPE, worst.envelope()));
        return new ClaimResult("A3", "fast and reference SGD on identical samples stay within the divergence envelope"
                + " and reach the same outcome", v, ratio, 1.0, "<=", Units.NONE, 1 - ratio, worst.finalObserved(),
                Double.NaN, n, new Replay("A3", worstCfg, worstSeed), det, (System.nanoTime() - t0) / 1e9)
                .explained(Decisive.of("max ||W_fast - W_ref||_F/e_t", ratio, "<=", 1.0, Units.NONE),
                        v == Verdict.HOLDS ? "" : v == Verdict.INCONCLUSIVE ? "the envelope reached the weights' own size (void) in " + vacuous
                                + " of " + n + " trajectories (an expanding fixed-pattern step, eta lambda_GN > 2, or a possible K > 1 pattern change charged as a jump)"
                                : failed + " of " + n + " trajectories failed; first: " + firstFailure);
    }

    private static List<Double> steps(int n) {
        List<Double> s = new ArrayList<>();
        for (int t = 1; t <= n; t++) {
            s.add((double) t);
        }
        return s;
    }

    /** A short label of a setting for progress lines and details. */
    static String describe(Setting s) {
        return io.idrelu.setting.SettingJson.write(s);
    }
}
