package io.idrelu.claims;

import io.idrelu.model.Matrices;
import io.idrelu.model.Problem;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * C2 (MATH.md section 4): the closed-form gradient {@code dL/dw_j} of MATH.md section 2 (true units; [LY17]
 * Section 2 displays {@code -pi} times it) is the derivative of the closed-form loss {@code L}.
 *
 * <p>Each coordinate is compared with the Richardson-extrapolated central difference
 * {@code R(h) = (4 D(h) - D(2h)) / 3}, {@code D(h) = (L(W + h E) - L(W - h E)) / (2h)}, computed from the same
 * closed form at {@code p} digits (the perturbed matrices are exact decimals). Its error has two parts,
 * both bounded from the run itself:
 * <ul>
 *   <li>rounding: each {@code L} is within {@code eps_L = 10^-p * M_L} ({@code M_L} the magnitude of the
 *       terms summed, {@link HighPrecision#lossTermMagnitude}), so {@code D(kh)} is within {@code eps_L/(kh)}
 *       and {@code R(h)} within {@code 1.5 eps_L / h};</li>
 *   <li>truncation {@code e h^4} ({@code L} is smooth away from aligned or zero units): with
 *       {@code R(2h)} from {@code D(4h)}, {@code |e h^4| <= (|R(2h) - R(h)| + 2.25 eps_L/h) / 15}
 *       (terms of order {@code h^6} neglected: about {@code 10^-120} at {@code h = 1e-20}).</li>
 * </ul>
 * The gradient itself is within {@code eps_g = 10^-p * M_g}. The claim HOLDS when every coordinate satisfies
 * {@code |grad - R(h)| <= eps_g + 1.5 eps_L/h + truncation bound}; VIOLATED otherwise, with the worst coordinate
 * as witness. Negative controls hand in a perturbed {@link ClosedForm}.
 */
public final class C2GradientIsDerivativeOfLoss implements Claim {
    private static final BigDecimal THREE = BigDecimal.valueOf(3);
    private static final BigDecimal FOUR = BigDecimal.valueOf(4);
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

    /**
     * Runs under [LY17] and wherever the population loss has a BigDecimal closed form (one block; ReLU with
     * {@code N(0, I)} or {@code N(0, Sigma)}, leaky ReLU with {@code N(0, I)}; with or without label noise, which adds
     * {@code sigma^2} to {@code L}): {@code claims.setting.C2UnderSetting}. Elsewhere NOT_APPLICABLE with the reason
     * there is no closed form ({@link Applicability#noClosedForm}).
     */
    @Override
    public java.util.Optional<String> applicability(io.idrelu.setting.Setting s) {
        java.util.Optional<String> none = Applicability.noClosedForm(s);
        return none.isEmpty() ? java.util.Optional.empty() : Applicability.notApplicable(id(), none.get(), s);
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
        if (!context.isLy17()) return io.idrelu.claims.setting.C2UnderSetting.run(context, id(), statement());
        return run(context, Config.forPreset(context.preset()));
    }

    public ClaimResult run(ClaimContext context, Config config) {
        long start = System.nanoTime();
        ClosedForm cf = formula != null ? formula : ClosedForm.reference(config.digits());
        int p = cf.digits();
        MathContext mc = new MathContext(p + 10);
        double hd = BigDecimal.ONE.scaleByPowerOfTen(-config.stepExponent()).doubleValue();
        List<ProblemCell> cells = ProblemCell.grid(context.seed(), config.dims(), config.gammas(), config.vanillaToo(),
                config.seedsPerCell());

        Tally tally = new Tally();
        ProblemCell worstCell = null;
        int worstCoord = -1;
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
            Function<BigDecimal[][], BigDecimal> loss = m -> cf.loss(cell.identity(), m, ws);
            for (Coordinate k : coordinates(loss, w, grad, epsL, epsG, config.stepExponent(), mc)) {
                cellWorst = Math.max(cellWorst, k.ratio());
                if (tally.add(k)) {
                    worstCell = cell;
                    worstCoord = k.index();
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
        tally.putDetails(details);
        details.put("worstCoordinate", "W[" + worstCoord / worstCell.d() + "][" + worstCoord % worstCell.d() + "]");
        details.put("formula", cf.toString());
        details.put("marginDefinition", "bound - |grad - R(h)| at the coordinate with the largest error/bound, true units");
        details.put("instancesTable", table);
        Replay worst = new Replay(id(), worstCell.replayConfig(Map.of("digits", p, "stepExponent", config.stepExponent(),
                "coordinate", worstCoord)), worstCell.seed());
        String why = tally.verdict == Verdict.HOLDS ? "" : String.format(java.util.Locale.ROOT,
                "|grad - dL/dW| %.3e > bound %.3e (true) at W[%d][%d], %s", tally.worstErr, tally.worstBound,
                worstCoord / worstCell.d(), worstCoord % worstCell.d(), worstCell.describe());
        return tally.result(id(), statement(), worst, details, (System.nanoTime() - start) / 1e9, why);
    }

    /**
     * The running summary of every compared coordinate: the verdict (VIOLATED as soon as one coordinate exceeds its
     * bound), the largest error and truncation bound, and the coordinate with the largest error/bound (the first one
     * on ties), which decides the result. Shared by the [LY17] claim and its version under a setting.
     */
    public static final class Tally {
        Verdict verdict = Verdict.HOLDS;
        double worstRatio = -1;
        double worstErr = Double.NaN;
        double worstBound = Double.NaN;
        double maxErr = 0;
        double maxTruncation = 0;
        int coordinates = 0;

        /** Adds {@code k}; true when it is the new worst coordinate (the caller records its witness). */
        public boolean add(Coordinate k) {
            coordinates++;
            maxErr = Math.max(maxErr, k.err());
            maxTruncation = Math.max(maxTruncation, k.truncation());
            if (!k.holds()) {
                verdict = Verdict.VIOLATED;
            }
            if (coordinates == 1 || k.ratio() > worstRatio) {
                worstRatio = k.ratio();
                worstErr = k.err();
                worstBound = k.bound();
                return true;
            }
            return false;
        }

        public Verdict verdict() {
            return verdict;
        }

        public double worstErr() {
            return worstErr;
        }

        public double worstBound() {
            return worstBound;
        }

        /** The claim's details for these coordinates, in the order both versions print them. */
        public void putDetails(Map<String, Object> details) {
            details.put("coordinates", coordinates);
            details.put("maxAbsErrorTrueUnits", maxErr);
            details.put("worstErrorOverBound", worstRatio);
            details.put("maxTruncationBoundTrueUnits", maxTruncation);
        }

        /** The result decided by the worst coordinate: measured {@code |grad - R(h)|} against its bound, true units. */
        public ClaimResult result(String id, String statement, Replay witness, Map<String, Object> details,
                                  double seconds, String why) {
            return new ClaimResult(id, statement, verdict, worstErr, worstBound, "<=", Units.TRUE,
                    worstBound - worstErr, worstRatio, Double.NaN, coordinates, witness, details, seconds)
                    .explained(Decisive.of("|grad - dL/dW|", worstErr, "<=", worstBound, Units.TRUE), why);
        }
    }

    /**
     * One coordinate's comparison: {@code err = |grad - R(h)|}, {@code bound = eps_g + 1.5 eps_L/h + truncation},
     * {@code index = r d + c} (row-major), all true units.
     */
    public record Coordinate(int index, double err, double bound, double truncation) {
        public double ratio() {
            return err / bound;
        }

        public boolean holds() {
            return err <= bound;
        }
    }

    /**
     * Every coordinate of {@code grad} against the Richardson-extrapolated central difference of {@code loss} at {@code w}
     * (the class javadoc's bound): {@code epsL} bounds the rounding of each evaluation of {@code loss}, {@code epsG} that of
     * {@code grad}, step {@code h = 10^-stepExponent}, differences divided at {@code mc}. Shared by [LY17]'s check and
     * {@code claims.setting.C2UnderSetting}.
     */
    public static List<Coordinate> coordinates(Function<BigDecimal[][], BigDecimal> loss, BigDecimal[][] w,
                                               BigDecimal[][] grad, double epsL, double epsG, int stepExponent,
                                               MathContext mc) {
        int d = w.length;
        BigDecimal h = BigDecimal.ONE.scaleByPowerOfTen(-stepExponent);
        BigDecimal h2 = h.add(h);
        double hd = h.doubleValue();
        List<Coordinate> out = new ArrayList<>();
        for (int r = 0; r < d; r++) {
            for (int c = 0; c < d; c++) {
                BigDecimal d1 = centralDifference(loss, w, r, c, h, mc);
                BigDecimal d2 = centralDifference(loss, w, r, c, h2, mc);
                BigDecimal d4 = centralDifference(loss, w, r, c, h2.add(h2), mc);
                // one Richardson step removes the h^2 term: R(h) = (4 D(h) - D(2h)) / 3 = g + e h^4 + ...
                BigDecimal r1 = d1.multiply(FOUR).subtract(d2).divide(THREE, mc);
                BigDecimal r2 = d2.multiply(FOUR).subtract(d4).divide(THREE, mc);
                double roundR1 = 1.5 * epsL / hd;   // (4 eps/h + eps/(2h)) / 3
                double roundR2 = 0.75 * epsL / hd;  // (4 eps/(2h) + eps/(4h)) / 3
                // R(2h) - R(h) = 15 e h^4 + rounding, so |e h^4| <= (|R(2h) - R(h)| + both roundings) / 15
                double truncation = (r2.subtract(r1).abs().doubleValue() + roundR1 + roundR2) / 15;
                double bound = epsG + roundR1 + truncation;
                double err = grad[r][c].subtract(r1).abs().doubleValue();
                out.add(new Coordinate(r * d + c, err, bound, truncation));
            }
        }
        return out;
    }

    /** {@code (L(W + h E_rc) - L(W - h E_rc)) / (2h)} with exact perturbed matrices. */
    static BigDecimal centralDifference(Function<BigDecimal[][], BigDecimal> loss, BigDecimal[][] w,
                                        int r, int c, BigDecimal h, MathContext mc) {
        BigDecimal[][] plus = copy(w);
        BigDecimal[][] minus = copy(w);
        plus[r][c] = w[r][c].add(h);
        minus[r][c] = w[r][c].subtract(h);
        BigDecimal diff = loss.apply(plus).subtract(loss.apply(minus));
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
