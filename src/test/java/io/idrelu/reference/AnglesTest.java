package io.idrelu.reference;

import ch.obermuhlner.math.big.BigDecimalMath;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fast angle routine against big-math's {@code atan2} (the routine it replaces; see {@link #expected}) over ratios from
 * 1e-30 to 1e30, across table cells and the {@code t > 1} reflection. Accepts 3 units in the last place;
 * negative control: the complementary angle ({@code atan2} with swapped arguments) must be rejected.
 */
class AnglesTest {
    /**
     * big-math 2.3.2's {@code atan}/{@code atan2} lose accuracy for large arguments (observed: {@code atan(1e40)}
     * at 54 digits off by 1e-40, {@code atan2(3.4e28, 1.34)} off by ~60 units of the 34th digit even when
     * asked for 54 digits), so above ratio 1 the expected value is {@code pi/2 - atan(x/y)} with big-math's
     * {@code atan} on an argument below 1.
     */
    private static BigDecimal expected(BigDecimal y, BigDecimal x, MathContext hi) {
        if (y.compareTo(x) <= 0) {
            return BigDecimalMath.atan2(y, x, hi);
        }
        return BigDecimalMath.pi(hi).divide(BigDecimal.valueOf(2), hi).subtract(BigDecimalMath.atan(x.divide(y, hi), hi), hi);
    }

    @Test
    void agreesWithBigMathAtan2() {
        double worstUlps = 0;
        for (int q : new int[] {10, 34, 58}) {
            MathContext mc = new MathContext(q, RoundingMode.HALF_EVEN);
            MathContext hi = new MathContext(q + 20, RoundingMode.HALF_EVEN);
            double[] g = Fixtures.gaussian(q, 200, 1.0, 0);
            int swappedCaught = 0;
            for (int i = 0; i < g.length; i += 2) {
                BigDecimal y = new BigDecimal(Math.abs(g[i])).scaleByPowerOfTen((i % 61) - 30);
                BigDecimal x = new BigDecimal(Math.abs(g[i + 1]) + 1e-3);
                BigDecimal expected = expected(y, x, hi);
                BigDecimal ulp = expected.round(mc).ulp();
                double ulps = Angles.atanRatio(y, x, mc).subtract(expected).abs().divide(ulp, MathContext.DECIMAL64).doubleValue();
                worstUlps = Math.max(worstUlps, ulps);
                assertThat(ulps).as("atan(%s / %s) at %d digits", y, x, q).isLessThanOrEqualTo(3.0);
                BigDecimal swapped = expected(x, y, hi);
                if (Angles.atanRatio(y, x, mc).subtract(swapped).abs().compareTo(ulp.multiply(BigDecimal.valueOf(3))) > 0) {
                    swappedCaught++;
                }
            }
            assertThat(swappedCaught).as("swapped-argument control").isEqualTo(g.length / 2);
        }
        System.out.printf("Angles.atanRatio vs big-math atan2: worst %.2f ulps%n", worstUlps);
        assertThat(Angles.atanRatio(BigDecimal.ZERO, BigDecimal.ONE, MathContext.DECIMAL64)).isEqualByComparingTo("0");
    }

    /**
     * The binary routine against its stated bound, relative error {@code < 2^-(bits+2)}, checked exactly against the same
     * routine at {@code bits + 64} (itself validated against big-math above): ratios {@code 2^-120 .. 2^120} and every
     * table cell. Negative control: the result off by {@code 2^-(bits+1)} relative is rejected by the same check.
     */
    @Test
    void binaryAtanWithinStatedBound() {
        java.util.Random rnd = new java.util.Random(20170103L);
        int caught = 0;
        int cases = 0;
        for (int bits : new int[] {20, 100, 200}) {
            for (int i = 0; i < 300; i++) {
                Dyadic y = new Dyadic(new java.math.BigInteger(40 + rnd.nextInt(200), rnd).add(java.math.BigInteger.ONE), rnd.nextInt(241) - 120);
                Dyadic x = new Dyadic(new java.math.BigInteger(40 + rnd.nextInt(200), rnd).add(java.math.BigInteger.ONE), 0);
                Dyadic lo = Angles.atanRatio(y, x, bits);
                Dyadic hi = Angles.atanRatio(y, x, bits + 64);
                assertThat(within(lo, hi, bits + 2)).as("atan(%s / %s) at %d bits", y, x, bits).isTrue();
                cases++;
                if (!within(lo.add(new Dyadic(lo.mantissa(), lo.exponent() - bits - 1)), hi, bits + 2)) {
                    caught++;
                }
            }
        }
        assertThat(caught).as("perturbed angles rejected").isEqualTo(cases);
    }

