package io.idrelu.audit;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.MathContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link Precision}: unit roundoff, Higham's {@code gamma_n} (claims A1..A3, MATH.md section 4), rounding to the
 * target precision and the ULP distance used by {@link ErrorStats}. Every expectation is computed here from
 * the IEEE definition, not from the class.
 */
class PrecisionTest {

    /** Catches a wrong unit roundoff (a zero u would make every Higham bound 0). */
    @Test
    void unitRoundoffAndSignificandAreIeee() {
        assertThat(Precision.DOUBLE.u()).isEqualTo(Math.ulp(1.0) / 2);
        assertThat(Precision.FLOAT.u()).isEqualTo(Math.ulp(1.0f) / 2);
        assertThat(Precision.DOUBLE.significandBits()).isEqualTo(53);
        assertThat(Precision.FLOAT.significandBits()).isEqualTo(24);
    }

    /**
     * gamma_n is at or above n u / (1 - n u) and within 4 ulps of it (the class bumps 2 ulps up); catches a
     * constant that is too small (not rigorous) or grossly too large.
     */
    @Test
    void gammaIsTheHighamConstantRoundedUp() {
        for (Precision p : Precision.values()) {
            for (long n : new long[] {1, 2, 3, 7, 28, 1000}) {
                BigDecimal nu = BigDecimal.valueOf(n).multiply(new BigDecimal(p.u()));
                BigDecimal exact = nu.divide(BigDecimal.ONE.subtract(nu), MathContext.DECIMAL128);
                double g = p.gamma(n);
                assertThat(new BigDecimal(g)).as("%s gamma_%d", p, n).isGreaterThanOrEqualTo(exact);
                assertThat(g - exact.doubleValue()).as("%s gamma_%d", p, n).isLessThanOrEqualTo(4 * Math.ulp(g));
            }
            assertThat(p.gamma(0)).isZero();
            assertThat(p.gamma(-3)).isZero();
        }
    }

