package io.idrelu.audit;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.MathContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link BatchBounds} (claim A1, proofs-notes/A1.md): the bound IS the specification of the batch audit, so
 * it is pinned on tiny hand-chosen cases (d = 1..3, B = 1..2, identity and vanilla, double and float) against
 * the documented formulas evaluated here exactly in BigDecimal with the exact {@code gamma_n = n u / (1 - n u)}:
 * <pre>
 *   A_h = sum_r |x_r||W_rj| + [id]|x_j|,  A_v likewise with W* (always identity),  E_h = gamma_{d+1} A_h,
 *   E_r = sum_j (E_h + E_v) + gamma_{2d} sum_j (A_h + E_h + A_v + E_v),
 *   output = sum_j E_h + gamma_{d-1} sum_j (A_h + E_h),
 *   loss = (1/B) sum_b E_r (2|r_b| + E_r) + gamma_{B+2} (1/B) sum_b (|r_b| + E_r)^2,
 *   grad[r] = (2/B) sum_b |x_br| ([active_b] (E_r + gamma_{B+2}(|r_b| + E_r)) + [flip_b] |r_b|),
 * </pre>
 * with the documented inflation {@code I = 1 + 2 gamma_{4(d+B)+16}} (double): A_h and E_h are stored inflated
 * once, and each derived bound (E_r, output, loss, gradient) is inflated once more per evaluation stage
 * (E_r, output: I; loss, gradient: I^2 on top of the inflated E_r).
 *
 * <p>Tolerance: the class evaluates these sums of non-negative terms in double, at most {@code 6(d+B)+12}
 * roundings deep here, and rounds gamma up by 2 ulps, so the relative deviation from the exact value is at most
 * {@code TOL(d,B) = (6(d+B)+12) 2^-53}. Every changed operator, index, dropped term or missing inflation moves
 * a value by at least one inflation step {@code 2 gamma_{4(d+B)+16} > (8(d+B)+32) 2^-53}, more than TOL; the
 * lower side also proves the evaluated bound never falls below the exact (uninflated) formula.
 */
class BatchBoundsTest {
    private static final MathContext MC = new MathContext(60);
    private static final double UD = 0x1.0p-53;

    // hand-chosen, all exact binary fractions of mixed signs and sizes; smaller cases use the leading block
    private static final double[] X3 = {0.75, -1.5, 2.25, -0.375, 1.125, -3.0};
    private static final double[] W3 = {0.5, -0.25, 1.75, -1.0, 0.625, -0.125, 0.3125, -2.0, 0.875};
    private static final double[] S3 = {-0.5, 1.25, 0.0625, 0.4375, -0.75, 1.5, -1.375, 0.1875, -0.6875};

    /** Leading {@code rows x d} block of a row-major matrix with 3 columns. */
    private static double[] block(double[] m, int rows, int d) {
        double[] o = new double[rows * d];
        for (int i = 0; i < rows; i++) {
            for (int k = 0; k < d; k++) {
                o[i * d + k] = m[i * 3 + k];
            }
        }
        return o;
    }

    private static BigDecimal bd(double v) {
        return new BigDecimal(v);
    }

    /** Exact Higham constant. */
    private static BigDecimal gamma(Precision p, long n) {
        if (n <= 0) {
            return BigDecimal.ZERO;
        }
        BigDecimal nu = BigDecimal.valueOf(n).multiply(bd(p.u()));
        return nu.divide(BigDecimal.ONE.subtract(nu), MC);
    }

    /** The formulas of the class javadoc, exact; {@code inf} is the inflation factor (1 for the raw formula). */
    private static final class Expected {
        final BigDecimal[][] ah;
        final BigDecimal[][] av;
        final BigDecimal[][] eh;
        final BigDecimal[][] ev;
        final BigDecimal[] er;
        final BigDecimal[] out;
        final BigDecimal inf;
        final Precision p;
        final int d;
        final int batch;
        final double[] x;

