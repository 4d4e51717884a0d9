package io.idrelu.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.idrelu.claims.A3TrajectoryAgreement;
import io.idrelu.claims.Applicability;
import io.idrelu.claims.setting.SettingTrajectoryAudit;
import io.idrelu.kernel.Kernel;
import io.idrelu.model.GaussianSampler;
import io.idrelu.setting.InputSampler;
import io.idrelu.setting.NetworkAudit;
import io.idrelu.setting.NetworkKernel;
import io.idrelu.setting.Setting;
import io.idrelu.setting.SettingClosedForm;
import io.idrelu.setting.SettingJson;
import io.idrelu.setting.SettingProblem;
import io.idrelu.setting.reference.SettingPopulation;

import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code idrelu audit} under a setting other than [LY17]'s (issue 11): claims A1-A3 of the generic network kernel on one
 * instance, with the checks the setting claims use ({@code A1UnderSetting}, {@code A2UnderSetting},
 * {@code A3UnderSetting}):
 * <ul>
 *   <li>A1: {@link NetworkAudit} (fast vs {@code ExactNetwork} on the same doubles, running Higham bound of
 *       {@code NetworkBounds}) at {@code W0} on batches of 1, 3 and {@value #LARGE_BATCH} rows of the setting's law
 *       (with label noise when the setting has it), or on the fixture's own {@code X};</li>
 *   <li>A2: where the setting has a population closed form ({@link SettingClosedForm}), its loss and gradient at
 *       {@code W0} and {@code W*} against {@link SettingPopulation#closedForm} at {@value #REF_DIGITS} digits, within the
 *       closed form's derived bound (plus the reference's {@code 10^(2-p)} relative error); otherwise not run (said so);</li>
 *   <li>A3: {@link SettingTrajectoryAudit} (fast and reference SGD on the same samples within the divergence envelope),
 *       sizes of [LY17]'s A3 at this d ({@link A3TrajectoryAgreement#options}).</li>
 * </ul>
 * Exit 0 when every check passes, 1 otherwise.
 */
final class AuditUnderSetting {
    static final int LARGE_BATCH = 16;
    static final int REF_DIGITS = 40;
    /** A3 steps at small d (as the setting claims' default preset). */
    static final int A3_STEPS = 30;

    /** One check: claim, what, passed, worst observed/bound, quantities compared, the worst one. */
    record Check(String claim, String quantity, boolean passed, double worstRatio, long checked, String worst) { }

    private final Setting s;
    private final SettingProblem p;
    private final long seed;
    private final double[] fixtureX;
    private final int fixtureBatch;
    private final String what;
    private final NetworkKernel kernel;
    private final Kernel closedFormKernel;

    /**
     * @param fixtureX the fixture's batch (row-major doubles) or null: then batches are drawn from the setting's law
     */
    AuditUnderSetting(Setting s, SettingProblem p, long seed, double[] fixtureX, int fixtureBatch, String what,
                      NetworkKernel kernel, Kernel closedFormKernel) {
        this.s = s;
        this.p = p;
        this.seed = seed;
        this.fixtureX = fixtureX;
        this.fixtureBatch = fixtureBatch;
        this.what = what;
        this.kernel = kernel;
        this.closedFormKernel = closedFormKernel;
    }

    List<Check> checks() {
        List<Check> out = new ArrayList<>();
        InputSampler sampler = InputSampler.of(s.inputs(), s.d());
        double sigma = s.labels().sigma();
        if (fixtureX != null) {
            double[] noise = sigma > 0 ? sampler.stream(seed).noise(fixtureBatch, sigma) : null;
            out.add(a1(fixtureX, fixtureBatch, noise, "fixture batch " + fixtureBatch));
        } else {
            for (int b : new int[] {1, 3, LARGE_BATCH}) {
                InputSampler.Stream st = sampler.stream(GaussianSampler.trialSeed(seed, 10L + b));
                double[] x = st.batch(b);
                double[] noise = sigma > 0 ? st.noise(b, sigma) : null;
                out.add(a1(x, b, noise, "batch " + b));
            }
        }
        if (SettingClosedForm.unavailable(s).isEmpty()) {
            out.add(a2());
        }
        var o = A3TrajectoryAgreement.options(s.d(), A3_STEPS);
        var rep = SettingTrajectoryAudit.run(s, sampler, kernel, s.activation(), p, seed, 1, o.batch(), o.steps(), o.eta());
        out.add(new Check("A3", "trajectory, batch " + o.batch() + ", " + o.steps() + " steps, eta " + io.idrelu.report.Table.num(o.eta()), rep.passed(),
                rep.maxRatio(), rep.steps(), "step " + rep.worstStep() + ": ||A_t - R_t||_F = " + rep.worstObserved()
                + " vs envelope " + rep.worstEnvelope() + (rep.outcomeOk() ? "" : "; outcome differs (converged / held-out loss)")));
        return out;
    }

    /** Why A2 did not run (null when it did). */
    String a2Skipped() {
        return SettingClosedForm.unavailable(s).map(why -> "A2 not run: " + why + " (the setting claims' A2 uses a finite law or Monte Carlo there: idrelu check)")
                .orElse(null);
    }

    private Check a1(double[] x, int b, double[] noise, String where) {
        NetworkAudit a = NetworkAudit.run(kernel, s.architecture(), s.activation(), p.w0(), p.wStar(), x, b, noise);
        return new Check("A1", "batch values, " + where, a.agrees(), a.worstRatio(), a.checked(), a.worstQuantity());
    }

    private Check a2() {
        int d = s.d();
        double refRel = Math.pow(10, 2 - REF_DIGITS);
        double worst = 0;
        String where = "none";
        long n = 0;
        double[] w0 = p.w0().get(0);
        double[] ws = p.wStar().get(0);
        SettingClosedForm cf = new SettingClosedForm(closedFormKernel, s);
        for (double[][] pt : new double[][][] {{w0, ws}, {ws, ws}}) {
            String at = pt[0] == w0 ? "W0" : "W*";
            SettingClosedForm.Value f = cf.at(pt[0], pt[1]);
            SettingPopulation.ClosedForm ref = SettingPopulation.closedForm(s, REF_DIGITS, pt[0], pt[1]);
            List<Object[]> q = new ArrayList<>();
            q.add(new Object[] {at + " loss", f.loss(), ref.loss(), f.lossBound() + refRel * (1 + Math.abs(f.loss()))});
            for (int r = 0; r < d; r++) {
                for (int j = 0; j < d; j++) {
                    double g = f.gradient()[r * d + j];
                    q.add(new Object[] {at + " grad[" + r + "][" + j + "]", g, ref.gradient()[r][j],
                            f.gradientBound()[r * d + j] + refRel * (1 + Math.abs(g))});
                }
            }
            for (Object[] e : q) {
                n++;
                double fast = (Double) e[1];
                BigDecimal exact = (BigDecimal) e[2];
                double bound = (Double) e[3];
                BigDecimal err = new BigDecimal(fast).subtract(exact).abs();
                double ratio = err.signum() == 0 ? 0 : err.doubleValue() / bound;
                if (Double.isNaN(ratio)) {
                    ratio = Double.POSITIVE_INFINITY;
                }
                if (ratio > worst || n == 1) {
                    worst = Math.max(worst, ratio);
                    where = e[0] + ": |" + fast + " - " + exact.round(new MathContext(17)) + "| = " + err.round(new MathContext(3))
                            + " vs bound " + String.format(Locale.ROOT, "%.3g", bound);
                }
            }
        }
        return new Check("A2", "population closed form at W0, W*", worst <= 1, worst, n, where);
    }

    /** Prints the checks (table or JSON) and returns the exit code. */
    int print(List<Check> checks, boolean json, PrintWriter out) {
        boolean ok = checks.stream().allMatch(Check::passed);
        String skipped = a2Skipped();
        if (json) {
            ObjectNode o = Json.MAPPER.createObjectNode();
            o.put("instance", what);
            o.put("setting_label", Applicability.label(s));
            o.set("setting", SettingJson.toJson(s));
            o.put("kernel", SettingArguments.label(kernel));
            o.put("precision", "double");
            ArrayNode a = o.putArray("checks");
            for (Check c : checks) {
                ObjectNode x = a.addObject();
                x.put("claim", c.claim());
                x.put("quantity", c.quantity());
                x.put("passed", c.passed());
                x.put("worst_ratio", c.worstRatio());
                x.put("checked", c.checked());
                x.put("worst", c.worst());
            }
            if (skipped != null) {
                o.put("a2_skipped", skipped);
            }
            o.put("passed", ok);
            out.println(Json.write(o));
        } else {
            out.println("audit of " + what + " under the setting " + Applicability.label(s) + " (" + SettingArguments.label(kernel) + ", double)");
            out.printf(Locale.ROOT, "%-3s %-48s %8s %12s  %s%n", "", "quantity", "checked", "worst/bound", "result");
            for (Check c : checks) {
                out.printf(Locale.ROOT, "%-3s %-48s %8d %12.3e  %s%n", c.claim(), c.quantity(), c.checked(), c.worstRatio(),
                        c.passed() ? "PASS" : "FAIL");
            }
            if (skipped != null) {
                out.println(skipped);
            }
            out.println();
            out.println("worst element of each check:");
            for (Check c : checks) {
                out.println("  " + c.claim() + " " + c.quantity() + ": " + c.worst());
            }
            out.println(ok ? "every quantity within its bound" : "BOUND EXCEEDED: see FAIL rows");
        }
        out.flush();
        return ok ? 0 : 1;
    }
}
