package io.idrelu.reference;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.util.HashMap;
import java.util.Map;

/**
 * Decimal inputs made exact integers by one common factor {@code f}: {@code x = X f}, {@code f = 2^-binary} when every
 * input is a dyadic rational (every double is: JSON numbers, {@code new BigDecimal(double)}), else {@code f = 10^-decimal}
 * (decimal strings such as "0.1"). Either way exact; the binary factor keeps the integers as short as the inputs' binary
 * mantissas (a double's 53 bits plus the spread of exponents) instead of the ~230 bits of its exact decimal expansion, which
 * shortens every Gram entry and gradient product of the population reference (proofs-notes/reference-error-bound.md
 * section 3, step 1). A quantity homogeneous of degree {@code k} in the inputs carries {@code f^k}; {@link #toBigDecimal}
 * removes it exactly before the one decimal rounding.
 *
 * @param values  the integers {@code X}, in the shape given to {@link #of}
 * @param binary  {@code f = 2^-binary} (then {@code decimal = 0})
 * @param decimal {@code f = 10^-decimal} (then {@code binary = 0})
 */
record ScaledIntegers(BigInteger[][][] values, int binary, int decimal) {

    /** The common factor of all entries of {@code ms} (zeros are free) and the integers. */
    static ScaledIntegers of(BigDecimal[][]... ms) {
        Map<Integer, BigInteger> fives = new HashMap<>();
        BigInteger[][][] mant = new BigInteger[ms.length][][];
        int[][][] exp2 = new int[ms.length][][];
        int binary = 0;
        boolean dyadic = true;
        for (int a = 0; a < ms.length && dyadic; a++) {
            mant[a] = new BigInteger[ms[a].length][];
            exp2[a] = new int[ms[a].length][];
            for (int i = 0; i < ms[a].length && dyadic; i++) {
                mant[a][i] = new BigInteger[ms[a][i].length];
                exp2[a][i] = new int[ms[a][i].length];
                for (int r = 0; r < ms[a][i].length; r++) {
                    BigDecimal x = ms[a][i][r];
                    BigInteger u = x.unscaledValue();
                    int s = x.scale();
                    if (x.signum() == 0) {
                        mant[a][i][r] = BigInteger.ZERO;
                    } else if (s <= 0) {
                        mant[a][i][r] = u.multiply(BigInteger.TEN.pow(-s));
                    } else {
                        // x = u 10^-s = (u / 5^s) 2^-s: dyadic iff 5^s divides u
                        BigInteger[] qr = u.divideAndRemainder(fives.computeIfAbsent(s, k -> BigInteger.valueOf(5).pow(k)));
                        if (qr[1].signum() != 0) {
                            dyadic = false;
                            break;
                        }
                        mant[a][i][r] = qr[0];
                        exp2[a][i][r] = s;
                        binary = Math.max(binary, s);
                    }
                }
            }
        }
        BigInteger[][][] out = new BigInteger[ms.length][][];
        int decimal = 0;
        if (!dyadic) {
            for (BigDecimal[][] m : ms) {
                for (BigDecimal[] row : m) {
                    for (BigDecimal x : row) {
                        if (x.signum() != 0) {
                            decimal = Math.max(decimal, x.scale());
                        }
                    }
                }
            }
        }
        for (int a = 0; a < ms.length; a++) {
            out[a] = new BigInteger[ms[a].length][];
            for (int i = 0; i < ms[a].length; i++) {
                out[a][i] = new BigInteger[ms[a][i].length];
                for (int r = 0; r < ms[a][i].length; r++) {
                    BigDecimal x = ms[a][i][r];
                    if (x.signum() == 0) {
                        out[a][i][r] = BigInteger.ZERO;
                    } else if (dyadic) {
                        out[a][i][r] = mant[a][i][r].shiftLeft(binary - exp2[a][i][r]);
                    } else {
                        out[a][i][r] = x.setScale(decimal).unscaledValue();
                    }
                }
            }
        }
        return dyadic ? new ScaledIntegers(out, binary, 0) : new ScaledIntegers(out, 0, decimal);
    }

    /** {@code v f^power} exactly, then rounded once to {@code mc}. */
    BigDecimal toBigDecimal(Dyadic v, int power, MathContext mc) {
        return new Dyadic(v.mantissa(), v.exponent() - power * binary).toBigDecimal(power * decimal, mc);
    }

    /** A double near {@code v f^power} (magnitudes only). */
    double approx(Dyadic v, int power) {
        return new Dyadic(v.mantissa(), v.exponent() - power * binary).approx(power * decimal);
    }
}
