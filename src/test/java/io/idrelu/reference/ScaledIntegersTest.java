package io.idrelu.reference;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ScaledIntegers}: {@code X f} reproduces every input exactly, in the binary mode (all inputs dyadic: doubles)
 * and the decimal mode (a decimal string such as "0.1" among them); the binary mode keeps the integers short.
 * Negative control: the integers read with the other mode's factor do not reproduce the inputs.
 */
class ScaledIntegersTest {
    private static BigDecimal[][] doubles(long seed) {
        double[] g = Fixtures.gaussian(seed, 12, 0.7, 0);
        BigDecimal[][] m = new BigDecimal[3][4];
        for (int i = 0; i < 12; i++) {
            m[i / 4][i % 4] = new BigDecimal(g[i] * Math.pow(10, (i % 5) - 3));
        }
        m[1][2] = BigDecimal.ZERO;
        m[2][3] = new BigDecimal("3E+2"); // negative scale, an integer
        return m;
    }

    @Test
    void integersTimesTheFactorAreTheInputs() {
        for (long seed = 1; seed <= 20; seed++) {
            BigDecimal[][] u = doubles(seed);
            BigDecimal[][] v = doubles(seed + 100);
            ScaledIntegers bin = ScaledIntegers.of(u, v);
            assertThat(bin.decimal()).isZero();
            assertThat(bin.binary()).isPositive();
            BigDecimal[][] vDec = doubles(seed + 100);
            vDec[0][0] = new BigDecimal("0.1"); // not dyadic: the decimal mode
            ScaledIntegers dec = ScaledIntegers.of(u, vDec);
            assertThat(dec.binary()).isZero();
            int maxBits = 0;
            int maxBitsDecimal = 0;
            int controlCaught = 0;
            int cases = 0;
            for (int i = 0; i < 3; i++) {
                for (int r = 0; r < 4; r++) {
                    assertThat(bin.toBigDecimal(Dyadic.of(bin.values()[0][i][r]), 1, MathContext.UNLIMITED)).isEqualByComparingTo(u[i][r]);
                    assertThat(bin.toBigDecimal(Dyadic.of(bin.values()[1][i][r]), 1, MathContext.UNLIMITED)).isEqualByComparingTo(v[i][r]);
                    assertThat(dec.toBigDecimal(Dyadic.of(dec.values()[0][i][r]), 1, MathContext.UNLIMITED)).isEqualByComparingTo(u[i][r]);
                    assertThat(dec.toBigDecimal(Dyadic.of(dec.values()[1][i][r]), 1, MathContext.UNLIMITED)).isEqualByComparingTo(vDec[i][r]);
                    maxBits = Math.max(maxBits, bin.values()[0][i][r].bitLength());
                    maxBitsDecimal = Math.max(maxBitsDecimal, dec.values()[0][i][r].bitLength());
                    if (u[i][r].signum() != 0) {
                        cases++;
                        // control: binary integers read with the decimal factor
                        if (dec.toBigDecimal(Dyadic.of(bin.values()[0][i][r]), 1, MathContext.UNLIMITED).compareTo(u[i][r]) != 0) {
                            controlCaught++;
                        }
                    }
                }
            }
            assertThat(controlCaught).isEqualTo(cases);
            // doubles spanning 10^-3..10^1: 53 bits plus the exponent spread, far below their exact decimal expansions
            assertThat(maxBits).isLessThan(90);
            assertThat(maxBitsDecimal).isGreaterThan(150);
        }
    }

    /**
     * {@link ScaledIntegers#exactQuotient} (a product with {@code 5^-s mod 2^64}, no division) gives what
     * {@code divideAndRemainder} gives: the quotient when {@code 5^s} divides {@code u}, else {@code null}. Cases: exact
     * decimals of doubles of both signs over 2^-300..2^40 (dyadic, the fast path), the same plus or minus one and times
     * three (not divisible, fast path), decimal strings of 1..40 digits, and quotients of 61 to 64 bits (both sides of
     * the fast path's bound). Coverage: both paths taken many times, divisible and not. Negative control: the inverse of
     * the wrong power ({@code 5^-(s+1)}) must fail to reproduce every divisible fast-path case.
     */
    @Test
    void exactQuotientEqualsDivision() {
        SplittableRandom rnd = new SplittableRandom(20261205);
        List<BigDecimal> cases = new ArrayList<>();
        for (int n = 0; n < 3000; n++) {
            double x = Math.scalb(rnd.nextDouble() + 0.5, rnd.nextInt(-300, 40)) * (rnd.nextBoolean() ? 1 : -1);
            BigDecimal exact = new BigDecimal(x);
            cases.add(exact);
            cases.add(new BigDecimal(exact.unscaledValue().add(BigInteger.ONE), exact.scale()));
            cases.add(new BigDecimal(exact.unscaledValue().subtract(BigInteger.ONE), exact.scale()));
            cases.add(new BigDecimal(exact.unscaledValue().multiply(BigInteger.valueOf(3)), exact.scale()));
        }
        for (int digits = 1; digits <= 40; digits++) {
            for (int n = 0; n < 20; n++) {
                StringBuilder b = new StringBuilder(rnd.nextBoolean() ? "-0." : "0.");
                for (int k = 0; k < digits; k++) {
                    b.append((char) ('0' + rnd.nextInt(10)));
                }
                cases.add(new BigDecimal(b.toString()));
            }
        }
        for (int bits = 58; bits <= 66; bits++) { // quotients around the fast path's 62-bit bound
            for (int n = 0; n < 20; n++) {
                BigInteger q = new BigInteger(bits, new java.util.Random(rnd.nextLong())).setBit(bits - 1);
                int s = rnd.nextInt(1, 80);
                cases.add(new BigDecimal(q.multiply(BigInteger.valueOf(5).pow(s)), s));
                cases.add(new BigDecimal(q.multiply(BigInteger.valueOf(5).pow(s)).add(BigInteger.ONE), s));
            }
        }
        int fastDivisible = 0;
        int fastNot = 0;
        int slow = 0;
        int controlCaught = 0;
        for (BigDecimal x : cases) {
            int s = x.scale();
            if (s <= 0 || x.signum() == 0) {
                continue;
            }
            BigInteger u = x.unscaledValue();
            BigInteger five = BigInteger.valueOf(5).pow(s);
            BigInteger[] qr = u.divideAndRemainder(five);
            BigInteger expected = qr[1].signum() == 0 ? qr[0] : null;
            assertThat(ScaledIntegers.exactQuotient(u, five, s)).as("%s", x).isEqualTo(expected);
            boolean fast = u.bitLength() - five.bitLength() + 1 <= 62;
            if (!fast) {
                slow++;
            } else if (expected == null) {
                fastNot++;
            } else {
                fastDivisible++;
                long wrong = u.longValue() * ScaledIntegers.inverseFivePow(s + 1);
                if (!BigInteger.valueOf(wrong).multiply(five).equals(u)) {
                    controlCaught++;
                }
            }
        }
        assertThat(fastDivisible).isGreaterThan(3000);
        assertThat(fastNot).isGreaterThan(6000);
        assertThat(slow).isGreaterThan(100);
        assertThat(controlCaught).isEqualTo(fastDivisible);
    }
}
