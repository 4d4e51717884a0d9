package io.idrelu.audit;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ErrorStats} (claims A1..A3): every reported field on hand-computed examples, the exact
 * {@code error <= bound} decision one ulp either side of the bound, and the degenerate cases (exact zero,
 * zero bound, non-finite fast value). Expected values are computed in the comments/asserts from the
 * definitions in the class javadoc.
 */
class ErrorStatsTest {

    /**
     * Three elements, all errors exact in double:
     * [0] fast 1.5, exact 1.25, bound 100: error 0.25, rel 0.2, ulps (1.5-1.25)/ulp(1.25) = 2^50, ratio 0.0025;
     * [1] fast 3, exact 2, bound 2: error 1, rel 0.5 (1 bit correct), ulps 1/ulp(2) = 2^51, ratio 0.5 (the worst);
     * [2] fast -1, exact -1, bound 0: error 0, rel 0, ratio 0.
     * Catches any field not reported, a wrong error (fast + exact), rel computed as e * |exact|, a count that
     * decrements, and the worst element not tracked.
     */
    @Test
    void everyFieldOnAHandExample() {
        ErrorStats s = new ErrorStats(Precision.DOUBLE);
        assertThat(s.minBitsCorrect()).isEqualTo(53.0);
        s.add("[0]", 1.5, new BigDecimal("1.25"), 100.0);
        s.add("[1]", 3.0, new BigDecimal("2"), 2.0);
        s.add("[2]", -1.0, new BigDecimal("-1"), 0.0);
        assertThat(s.elements()).isEqualTo(3);
        assertThat(s.maxAbsError()).isEqualTo(1.0);
        assertThat(s.maxRelError()).isEqualTo(0.5);
        assertThat(s.maxUlp()).isEqualTo(1L << 51);
        assertThat(s.minBitsCorrect()).isEqualTo(1.0);
        assertThat(s.maxRatio()).isEqualTo(0.5);
        assertThat(s.violations()).isZero();
        assertThat(s.worstIndex()).isEqualTo("[1]");
        assertThat(s.worstFast()).isEqualTo(3.0);
        assertThat(s.worstExact()).isEqualTo("2");
        assertThat(s.worstError()).isEqualTo(1.0);
        assertThat(s.worstBound()).isEqualTo(2.0);
        assertThat(s.maxBound()).isEqualTo(100.0);
    }

    /** Element [0] alone: the large bound keeps the double fast path; its error must still be fast - exact. */
    @Test
    void singleElementFieldsAndRelativeError() {
        ErrorStats s = new ErrorStats(Precision.DOUBLE);
        s.add("[0]", 1.5, new BigDecimal("1.25"), 100.0);
        assertThat(s.maxAbsError()).isEqualTo(0.25);
        assertThat(s.maxRelError()).isEqualTo(0.25 / 1.25);
        assertThat(s.maxUlp()).isEqualTo(1L << 50);
        assertThat(s.minBitsCorrect()).isCloseTo(-Math.log(0.2) / Math.log(2), org.assertj.core.data.Offset.offset(1e-12));
        assertThat(s.maxRatio()).isEqualTo(0.25 / 100.0);
        assertThat(s.worstIndex()).isEqualTo("[0]");
        assertThat(s.worstExact()).isEqualTo("1.25");
    }

    /**
     * The first element is the worst so far even with ratio 0; a later element with the SAME ratio does not
     * replace it (strictly larger only). Catches {@code >} turned into {@code >=} and a dropped first-element rule.
     */
    @Test
    void worstElementIsTheFirstOfEqualRatios() {
        ErrorStats s = new ErrorStats(Precision.DOUBLE);
        s.add("[z]", 1.0, BigDecimal.ONE, 1.0);
        assertThat(s.worstIndex()).isEqualTo("[z]");
        assertThat(s.worstFast()).isEqualTo(1.0);
        assertThat(s.worstBound()).isEqualTo(1.0);
        assertThat(s.worstError()).isZero();
        assertThat(s.maxRatio()).isZero();
        s.add("[a]", 2.0, BigDecimal.ONE, 2.0); // ratio 1/2
        s.add("[b]", 3.0, new BigDecimal(2), 2.0); // ratio 1/2 again
        assertThat(s.worstIndex()).isEqualTo("[a]");
        assertThat(s.worstFast()).isEqualTo(2.0);
    }

