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
 * One reference SGD step: exact gradient, one rounding per entry, and the reported rounding error equal
 * to {@code max |exact - rounded|} computed independently in BigInteger fractions. Negative control: a
 * step that forgets the {@code 1/B} must be rejected by the same comparison.
 */
class ReferenceSgdTest {
    private static final BigDecimal[][] W = decimals("0.5 -1", "0.25 0");
    private static final BigDecimal[][] W_STAR = decimals("0 0", "0 0");
    private static final BigDecimal[][] X = decimals("1 2", "2 2", "-2 1", "0 -1");

    @Test
    void handCase() {
        // gradient (ExactBatchTest): [[-0.5, -2], [-0.5, 1]]; eta = 0.125: W - eta G exactly
        SgdStep step = ReferenceSgd.step(true, W, W_STAR, X, new BigDecimal("0.125"), MathContext.DECIMAL64);
        assertThat(ExactBatchTest.sameMatrix(step.next(), decimals("0.5625 -0.75", "0.3125 -0.125"))).isTrue();
        assertThat(step.maxRoundingError()).isEqualByComparingTo("0");
        // 2 digits: 0.5625 -> 0.56, -0.75, 0.3125 -> 0.31, -0.125 -> -0.12 (half even): max error 0.005
        SgdStep coarse = ReferenceSgd.step(true, W, W_STAR, X, new BigDecimal("0.125"), new MathContext(2, RoundingMode.HALF_EVEN));
        assertThat(ExactBatchTest.sameMatrix(coarse.next(), decimals("0.56 -0.75", "0.31 -0.12"))).isTrue();
        assertThat(coarse.maxRoundingError()).isEqualByComparingTo("0.005");
    }

    @Test
    void reportedErrorIsTheExactRoundingError() {
        int[] inexact = {0};
        int[] caught = {0};
        int[] cases = {0};
        qt().withFixedSeed(9L).withExamples(30).forAll(integers().between(1, 4), integers().between(1, 7), longs().all())
                .checkAssert((d, batch, seed) -> {
                    boolean identity = (seed & 1) == 0;
                    BigDecimal[][] w = Fixtures.matrix(Fixtures.gaussian(seed, d * d, 0.5, 0), d);
                    BigDecimal[][] ws = Fixtures.matrix(Fixtures.gaussian(seed + 1, d * d, 0.5, 0), d);
                    BigDecimal[][] x = ExactBatchTest.reshape(Fixtures.gaussian(seed + 2, batch * d, 1.0, 0), batch, d);
                    BigDecimal eta = ReferenceSgd.eta(0.01);
                    MathContext mc = new MathContext(12, RoundingMode.HALF_EVEN);
                    SgdStep step = ReferenceSgd.step(identity, w, ws, x, eta, mc);
                    ExactBatchTest.RationalBatch rb = new ExactBatchTest.RationalBatch(identity, w, ws, x, false);
                    Rational bR = Rational.of(batch);
                    Rational maxErr = Rational.ZERO;
                    boolean forgotB = false;
                    boolean moves = false;
                    for (int r = 0; r < d; r++) {
                        for (int j = 0; j < d; j++) {
                            Rational grad = rb.gradientSum[r][j].multiply(Rational.of(2)).divide(bR);
                            Rational exact = Rational.of(w[r][j]).subtract(Rational.of(eta).multiply(grad));
                            assertThat(step.next()[r][j]).isEqualByComparingTo(exact.round(mc));
                            Rational err = exact.subtract(Rational.of(step.next()[r][j])).abs();
                            if (err.compareTo(maxErr) > 0) {
                                maxErr = err;
                            }
                            moves |= rb.gradientSum[r][j].signum() != 0;
                            Rational wrong = Rational.of(w[r][j]).subtract(Rational.of(eta).multiply(rb.gradientSum[r][j].multiply(Rational.of(2))));
                            if (batch > 1 && rb.gradientSum[r][j].signum() != 0 && wrong.round(mc).compareTo(step.next()[r][j]) != 0) {
                                forgotB = true;
                            }
                        }
                    }
                    if (BatchValues.isTwoFiveSmooth(batch)) {
                        assertThat(maxErr.equalsValue(step.maxRoundingError())).isTrue();
                    } else {
                        inexact[0]++;
                        // rounded up to ERROR_DIGITS: an upper bound within one unit of its last digit
                        assertThat(Rational.of(step.maxRoundingError()).compareTo(maxErr)).isGreaterThanOrEqualTo(0);
                        assertThat(maxErr.round(new MathContext(ReferenceSgd.ERROR_DIGITS, RoundingMode.UP)))
                                .isEqualByComparingTo(step.maxRoundingError());
                    }
                    if (batch > 1 && moves) { // with a zero gradient, forgetting 1/B changes nothing
                        cases[0]++;
                        if (forgotB) {
                            caught[0]++;
                        }
                    }
                });
        assertThat(inexact[0]).as("batch sizes without finite 1/B").isPositive();
        assertThat(cases[0]).isPositive();
        assertThat(caught[0]).as("forgotten-1/B control caught").isEqualTo(cases[0]);
    }

    @Test
    void rejectsBadInput() {
        assertThatThrownBy(() -> ReferenceSgd.step(true, W, W_STAR, X, new BigDecimal("-1"), MathContext.DECIMAL64))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("eta = -1");
        assertThatThrownBy(() -> ReferenceSgd.step(true, W, W_STAR, X, BigDecimal.ONE, MathContext.UNLIMITED))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("precision >= 1");
        assertThatThrownBy(() -> ReferenceSgd.eta(Double.NaN)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("eta = NaN");
    }
}
