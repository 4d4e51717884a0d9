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
                        BigInteger q = exactQuotient(u, fives.computeIfAbsent(s, k -> BigInteger.valueOf(5).pow(k)), s);
                        if (q == null) {
                            dyadic = false;
                            break;
                        }
                        mant[a][i][r] = q;
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

    /**
     * {@code u / 5^s} if {@code 5^s} divides {@code u}, else {@code null}. A double's exact decimal (every JSON number,
     * {@code new BigDecimal(double)}) has a quotient of at most 53 bits; then, without a division, the only candidate is
     * {@code q = u (5^-s mod 2^64)} read as a signed long (an exact quotient {@code |Q| < 2^63} is congruent to it mod
     * {@code 2^64}, so equals it), and {@code q 5^s = u} decides. The 512 divisions of the d = 16 inputs ran in C1 code
     * during the benchmark's evaluations 11-30 (~20% of a C1-only profile) and kept {@code divideMagnitude} hot for C2.
     * Longer quotients (decimal strings with many digits) take {@link BigInteger#divideAndRemainder}: the same result.
     */
    static BigInteger exactQuotient(BigInteger u, BigInteger fivePow, int s) {
        // |Q| < 2^bitLength(u) / 2^(bitLength(5^s) - 1)
        if (u.bitLength() - fivePow.bitLength() + 1 <= 62) {
            long q = u.longValue() * inverseFivePow(s); // u mod 2^64 times 5^-s mod 2^64
            return BigInteger.valueOf(q).multiply(fivePow).equals(u) ? BigInteger.valueOf(q) : null;
        }
        BigInteger[] qr = u.divideAndRemainder(fivePow);
        return qr[1].signum() == 0 ? qr[0] : null;
    }

    /** {@code 5^-s mod 2^64}: Newton's {@code x' = x (2 - a x)} doubles the correct low bits (3 from {@code x = a}, odd {@code a}). */
    static long inverseFivePow(int s) {
        long a = 1;
        for (int k = 0; k < s; k++) {
            a *= 5; // 5^s mod 2^64
        }
        long x = a;
        for (int k = 0; k < 5; k++) {
            x *= 2 - a * x; // 3, 6, 12, 24, 48, 96 bits
        }
        return x;
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
