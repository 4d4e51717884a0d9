package io.idrelu.audit;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

/**
 * {@link FunctionUlps}: measured ulp error of {@code Math} functions (claim A2). The expected errors are
 * computed here without big-math: exact values from the JDK's {@code BigDecimal.sqrt}, Taylor series for
 * sin/cos at 1, and pi from Machin's formula (acos/atan2 at arguments whose result is a rational multiple
 * of pi); the error is {@code |fast - exact| / ulp(fast)} (the class's stated convention).
 */
class FunctionUlpsTest {
    private static final MathContext MC = new MathContext(60);
    private static final BigDecimal PI = machinPi();

    /** pi = 16 atan(1/5) - 4 atan(1/239). */
    private static BigDecimal machinPi() {
        return atanInv(5).multiply(BigDecimal.valueOf(16)).subtract(atanInv(239).multiply(BigDecimal.valueOf(4)), MC);
    }

    /** atan(1/n) = sum (-1)^k / ((2k+1) n^(2k+1)). */
    private static BigDecimal atanInv(int n) {
        BigDecimal x = BigDecimal.ONE.divide(BigDecimal.valueOf(n), MC);
        BigDecimal x2 = x.multiply(x, MC);
        BigDecimal pow = x;
        BigDecimal sum = BigDecimal.ZERO;
        for (int k = 0; k < 100; k++) {
            BigDecimal t = pow.divide(BigDecimal.valueOf(2L * k + 1), MC);
            sum = k % 2 == 0 ? sum.add(t, MC) : sum.subtract(t, MC);
            pow = pow.multiply(x2, MC);
        }
        return sum;
    }

    /** Taylor series of sin (odd = true) or cos at x = 1: sum (-1)^k / n!, n = 2k + 1 or 2k. */
    private static BigDecimal taylorAtOne(boolean odd) {
        BigDecimal sum = BigDecimal.ZERO;
        BigDecimal f = BigDecimal.ONE; // n!
        for (int n = 0; n <= 60; n++) {
            if (n > 0) {
                f = f.multiply(BigDecimal.valueOf(n));
            }
            if ((n % 2 == 1) == odd) {
                BigDecimal t = BigDecimal.ONE.divide(f, MC);
                sum = (n / 2) % 2 == 0 ? sum.add(t, MC) : sum.subtract(t, MC);
            }
        }
        return sum;
    }

    /** {@code |fast - exact|} in units of {@code ulp(fast)}, the unit {@link FunctionUlps} reports. */
    static double ulps(double fast, BigDecimal exact) {
        return new BigDecimal(fast).subtract(exact).abs().doubleValue() / Math.ulp(fast);
    }

    private static BigDecimal piTimes(int num, int den) {
        return PI.multiply(BigDecimal.valueOf(num)).divide(BigDecimal.valueOf(den), MC);
    }

    /** The measured value is the ulp error itself (a division by the ulp, not a product). */
    @Test
    void measuresTheErrorInUnitsOfTheLastPlace() {
        FunctionUlps f = new FunctionUlps();
        f.sqrt(2);
        f.sin(1);
        f.cos(1);
        f.acos(0.5);
        f.atan2(1, -1);
        double sqrt2 = ulps(Math.sqrt(2), BigDecimal.valueOf(2).sqrt(MC));
        assertThat(sqrt2).isBetween(0.1, 0.5); // correctly rounded, and not exact
        assertThat(f.maxUlp("sqrt")).isCloseTo(sqrt2, withinPercentage(1e-8));
        assertThat(f.maxUlp("sin")).isCloseTo(ulps(Math.sin(1), taylorAtOne(true)), withinPercentage(1e-8));
        assertThat(f.maxUlp("cos")).isCloseTo(ulps(Math.cos(1), taylorAtOne(false)), withinPercentage(1e-8));
        assertThat(f.maxUlp("acos")).isCloseTo(ulps(Math.acos(0.5), piTimes(1, 3)), withinPercentage(1e-8));
        assertThat(f.maxUlp("atan2")).isCloseTo(ulps(Math.atan2(1, -1), piTimes(3, 4)), withinPercentage(1e-8));
        for (String fn : new String[] {"sin", "cos", "acos", "atan2"}) {
            assertThat(f.maxUlp(fn)).as(fn).isGreaterThan(0).isLessThanOrEqualTo(FunctionUlps.SPEC_ATAN2);
        }
        assertThat(f.maxUlp("tan")).as("never measured").isZero();
    }