    /**
     * Exact value 0: relative error 0 when the fast value is 0 too (not 0/0 = NaN), infinite otherwise (0 bits).
     * Zero bound: ratio 0 for a zero error (not 0/0), infinite (and a violation) for any error.
     */
    @Test
    void exactZerosAndZeroBounds() {
        ErrorStats s = new ErrorStats(Precision.DOUBLE);
        s.add("[0]", 0.0, BigDecimal.ZERO, 0.0);
        assertThat(s.maxRelError()).isZero();
        assertThat(s.minBitsCorrect()).isEqualTo(53.0);
        assertThat(s.maxRatio()).isZero();
        assertThat(s.violations()).isZero();
        s.add("[1]", 0x1.0p-60, BigDecimal.ZERO, 0.0);
        assertThat(s.maxRelError()).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(s.minBitsCorrect()).isZero();
        assertThat(s.maxRatio()).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(s.violations()).isEqualTo(1);
        assertThat(s.worstIndex()).isEqualTo("[1]");
    }

    /**
     * The decision is exact: with exact 0 and bound 1, a fast value one ulp above 1 is a violation (the double
     * pre-check must not accept it: catches a pre-check threshold of bound / (1 - 2^-50) instead of
     * bound * (1 - 2^-50)); exactly at the bound passes (<=, not <).
     */
    @Test
    void decisionOneUlpEitherSideOfTheBound() {
        ErrorStats over = new ErrorStats(Precision.DOUBLE);
        over.add("[0]", Math.nextUp(1.0), BigDecimal.ZERO, 1.0);
        assertThat(over.violations()).isEqualTo(1);
        assertThat(over.maxRatio()).isGreaterThan(1.0);
        ErrorStats at = new ErrorStats(Precision.DOUBLE);
        at.add("[0]", 1.0, BigDecimal.ZERO, 1.0);
        assertThat(at.violations()).isZero();
        assertThat(at.maxRatio()).isEqualTo(1.0);
        ErrorStats under = new ErrorStats(Precision.DOUBLE);
        under.add("[0]", Math.nextDown(1.0), BigDecimal.ZERO, 1.0);
        assertThat(under.violations()).isZero();
    }

    /**
     * A non-finite fast value is an infinite error and a violation (never passed to new BigDecimal, which would
     * throw). With an infinite bound the ratio inf/inf is NaN: reported as infinite and as the worst element.
     */
    @Test
    void nonFiniteFastValues() {
        ErrorStats s = new ErrorStats(Precision.DOUBLE);
        s.add("[0]", 1.0, BigDecimal.ONE, 1.0);
        s.add("[inf]", Double.POSITIVE_INFINITY, BigDecimal.ONE, 1.0);
        assertThat(s.violations()).isEqualTo(1);
        assertThat(s.maxAbsError()).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(s.worstIndex()).isEqualTo("[inf]");
        ErrorStats n = new ErrorStats(Precision.FLOAT);
        n.add("[0]", 1.0, BigDecimal.ONE, 1.0);
        n.add("[nan]", Double.NaN, BigDecimal.ONE, Double.POSITIVE_INFINITY);
        assertThat(n.violations()).isEqualTo(1);
        assertThat(n.maxRatio()).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(n.worstIndex()).isEqualTo("[nan]");
        assertThat(n.worstBound()).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(n.maxUlp()).isEqualTo(Long.MAX_VALUE);
        assertThat(n.minBitsCorrect()).isZero();
    }

    /** ULPs are counted in the target precision: one float step at 1 is 2^29 double steps but 1 float ulp. */
    @Test
    void ulpsInTheTargetPrecision() {
        ErrorStats s = new ErrorStats(Precision.FLOAT);
        s.add("[0]", Math.nextUp(1.0f), BigDecimal.ONE, 1.0);
        assertThat(s.maxUlp()).isEqualTo(1);
        assertThat(s.minBitsCorrect()).isCloseTo(23.0, org.assertj.core.data.Offset.offset(1e-12));
    }
}