        Expected(Precision p, int d, boolean id, double[] w, double[] ws, double[] x, int batch, BigDecimal inf) {
            this.p = p;
            this.d = d;
            this.batch = batch;
            this.x = x;
            this.inf = inf;
            ah = new BigDecimal[batch][d];
            av = new BigDecimal[batch][d];
            eh = new BigDecimal[batch][d];
            ev = new BigDecimal[batch][d];
            er = new BigDecimal[batch];
            out = new BigDecimal[batch];
            BigDecimal g1 = gamma(p, d + 1);
            for (int b = 0; b < batch; b++) {
                BigDecimal sumE = BigDecimal.ZERO;
                BigDecimal sumAll = BigDecimal.ZERO;
                BigDecimal sumEh = BigDecimal.ZERO;
                BigDecimal sumAhEh = BigDecimal.ZERO;
                for (int j = 0; j < d; j++) {
                    BigDecimal a = id ? bd(Math.abs(x[b * d + j])) : BigDecimal.ZERO;
                    BigDecimal as = bd(Math.abs(x[b * d + j]));
                    for (int r = 0; r < d; r++) {
                        a = a.add(bd(Math.abs(x[b * d + r])).multiply(bd(Math.abs(w[r * d + j]))));
                        as = as.add(bd(Math.abs(x[b * d + r])).multiply(bd(Math.abs(ws[r * d + j]))));
                    }
                    ah[b][j] = a.multiply(inf, MC);
                    av[b][j] = as.multiply(inf, MC);
                    eh[b][j] = g1.multiply(a, MC).multiply(inf, MC);
                    ev[b][j] = g1.multiply(as, MC).multiply(inf, MC);
                    sumE = sumE.add(eh[b][j], MC).add(ev[b][j], MC);
                    sumAll = sumAll.add(ah[b][j], MC).add(eh[b][j], MC).add(av[b][j], MC).add(ev[b][j], MC);
                    sumEh = sumEh.add(eh[b][j], MC);
                    sumAhEh = sumAhEh.add(ah[b][j], MC).add(eh[b][j], MC);
                }
                er[b] = sumE.add(gamma(p, 2L * d).multiply(sumAll, MC), MC).multiply(inf, MC);
                out[b] = sumEh.add(gamma(p, d - 1).multiply(sumAhEh, MC), MC).multiply(inf, MC);
            }
        }

        BigDecimal loss(double[] absR) {
            BigDecimal prop = BigDecimal.ZERO;
            BigDecimal mag = BigDecimal.ZERO;
            for (int b = 0; b < batch; b++) {
                BigDecimal a = bd(absR[b]);
                prop = prop.add(er[b].multiply(a.multiply(BigDecimal.valueOf(2), MC).add(er[b], MC), MC), MC);
                mag = mag.add(a.add(er[b], MC).pow(2, MC), MC);
            }
            return prop.add(gamma(p, batch + 2L).multiply(mag, MC), MC).divide(BigDecimal.valueOf(batch), MC)
                    .multiply(inf, MC).multiply(inf, MC);
        }

        BigDecimal gradient(int r, double[] absR, boolean[] active, boolean[] flip) {
            BigDecimal gB = gamma(p, batch + 2L);
            BigDecimal s = BigDecimal.ZERO;
            for (int b = 0; b < batch; b++) {
                BigDecimal xr = bd(Math.abs(x[b * d + r]));
                BigDecimal a = bd(absR[b]);
                if (active[b]) {
                    s = s.add(xr.multiply(er[b].add(gB.multiply(a.add(er[b], MC), MC), MC), MC), MC);
                }
                if (flip[b]) {
                    s = s.add(xr.multiply(a, MC), MC);
                }
            }
            return s.multiply(BigDecimal.valueOf(2), MC).divide(BigDecimal.valueOf(batch), MC).multiply(inf, MC).multiply(inf, MC);
        }
    }

    /** Largest relative deviation seen, in units of 2^-53 (diagnostic for the tolerance). */
    private double worstDeviationU;

    private void pin(String what, double actual, BigDecimal expected, BigDecimal raw, double tol) {
        assertThat(new BigDecimal(actual)).as("%s is never below the exact uninflated formula", what)
                .isGreaterThanOrEqualTo(raw);
        if (expected.signum() == 0) {
            assertThat(actual).as(what).isZero();
            return;
        }
        double rel = new BigDecimal(actual).subtract(expected).abs().divide(expected, MC).doubleValue();
        worstDeviationU = Math.max(worstDeviationU, rel / UD);
        assertThat(rel).as("%s: actual %s expected %s", what, actual, expected.doubleValue()).isLessThanOrEqualTo(tol);
    }

    /** {@code I = 1 + 2 gamma_{4(d+B)+16}} in double: the nearest double (within u) to the exact value. */
    @Test
    void inflationIsOnePlusTwoGammaOfTheChainLength() {
        for (int d = 1; d <= 3; d++) {
            for (int batch = 1; batch <= 2; batch++) {
                BatchBounds bb = new BatchBounds(Precision.FLOAT, d, true, block(W3, d, d), block(S3, d, d),
                        block(X3, batch, d), batch, new double[batch]);
                BigDecimal exact = BigDecimal.ONE.add(gamma(Precision.DOUBLE, 4L * (d + batch) + 16).multiply(BigDecimal.valueOf(2)));
                assertThat(bd(bb.inflate).subtract(exact).abs()).as("d=%d B=%d", d, batch)
                        .isLessThanOrEqualTo(bd(UD));
                assertThat(bb.d()).isEqualTo(d);
                assertThat(bb.batch()).isEqualTo(batch);
            }
        }
    }

