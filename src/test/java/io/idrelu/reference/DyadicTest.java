package io.idrelu.reference;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

/**
 * The inexact operations of {@link Dyadic} against their stated bound, {@code relative error < 2^-(bits+3)}
 * (proofs-notes/reference-error-bound.md section 3), checked exactly in integers: {@code sqrtOf} against
 * {@link BigInteger#sqrt} of the number scaled far beyond the bound's resolution, {@code divide} and
 * {@code truncate} against the exact rational. Negative control for each: the result off by {@code 2^-(bits+2)}
 * relative (twice the bound) must be rejected by the same check, so the check can fail.
 */
class DyadicTest {
    /** {@code |x - exact| < 2^-(bits+3) |exact|}, in exact integers: {@code |x - exact| 2^(bits+3) < |exact|}. */
    private static boolean within(Dyadic x, Dyadic exact, int bits) {
        Dyadic diff = x.add(exact.negate());
        Dyadic lhs = new Dyadic(diff.mantissa().abs(), diff.exponent() + bits + 3);
        return lhs.add(new Dyadic(exact.mantissa().abs(), exact.exponent()).negate()).signum() < 0;
    }

    /** {@code x (1 + 2^-(bits+2))}: twice the bound off. */
    private static Dyadic perturbed(Dyadic x, int bits) {
        return x.add(new Dyadic(x.mantissa(), x.exponent() - bits - 2));
    }

    private static BigInteger number(long seed, int bitLength) {
        java.util.Random rnd = new java.util.Random(seed);
        BigInteger n = new BigInteger(bitLength, rnd);
        return n.signum() == 0 ? BigInteger.ONE : n;
    }

    @Test
    void sqrtWithinBound() {
        int[] caught = {0};
        int[] cases = {0};
        int[] fewerCases = {0};
        int[] fewerCaught = {0};
        qt().withFixedSeed(20170101L).withExamples(400)
                .forAll(integers().between(1, 1200), integers().between(8, 400), longs().all())
                .checkAssert((len, bits, seed) -> {
                    BigInteger n = number(seed, len);
                    Dyadic root = Dyadic.sqrtOf(n, bits);
                    // exact reference: floor(sqrt(n 4^m)) 2^-m with 2^-m far below the bound (below 2^-(bits+44) relative: the check's resolution)
                    int m = Math.max(0, bits + 45 - n.bitLength() / 2);
                    Dyadic ref = new Dyadic(n.shiftLeft(2 * m).sqrt(), -m);
                    assertThat(within(root, ref, bits)).as("sqrt of %s at %d bits", n, bits).isTrue();
                    cases[0]++;
                    if (!within(perturbed(root, bits), ref, bits)) {
                        caught[0]++;
                    }
                    if (bits >= 120 && len >= 128) { // one refinement of the inverse root fewer: ~2^-103 relative, far above the bound
                        // (small n excluded: their double start can be exact by luck, e.g. n = 1)
                        fewerCases[0]++;
                        if (!within(Dyadic.sqrtOf(n, bits, 1), ref, bits)) {
                            fewerCaught[0]++;
                        }
                    }
                });
        assertThat(caught[0]).as("perturbed roots rejected").isEqualTo(cases[0]);
        assertThat(fewerCases[0]).isGreaterThan(150);
        assertThat(fewerCaught[0]).as("one refinement fewer rejected").isEqualTo(fewerCases[0]);
    }

    @Test
    void divideAndTruncateWithinBound() {
        int[] caught = {0};
        int[] cases = {0};
        qt().withFixedSeed(20170102L).withExamples(400)
                .forAll(integers().between(1, 600), integers().between(1, 600), integers().between(8, 300), longs().all())
                .checkAssert((la, lb, bits, seed) -> {
                    Dyadic a = new Dyadic(number(seed, la), (int) (seed % 50));
                    Dyadic b = new Dyadic(number(seed + 1, lb), (int) (seed % 7));
                    Dyadic q = a.divide(b, bits);
                    // q within bound of a/b  <=>  |q b - a| 2^(bits+3) < |a|
                    Dyadic qb = q.multiply(b);
                    assertThat(within(qb, a, bits)).as("divide %d/%d bits at %d", la, lb, bits).isTrue();
                    Dyadic t = a.multiply(b).truncate(bits);
                    assertThat(within(t, a.multiply(b), bits)).as("truncate").isTrue();
                    cases[0]++;
                    if (!within(perturbed(q, bits).multiply(b), a, bits)) {
                        caught[0]++;
                    }
                });
        assertThat(caught[0]).as("perturbed quotients rejected").isEqualTo(cases[0]);
    }

