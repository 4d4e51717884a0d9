package io.idrelu.claims;

import io.idrelu.kernel.Kernel;
import io.idrelu.model.GaussianSampler;
import io.idrelu.model.Matrices;
import io.idrelu.model.Problem;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * C3 (MATH.md section 4): the closed-form gradient of MATH.md section 2 ([LY17] Section 2, the gradient
 * whose paper form is {@code B_j}) equals the Monte-Carlo mean of the batch gradients, in true units.
 *
 * <p>Per instance, {@code n} independent batches give i.i.d. batch gradients, unbiased for {@code grad L}
 * (the indicator's kink has probability zero). Every one of the {@code d*d} coordinates of every instance
 * gets a t (normal for {@code n > 1000}) interval at the Bonferroni level
 * {@code 1 - (1 - familyLevel)/(sum of d^2)}; the claim HOLDS when all contain the closed form and is
 * VIOLATED when any excludes it (family-wise false-VIOLATED chance at most {@code 1 - familyLevel}).
 *
 * <p>The closed form tested is the fast kernel's {@code populationLossAndGradient}, cross-checked against
 * {@link ClosedForm#reference}: the difference must stay below {@value #CROSS_CHECK_FRACTION} of the
 * coordinate's half width. Negative controls pass a broken kernel through {@link ClaimContext#withKernel}.
 */
public final class C3GradientMatchesMonteCarlo implements Claim {
    /** Kernel-vs-reference difference allowed, as a fraction of the coordinate's CI half width. */
    public static final double CROSS_CHECK_FRACTION = 1e-3;

    private final ClosedForm reference;

    public C3GradientMatchesMonteCarlo() {
        this(null);
    }

    /** @param reference closed form for the cross-check, or {@code null} for the reference at the config's digits */
    public C3GradientMatchesMonteCarlo(ClosedForm reference) {
        this.reference = reference;
    }

    /**
     * @param dims            dimensions tested
     * @param gammas          spectral norms of {@code W0} and {@code W*}
     * @param vanillaToo      also test the vanilla parametrisation
     * @param seedsPerCell    random instances per cell
     * @param batches         Monte-Carlo batches per instance
     * @param batchSize       rows per batch
     * @param familyLevel     family-wise level over all coordinates of all instances
     * @param referenceDigits digits of the cross-check
     */
    public record Config(List<Integer> dims, List<Double> gammas, boolean vanillaToo, int seedsPerCell, int batches,
                         int batchSize, double familyLevel, int referenceDigits) {
        public Config {
            dims = List.copyOf(dims);
            gammas = List.copyOf(gammas);
            if (batches < 2 || batchSize < 1 || seedsPerCell < 1 || dims.isEmpty() || gammas.isEmpty()) {
                throw new IllegalArgumentException("C3 config " + dims + " " + gammas + " seeds=" + seedsPerCell
                        + " batches=" + batches + " batchSize=" + batchSize + ": expected non-empty grid, batches >= 2");
            }
        }

        public static Config forPreset(Preset preset) {
            return switch (preset) {
                case QUICK -> new Config(List.of(2, 4), List.of(0.1, 0.5), true, 1, 400, 8, 0.999, 30);
                case DEFAULT -> new Config(List.of(2, 3, 5, 8), List.of(0.05, 0.3, 0.8, 2.0), true, 2, 2000, 16, 0.999, 30);
                case PAPER -> new Config(List.of(10, 30), List.of(0.3, 0.6), true, 1, 2000, 200, 0.999, 30);
                case DEEP -> new Config(List.of(2, 5, 10, 20), List.of(0.01, 0.1, 0.3, 0.6, 1.0, 3.0), true, 4,
                        20000, 32, 0.999, 40);
            };
        }
    }

    /**
     * Under [LY17] and wherever the setting has a population gradient independent of Monte Carlo: a closed form
     * (Gaussian(Sigma), leaky ReLU, label noise) or a finite law computed exactly ({@code claims.setting.C3UnderSetting};
     * proofs-notes/settings.md section 9). Under Monte Carlo settings NOT_APPLICABLE with the reason.
     */
    @Override
    public java.util.Optional<String> applicability(io.idrelu.setting.Setting s) {
        return io.idrelu.claims.setting.C3UnderSetting.applicability(id(), s);
    }

    @Override
    public String id() {
        return "C3";
    }

    @Override
    public String statement() {
        return "closed-form gradient equals the Monte-Carlo mean of batch gradients (simultaneous CI, true units)";
    }

    @Override
    public ClaimResult run(ClaimContext context) {
        if (!context.isLy17()) {
            return io.idrelu.claims.setting.C3UnderSetting.run(context, id(), statement());
        }
        return run(context, Config.forPreset(context.preset()));
    }

    public ClaimResult run(ClaimContext context, Config config) {
        long start = System.nanoTime();
        Kernel kernel = context.kernel();
        ClosedForm ref = reference != null ? reference : ClosedForm.reference(config.referenceDigits());
        List<ProblemCell> cells = ProblemCell.grid(context.seed(), config.dims(), config.gammas(), config.vanillaToo(),
                config.seedsPerCell());
        int tests = 0;
        for (ProblemCell c : cells) {
            tests += c.d() * c.d();
        }
        double perLevel = Interval.bonferroni(config.familyLevel(), tests);

        Verdict mcVerdict = Verdict.HOLDS;
        Verdict crossVerdict = Verdict.HOLDS;
        double worstZ = -1;
        double worstQ = Double.NaN;
        double worstCross = 0;
        ProblemCell worstCell = null;
        int worstCoordinate = -1;
        double worstClosed = Double.NaN;
        Interval worstInterval = null;
        int excluded = 0;
        long active = 0;
        long inactive = 0;
        List<Object> perCell = new ArrayList<>();

        for (ProblemCell cell : cells) {
            int d = cell.d();
            int dd = d * d;
            Problem p = cell.problem();
            double[] w = p.w0();
            double[] ws = p.wStar();
            double[] closed = new double[dd];
            kernel.populationLossAndGradient(d, cell.identity(), w, ws, closed);
            BigDecimal[][] refGrad = ref.gradient(cell.identity(), Matrices.exact(w, d), Matrices.exact(ws, d));

            double[] mean = new double[dd];
            double[] m2 = new double[dd];
            double[] g = new double[dd];
            double[] h = new double[config.batchSize() * d];
            for (int i = 0; i < config.batches(); i++) {
                double[] x = GaussianSampler.forTrial(cell.seed(), i).batch(config.batchSize(), d);
                kernel.lossAndGradient(d, cell.identity(), w, ws, x, config.batchSize(), null, g);
                for (int k = 0; k < dd; k++) {
                    double delta = g[k] - mean[k];
                    mean[k] += delta / (i + 1);
                    m2[k] += delta * (g[k] - mean[k]);
                }
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
            int n = config.batches();
            double cellMaxZ = 0;
            for (int k = 0; k < dd; k++) {
                double se = Math.sqrt(m2[k] / (n - 1) / n);
                Interval iv = Interval.fromMeanAndStandardError(mean[k], se, n, perLevel);
                Verdict v = iv.contains(closed[k]);
                if (v == Verdict.VIOLATED) {
                    excluded++;
                }
                mcVerdict = mcVerdict.worst(v);
                double z = se > 0 ? (mean[k] - closed[k]) / se : (mean[k] == closed[k] ? 0 : Double.POSITIVE_INFINITY);
                double cross = Math.abs(closed[k] - refGrad[k / d][k % d].doubleValue());
                if (!(cross <= CROSS_CHECK_FRACTION * iv.halfWidth())) {
                    crossVerdict = Verdict.VIOLATED;
                }
                worstCross = Math.max(worstCross, cross / Math.max(iv.halfWidth(), Double.MIN_NORMAL));
                cellMaxZ = Math.max(cellMaxZ, Math.abs(z));
                if (Math.abs(z) > worstZ) {
                    worstZ = Math.abs(z);
                    worstQ = C1PopulationLossMatchesMonteCarlo.quantile(iv);
                    worstCell = cell;
                    worstCoordinate = k;
                    worstClosed = closed[k];
                    worstInterval = iv;
                }
            }
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("d", d);
            row.put("gamma", cell.gamma());
            row.put("identity", cell.identity());
            row.put("maxAbsZ", cellMaxZ);
            perCell.add(row);
            context.progress().accept("C3 d=" + d + " gamma=" + cell.gamma() + " identity=" + cell.identity()
                    + " max|z|=" + cellMaxZ);
        }

        Verdict verdict = mcVerdict.worst(crossVerdict);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("mcVerdict", mcVerdict.name());
        details.put("crossCheckVerdict", crossVerdict.name());
        details.put("familyLevel", config.familyLevel());
        details.put("perCoordinateLevel", perLevel);
        details.put("coordinatesTested", tests);
        details.put("coordinatesExcluded", excluded);
        details.put("instances", cells.size());
        details.put("maxAbsZ", worstZ);
        details.put("worstCoordinate", worstCoordinate < 0 ? "none"
                : "W[" + worstCoordinate / worstCell.d() + "][" + worstCoordinate % worstCell.d() + "]");
        details.put("worstClosedFormTrueUnits", worstClosed);
        details.put("worstIntervalTrueUnits", List.of(worstInterval.low(), worstInterval.high()));
        details.put("maxKernelVsReferenceOverHalfWidth", worstCross);
        details.put("activePreActivations", active);
        details.put("inactivePreActivations", inactive);
        details.put("kernel", kernel.name());
        details.put("marginDefinition", "critical quantile at the per-coordinate level minus max |z|");
        details.put("instancesTable", perCell);
        Replay worst = new Replay(id(), worstCell.replayConfig(Map.of("batches", config.batches(),
                "batchSize", config.batchSize(), "familyLevel", config.familyLevel(), "coordinatesTested", tests,
                "coordinate", worstCoordinate)), worstCell.seed());
        double seconds = (System.nanoTime() - start) / 1e9;
        String why = mcVerdict != Verdict.HOLDS
                ? String.format(java.util.Locale.ROOT, "%d of %d gradient coordinates outside their MC interval: max |z| %.4g > %.4g",
                        excluded, tests, worstZ, worstQ)
                : crossVerdict != Verdict.HOLDS
                ? String.format(java.util.Locale.ROOT, "kernel and reference gradient differ by %.3g half-widths > %s",
                        worstCross, CROSS_CHECK_FRACTION) : "";
        return new ClaimResult(id(), statement(), verdict, worstZ, worstQ, "<=", Units.NONE, worstQ - worstZ,
                Double.NaN, Double.NaN, (long) cells.size() * config.batches(), worst, details, seconds)
                .explained(Decisive.of("max |z| of grad", worstZ, "<=", worstQ, Units.NONE), why);
    }
}
