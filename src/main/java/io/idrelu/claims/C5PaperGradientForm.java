package io.idrelu.claims;

import ch.obermuhlner.math.big.BigDecimalMath;
import io.idrelu.model.Matrices;
import io.idrelu.model.Problem;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * C5 (MATH.md section 4): the negative gradient as [LY17] displays it (Section 2, the {@code B_j} used in
 * Lemma 2.5 and the one-point convexity argument),
 * <pre>
 * B_j = sum_i [ (pi/2)(w*_i - w_i) + (pi/2 - th_{i*,j}) v_i - (pi/2 - th_{i,j}) u_i
 *               + (|v_i| sin th_{i*,j} - |u_i| sin th_{i,j}) u_j/|u_j| ]
 * </pre>
 * equals {@code -pi dL/dw_j} (so the paper's units are {@code pi} times the true ones).
 *
 * <p>{@link #paperForm} writes {@code B_j} out term by term in BigDecimal, independently of the reference:
 * angles by {@code atan2(|a x b|, <a,b>)} with the radicand exact, {@code |v_i| sin th_{i*,j}} as
 * {@code |v_i x u_j| / |u_j|}. It is compared with {@code -pi} times {@link ClosedForm#gradient} at
 * {@code p} digits. Bound per coordinate, paper units: {@code pi * 10^-p * M_g} (reference) plus
 * {@code 10^-p * M_B} for the term-by-term sum, computed at {@code p + 10} digits with at most a few
 * roundings per term ({@code M_B} = sum of the absolute terms). HOLDS when every coordinate is within its
 * bound. The student must be identity-mapped: {@code v_i - u_i = w*_i - w_i} is what makes the
 * {@code (pi/2)(w*_i - w_i)} term right. Negative controls hand in a perturbed {@link PaperForm}.
 */
public final class C5PaperGradientForm implements Claim {

    /** A way to compute the paper's {@code B} (paper units, {@code [r][j]}). */
    @FunctionalInterface
    public interface PaperForm {
        BigDecimal[][] b(BigDecimal[][] w, BigDecimal[][] wStar, MathContext mc);
    }

    private final PaperForm form;
    private final ClosedForm formula;

    public C5PaperGradientForm() {
        this(C5PaperGradientForm::paperForm, null);
    }

    /**
     * @param form    the displayed {@code B} under test
     * @param formula the closed-form gradient it is compared with, or {@code null} for the reference
     */
    public C5PaperGradientForm(PaperForm form, ClosedForm formula) {
        this.form = form;
        this.formula = formula;
    }

    /**
     * @param dims         dimensions
     * @param gammas       spectral norms of {@code W0}, {@code W*} (tiny ones put every angle near pi/2 and
     *                     {@code th_{j*,j}} near 0; large ones give obtuse angles)
     * @param seedsPerCell random instances per cell
     * @param digits       significant digits
     */
    public record Config(List<Integer> dims, List<Double> gammas, int seedsPerCell, int digits) {
        public Config {
            dims = List.copyOf(dims);
            gammas = List.copyOf(gammas);
            if (dims.isEmpty() || gammas.isEmpty() || seedsPerCell < 1 || digits < 10) {
                throw new IllegalArgumentException("C5 config " + dims + " " + gammas + " digits=" + digits
                        + ": expected non-empty lists, digits >= 10");
            }
        }

        public static Config forPreset(Preset preset) {
            return switch (preset) {
                case QUICK -> new Config(List.of(2, 4), List.of(1e-6, 0.3, 3.0), 1, 40);
                case DEFAULT -> new Config(List.of(1, 2, 3, 5, 8), List.of(1e-6, 0.01, 0.3, 0.9, 3.0), 2, 50);
                case PAPER -> new Config(List.of(10, 30), List.of(0.01, 0.3, 0.6), 1, 40);
                case DEEP -> new Config(List.of(1, 2, 3, 5, 8, 16), List.of(1e-12, 1e-6, 0.01, 0.1, 0.3, 0.6, 0.9, 3.0, 10.0),
                        4, 80);
            };
        }
    }

    /**
     * The paper's displayed gradient ({@code B_j}, angles) is for {@code N(0, I)} inputs, ReLU and one identity-mapped
     * block (proofs-notes/settings.md section 9); label noise alone leaves it unchanged, so [LY17]'s verdict carries over.
     */
    @Override
    public java.util.Optional<String> applicability(io.idrelu.setting.Setting s) {
        if (s.isLy17()) {
            return java.util.Optional.empty();
        }
        if (Applicability.onlyNoise(s)) {
            return Applicability.notApplicable(id(), "label noise leaves the population gradient unchanged: [LY17]'s C5 verdict carries over (not re-run)", s);
        }
        return Applicability.notApplicable(id(), "the paper's displayed gradient form is for N(0, I) inputs, ReLU and one identity-mapped block", s);
    }

    @Override
    public String id() {
        return "C5";
    }

    @Override
    public String statement() {
        return "the paper's displayed B_j equals -pi dL/dw_j (paper units = pi * true units)";
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
        BigDecimal pi = BigDecimalMath.pi(mc);
        double tenToMinusP = Math.pow(10, -p);
        List<ProblemCell> cells = ProblemCell.grid(context.seed(), config.dims(), config.gammas(), false,
                config.seedsPerCell());

        Verdict verdict = Verdict.HOLDS;
        double worstRatio = -1;
        double worstErr = Double.NaN;
        double worstBound = Double.NaN;
        double maxErr = 0;
        ProblemCell worstCell = null;
        int worstCoord = -1;
        int coords = 0;
        double minAngle = Double.POSITIVE_INFINITY;
        double maxAngle = 0;
        List<Object> table = new ArrayList<>();
        for (ProblemCell cell : cells) {
            int d = cell.d();
            Problem prob = cell.problem();
            double[] wd = prob.w0();
            double[] wsd = prob.wStar();
            BigDecimal[][] w = Matrices.exact(wd, d);
            BigDecimal[][] ws = Matrices.exact(wsd, d);
            BigDecimal[][] b = form.b(w, ws, mc);
            BigDecimal[][] grad = cf.gradient(true, w, ws);
            double bound = Math.PI * tenToMinusP * HighPrecision.gradientTermMagnitude(true, wd, wsd, d)
                    + tenToMinusP * paperTermMagnitude(wd, wsd, d);
            double cellWorst = 0;
            for (int r = 0; r < d; r++) {
                for (int j = 0; j < d; j++) {
                    BigDecimal target = pi.multiply(grad[r][j], mc).negate();
                    double err = b[r][j].subtract(target).abs().doubleValue();
                    double ratio = err / bound;
                    coords++;
                    maxErr = Math.max(maxErr, err);
                    cellWorst = Math.max(cellWorst, ratio);
                    if (!(err <= bound)) {
                        verdict = Verdict.VIOLATED;
                    }
                    if (ratio > worstRatio) {
                        worstRatio = ratio;
                        worstErr = err;
                        worstBound = bound;
                        worstCell = cell;
                        worstCoord = r * d + j;
                    }
                }
            }
            // coverage: how close to aligned (th_{j*,j} -> 0) and how obtuse the angles of this instance are
            MathContext low = MathContext.DECIMAL64;
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    BigDecimal[] uj = HighPrecision.column(w, j, true);
                    double a1 = HighPrecision.angle(HighPrecision.column(ws, i, true), uj, low).doubleValue();
                    minAngle = Math.min(minAngle, a1);
                    maxAngle = Math.max(maxAngle, a1);
                    if (i != j) {
                        double a2 = HighPrecision.angle(HighPrecision.column(w, i, true), uj, low).doubleValue();
                        minAngle = Math.min(minAngle, a2);
                        maxAngle = Math.max(maxAngle, a2);
                    }
                }
            }
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("d", d);
            row.put("gamma", cell.gamma());
            row.put("maxErrorOverBound", cellWorst);
            table.add(row);
            context.progress().accept("C5 d=" + d + " gamma=" + cell.gamma() + " max err/bound=" + cellWorst);
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("digits", p);
        details.put("coordinates", coords);
        details.put("maxAbsErrorPaperUnits", maxErr);
        details.put("worstErrorOverBound", worstRatio);
        details.put("worstCoordinate", "B[" + worstCoord / worstCell.d() + "][" + worstCoord % worstCell.d() + "]");
        details.put("minAngle", minAngle);
        details.put("maxAngle", maxAngle);
        details.put("marginDefinition", "bound - |B - (-pi grad)| at the coordinate with the largest error/bound, paper units");
        details.put("instancesTable", table);
        Replay worst = new Replay(id(), worstCell.replayConfig(Map.of("digits", p, "coordinate", worstCoord)),
                worstCell.seed());
        String why = verdict == Verdict.HOLDS ? "" : String.format(java.util.Locale.ROOT,
                "|B + pi grad| %.3e > bound %.3e (paper) at B[%d][%d], %s", worstErr, worstBound,
                worstCoord / worstCell.d(), worstCoord % worstCell.d(), worstCell.describe());
        return new ClaimResult(id(), statement(), verdict, worstErr, worstBound, "<=", Units.PAPER,
                worstBound - worstErr, worstRatio, Double.NaN, coords, worst, details,
                (System.nanoTime() - start) / 1e9)
                .explained(Decisive.of("|B + pi grad|", worstErr, "<=", worstBound, Units.PAPER), why);
    }

    /** Sum of the absolute terms of {@code B_j}: {@code |pi/2 - th| <= pi/2}, {@code |x| sin th <= |x|}. */
    static double paperTermMagnitude(double[] w, double[] wStar, int d) {
        double diff = 0;
        for (int j = 0; j < d; j++) {
            double s = 0;
            for (int r = 0; r < d; r++) {
                double t = wStar[r * d + j] - w[r * d + j];
                s += t * t;
            }
            diff += Math.sqrt(s);
        }
        return Math.PI / 2 * diff + (Math.PI / 2 + 1) * HighPrecision.unitNormSum(true, w, wStar, d);
    }

    /** [LY17]'s displayed {@code B_j}, term by term, identity-mapped student; {@code [r][j]}, paper units. */
    public static BigDecimal[][] paperForm(BigDecimal[][] w, BigDecimal[][] wStar, MathContext mc) {
        int d = w.length;
        BigDecimal halfPi = BigDecimalMath.pi(mc).divide(BigDecimal.valueOf(2), mc);
        BigDecimal[][] u = new BigDecimal[d][];
        BigDecimal[][] v = new BigDecimal[d][];
        BigDecimal[] uNorm = new BigDecimal[d];
        for (int i = 0; i < d; i++) {
            u[i] = HighPrecision.column(w, i, true);
            v[i] = HighPrecision.column(wStar, i, true);
            uNorm[i] = HighPrecision.norm(u[i], mc);
        }
        BigDecimal[][] b = new BigDecimal[d][d];
        for (int j = 0; j < d; j++) {
            BigDecimal[] bj = new BigDecimal[d];
            java.util.Arrays.fill(bj, BigDecimal.ZERO);
            for (int i = 0; i < d; i++) {
                BigDecimal thStar = HighPrecision.angle(v[i], u[j], mc);
                BigDecimal th = HighPrecision.angle(u[i], u[j], mc);
                BigDecimal cStar = halfPi.subtract(thStar, mc);
                BigDecimal c = halfPi.subtract(th, mc);
                // |v_i| sin th_{i*,j} - |u_i| sin th_{i,j}, each as |a x u_j| / |u_j|
                BigDecimal sinTerm = HighPrecision.crossNorm(v[i], u[j], mc)
                        .subtract(HighPrecision.crossNorm(u[i], u[j], mc), mc).divide(uNorm[j], mc);
                BigDecimal radial = sinTerm.divide(uNorm[j], mc);
                for (int r = 0; r < d; r++) {
                    BigDecimal term = halfPi.multiply(wStar[r][i].subtract(w[r][i]), mc)
                            .add(cStar.multiply(v[i][r], mc), mc)
                            .subtract(c.multiply(u[i][r], mc), mc)
                            .add(radial.multiply(u[j][r], mc), mc);
                    bj[r] = bj[r].add(term, mc);
                }
            }
            for (int r = 0; r < d; r++) {
                b[r][j] = bj[r];
            }
        }
        return b;
    }
}
