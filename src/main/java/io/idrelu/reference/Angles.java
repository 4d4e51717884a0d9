package io.idrelu.reference;

import ch.obermuhlner.math.big.BigDecimalMath;

import java.math.BigDecimal;
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
 * loses at most one digit; all of it runs with {@link #EXTRA} digits beyond the caller's precision.
 */
final class Angles {
    /** Digits carried beyond the caller's precision inside this class. */
    static final int EXTRA = 6;
    private static final int GRID = 64;
    private static final BigDecimal GRID_D = BigDecimal.valueOf(GRID);
    private static final ConcurrentHashMap<Integer, BigDecimal[]> TABLES = new ConcurrentHashMap<>();
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

    /** {@code atan t} for {@code 0 <= t <= 1}, at {@code work} precision. */
    private static BigDecimal atanUnit(BigDecimal t, MathContext work) {
        int k = (int) Math.round(t.doubleValue() * GRID);
        BigDecimal delta;
        BigDecimal base;
        if (k == 0) {
            delta = t;
            base = BigDecimal.ZERO;
        } else {
            BigDecimal xk = BigDecimal.valueOf(k).divide(GRID_D); // exact: 64 = 2^6
            delta = t.subtract(xk).divide(BigDecimal.ONE.add(t.multiply(xk)), work);
            base = table(work)[k];
        }
        return base.add(atanSeries(delta, work), work);
    }

    /** Alternating Taylor series of {@code atan(delta)}, {@code |delta| <= 1/128}: each term is below 2^-14 of the previous. */
    private static BigDecimal atanSeries(BigDecimal delta, MathContext work) {
        if (delta.signum() == 0) {
            return BigDecimal.ZERO;
        }
        BigDecimal sq = delta.multiply(delta, work).negate();
        BigDecimal power = delta;
        BigDecimal sum = delta;
        // stop when a term is below 10^-(precision+1) of |delta| <= 2 |sum|
        BigDecimal threshold = delta.abs().movePointLeft(work.getPrecision() + 1);
        for (int n = 1; ; n++) {
            power = power.multiply(sq, work);
            BigDecimal term = power.divide(BigDecimal.valueOf(2L * n + 1), work);
            if (term.abs().compareTo(threshold) < 0) {
                return sum;
            }
            sum = sum.add(term, work);
        }
    }

    private static BigDecimal[] table(MathContext work) {
        return TABLES.computeIfAbsent(work.getPrecision(), p -> {
            BigDecimal[] t = new BigDecimal[GRID + 1];
            for (int k = 0; k <= GRID; k++) {
                t[k] = BigDecimalMath.atan(BigDecimal.valueOf(k).divide(GRID_D), work);
            }
            return t;
        });
    }
}
