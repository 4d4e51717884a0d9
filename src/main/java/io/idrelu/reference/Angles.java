package io.idrelu.reference;

import ch.obermuhlner.math.big.BigDecimalMath;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code atan(y/x)} in {@code [0, pi/2]} for {@code y >= 0, x > 0}, to a relative error below {@code 2^-(bits+2)}: the
 * angle of MATH.md section 2, {@code th = atan2(s, c)} with {@code s = sqrt(|a|^2|b|^2 - c^2) >= 0}, in the binary
 * pipeline of the population reference ({@link Dyadic}; proofs-notes/reference-error-bound.md section 3, step 3).
 * A faster stand-in for {@link BigDecimalMath#atan2}: the population reference evaluates about {@code 2 d^2} angles
 * per call ([LY17] closed form).
 *
 * <p>Method: {@code t = y/x} by one truncating binary division ({@code bits + 8}); reduce to {@code t <= 1}
 * ({@code atan t = pi/2 - atan(1/t)}, the result is then {@code >= pi/4}, so the subtraction loses nothing), split
 * {@code atan t = atan(k/64) + atan(delta)} with {@code delta = (t - k/64)/(1 + t k/64)}, {@code |delta| <= 1/128},
 * take {@code atan(k/64)} from a per-precision table computed once by big-math, and sum the alternating Taylor series
 * of {@code atan(delta)}, all in fixed point with {@code F = bits + 24} fractional bits. For {@code k >= 1},
 * {@code atan(k/64) >= 2 |atan(delta)|}, so the result is {@code >= 1/128} and absolute fixed-point error is relative.
 * For {@code k = 0} the series is {@code t S(t^2)}, {@code S = sum (-t^2)^n/(2n+1) in [0.99, 1]}, an exact product
 * with the (relative-accurate) {@code t}: the result keeps {@code t}'s relative accuracy however small {@code t} is.
 */
final class Angles {
    private static final int GRID = 64;
    private static final BigDecimal GRID_D = BigDecimal.valueOf(GRID);
    /** Fixed-point fractional bits beyond the caller's {@code bits}. */
    static final int FIXED_EXTRA = 24;
    private static final ConcurrentHashMap<Integer, BigInteger[]> TABLES = new ConcurrentHashMap<>();

    private Angles() { }

    /** Decimal entry ({@code y >= 0}, {@code x > 0}), rounded to {@code mc}: the binary routine at {@code mc + 2} digits. */
    static BigDecimal atanRatio(BigDecimal y, BigDecimal x, MathContext mc) {
        assert y.signum() >= 0 && x.signum() > 0 : y + " / " + x;
        int scale = Math.max(y.scale(), x.scale()); // common scale: y, x become exact integers
        Dyadic yi = Dyadic.of(y.setScale(scale).unscaledValue());
        Dyadic xi = Dyadic.of(x.setScale(scale).unscaledValue());
        return atanRatio(yi, xi, bitsFor(mc.getPrecision() + 2)).toBigDecimal(0, mc);
    }

    /** Binary digits worth {@code digits} decimal digits: {@code 2^-bits <= 10^-digits}. */
    static int bitsFor(int digits) {
        return (int) Math.ceil(digits * 3.321928094887362);
    }

    /**
     * {@code atan(y/x)} for {@code y >= 0}, {@code x > 0}, relative error {@code < 2^-(bits+2)} (error budget in the
     * note, section 3, step 3).
     */
    static Dyadic atanRatio(Dyadic y, Dyadic x, int bits) {
        assert y.signum() >= 0 && x.signum() > 0 : y + " / " + x;
        if (y.signum() == 0) {
            return Dyadic.ZERO;
        }
        int f = bits + FIXED_EXTRA;
        BigInteger[] table = table(f);
        boolean reflect = compare(y, x) > 0;
        Dyadic t = reflect ? x.divide(y, bits + 8) : y.divide(x, bits + 8);
        Dyadic unit = atanUnit(t, f, table);
        Dyadic result = reflect ? new Dyadic(table[GRID + 1], -f).add(unit.negate()) : unit;
        return result.truncate(bits);
    }

    /** {@code pi/2} truncated to {@code bits + 24} fractional bits: relative error {@code < 2^-(bits+24)}. */
    static Dyadic halfPi(int bits) {
        int f = bits + FIXED_EXTRA;
        return new Dyadic(table(f)[GRID + 1], -f);
    }

    /** Order of two positive numbers: by the position of the top bit, exactly only when it is the same. */
    private static int compare(Dyadic a, Dyadic b) {
        int top = Integer.compare(a.mantissa().bitLength() + a.exponent(), b.mantissa().bitLength() + b.exponent());
        return top != 0 ? top : a.add(b.negate()).signum();
    }

    /**
     * {@code atan t} for {@code 0 < t <= 1} (up to the division's truncation): fixed-point absolute error
     * {@code <= 50 2^-f} on a result {@code >= 1/128} when {@code k >= 1}; for {@code k = 0}, {@code t S} with
     * {@code S}'s absolute error {@code <= 45 2^-f} on {@code S >= 0.99}.
     */
    private static Dyadic atanUnit(Dyadic t, int f, BigInteger[] table) {
        BigInteger tf = t.exponent() >= -f ? t.mantissa().shiftLeft(t.exponent() + f) : t.mantissa().shiftRight(-f - t.exponent());
        int k = tf.add(BigInteger.ONE.shiftLeft(f - 7)).shiftRight(f - 6).intValueExact(); // round(64 t), exact
        if (k == 0) {
            BigInteger s = series(tf.multiply(tf).shiftRight(f), f);
            return t.multiply(new Dyadic(s, -f));
        }
        BigInteger one = BigInteger.ONE.shiftLeft(f);
        BigInteger xk = BigInteger.valueOf(k).shiftLeft(f - 6);                   // k/64, exact
        BigInteger den = one.add(tf.multiply(BigInteger.valueOf(k)).shiftRight(6)); // 1 + t k/64
        BigInteger delta = tf.subtract(xk).shiftLeft(f).divide(den);
        BigInteger atanDelta = delta.multiply(series(delta.multiply(delta).shiftRight(f), f)).shiftRight(f);
        return new Dyadic(table[k].add(atanDelta), -f);
    }

    /** {@code sum_{n >= 0} (-x2)^n / (2n + 1)} in fixed point, {@code 0 <= x2 <= 2^-14} (each term below 2^-14 of the last). */
    private static BigInteger series(BigInteger x2, int f) {
        BigInteger power = BigInteger.ONE.shiftLeft(f);
        BigInteger sum = power;
        for (int n = 1; ; n++) {
            power = power.multiply(x2).shiftRight(f).negate();
            BigInteger term = power.divide(BigInteger.valueOf(2L * n + 1));
            if (term.signum() == 0) {
                return sum;
            }
            sum = sum.add(term);
        }
    }

    /**
     * {@code floor(atan(k/64) 2^f)} for {@code k = 0..64} and, at index 65, {@code floor(pi/2 2^f)}; from big-math at
     * {@code f log10 2 + 5} digits, once per {@code f}.
     */
    private static BigInteger[] table(int f) {
        return TABLES.computeIfAbsent(f, ff -> {
            MathContext more = new MathContext((int) Math.ceil(ff * 0.30103) + 5, RoundingMode.HALF_EVEN);
            BigDecimal two = new BigDecimal(BigInteger.ONE.shiftLeft(ff));
            BigInteger[] t = new BigInteger[GRID + 2];
            for (int k = 0; k <= GRID; k++) {
                t[k] = BigDecimalMath.atan(BigDecimal.valueOf(k).divide(GRID_D), more).multiply(two).toBigInteger();
            }
            t[GRID + 1] = BigDecimalMath.pi(more).divide(BigDecimal.valueOf(2)).multiply(two).toBigInteger();
            return t;
        });
    }
}
