package io.idrelu.claims;

import io.idrelu.kernel.Kernel;
import io.idrelu.model.GaussianSampler;
import io.idrelu.model.Matrices;
import io.idrelu.model.Problem;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * C1 (MATH.md section 4): the closed-form population loss {@code L(W) = E[(f(x,W) - f(x,W*))^2]} of
 * MATH.md section 2 (the kappa formula behind [LY17] Section 2 / Lemma 2.1's gradient) equals the
 * Monte-Carlo mean of the batch loss.
 *
 * <p>For every instance of the grid, {@code n} independent batches ({@code GaussianSampler.forTrial(seed, i)})
 * give {@code n} i.i.d. batch losses whose mean is unbiased for {@code L}. A t (normal for {@code n > 1000})
 * interval at the Bonferroni level {@code 1 - (1 - familyLevel)/P} is built per instance; the claim (an
 * equality) HOLDS when every interval contains the closed form, VIOLATED when at least one excludes it.
 * Under the claim the family-wise chance of a false VIOLATED is at most {@code 1 - familyLevel}.
 *
 * <p>The closed form tested is the fast kernel's {@code populationLossAndGradient} (double); it is
 * cross-checked against {@link ClosedForm#reference} at high precision, and that difference must be below
 * {@value #CROSS_CHECK_FRACTION} of the interval half width, so the choice between the two cannot change
 * the decision. Negative controls pass a perturbed kernel through {@link ClaimContext#withKernel}.
 */
public final class C1PopulationLossMatchesMonteCarlo implements Claim {
    /** Kernel-vs-reference difference allowed, as a fraction of the CI half width (irrelevance criterion). */
    public static final double CROSS_CHECK_FRACTION = 1e-3;

    private final ClosedForm reference;

    /** The real check: cross-check against {@link ClosedForm#reference}. */
    public C1PopulationLossMatchesMonteCarlo() {
        this(null);
    }

    /** @param reference high-precision closed form for the cross-check, or {@code null} for the reference at the config's digits */
    public C1PopulationLossMatchesMonteCarlo(ClosedForm reference) {
        this.reference = reference;
    }

    /**
     * Sizes of the check.
     *
     * @param dims            dimensions tested
     * @param gammas          spectral norms of {@code W0} and {@code W*}
     * @param vanillaToo      also test the vanilla parametrisation
     * @param seedsPerCell    random instances per (d, gamma, parametrisation)
     * @param batches         Monte-Carlo batches per instance ({@code n})
     * @param batchSize       rows per batch ({@code B})
     * @param familyLevel     family-wise confidence level of the simultaneous intervals
     * @param referenceDigits digits of the high-precision cross-check
     */
    public record Config(List<Integer> dims, List<Double> gammas, boolean vanillaToo, int seedsPerCell, int batches,
                         int batchSize, double familyLevel, int referenceDigits) {
        public Config {
            dims = List.copyOf(dims);
            gammas = List.copyOf(gammas);
            if (batches < 2 || batchSize < 1 || seedsPerCell < 1 || dims.isEmpty() || gammas.isEmpty()) {
                throw new IllegalArgumentException("C1 config " + dims + " " + gammas + " seeds=" + seedsPerCell
                        + " batches=" + batches + " batchSize=" + batchSize + ": expected non-empty grid, batches >= 2");
            }
        }

        public static Config forPreset(Preset preset) {
            return switch (preset) {
                case QUICK -> new Config(List.of(2, 4), List.of(0.1, 0.5), true, 1, 400, 8, 0.999, 30);
                case DEFAULT -> new Config(List.of(2, 3, 5, 8), List.of(0.05, 0.3, 0.8, 2.0), true, 2, 2000, 16, 0.999, 30);
                case PAPER -> new Config(List.of(10, 100), List.of(0.3, 0.6), true, 1, 2000, 200, 0.999, 30);
                case DEEP -> new Config(List.of(2, 5, 10, 20, 50), List.of(0.01, 0.1, 0.3, 0.6, 1.0, 3.0), true, 4,
                        20000, 32, 0.999, 40);
            };
        }
    }

    @Override
    public String id() {
        return "C1";
    }

    @Override
    public String statement() {
        return "closed-form L equals the Monte-Carlo mean of the batch loss (simultaneous CI)";
    }

    /**
     * C1 runs wherever the setting's population loss is known exactly: closed forms (ReLU with N(0, I) or N(0, Sigma),
     * leaky ReLU with N(0, I), one block) and finite laws (full batch), with or without label noise
     * ({@code C1UnderSetting}; proofs-notes/settings.md section 9).
     */
    @Override
    public java.util.Optional<String> applicability(io.idrelu.setting.Setting setting) {
        return io.idrelu.claims.setting.C1UnderSetting.applicability(id(), setting);
    }

    @Override
    public ClaimResult run(ClaimContext context) {
        if (!context.isLy17()) {
            return io.idrelu.claims.setting.C1UnderSetting.run(context, id(), statement());
        }
        return run(context, Config.forPreset(context.preset()));
    }

    public ClaimResult run(ClaimContext context, Config config) {
        long start = System.nanoTime();
        Kernel kernel = context.kernel();
        ClosedForm ref = reference != null ? reference : ClosedForm.reference(config.referenceDigits());
        List<ProblemCell> cells = ProblemCell.grid(context.seed(), config.dims(), config.gammas(), config.vanillaToo(),
                config.seedsPerCell());
        double perLevel = Interval.bonferroni(config.familyLevel(), cells.size());

        Verdict mcVerdict = Verdict.HOLDS;
        Verdict crossVerdict = Verdict.HOLDS;
        double worstZ = -1;
        double worstQ = Double.NaN;
        double worstRel = 0;
        double worstCross = 0;
        ProblemCell worstCell = null;
        Interval worstInterval = null;
        double worstClosed = Double.NaN;
        long active = 0;
        long inactive = 0;
        int identityCells = 0;
        int vanillaCells = 0;
        List<Object> perCell = new ArrayList<>();

        for (ProblemCell cell : cells) {
            int d = cell.d();
            Problem p = cell.problem();
            double[] w = p.w0();
            double[] ws = p.wStar();
            double closed = kernel.populationLossAndGradient(d, cell.identity(), w, ws, null);
            double refLoss = ref.loss(cell.identity(), Matrices.exact(w, d),
                    Matrices.exact(ws, d)).doubleValue();

            double[] losses = new double[config.batches()];
            double[] grad = new double[d * d];
            double[] h = new double[config.batchSize() * d];
            for (int i = 0; i < config.batches(); i++) {
                double[] x = GaussianSampler.forTrial(cell.seed(), i).batch(config.batchSize(), d);
                losses[i] = kernel.lossAndGradient(d, cell.identity(), w, ws, x, config.batchSize(), null, grad);
                if (i == 0) {
                    kernel.preActivations(d, cell.identity(), w, x, config.batchSize(), h);
                    for (double v : h) {
                        if (v > 0) {
                            active++;
                        } else {
                            inactive++;
                        }
                    }
                }
            }
            Interval iv = Interval.forMean(losses, perLevel);
            double q = quantile(iv);
            double se = iv.halfWidth() / q;
            double z = se > 0 ? (iv.mean() - closed) / se : (iv.mean() == closed ? 0 : Double.POSITIVE_INFINITY);
            double rel = Math.abs(iv.mean() - closed) / Math.max(Math.abs(closed), Double.MIN_NORMAL);
            Verdict v = iv.contains(closed);
            mcVerdict = mcVerdict.worst(v);
            double cross = Math.abs(closed - refLoss);
            if (!(cross <= CROSS_CHECK_FRACTION * iv.halfWidth())) {
                crossVerdict = Verdict.VIOLATED;
            }
            worstCross = Math.max(worstCross, cross / Math.max(iv.halfWidth(), Double.MIN_NORMAL));
            if (cell.identity()) {
                identityCells++;
            } else {
                vanillaCells++;
            }
            if (Math.abs(z) > worstZ) {
                worstZ = Math.abs(z);
                worstQ = q;
                worstRel = rel;
                worstCell = cell;
                worstInterval = iv;
                worstClosed = closed;
            }
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("d", d);
            row.put("gamma", cell.gamma());
            row.put("identity", cell.identity());
            row.put("closedForm", closed);
            row.put("reference", refLoss);
            row.put("mcMean", iv.mean());
            row.put("low", iv.low());
            row.put("high", iv.high());
            row.put("z", z);
            row.put("verdict", v.name());
            perCell.add(row);
            context.progress().accept("C1 d=" + d + " gamma=" + cell.gamma() + " identity=" + cell.identity()
                    + " z=" + z + " " + v);
        }

        Verdict verdict = mcVerdict.worst(crossVerdict);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("mcVerdict", mcVerdict.name());
        details.put("crossCheckVerdict", crossVerdict.name());
        details.put("familyLevel", config.familyLevel());
        details.put("perInstanceLevel", perLevel);
        details.put("instances", cells.size());
        details.put("maxAbsZ", worstZ);
        details.put("worstRelativeDeviation", worstRel);
        details.put("worstClosedForm", worstClosed);
        details.put("worstInterval", List.of(worstInterval.low(), worstInterval.high()));
        details.put("maxKernelVsReferenceOverHalfWidth", worstCross);
        details.put("crossCheckFraction", CROSS_CHECK_FRACTION);
        details.put("identityInstances", identityCells);
        details.put("vanillaInstances", vanillaCells);
        details.put("activePreActivations", active);
        details.put("inactivePreActivations", inactive);
        details.put("kernel", kernel.name());
        details.put("marginDefinition", "critical quantile at the per-instance level minus max |z|");
        details.put("instancesTable", perCell);

        Replay worst = new Replay(id(), worstCell.replayConfig(Map.of("batches", config.batches(),
                "batchSize", config.batchSize(), "familyLevel", config.familyLevel(), "instances", cells.size())),
                worstCell.seed());
        double seconds = (System.nanoTime() - start) / 1e9;
        String why = mcVerdict != Verdict.HOLDS
                ? String.format(java.util.Locale.ROOT, "closed-form L outside the MC interval: |z| %.4g > %.4g at %s",
                        worstZ, worstQ, worstCell.describe())
                : crossVerdict != Verdict.HOLDS
                ? String.format(java.util.Locale.ROOT, "kernel and reference L differ by %.3g half-widths > %s",
                        worstCross, CROSS_CHECK_FRACTION) : "";
        return new ClaimResult(id(), statement(), verdict, worstZ, worstQ, "<=", Units.NONE, worstQ - worstZ,
                worstRel, Double.NaN, (long) cells.size() * config.batches(), worst, details, seconds)
                .explained(Decisive.of("max |z| of L", worstZ, "<=", worstQ, Units.NONE), why);
    }

    /** The critical value the interval used: half width over standard error, recomputed from its level. */
    public static double quantile(Interval iv) {
        double p = 1 - (1 - iv.level()) / 2;
        return iv.n() > 1000 ? new org.apache.commons.math3.distribution.NormalDistribution().inverseCumulativeProbability(p)
                : new org.apache.commons.math3.distribution.TDistribution(iv.n() - 1).inverseCumulativeProbability(p);
    }
}