    /**
     * The definition range ends at n u = 1/2 (beyond it gamma_n >= 1 bounds nothing): n u exactly 1/2 must
     * throw, one less must not. Catches {@code >=} turned into {@code >} and a dropped check.
     */
    @Test
    void gammaRefusesNuOfOneHalfExactly() {
        assertThatThrownBy(() -> Precision.DOUBLE.gamma(1L << 52)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(">= 1/2");
        assertThatThrownBy(() -> Precision.FLOAT.gamma(1L << 23)).isInstanceOf(IllegalArgumentException.class);
        assertThat(Precision.FLOAT.gamma((1L << 23) - 1)).isGreaterThan(0.99).isLessThan(1.01);
        assertThat(Precision.DOUBLE.gamma((1L << 52) - 1)).isGreaterThan(0.99).isLessThan(1.01);
    }

    /** Float rounding is to float, not to double: catches FLOAT.round returning the double value. */
    @Test
    void roundGoesToTheTargetPrecision() {
        BigDecimal tenth = new BigDecimal("0.1");
        assertThat(Precision.FLOAT.round(tenth)).isEqualTo((double) 0.1f).isNotEqualTo(0.1);
        assertThat(Precision.DOUBLE.round(tenth)).isEqualTo(0.1);
    }

    /**
     * Equal negative values are 0 ulps apart: the overflow guard must require opposite signs strictly
     * ({@code (oa ^ ob) < 0}; with {@code <= 0} equal negatives, whose XOR is 0, would saturate).
     */
    @Test
    void ulpDistanceOfEqualNegativesIsZero() {
        assertThat(Precision.DOUBLE.ulpDistance(-1.0, -1.0)).isZero();
        assertThat(Precision.DOUBLE.ulpDistance(-Double.MAX_VALUE, -Double.MAX_VALUE)).isZero();
        assertThat(Precision.DOUBLE.ulpDistance(-Double.MIN_VALUE, -Double.MIN_VALUE)).isZero();
    }

    /**
     * A negative value against zero: the difference of the ordered patterns equals the negative one's pattern
     * (XOR 0, no overflow), so the distance is its count of steps from zero. Catches {@code (diff ^ oa) <= 0}
     * in the overflow guard (it would saturate here).
     */
    @Test
    void ulpDistanceFromANegativeToZero() {
        assertThat(Precision.DOUBLE.ulpDistance(-1.0, 0.0)).isEqualTo(Double.doubleToLongBits(1.0));
        assertThat(Precision.DOUBLE.ulpDistance(-1.0, -0.0)).isEqualTo(Double.doubleToLongBits(1.0));
        assertThat(Precision.DOUBLE.ulpDistance(-Double.MIN_VALUE, 0.0)).isEqualTo(1);
    }

    /** NaN is infinitely far from everything. */
    @Test
    void ulpDistanceOfNanIsMaximal() {
        assertThat(Precision.DOUBLE.ulpDistance(Double.NaN, 1.0)).isEqualTo(Long.MAX_VALUE);
        assertThat(Precision.DOUBLE.ulpDistance(1.0, Double.NaN)).isEqualTo(Long.MAX_VALUE);
        assertThat(Precision.FLOAT.ulpDistance(Double.NaN, 1.0)).isEqualTo(Long.MAX_VALUE);
    }

    /**
     * Opposite signs: the distance is the sum of both distances to zero (+0 and -0 coincide). Computed from
     * the bit patterns: a positive double's bits count the representable values above +0.
     */
    @Test
    void ulpDistanceAcrossZero() {
        long one = Double.doubleToLongBits(1.0);
        assertThat(Precision.DOUBLE.ulpDistance(1.0, -1.0)).isEqualTo(2 * one);
        assertThat(Precision.DOUBLE.ulpDistance(-1.0, Math.nextDown(-1.0))).isEqualTo(1);
        long oneF = Float.floatToIntBits(1.0f);
        assertThat(Precision.FLOAT.ulpDistance(1.0, -1.0)).isEqualTo(2 * oneF);
        assertThat(Precision.FLOAT.ulpDistance(0.0, -0.0)).isZero();
        assertThat(Precision.FLOAT.ulpDistance(-0.0, Float.MIN_VALUE)).isEqualTo(1);
        assertThat(Precision.FLOAT.ulpDistance(-Float.MIN_VALUE, Float.MIN_VALUE)).isEqualTo(2);
        assertThat(Precision.FLOAT.ulpDistance(-1.0, Math.nextDown(-1.0f))).isEqualTo(1);
        assertThat(Precision.FLOAT.ulpDistance(-2.0, -1.0)).isEqualTo(1L << 23);
    }

    /**
     * Far apart across zero the signed difference of the ordered bit patterns overflows a long: the distance
     * saturates at Long.MAX_VALUE instead of wrapping to a small or negative number. Catches a dropped or
     * wrong (XOR -> AND) overflow guard; the 1.0 / -1.0 case above shows the guard does not fire without overflow.
     */
    @Test
    void ulpDistanceSaturatesOnOverflow() {
        assertThat(Precision.DOUBLE.ulpDistance(Double.MAX_VALUE, -Double.MAX_VALUE)).isEqualTo(Long.MAX_VALUE);
        assertThat(Precision.DOUBLE.ulpDistance(-Double.MAX_VALUE, Double.MAX_VALUE)).isEqualTo(Long.MAX_VALUE);
        assertThat(Precision.DOUBLE.ulpDistance(Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY))
                .isEqualTo(Long.MAX_VALUE);
        // float patterns fit in a long: no saturation, exact count
        long maxF = Float.floatToIntBits(Float.MAX_VALUE);
        assertThat(Precision.FLOAT.ulpDistance(Float.MAX_VALUE, -Float.MAX_VALUE)).isEqualTo(2 * maxF);
    }
}