    /**
     * The table built by the series chain ({@code Angles.table}, no big-math) against big-math's {@code atan(k/GRID)} and
     * {@code pi/2} at {@code f log10 2 + 10} digits: every entry within its derived bound, {@code 1.04} units of
     * {@code 2^-f} ({@code pi/2}: {@code 1.07}). Negative control: an entry two units low (the entries are truncations, at most 0.033 units high) is rejected by the same check.
     */
    @Test
    void chainTableWithinItsBound() {
        for (int f : new int[] {44, 124, 224, 344}) {
            BigInteger[] t = Angles.table(f);
            MathContext hi = new MathContext((int) Math.ceil(f * 0.30103) + 10, RoundingMode.HALF_EVEN);
            BigDecimal two = new BigDecimal(BigInteger.ONE.shiftLeft(f));
            int g = Angles.GRID;
            for (int k = 0; k <= g + 1; k++) {
                BigDecimal exact = k == g + 1 ? BigDecimalMath.pi(hi).divide(BigDecimal.valueOf(2), hi)
                        : BigDecimalMath.atan(BigDecimal.valueOf(k).divide(BigDecimal.valueOf(g)), hi);
                exact = exact.multiply(two);
                BigDecimal bound = new BigDecimal(k == g + 1 ? "1.07" : "1.04");
                assertThat(new BigDecimal(t[k]).subtract(exact).abs()).as("table entry %d at f = %d", k, f).isLessThan(bound);
                assertThat(new BigDecimal(t[k].subtract(BigInteger.TWO)).subtract(exact).abs()).as("control: entry %d - 2 units", k).isGreaterThan(bound);
            }
        }
    }

    /** {@code |x - ref| < 2^-e |ref|}, exactly. */
    private static boolean within(Dyadic x, Dyadic ref, int e) {
        Dyadic diff = x.add(ref.negate());
        return new Dyadic(diff.mantissa().abs(), diff.exponent() + e).add(new Dyadic(ref.mantissa().abs(), ref.exponent()).negate()).signum() < 0;
    }

    /**
     * The series with its per-term precision ramp against the same sum at constant precision {@code f + 80} (plain
     * Horner, written here): within the derived {@code 6} units of {@code 2^-f} for {@code x2} from {@code 2^-12} to
     * {@code 2^-40}, {@code f} from 44 to 600. Negative control: the ramp with 6 bits too few per step
     * ({@code D_n = n (b + 4)}) exceeds the bound on most cases (asserted: more than half; it cannot on the few cases with
     * one or two terms).
     */
    @Test
    void rampedSeriesWithinItsBound() {
        java.util.Random rnd = new java.util.Random(20170105L);
        int cases = 0;
        int caught = 0;
        for (int i = 0; i < 400; i++) {
            int f = 44 + rnd.nextInt(557);
            int b = 12 + rnd.nextInt(29);
            BigInteger x2 = new BigInteger(f - b, rnd); // x2 < 2^-b
            int g = f + 80;
            BigInteger x2g = x2.shiftLeft(80);
            BigInteger acc = BigInteger.ZERO;
            for (int n = g / b + 2; n >= 0; n--) {
                acc = BigInteger.ONE.shiftLeft(g).divide(BigInteger.valueOf(2L * n + 1)).subtract(acc.multiply(x2g).shiftRight(g));
            }
            BigInteger six = BigInteger.valueOf(6).shiftLeft(80);
            BigInteger err = Angles.series(x2, f).shiftLeft(80).subtract(acc).abs();
            assertThat(err).as("S at f = %d, x2 < 2^-%d", f, b).isLessThan(six);
            cases++;
            if (Angles.series(x2, f, -4).shiftLeft(80).subtract(acc).abs().compareTo(six) >= 0) {
                caught++;
            }
        }
        assertThat(caught).as("ramp 6 bits short rejected").isGreaterThan(cases / 2);
    }
}
