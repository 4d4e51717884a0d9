package io.idrelu.claims;

import io.idrelu.audit.AuditReport;
import io.idrelu.audit.Auditor;
import io.idrelu.kernel.FloatKernel;
import io.idrelu.kernel.Kernel;
import io.idrelu.model.GaussianSampler;
import io.idrelu.model.Problem;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Claim A3 (MATH.md section 4): online SGD ([LY17] Theorem 3.1's algorithm, MATH.md section 1) run by the
 * fast kernel and by the BigDecimal reference (rounded to 34 digits per step) on the same samples stays
 * within the derived divergence envelope at every step, and both reach the same outcome (converged or
 * not; final population losses within the band the envelope implies). Derivation: proofs-notes/A3.md.
 */
public final class A3TrajectoryAgreement implements Claim {

    /** Sizes per preset; every d also gets one trajectory per batch size of {@link Auditor#SMALL_BATCHES}. */
    record Config(int[] dims, int trials, int stepsSmall) {
        static Config forPreset(Preset p) {
            return switch (p) {
                case QUICK -> new Config(new int[] {3}, 1, 10);
                case DEFAULT -> new Config(new int[] {1, 3, 7, 13}, 1, 30);
                case PAPER -> new Config(new int[] {13, 100}, 1, 30);
                case DEEP -> new Config(new int[] {1, 3, 7, 13, 100, 257}, 3, 200);
            };
        }
    }

    @Override
    public String id() {
        return "A3";
    }

    @Override
    public String statement() {
        return "fast and reference SGD on identical samples stay within the divergence envelope and reach the same outcome";
    }

    /** Options of one case: batch and steps shrink with d so the reference stays cheap. */
    public static Auditor.Options options(int d, int stepsSmall) {
        Auditor.Options o = Auditor.Options.forD(d);
        int batch = Math.max(1, Math.min(16, 20_000 / (d * d)));
        int steps = d <= 13 ? stepsSmall : Math.max(2, stepsSmall / 10);
        // eta = min(0.05, 0.1/d): [LY17]'s 0.001 at d = 100, below the 4/d stability limit of MATH.md section 2
        return o.withBatch(batch).withSteps(steps).withEta(Math.min(0.05, 0.1 / d));
    }

    /** One case in both precisions (either kernel may be null). */
    public static List<AuditReport> runCase(Kernel k, FloatKernel fk, int d, boolean identity, long seed, Auditor.Options o) {
        Problem pr = Auditor.quickProblem(d, 0.5, seed, identity);
        long sgdSeed = GaussianSampler.trialSeed(seed, 1);
        List<AuditReport> out = new ArrayList<>();
        if (k != null) {
            out.add(Auditor.auditTrajectory(k, pr, o, sgdSeed));
        }
        if (fk != null) {
            out.add(Auditor.auditTrajectory(fk, pr, o, sgdSeed));
        }
        return out;
    }

    /**
     * The report's plot: {@code ||W_fast - W_ref||_F} and its envelope {@code e_t} per step for the trajectory
     * report with the largest observed/envelope ratio (the representative worst trial); thinned by the audit
     * to at most about 50 points, each point an exact pair (observed, envelope) at the same step.
     */
    static void putWorstTrajectory(Map<String, Object> details, List<AuditClaims.Case> cases) {
        AuditReport worst = null;
        Map<String, Object> worstCfg = null;
        double worstRatio = Double.NEGATIVE_INFINITY;
        for (AuditClaims.Case c : cases) {
            for (AuditReport r : c.reports()) {
                double ratio = Double.isNaN(r.maxRatio()) ? Double.POSITIVE_INFINITY : r.maxRatio();
                if (r.quantity().equals("trajectory") && r.notes().containsKey("observedPerStep")
                        && (worst == null || ratio > worstRatio)) {
                    worst = r;
                    worstCfg = c.config();
                    worstRatio = ratio;
                }
            }
        }
        if (worst == null) {
            return;
        }
        Map<String, Object> series = new LinkedHashMap<>();
        series.put("step", worst.notes().get("stepPerStep"));
        series.put(SERIES_OBSERVED, worst.notes().get("observedPerStep"));
        series.put(SERIES_ENVELOPE, worst.notes().get("envelopePerStep"));
        String which = "d = " + worst.d() + ", " + worst.precision() + " kernel " + worst.kernel() + ", "
                + (Boolean.TRUE.equals(worstCfg.get("identity")) ? "identity-mapped" : "vanilla") + ", batch "
                + worstCfg.get("batch") + ", eta " + worstCfg.get("eta");
        Map<String, Object> plot = PlotSeries.options("A3: fast vs reference SGD iterates, distance and envelope",
                "Worst trial: " + which + ". Frobenius distance between the fast iterate and the BigDecimal reference iterate (34 digits) after each "
                        + "step on the same samples, and the derived envelope e_t (must stay above it), for the trial "
                        + "closest to its envelope (max ratio " + worst.maxRatio() + "). Weights carry no gradient units. "
                        + "Log y axis.",
                "step t (SGD updates)", "distance (weight units, log scale)", false, true);
        details.put("series", series);
        details.put("plot", plot);
    }

    /** Series name of the observed divergence in A3's plot. */
    public static final String SERIES_OBSERVED = "||W_fast - W_ref||_F";
    /** Series name of the envelope in A3's plot. */
    public static final String SERIES_ENVELOPE = "envelope e_t";

    /** Runs under every setting (issue 11): the reference SGD of a setting is exact or at p digits for any activation and depth. */
    @Override
    public java.util.Optional<String> applicability(io.idrelu.setting.Setting setting) {
        return java.util.Optional.empty();
    }

    @Override
    public ClaimResult run(ClaimContext ctx) {
        if (!ctx.isLy17()) { return io.idrelu.claims.setting.A3UnderSetting.run(ctx); }
        long t0 = System.nanoTime();
        Config cfg = Config.forPreset(ctx.preset());
        List<AuditClaims.Case> cases = new ArrayList<>();
        for (int d : cfg.dims()) {
            for (int i = 0; i < cfg.trials(); i++) {
                long seed = GaussianSampler.trialSeed(ctx.seed(), 3000L * d + i);
                boolean identity = i % 2 == 0;
                Auditor.Options o = options(d, cfg.stepsSmall());
                ctx.progress().accept("A3: d=" + d + " trial " + i + " (" + o.steps() + " steps, batch " + o.batch() + ")");
                cases.add(new AuditClaims.Case(runCase(ctx.kernel(), ctx.floatKernel(), d, identity, seed, o),
                        caseConfig(d, identity, o), seed));
            }
            for (int b : Auditor.SMALL_BATCHES) {
                // online SGD with 1 (2, 3) samples per step: a kernel may special-case small batches
                long seed = GaussianSampler.trialSeed(ctx.seed(), 3000L * d + 500 + b);
                Auditor.Options o = options(d, cfg.stepsSmall()).withBatch(b);
                ctx.progress().accept("A3: d=" + d + " batch " + b + " (" + o.steps() + " steps)");
                cases.add(new AuditClaims.Case(runCase(ctx.kernel(), ctx.floatKernel(), d, true, seed, o),
                        caseConfig(d, true, o), seed));
            }
        }
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("rigour", "envelope rigorous given the A1 bound (proofs-notes/A3.md)");
        extra.put("segmentFlipSamples", AuditClaims.sum(cases, "trajectory", AuditReport::flips));
        putWorstTrajectory(extra, cases);
        return AuditClaims.result(id(), statement(), cases, extra, t0);
    }

    /** The replay configuration of one trajectory case (the keys {@code runCase} needs again). */
    private static Map<String, Object> caseConfig(int d, boolean identity, Auditor.Options o) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("d", d);
        c.put("identity", identity);
        c.put("batch", o.batch());
        c.put("steps", o.steps());
        c.put("eta", o.eta());
        return c;
    }
}
