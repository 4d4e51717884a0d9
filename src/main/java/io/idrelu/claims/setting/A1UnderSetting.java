package io.idrelu.claims.setting;

import io.idrelu.claims.Applicability;
import io.idrelu.claims.ClaimContext;
import io.idrelu.claims.ClaimResult;
import io.idrelu.claims.Decisive;
import io.idrelu.claims.Preset;
import io.idrelu.claims.Replay;
import io.idrelu.claims.Units;
import io.idrelu.claims.Verdict;
import io.idrelu.model.GaussianSampler;
import io.idrelu.setting.Activation;
import io.idrelu.setting.FastValues;
import io.idrelu.setting.InputSampler;
import io.idrelu.setting.NetworkAudit;
import io.idrelu.setting.NetworkKernel;
import io.idrelu.setting.NetworkKernels;
import io.idrelu.setting.Setting;
import io.idrelu.setting.SettingProblem;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A1 under a setting other than [LY17]'s (issue 11; proofs-notes/settings.md section 5, proofs-notes/A1.md "Under
 * other settings"): the generic fast path ({@link NetworkKernel}) and the exact reference
 * ({@code ExactNetwork}: exact BigDecimal for ReLU/leaky ReLU, 30 digits for smooth activations) on the same doubles;
 * every output, residual, the loss and every gradient entry of every block must lie within the running Higham bound
 * of {@code NetworkBounds} ({@link NetworkAudit}). Cases: at each of the claim's dimensions (the setting's own d when
 * the inputs fix it) the batch sizes 1, 2, 3 (a kernel may special-case small batches; online SGD uses one row) and a
 * larger one, each from its own seed: weights {@code SettingProblem.random} (the setting's init), inputs from the
 * setting's law, label noise when the setting has it.
 *
 * <p>VIOLATED when any quantity's {@code |fast - reference| / bound > 1}, with the case and the quantity as the
 * witness. The bound is derived before the run (nothing is fitted), so a wrong activation slope, a dropped block or
 * identity term in the fast path fails it (negative controls in {@code A1UnderSettingTest}).
 */
public final class A1UnderSetting {
    private A1UnderSetting() { }

    /** Dimensions, the larger batch and trials (seeds) per (d, batch) for a preset. */
    record Sizes(int[] dims, int largeBatch, int trials) {
        static Sizes of(Preset p) {
            return switch (p) {
                case QUICK -> new Sizes(new int[] {1, 3, 7}, 8, 1);
                case DEFAULT -> new Sizes(new int[] {1, 3, 7, 13}, 16, 2);
                case PAPER -> new Sizes(new int[] {7, 13, 30}, 16, 2);
                case DEEP -> new Sizes(new int[] {1, 3, 7, 13, 30}, 32, 4);
            };
        }
    }

    /** Batch sizes of every dimension: 1, 2, 3 and {@code large}. */
    static int[] batches(int large) {
        return new int[] {1, 2, 3, large};
    }

    public static ClaimResult run(ClaimContext ctx, String id, String statement) {
        return run(ctx, id, statement, NetworkKernels.matching(ctx.kernel()), UnaryOperator.identity());
    }

    /**
     * As {@link #run(ClaimContext, String, String)} on {@code kernel}, which is handed {@code kernelAct(act)} instead of
     * the setting's activation (negative controls: a mutated kernel or a wrong activation parameter must fail).
     */
    static ClaimResult run(ClaimContext ctx, String id, String statement, NetworkKernel kernel, UnaryOperator<Activation> kernelAct) {
        long t0 = System.nanoTime();
        Sizes sizes = Sizes.of(ctx.preset());
        int[] dims = ctx.dimensionFixed() ? new int[] {ctx.setting().d()} : sizes.dims();
        double worst = 0;
        String worstWhere = "none";
        Replay witness = null;
        long checked = 0;
        long active = 0;
        long inactive = 0;
        List<Map<String, Object>> cases = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (int d : dims) {
            Setting s = ctx.dimensionFixed() ? ctx.setting() : ctx.settingAt(d);
            InputSampler sampler = InputSampler.of(s.inputs(), d); // a data set is loaded once per d
            for (int b : batches(sizes.largeBatch())) {
                for (int t = 0; t < sizes.trials(); t++) {
                    long seed = GaussianSampler.trialSeed(ctx.seed(), 1000L * d + 10L * b + t);
                    ctx.progress().accept("A1 (" + Applicability.label(s) + "): d=" + d + " batch " + b + " trial " + t);
                    SettingProblem p = SettingProblem.random(s, seed);
                    InputSampler.Stream st = sampler.stream(seed);
                    double[] x = st.batch(b);
                    double[] noise = s.labels().sigma() > 0 ? st.noise(b, s.labels().sigma()) : null;
                    Activation ka = kernelAct.apply(s.activation());
                    NetworkAudit a = NetworkAudit.run(kernel, s.architecture(), s.activation(), p.w0(), p.wStar(), x, b, noise, ka);
                    FastValues fv = kernel.evaluate(s.architecture(), ka, p.w0(), p.wStar(), x, b, noise);
                    for (double[] h : fv.h()) {
                        for (double v : h) {
                            if (v > 0) {
                                active++;
                            } else {
                                inactive++;
                            }
                        }
                    }
                    checked += a.checked();
                    Map<String, Object> c = new LinkedHashMap<>();
                    c.put("d", d);
                    c.put("batch", b);
                    c.put("trial", t);
                    c.put("seed", seed);
                    c.put("worstRatio", a.worstRatio());
                    c.put("checked", a.checked());
                    cases.add(c);
                    boolean fail = !a.agrees();
                    if (fail && failures.size() < 10) {
                        failures.add("d=" + d + " batch=" + b + " trial=" + t + ": " + a.worstQuantity());
                    }
                    if (a.worstRatio() > worst || !Double.isFinite(a.worstRatio()) || witness == null) {
                        worst = Double.isFinite(a.worstRatio()) ? Math.max(worst, a.worstRatio()) : Double.POSITIVE_INFINITY;
                        worstWhere = "d=" + d + " batch=" + b + " trial=" + t + ": " + a.worstQuantity();
                        Map<String, Object> w = new LinkedHashMap<>();
                        w.put("d", d);
                        w.put("batch", b);
                        w.put("trial", t);
                        w.put("setting", Applicability.label(s));
                        witness = new Replay(id, w, seed);
                    }
                }
            }
        }
        Verdict v = failures.isEmpty() ? Verdict.HOLDS : Verdict.VIOLATED;
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("setting", Applicability.label(ctx.setting()));
        details.put("dims", dims);
        details.put("batches", batches(sizes.largeBatch()));
        details.put("reference", ctx.setting().activation().piecewiseLinear() ? "exact BigDecimal (no rounding)"
                : NetworkAudit.REFERENCE_DIGITS + " digits (its own error 10^-" + NetworkAudit.REFERENCE_DIGITS + " (1 + |v|) added to the bound)");
        details.put("bound", "running Higham bound of NetworkBounds (proofs-notes/settings.md section 5), true units");
        details.put("worst", worstWhere);
        details.put("quantitiesChecked", checked);
        details.put("activePreActivations", active);
        details.put("inactivePreActivations", inactive);
        details.put("failures", failures);
        details.put("cases", cases);
        details.put("units", "errors and bounds in true units; the decisive number is their ratio");
        String why = v == Verdict.HOLDS ? "" : failures.size() + (failures.size() >= 10 ? "+" : "") + " failing case(s), first: "
                + failures.get(0);
        return new ClaimResult(id, statement, v, worst, 1.0, "<=", Units.NONE, 1 - worst, Double.NaN, Double.NaN,
                cases.size(), witness, details, (System.nanoTime() - t0) * 1e-9)
                .explained(Decisive.of("max |fast - exact|/bound", worst, "<=", 1.0, Units.NONE), why);
    }
}
