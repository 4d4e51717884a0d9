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
                });
        assertThat(caught[0]).as("perturbed roots rejected").isEqualTo(cases[0]);
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
}