    @Test
    void decimalConversionIsExactThenOneRounding() {
        // 3 * 2^-5 = 0.09375 exactly; times 10^-2 = 0.0009375
        Dyadic x = new Dyadic(BigInteger.valueOf(3), -5);
        assertThat(x.toBigDecimal(2, new MathContext(10))).isEqualByComparingTo("0.0009375");
        assertThat(x.toBigDecimal(0, new MathContext(2, RoundingMode.HALF_EVEN))).isEqualByComparingTo("0.094");
        assertThat(new Dyadic(BigInteger.valueOf(-7), 3).toBigDecimal(-1, new MathContext(5))).isEqualByComparingTo("-560");
        // magnitudes: right also far outside double range of the scaled integer
        Dyadic big = new Dyadic(BigInteger.TEN.pow(400), 0);
        assertThat(big.approx(399)).isCloseTo(10.0, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(new Dyadic(BigInteger.valueOf(5), -3).approx(-2)).isCloseTo(62.5, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(Dyadic.fromBigDecimal(new BigDecimal("0.1"), 50).toBigDecimal(0, new MathContext(15))).isEqualByComparingTo("0.100000000000000");
    }

    /** The exact route: {@code m 5^e} at scale {@code t + e}, then {@link BigDecimal#round} (HALF_EVEN). */
    private static BigDecimal exactRoute(Dyadic x, int t, int q) {
        int e = -x.exponent();
        return new BigDecimal(x.mantissa().multiply(BigInteger.valueOf(5).pow(e)), t + e).round(new MathContext(q, RoundingMode.HALF_EVEN));
    }

    /**
     * {@link Dyadic#roundHalfEven} (multiply by a power of ten and shift) equals the exact route, value and scale, on
     * random dyadics (1..800-bit mantissas, exponents down to -1000, decimal factors 10^-5..10^30, 1..80 digits), on
     * constructed ties (both parities of the quotient) and on carries to 10^q. Coverage asserted: the fast route answers
     * most random cases below {@code 10^-t} (the reference's values), and every tie and carry. Negative control: ties away from zero (the seam) must differ on every
     * tie with an even quotient.
     */
    @Test
    void fastDecimalRoundingEqualsTheExactRoute() {
        int[] fast = {0};
        int[] total = {0};
        qt().withFixedSeed(20170101L).withExamples(600)
                .forAll(integers().between(1, 800), integers().between(1, 1000), integers().between(-5, 30), integers().between(1, 80))
                .checkAssert((len, e, t, q) -> {
                    java.util.Random rnd = new java.util.Random(31L * len + 17L * e + t + 1000L * q);
                    BigInteger m = number(rnd.nextLong(), len);
                    Dyadic x = new Dyadic(rnd.nextBoolean() ? m : m.negate(), -e);
                    BigDecimal r = x.roundHalfEven(t, q, true);
                    boolean belowOne = e >= len && t >= 0; // |x| < 10^-t: the fast route's case (the reference's values)
                    total[0] += belowOne ? 1 : 0;
                    if (r != null) {
                        fast[0] += belowOne ? 1 : 0;
                        assertThat(r).as("%s at %d digits, 10^-%d", x, q, t).isEqualTo(exactRoute(x, t, q));
                    }
                    assertThat(x.toBigDecimal(t, new MathContext(q, RoundingMode.HALF_EVEN))).isEqualTo(exactRoute(x, t, q));
                });
        assertThat(total[0]).isGreaterThan(100);
        assertThat(fast[0]).as("fast route taken below 10^-t").isGreaterThan(total[0] * 9 / 10);

        int ties = 0;
        int evenTiesCaught = 0;
        int evenTies = 0;
        java.util.Random rnd = new java.util.Random(7);
        for (int i = 0; i < 400; i++) {
            // x = o 2^-(1+j) 10^-t: at scale t + j, x 10^(t+j) = o 5^j / 2 = Q + 1/2 (o odd): a tie at Q's digits
            BigInteger o = new BigInteger(1 + rnd.nextInt(200), rnd).setBit(0);
            int j = rnd.nextInt(4);
            int extra = rnd.nextInt(50); // the same number with a longer mantissa: o 2^extra at exponent -(1+j+extra)
            int t = rnd.nextInt(20) - 5;
            BigInteger twiceQPlusOne = o.multiply(BigInteger.valueOf(5).pow(j));
            BigInteger quotient = twiceQPlusOne.shiftRight(1);
            if (quotient.signum() == 0) {
                continue;
            }
            int q = quotient.toString().length();
            Dyadic x = new Dyadic(o.shiftLeft(extra), -(1 + j + extra));
            BigDecimal r = x.roundHalfEven(t, q, true);
            assertThat(r).as("tie %s", x).isNotNull().isEqualTo(exactRoute(x, t, q));
            ties++;
            if (!quotient.testBit(0)) {
                evenTies++;
                if (!x.roundHalfEven(t, q, false).equals(exactRoute(x, t, q))) {
                    evenTiesCaught++;
                }
            }
        }
        assertThat(ties).isGreaterThan(300);
        assertThat(evenTies).isGreaterThan(100);
        assertThat(evenTiesCaught).as("ties away from zero rejected on even quotients").isEqualTo(evenTies);

        for (int q = 1; q <= 70; q++) {
            // (10^q - 1 + 3/4) rounds up to 10^q: the carry becomes 10^(q-1) one place up
            Dyadic x = new Dyadic(BigInteger.TEN.pow(q).shiftLeft(2).subtract(BigInteger.ONE), -2);
            BigDecimal r = x.roundHalfEven(3, q, true);
            assertThat(r).as("carry at %d digits", q).isNotNull().isEqualTo(exactRoute(x, 3, q));
            assertThat(r.unscaledValue()).isEqualTo(BigInteger.TEN.pow(q - 1));
        }
    }
}
