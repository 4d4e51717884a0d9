package io.idrelu.claims;

import io.idrelu.audit.AngleModel;
import io.idrelu.audit.AuditReport;
import io.idrelu.audit.Auditor;
import io.idrelu.kernel.FloatKernel;
import io.idrelu.kernel.Kernel;
import io.idrelu.model.GaussianSampler;
import io.idrelu.model.Matrices;
import io.idrelu.model.Problem;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Claim A2 (MATH.md section 4): the fast closed-form population loss {@code L(W)} and gradient (true
 * units) of MATH.md section 2 agree with {@code PopulationReference} at 40 digits within a first-order
 * bound that propagates the rounding of norms, dot products, the angle ({@link AngleModel}) and the
 * spec ulps of {@code sin}, {@code cos}, {@code acos}, {@code atan2}, {@code sqrt} through the
 * {@code O(d^2)} kappa terms of the loss and the {@code 2d} terms of each gradient entry. The closed form
 * is the one behind [LY17]'s gradient display (Section 2 / Lemma 2.x, the B_j of MATH.md); this claim
 * only certifies the fast evaluation. Cases: a random start, the teacher itself ({@code W = W*}, where
 * {@code L = 0} and the fast value is pure cancellation error) and a point close to it.
 * Derivation and measurements: proofs-notes/A2.md.
 */
public final class A2PopulationAgreement implements Claim {
    public static final int REF_DIGITS = 40;

    record Config(int[] dims, int trials) {
        static Config forPreset(Preset p) {
            return switch (p) {
                case QUICK -> new Config(new int[] {1, 3, 7}, 1);
                case DEFAULT -> new Config(new int[] {1, 3, 7, 13}, 2);
                case PAPER -> new Config(new int[] {13, 100}, 1);
                case DEEP -> new Config(new int[] {1, 3, 7, 13, 100, 257}, 4);
            };
        }
    }

    @Override
    public String id() {
        return "A2";
    }

    @Override
    public String statement() {
        return "fast population loss and gradient agree with the 40-digit closed form within the derived bound";
    }

    /**
     * The three points of one case ({@code W0}, {@code W*}, {@code W* + 1e-3 (W0 - W*)}) for {@code Auditor.quickProblem(d, 0.5, seed, identity)},
     * both precisions; either kernel may be null.
     */
    public static List<AuditReport> runCase(Kernel k, FloatKernel fk, int d, boolean identity, long seed, AngleModel model) {
        Problem pr = Auditor.quickProblem(d, 0.5, seed, identity);
        double[] w0 = pr.w0();
        double[] ws = pr.wStar();
        double[] near = new double[d * d];
        for (int i = 0; i < near.length; i++) {
            near[i] = ws[i] + 1e-3 * (w0[i] - ws[i]);
        }
        List<AuditReport> out = new ArrayList<>();
        for (double[] w : new double[][] {w0, ws, near}) {
            if (k != null) {
                out.addAll(Auditor.auditPopulation(k, d, identity, w, ws, model, REF_DIGITS));
            }
            if (fk != null) {
                out.addAll(Auditor.auditPopulation(fk, d, identity, Matrices.toFloat(w), Matrices.toFloat(ws), model,
                        REF_DIGITS));
            }
        }
        return out;
    }

    /** Runs under every setting: closed form, finite law exactly, or both paths on one Monte Carlo sample. */
    @Override
    public java.util.Optional<String> applicability(io.idrelu.setting.Setting setting) {
        return java.util.Optional.empty();
    }

    @Override
    public ClaimResult run(ClaimContext ctx) {
        if (!ctx.isLy17()) { return io.idrelu.claims.setting.A2UnderSetting.run(ctx); }
        long t0 = System.nanoTime();
        Config cfg = Config.forPreset(ctx.preset());
        List<AuditClaims.Case> cases = new ArrayList<>();
        for (int d : cfg.dims()) {
            for (int i = 0; i < cfg.trials(); i++) {
                long seed = GaussianSampler.trialSeed(ctx.seed(), 2000L * d + i);
                boolean identity = i % 2 == 0;
                ctx.progress().accept("A2: d=" + d + " trial " + i);
                Map<String, Object> c = new LinkedHashMap<>();
                c.put("d", d);
                c.put("identity", identity);
                c.put("angleModel", Auditor.DEFAULT_ANGLE_MODEL.name());
                cases.add(new AuditClaims.Case(runCase(ctx.kernel(), ctx.floatKernel(), d, identity, seed,
                        Auditor.DEFAULT_ANGLE_MODEL), c, seed));
            }
        }
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("refDigits", REF_DIGITS);
        extra.put("angleModel", Auditor.DEFAULT_ANGLE_MODEL.name());
        extra.put("rigour", "first-order bound under the stated algorithm model (proofs-notes/A2.md)");
        extra.put("units", "gradient in true units; the decisive number is a ratio");
        return AuditClaims.result(id(), statement(), cases, extra, t0);
    }
}
