package io.idrelu.reference;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.MathContext;

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
}
