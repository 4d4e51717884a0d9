package io.idrelu.reference;

import ch.obermuhlner.math.big.BigDecimalMath;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code atan(y/x)} in {@code [0, pi/2]} for {@code y >= 0, x > 0}, to a relative error of a few units in
 * the last place of the {@link MathContext}: the angle of MATH.md section 2, {@code th = atan2(s, c)}
 * with {@code s = sqrt(|a|^2|b|^2 - c^2) >= 0}. A faster stand-in for {@link BigDecimalMath#atan2}: the
 * population reference evaluates about {@code 2 d^2} angles per call ([LY17] closed form), and the
 * generic routine dominated the cost (about 0.3 s at d = 16, p = 50).
 *
 * <p>Method: reduce {@code t = y/x} to {@code t <= 1} ({@code atan t = pi/2 - atan(1/t)}, the result is
 * then {@code >= pi/4}, so the subtraction loses nothing), split {@code atan t = atan(k/64) + atan(delta)}
 * with {@code delta = (t - k/64)/(1 + t k/64)}, {@code |delta| <= 1/128}, take {@code atan(k/64)} from a
 * per-precision table computed once by big-math, and sum the alternating Taylor series of
 * {@code atan(delta)}. For {@code k >= 1}, {@code atan(k/64) >= 2 |atan(delta)|}, so the final addition
 * loses at most one digit. For {@code k = 0} the series is {@code t S(t^2)}, {@code S = sum (-t^2)^n/(2n+1)
 * in [0.99, 1]}, so the result keeps {@code t}'s relative accuracy however small {@code t} is.
 *
 * <p><b>Binary fixed point.</b> After the one decimal division {@code t = y/x} (at the caller's precision plus
 * {@link #EXTRA} digits), the reduction, the series and the table are {@link BigInteger}s scaled by {@code 2^P},
 * {@code P = ceil(work digits * log2 10) + 16}: multiplication then truncation is a shift, not a decimal
 * rounding (a division by a power of ten, which dominated the cost, proofs-notes/reference-error-bound.md).
 * Each fixed-point operation truncates by at most {@code 2^-P}; about {@code 3} per term, at most {@code 20}
 * terms plus the reduction: below {@code 100 * 2^-P < 10^-work * 2^-9} absolute, on results {@code >= 1/128}
 * (branch {@code k >= 1}) or on {@code S ~ 1} (branch {@code k = 0}): far below one unit in the last
 * {@code work} digit. One conversion back to decimal (exact) and one rounding to the caller's precision.
 */
final class Angles {
    /** Digits carried beyond the caller's precision inside this class. */
    static final int EXTRA = 6;
    private static final int GRID = 64;
    private static final BigDecimal GRID_D = BigDecimal.valueOf(GRID);
    private static final ConcurrentHashMap<Integer, BigInteger[]> TABLES = new ConcurrentHashMap<>();
    private static final ConcurrentHashMap<Integer, BigDecimal> HALF_PI = new ConcurrentHashMap<>();

    private Angles() { }

    /** {@code atan(y/x)} for {@code y >= 0}, {@code x > 0}, rounded to {@code mc}. */
    static BigDecimal atanRatio(BigDecimal y, BigDecimal x, MathContext mc) {
        assert y.signum() >= 0 && x.signum() > 0 : y + " / " + x;
        if (y.signum() == 0) {
            return BigDecimal.ZERO;
        }
        MathContext work = new MathContext(mc.getPrecision() + EXTRA, RoundingMode.HALF_EVEN);
        if (y.compareTo(x) > 0) {
            BigDecimal halfPi = HALF_PI.computeIfAbsent(work.getPrecision(), p -> BigDecimalMath.pi(work).divide(BigDecimal.valueOf(2), work));
            return halfPi.subtract(atanUnit(x.divide(y, work), work), mc);
        }
        return atanUnit(y.divide(x, work), work).round(mc);
    }

    /** {@code atan t} for {@code 0 <= t <= 1}, within a small fraction of a unit of {@code work}'s last digit. */
    private static BigDecimal atanUnit(BigDecimal t, MathContext work) {
        int bits = bits(work);
        int k = (int) Math.round(t.doubleValue() * GRID);
        BigInteger tf = fixed(t, bits);
        if (k == 0) {
            // atan t = t S(t^2): S near 1, so fixed-point error in S is relative error in the result
            BigInteger s = series(tf.multiply(tf).shiftRight(bits), bits);
            return t.multiply(toDecimal(s, bits));
        }
        BigInteger one = BigInteger.ONE.shiftLeft(bits);
        BigInteger xk = BigInteger.valueOf(k).shiftLeft(bits - 6);                   // k/64, exact
        BigInteger den = one.add(tf.multiply(BigInteger.valueOf(k)).shiftRight(6));   // 1 + t k/64
        BigInteger delta = tf.subtract(xk).shiftLeft(bits).divide(den);
        BigInteger atanDelta = delta.multiply(series(delta.multiply(delta).shiftRight(bits), bits)).shiftRight(bits);
        return toDecimal(table(work)[k].add(atanDelta), bits);
    }

    /** {@code sum_{n >= 0} (-x2)^n / (2n + 1)} in fixed point, {@code 0 <= x2 <= 2^-14} (each term below 2^-14 of the last). */
    private static BigInteger series(BigInteger x2, int bits) {
        BigInteger power = BigInteger.ONE.shiftLeft(bits);
        BigInteger sum = power;
        for (int n = 1; ; n++) {
            power = power.multiply(x2).shiftRight(bits).negate();
            BigInteger term = power.divide(BigInteger.valueOf(2L * n + 1));
            if (term.signum() == 0) {
                return sum;
            }
            sum = sum.add(term);
        }
    }

    /** Fractional bits for a working precision: {@code ceil(digits * log2 10) + 16}. */
    private static int bits(MathContext work) {
        return (int) Math.ceil(work.getPrecision() * 3.321928094887362) + 16;
    }

    /** {@code floor(x 2^bits)} for {@code 0 <= x <= 1}. */
    private static BigInteger fixed(BigDecimal x, int bits) {
        return x.multiply(new BigDecimal(BigInteger.ONE.shiftLeft(bits))).toBigInteger();
    }

    /** {@code f 2^-bits} exactly ({@code 2^-bits = 5^bits 10^-bits}). */
    private static BigDecimal toDecimal(BigInteger f, int bits) {
        BigInteger five = POW5.computeIfAbsent(bits, b -> BigInteger.valueOf(5).pow(b));
        return new BigDecimal(f.multiply(five), bits);
    }

    private static final ConcurrentHashMap<Integer, BigInteger> POW5 = new ConcurrentHashMap<>();

    /** {@code atan(k/64)} in fixed point, {@code k = 0..64}, from big-math at 5 more digits, once per precision. */
    private static BigInteger[] table(MathContext work) {
        return TABLES.computeIfAbsent(work.getPrecision(), p -> {
            MathContext more = new MathContext(p + 5, RoundingMode.HALF_EVEN);
            int bits = bits(work);
            BigInteger[] t = new BigInteger[GRID + 1];
            for (int k = 0; k <= GRID; k++) {
                t[k] = fixed(BigDecimalMath.atan(BigDecimal.valueOf(k).divide(GRID_D), more), bits);
            }
            return t;
        });
    }
}
