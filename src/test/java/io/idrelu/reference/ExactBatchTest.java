package io.idrelu.reference;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

import static io.idrelu.reference.Fixtures.decimals;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

/**
 * Exactness of the batch oracle (MATH.md section 1; claims C1, C3, A1 rely on it): hand-computed
 * cases and an independent BigInteger-fraction evaluator. Each check has a negative control.
 */
class ExactBatchTest {
    private static final MathContext MC = new MathContext(40, RoundingMode.HALF_EVEN);

    /**
     * d = 2 identity student, W* = 0, B = 4. Units u_0 = (1.5, 0.25), u_1 = (-1, 1); teacher units e_0, e_1.
     * Row x_2 = (2, 2) puts unit 1 exactly on its kink (h = 0, inactive) with residual -0.5.
     */
    private static final BigDecimal[][] W = decimals("0.5 -1", "0.25 0");
    private static final BigDecimal[][] W_STAR = decimals("0 0", "0 0");
    private static final BigDecimal[][] X = decimals("1 2", "2 2", "-2 1", "0 -1");

    @Test
    void handComputedIdentityCase() {
        BatchValues v = ExactBatch.evaluate(true, W, W_STAR, X);
        // h rows: (2, 1), (3.5, 0), (-2.75, 3), (-0.25, -1); teacher f = (3, 4, 1, 0)
        assertThat(ExactBatch.preActivations(true, W, X)[1][1]).isEqualByComparingTo("0");
        assertThat(v.outputs()).usingElementComparator(BigDecimal::compareTo).containsExactly(dec("3"), dec("3.5"), dec("3"), dec("0"));
        assertThat(v.teacherOutputs()).usingElementComparator(BigDecimal::compareTo).containsExactly(dec("3"), dec("4"), dec("1"), dec("0"));
        assertThat(v.residuals()).usingElementComparator(BigDecimal::compareTo).containsExactly(dec("0"), dec("-0.5"), dec("2"), dec("0"));
        assertThat(v.sumOfSquares()).isEqualByComparingTo("4.25");
        assertThat(v.quotientsExact()).isTrue();
        assertThat(v.loss(null)).isEqualByComparingTo("1.0625");
        BigDecimal[][] expected = decimals("-0.5 -2", "-0.5 1");
        assertThat(sameMatrix(v.gradient(null), expected)).isTrue();

        // negative control: counting the kink as active adds r_2 x_2 = -0.5 * (2, 2) to column 1
        BigDecimal[][] kinkActive = RationalBatch.gradientSum(true, W, W_STAR, X, true);
        assertThat(sameMatrix(scaled(kinkActive, "0.5"), expected)).isFalse();
        // negative control: the wrong sign of the residual
        assertThat(sameMatrix(scaled(v.gradientSum(), "-0.5"), expected)).isFalse();
    }

    @Test
    void handComputedVanillaCase() {
        // vanilla: u_0 = (0.5, 0.25), u_1 = (-1, 0); x = (1, 1): h = (0.75, -1), f = 0.75, teacher 2
        BatchValues v = ExactBatch.evaluate(false, W, W_STAR, decimals("1 1"));
        assertThat(v.residuals()[0]).isEqualByComparingTo("-1.25");
        assertThat(sameMatrix(v.gradient(null), decimals("-2.5 0", "-2.5 0"))).isTrue();
        // negative control: the same inputs read as identity-mapped give another output
        assertThat(ExactBatch.forward(true, W, decimals("1 1"))[0]).isNotEqualByComparingTo("0.75");
    }

