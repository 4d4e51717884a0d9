package io.idrelu.claims;

import io.idrelu.model.Matrices;
import io.idrelu.model.Problem;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * C2 (MATH.md section 4): the closed-form gradient {@code dL/dw_j} of MATH.md section 2 (true units; [LY17]
 * Section 2 displays {@code -pi} times it) is the derivative of the closed-form loss {@code L}.
 *
 * <p>Each coordinate is compared with the central difference {@code D(h) = (L(W + h E) - L(W - h E)) / (2h)}
 * computed from the same closed form at {@code p} digits (the perturbed matrices are exact decimals). The
 * error of {@code D(h)} has two parts, both bounded from the run itself:
 * <ul>
 *   <li>rounding: each {@code L} is within {@code eps_L = 10^-p * M_L} ({@code M_L} the magnitude of the
 *       terms summed, {@link HighPrecision#lossTermMagnitude}), so {@code |D(h) - D_exact(h)| <= eps_L / h};</li>
 *   <li>truncation {@code c h^2} ({@code L} is smooth away from aligned or zero units): Richardson with
 *       {@code D(2h)} gives {@code c h^2 <= (|D(2h) - D(h)| + eps_L/h + eps_L/(2h)) / 3}.</li>
 * </ul>
 * The gradient itself is within {@code eps_g = 10^-p * M_g}. The claim HOLDS when every coordinate satisfies
 * {@code |grad - D(h)| <= eps_g + eps_L/h + truncation bound}; VIOLATED otherwise, with the worst coordinate
 * as witness. Negative controls hand in a perturbed {@link ClosedForm}.
 */
public final class C2GradientIsDerivativeOfLoss implements Claim {
    private final ClosedForm formula;

    /** The real check, on {@link ClosedForm#reference} at the config's digits. */
    public C2GradientIsDerivativeOfLoss() {
        this(null);
    }

    /** @param formula the closed form under test, or {@code null} for the reference */
    public C2GradientIsDerivativeOfLoss(ClosedForm formula) {
        this.formula = formula;
    }

    /**
     * @param dims         dimensions
     * @param gammas       spectral norms of {@code W0}, {@code W*}; the derivative is taken at {@code W0}
     * @param vanillaToo   also test the vanilla parametrisation
     * @param seedsPerCell random instances per cell
     * @param digits       significant digits of the closed form
     * @param stepExponent step {@code h = 10^-stepExponent}
     */
    public record Config(List<Integer> dims, List<Double> gammas, boolean vanillaToo, int seedsPerCell, int digits,
                         int stepExponent) {
        public Config {
            dims = List.copyOf(dims);
            gammas = List.copyOf(gammas);
            if (dims.isEmpty() || gammas.isEmpty() || seedsPerCell < 1 || digits < 2 * stepExponent + 5) {
                throw new IllegalArgumentException("C2 config digits=" + digits + " step=1e-" + stepExponent
                        + ": expected digits >= 2*stepExponent + 5 so rounding stays below truncation, non-empty grid");
            }
        }

        public static Config forPreset(Preset preset) {
            return switch (preset) {
                case QUICK -> new Config(List.of(2, 3), List.of(0.1, 0.6), true, 1, 60, 20);
                case DEFAULT -> new Config(List.of(2, 3, 4), List.of(0.01, 0.1, 0.6, 2.0), true, 1, 60, 20);
                case PAPER -> new Config(List.of(5, 8), List.of(0.3, 0.6), true, 1, 60, 20);
                case DEEP -> new Config(List.of(2, 3, 5, 8), List.of(1e-4, 0.01, 0.1, 0.6, 1.0, 3.0), true, 3, 80, 25);
            };
        }
    }

    @Override
    public String id() {
        return "C2";
    }

    @Override
    public String statement() {
        return "closed-form gradient equals the derivative of closed-form L (high-precision central differences)";
    }

    @Override
    public ClaimResult run(ClaimContext context) {
        return run(context, Config.forPreset(context.preset()));
    }

    public ClaimResult run(ClaimContext context, Config config) {
        long start = System.nanoTime();
        ClosedForm cf = formula != null ? formula : ClosedForm.reference(config.digits());
        int p = cf.digits();
        MathContext mc = new MathContext(p + 10);
        BigDecimal h = BigDecimal.ONE.scaleByPowerOfTen(-config.stepExponent());
        BigDecimal h2 = h.add(h);
        double hd = h.doubleValue();
        List<ProblemCell> cells = ProblemCell.grid(context.seed(), config.dims(), config.gammas(), config.vanillaToo(),
                config.seedsPerCell());

        Verdict verdict = Verdict.HOLDS;
        double worstRatio = -1;
        double worstErr = Double.NaN;
        double worstBound = Double.NaN;
        double maxErr = 0;
        double maxTruncation = 0;
        ProblemCell worstCell = null;
        int worstCoord = -1;
        int coords = 0;
        List<Object> table = new ArrayList<>();
        for (ProblemCell cell : cells) {
            int d = cell.d();
            Problem prob = cell.problem();
            double[] wd = prob.w0();
            double[] wsd = prob.wStar();
            BigDecimal[][] w = Matrices.exact(wd, d);
            BigDecimal[][] ws = Matrices.exact(wsd, d);
            BigDecimal[][] grad = cf.gradient(cell.identity(), w, ws);
            double epsL = Math.pow(10, -p) * HighPrecision.lossTermMagnitude(cell.identity(), wd, wsd, d);
            double epsG = Math.pow(10, -p) * HighPrecision.gradientTermMagnitude(cell.identity(), wd, wsd, d);
            double cellWorst = 0;
            for (int r = 0; r < d; r++) {
                for (int c = 0; c < d; c++) {
                    BigDecimal dh = centralDifference(cf, cell.identity(), w, ws, r, c, h, mc);
                    BigDecimal d2h = centralDifference(cf, cell.identity(), w, ws, r, c, h2, mc);
                    double roundH = epsL / hd;
                    double round2H = epsL / (2 * hd);
                    double truncation = (d2h.subtract(dh).abs().doubleValue() + roundH + round2H) / 3;
                    double bound = epsG + roundH + truncation;
                    double err = grad[r][c].subtract(dh).abs().doubleValue();
                    double ratio = err / bound;
                    coords++;
                    maxErr = Math.max(maxErr, err);
                    maxTruncation = Math.max(maxTruncation, truncation);
                    cellWorst = Math.max(cellWorst, ratio);
                    if (!(err <= bound)) {
                        verdict = Verdict.VIOLATED;
                    }
                    if (ratio > worstRatio || worstCell == null) {
                        worstRatio = ratio;
                        worstErr = err;
                        worstBound = bound;
                        worstCell = cell;
                        worstCoord = r * d + c;
                    }
                }
            }
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("d", d);
            row.put("gamma", cell.gamma());
            row.put("identity", cell.identity());
            row.put("maxErrorOverBound", cellWorst);
            table.add(row);
            context.progress().accept("C2 d=" + d + " gamma=" + cell.gamma() + " identity=" + cell.identity()
                    + " max err/bound=" + cellWorst);
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("digits", p);
        details.put("step", hd);
        details.put("coordinates", coords);
        details.put("maxAbsErrorTrueUnits", maxErr);
        details.put("worstErrorOverBound", worstRatio);
        details.put("maxTruncationBoundTrueUnits", maxTruncation);
        details.put("worstCoordinate", "W[" + worstCoord / worstCell.d() + "][" + worstCoord % worstCell.d() + "]");
        details.put("formula", cf.toString());
        details.put("marginDefinition", "bound - |grad - D(h)| at the coordinate with the largest error/bound, true units");
        details.put("instancesTable", table);
        Replay worst = new Replay(id(), worstCell.replayConfig(Map.of("digits", p, "stepExponent", config.stepExponent(),
                "coordinate", worstCoord)), worstCell.seed());
        return new ClaimResult(id(), statement(), verdict, worstErr, worstBound, "<=", Units.TRUE,
                worstBound - worstErr, worstRatio, Double.NaN, coords, worst, details,
                (System.nanoTime() - start) / 1e9);
    }

    /** {@code (L(W + h E_rc) - L(W - h E_rc)) / (2h)} with exact perturbed matrices. */
    static BigDecimal centralDifference(ClosedForm cf, boolean identity, BigDecimal[][] w, BigDecimal[][] ws,
                                        int r, int c, BigDecimal h, MathContext mc) {
        BigDecimal[][] plus = copy(w);
        BigDecimal[][] minus = copy(w);
        plus[r][c] = w[r][c].add(h);
        minus[r][c] = w[r][c].subtract(h);
        BigDecimal diff = cf.loss(identity, plus, ws).subtract(cf.loss(identity, minus, ws));
        return diff.divide(h.add(h), mc);
    }

    static BigDecimal[][] copy(BigDecimal[][] m) {
        BigDecimal[][] out = new BigDecimal[m.length][];
        for (int i = 0; i < m.length; i++) {
            out[i] = m[i].clone();
        }
        return out;
    }
}