    /**
     * All quantities on every tiny case, for three residual scales: |r| of order 1 (the gamma_{B+2} magnitude
     * terms matter), |r| of the order of E_r (the propagated terms E_r (2|r| + E_r) and |r| + E_r matter), and
     * |r| = 0 (the fast path at the teacher); gradient for every active/flip pattern.
     */
    @Test
    void everyBoundMatchesItsFormulaOnTinyCases() {
        for (Precision p : Precision.values()) {
            for (boolean id : new boolean[] {true, false}) {
                for (int d = 1; d <= 3; d++) {
                    for (int batch = 1; batch <= 2; batch++) {
                        checkCase(p, id, d, batch);
                    }
                }
            }
        }
        // the tolerance is not what makes the test pass: the real deviations are a few units of 2^-53
        assertThat(worstDeviationU).isLessThan(12);
    }

    private void checkCase(Precision p, boolean id, int d, int batch) {
        double[] w = block(W3, d, d);
        double[] ws = block(S3, d, d);
        double[] x = block(X3, batch, d);
        String c = p + " id=" + id + " d=" + d + " B=" + batch;
        double tol = (6.0 * (d + batch) + 12) * UD;
        BatchBounds bb = new BatchBounds(p, d, id, w, ws, x, batch, new double[batch]);
        Expected e = new Expected(p, d, id, w, ws, x, batch, bd(bb.inflate));
        Expected raw = new Expected(p, d, id, w, ws, x, batch, BigDecimal.ONE);
        for (int b = 0; b < batch; b++) {
            for (int j = 0; j < d; j++) {
                String at = c + " [" + b + "][" + j + "]";
                pin("E_h " + at, bb.preActivation(b, j), e.eh[b][j], raw.eh[b][j], tol);
                pin("eh " + at, bb.eh[b * d + j], e.eh[b][j], raw.eh[b][j], tol);
                pin("ev " + at, bb.ev[b * d + j], e.ev[b][j], raw.ev[b][j], tol);
                pin("ah " + at, bb.ah[b * d + j], e.ah[b][j], raw.ah[b][j], tol);
                pin("av " + at, bb.av[b * d + j], e.av[b][j], raw.av[b][j], tol);
            }
            pin("E_r " + c + " b=" + b, bb.residual(b), e.er[b], raw.er[b], tol);
            pin("output " + c + " b=" + b, bb.output(b), e.out[b], raw.out[b], tol);
        }
        double[][] scales = new double[3][batch];
        double[] unit = {0.75, 1.5};
        for (int b = 0; b < batch; b++) {
            scales[0][b] = unit[b];
            scales[1][b] = 0.5 * e.er[b].doubleValue() * (b + 1);
            scales[2][b] = 0;
        }
        boolean[][] patterns = new boolean[1 << batch][batch];
        for (int m = 0; m < patterns.length; m++) {
            for (int b = 0; b < batch; b++) {
                patterns[m][b] = (m >> b & 1) == 1;
            }
        }
        for (double[] absR : scales) {
            String ca = c + " |r|=" + java.util.Arrays.toString(absR);
            pin("loss " + ca, bb.loss(absR), e.loss(absR), raw.loss(absR), tol);
            for (boolean[] active : patterns) {
                for (boolean[] flip : patterns) {
                    for (int r = 0; r < d; r++) {
                        pin("grad r=" + r + " " + ca + " active=" + java.util.Arrays.toString(active) + " flip="
                                        + java.util.Arrays.toString(flip),
                                bb.gradient(r, x, absR, active, flip), e.gradient(r, absR, active, flip),
                                raw.gradient(r, absR, active, flip), tol);
                    }
                }
            }
        }
    }

    /**
     * Negative control of the pinning itself: the same check rejects a bound that lost one inflation step (the
     * smallest change a mutant can make), so the tolerance really separates.
     */
    @Test
    void pinningRejectsAMissingInflationStep() {
        BatchBounds bb = new BatchBounds(Precision.DOUBLE, 1, true, new double[] {0.5}, new double[] {-0.5},
                new double[] {0.75}, 1, new double[1]);
        Expected e = new Expected(Precision.DOUBLE, 1, true, new double[] {0.5}, new double[] {-0.5},
                new double[] {0.75}, 1, bd(bb.inflate));
        double tol = (6.0 * 2 + 12) * UD;
        double lostOne = bb.residual(0) / bb.inflate;
        double rel = new BigDecimal(lostOne).subtract(e.er[0]).abs().divide(e.er[0], MC).doubleValue();
        assertThat(rel).isGreaterThan(tol);
    }
}