    @Test
    void batchQuotientsAreExactOnlyForTwoFiveSmoothSizes() {
        for (int b : new int[] {1, 2, 4, 5, 8, 10, 16, 20, 25, 200, 1000}) {
            assertThat(BatchValues.isTwoFiveSmooth(b)).as("B = %d", b).isTrue();
        }
        for (int b : new int[] {3, 6, 7, 12, 15, 30, 199}) {
            assertThat(BatchValues.isTwoFiveSmooth(b)).as("B = %d", b).isFalse();
        }
        BatchValues three = ExactBatch.evaluate(true, W, W_STAR, decimals("1 2", "2 2", "-2 1"));
        assertThat(three.quotientsExact()).isFalse();
        // sum of squares 4.25 over 3 = 1.41666..., correctly rounded
        assertThat(three.loss(new MathContext(5, RoundingMode.HALF_EVEN))).isEqualByComparingTo("1.4167");
        assertThatThrownBy(() -> three.loss(null)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("B = 3");
    }

    private static final Rational NEAR_KINK = Rational.of(1e-9);

    /** Counts over the whole property run, to assert coverage instead of hoping for it. */
    private static final class Coverage {
        long active;
        long inactive;
        long kinks;
        long nearKinks;
        long kinksWithResidual;
        long inexactQuotients;
        long kinkControlCaught;
        long casesWithKinkResidual;
    }

    @Test
    void agreesWithIndependentRationalEvaluator() {
        Coverage cov = new Coverage();
        qt().withFixedSeed(20170524L).withExamples(120)
                .forAll(integers().between(1, 6), integers().between(1, 9), longs().all())
                .checkAssert((d, batch, seed) -> {
                    boolean identity = (seed & 1) == 0;
                    // every other case on a half grid so exact kinks h = 0 really occur
                    double quantum = (seed & 2) == 0 ? 0.5 : 0;
                    BigDecimal[][] w = Fixtures.matrix(Fixtures.gaussian(seed, d * d, 0.7, quantum), d);
                    BigDecimal[][] ws = Fixtures.matrix(Fixtures.gaussian(seed + 1, d * d, 0.7, quantum), d);
                    double[] xFlat = Fixtures.gaussian(seed + 2, batch * d, 1.0, quantum);
                    if (quantum > 0 && (seed & 4) != 0) {
                        // nudge grid points by 2^-45: kinks become near-kinks |h| ~ 1e-14 of either sign
                        for (int i = 0; i < xFlat.length; i++) {
                            xFlat[i] += ((seed & 8) == 0 ? 1 : -1) * 0x1p-45;
                        }
                    }
                    BigDecimal[][] x = reshape(xFlat, batch, d);
                    BatchValues v = ExactBatch.evaluate(identity, w, ws, x);
                    RationalBatch ref = new RationalBatch(identity, w, ws, x, false);
                    for (int b = 0; b < batch; b++) {
                        assertThat(ref.outputs[b].equalsValue(v.outputs()[b])).isTrue();
                        assertThat(ref.teacher[b].equalsValue(v.teacherOutputs()[b])).isTrue();
                        assertThat(ref.residuals[b].equalsValue(v.residuals()[b])).isTrue();
                        for (int j = 0; j < d; j++) {
                            int s = ref.h[b][j].signum();
                            if (s > 0) {
                                cov.active++;
                            } else {
                                cov.inactive++;
                            }
                            if (s != 0 && ref.h[b][j].abs().compareTo(NEAR_KINK) < 0) {
                                cov.nearKinks++;
                            }
                            if (s == 0) {
                                cov.kinks++;
                                if (ref.residuals[b].signum() != 0) {
                                    cov.kinksWithResidual++;
                                }
                            }
                        }
                    }
                    assertThat(ref.sumOfSquares.equalsValue(v.sumOfSquares())).isTrue();
                    assertThat(sameRational(ref.gradientSum, v.gradientSum())).isTrue();
                    // loss and gradient: exact, or the exact rational correctly rounded
                    Rational bR = Rational.of(batch);
                    Rational loss = ref.sumOfSquares.divide(bR);
                    if (v.quotientsExact()) {
                        assertThat(loss.equalsValue(v.loss(MC))).isTrue();
                    } else {
                        cov.inexactQuotients++;
                        assertThat(v.loss(MC)).isEqualByComparingTo(loss.round(MC));
                    }
                    BigDecimal[][] g = v.gradient(MC);
                    for (int r = 0; r < d; r++) {
                        for (int j = 0; j < d; j++) {
                            Rational exact = ref.gradientSum[r][j].multiply(Rational.of(2)).divide(bR);
                            if (v.quotientsExact()) {
                                assertThat(exact.equalsValue(g[r][j])).isTrue();
                            } else {
                                assertThat(g[r][j]).isEqualByComparingTo(exact.round(MC));
                            }
                        }
                    }
                    // negative control: the kink counted active must disagree whenever a kink row has a residual
                    RationalBatch kinkActive = new RationalBatch(identity, w, ws, x, true);
                    if (ref.hasKinkWithResidualAndInput()) {
                        cov.casesWithKinkResidual++;
                        if (!sameRational(kinkActive.gradientSum, v.gradientSum())) {
                            cov.kinkControlCaught++;
                        }
                    }
                });
        System.out.printf("exact batch coverage: active %d, inactive %d, kinks %d (with residual %d), near kinks %d%n",
                cov.active, cov.inactive, cov.kinks, cov.kinksWithResidual, cov.nearKinks);
        assertThat(cov.active).as("active units").isPositive();
        assertThat(cov.inactive).as("inactive units").isPositive();
        assertThat(cov.kinks).as("exact kinks h = 0").isGreaterThan(10);
        assertThat(cov.nearKinks).as("near kinks 0 < |h| < 1e-9").isGreaterThan(10);
        assertThat(cov.kinksWithResidual).as("kinks with nonzero residual").isPositive();
        assertThat(cov.inexactQuotients).as("batch sizes without finite 1/B").isPositive();
        assertThat(cov.casesWithKinkResidual).as("cases where the kink convention matters").isPositive();
        assertThat(cov.kinkControlCaught).as("kink-active control caught").isEqualTo(cov.casesWithKinkResidual);
    }

    @Test
    void rejectsMalformedInputWithTheOffendingValue() {
        assertThatThrownBy(() -> ExactBatch.evaluate(true, decimals("1 2"), W_STAR, X))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("row 0 has 2 entries != 1");
        assertThatThrownBy(() -> ExactBatch.evaluate(true, W, decimals("0"), X))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("W* is 1 x 1 != W's 2 x 2");
        assertThatThrownBy(() -> ExactBatch.forward(true, W, decimals("1 2 3")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("X row 0 has 3 entries != d = 2");
        assertThatThrownBy(() -> ExactBatch.forward(true, W, new BigDecimal[0][]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("X is empty");
        assertThatThrownBy(() -> ExactBatch.forward(true, null, X))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("W is missing");
    }

    // ---- helpers -------------------------------------------------------------------------------

    private static BigDecimal dec(String s) {
        return new BigDecimal(s);
    }

    static BigDecimal[][] reshape(double[] flat, int rows, int d) {
        return io.idrelu.model.Matrices.exactRows(flat, rows, d);
    }

    private static BigDecimal[][] scaled(BigDecimal[][] m, String factor) {
        BigDecimal f = new BigDecimal(factor);
        BigDecimal[][] out = new BigDecimal[m.length][];
        for (int r = 0; r < m.length; r++) {
            out[r] = new BigDecimal[m[r].length];
            for (int c = 0; c < m[r].length; c++) {
                out[r][c] = m[r][c].multiply(f);
            }
        }
        return out;
    }

    static boolean sameMatrix(BigDecimal[][] a, BigDecimal[][] b) {
        for (int r = 0; r < a.length; r++) {
            for (int c = 0; c < a[r].length; c++) {
                if (a[r][c].compareTo(b[r][c]) != 0) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean sameRational(Rational[][] a, BigDecimal[][] b) {
        for (int r = 0; r < a.length; r++) {
            for (int c = 0; c < a[r].length; c++) {
                if (!a[r][c].equalsValue(b[r][c])) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Independent evaluator of MATH.md section 1 in BigInteger fractions; {@code kinkActive} is the deliberate bug. */
    static final class RationalBatch {
        final Rational[][] h;
        final Rational[] outputs;
        final Rational[] teacher;
        final Rational[] residuals;
        final Rational sumOfSquares;
        final Rational[][] gradientSum;
        private final Rational[][] x;

        RationalBatch(boolean identity, BigDecimal[][] w, BigDecimal[][] ws, BigDecimal[][] xIn, boolean kinkActive) {
            int d = w.length;
            int batch = xIn.length;
            x = new Rational[batch][d];
            for (int b = 0; b < batch; b++) {
                for (int r = 0; r < d; r++) {
                    x[b][r] = Rational.of(xIn[b][r].doubleValue()); // inputs are doubles: through their bits
                }
            }
            h = pre(identity, w, d);
            Rational[][] hs = pre(true, ws, d);
            outputs = new Rational[batch];
            teacher = new Rational[batch];
            residuals = new Rational[batch];
            Rational sum = Rational.ZERO;
            for (int b = 0; b < batch; b++) {
                outputs[b] = relu(h[b]);
                teacher[b] = relu(hs[b]);
                residuals[b] = outputs[b].subtract(teacher[b]);
                sum = sum.add(residuals[b].multiply(residuals[b]));
            }
            sumOfSquares = sum;
            gradientSum = new Rational[d][d];
            for (int r = 0; r < d; r++) {
                for (int j = 0; j < d; j++) {
                    Rational acc = Rational.ZERO;
                    for (int b = 0; b < batch; b++) {
                        int s = h[b][j].signum();
                        if (s > 0 || (kinkActive && s == 0)) {
                            acc = acc.add(residuals[b].multiply(x[b][r]));
                        }
                    }
                    gradientSum[r][j] = acc;
                }
            }
        }

        static BigDecimal[][] gradientSum(boolean identity, BigDecimal[][] w, BigDecimal[][] ws, BigDecimal[][] x, boolean kinkActive) {
            Rational[][] s = new RationalBatch(identity, w, ws, x, kinkActive).gradientSum;
            BigDecimal[][] out = new BigDecimal[s.length][s.length];
            for (int r = 0; r < s.length; r++) {
                for (int c = 0; c < s.length; c++) {
                    out[r][c] = s[r][c].round(MathContext.DECIMAL128);
                }
            }
            return out;
        }

        /** Some row has a kink, a nonzero residual and a nonzero input coordinate: the kink convention changes S. */
        boolean hasKinkWithResidualAndInput() {
            for (int b = 0; b < h.length; b++) {
                for (int j = 0; j < h[b].length; j++) {
                    if (h[b][j].signum() == 0 && residuals[b].signum() != 0) {
                        for (Rational xr : x[b]) {
                            if (xr.signum() != 0) {
                                return true;
                            }
                        }
                    }
                }
            }
            return false;
        }

        private Rational[][] pre(boolean identity, BigDecimal[][] w, int d) {
            Rational[][] out = new Rational[x.length][d];
            for (int b = 0; b < x.length; b++) {
                for (int j = 0; j < d; j++) {
                    Rational acc = Rational.ZERO;
                    for (int r = 0; r < d; r++) {
                        Rational u = Rational.of(w[r][j].doubleValue());
                        if (identity && r == j) {
                            u = u.add(Rational.ONE);
                        }
                        acc = acc.add(u.multiply(x[b][r]));
                    }
                    out[b][j] = acc;
                }
            }
            return out;
        }

        private static Rational relu(Rational[] hb) {
            Rational acc = Rational.ZERO;
            for (Rational v : hb) {
                if (v.signum() > 0) {
                    acc = acc.add(v);
                }
            }
            return acc;
        }
    }
}