    /** Max over arguments, count of arguments; exact results (sqrt 4, sin 0, acos 1) measure 0 ulps. */
    @Test
    void keepsTheMaximumAndCountsArguments() {
        FunctionUlps f = new FunctionUlps();
        f.sqrt(2);
        f.sqrt(4);
        f.sin(0);
        f.sin(1);
        f.sin(0);
        f.acos(1);
        assertThat(f.maxUlp("sqrt")).isCloseTo(ulps(Math.sqrt(2), BigDecimal.valueOf(2).sqrt(MC)), withinPercentage(1e-8));
        assertThat(f.maxUlp("sin")).isCloseTo(ulps(Math.sin(1), taylorAtOne(true)), withinPercentage(1e-8));
        assertThat(f.maxUlp("acos")).isZero();
        Map<String, Object> s = f.summary();
        assertThat(s).containsEntry("sqrt.n", 2L).containsEntry("sin.n", 3L).containsEntry("acos.n", 1L)
                .containsEntry("acos.maxUlp", 0.0).containsEntry("sqrt.maxUlp", f.maxUlp("sqrt"))
                .containsEntry("sin.maxUlp", f.maxUlp("sin")).containsKey("spec")
                .doesNotContainKeys("cos.n", "atan2.n");
        assertThat(s.keySet()).containsExactly("sqrt.maxUlp", "sqrt.n", "sin.maxUlp", "sin.n", "acos.maxUlp",
                "acos.n", "spec");
    }

    /**
     * Domain guards: the end points of each domain are measured (sqrt 0, acos +-1, atan2 on an axis), the
     * points just outside (and atan2(0, 0)) are skipped. Catches {@code >=} -> {@code >} and dropped guards.
     */
    @Test
    void domainEndPointsAreMeasuredAndOutsidePointsSkipped() {
        FunctionUlps f = new FunctionUlps();
        f.sqrt(0);
        f.sqrt(-Double.MIN_VALUE);
        f.acos(1);
        f.acos(-1);
        f.acos(Math.nextUp(1.0));
        f.acos(Math.nextDown(-1.0));
        f.atan2(0, 0);
        f.atan2(0, 1);
        f.atan2(1, 0);
        f.cos(0);
        Map<String, Object> s = f.summary();
        assertThat(s).containsEntry("sqrt.n", 1L).containsEntry("acos.n", 2L).containsEntry("atan2.n", 2L)
                .containsEntry("cos.n", 1L).containsEntry("cos.maxUlp", 0.0).containsEntry("sqrt.maxUlp", 0.0);
        assertThat(f.maxUlp("acos")).as("acos(-1) = Math.PI is pi rounded")
                .isCloseTo(ulps(Math.PI, PI), withinPercentage(1e-8));
        assertThat(f.maxUlp("atan2")).as("atan2(1, 0) = pi/2 rounded")
                .isCloseTo(ulps(Math.PI / 2, piTimes(1, 2)), withinPercentage(1e-8));

        FunctionUlps only = new FunctionUlps();
        only.atan2(0, 1);
        assertThat(only.summary()).containsEntry("atan2.n", 1L).containsEntry("atan2.maxUlp", 0.0);
        FunctionUlps none = new FunctionUlps();
        none.atan2(0, 0);
        none.sqrt(-1);
        none.acos(2);
        assertThat(none.summary()).containsOnlyKeys("spec");
    }
}
