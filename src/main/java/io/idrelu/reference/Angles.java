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
     * {@code atan t} for {@code 0 < t <= 1}. When {@code k >= 1}: fixed-point absolute error {@code <= 8 2^-f} (the
     * truncations of {@code t}, of {@code 1 + t k/64}, of the division, of the product {@code delta S}, the table entry,
     * {@code S}'s own {@code 4 2^-f} times {@code |delta| <= 1/128}; {@code t -> delta} is a contraction) on a result
     * {@code >= 1/128}: relative {@code <= 2^-(f-10)}. When {@code k = 0}: {@code t S}, an exact product, {@code S}'s
     * absolute error {@code <= 5 2^-f} (its own {@code 4}, plus the truncated {@code t^2} through {@code |S'| <= 1/3})
     * on {@code S >= 0.99}: {@code t}'s relative error plus {@code <= 6 2^-f}.
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

    /**
     * {@code S(x2) = sum_{n >= 0} (-x2)^n / (2n + 1)} in fixed point ({@code 2^-f}), {@code 0 <= x2 < 2^-13}, by Horner's
     * rule on the first {@code N + 1} terms, {@code x2^(N+1) <= 2^-f}, with the reciprocals {@code 1/(2n+1)} from a table
     * (a product and a shift per term, no division). Absolute error {@code <= 4 2^-f}: the omitted tail of the alternating
     * series is below its first term {@code x2^(N+1)/(2N+3) <= 2^-f}; each step {@code acc = 1/(2n+1) - x2 acc} adds one
     * truncated reciprocal and one truncated product ({@code 2 2^-f}) and damps the earlier errors by {@code x2 < 2^-13}.
     */
    private static BigInteger series(BigInteger x2, int f) {
        BigInteger[] reciprocals = RECIPROCALS.computeIfAbsent(f, Angles::reciprocals);
        int below = f - x2.bitLength(); // x2 < 2^-below
        int n = x2.signum() == 0 ? 0 : (f + below - 1) / below - 1; // (n + 1) below >= f
        BigInteger acc = reciprocals[n];
        for (int i = n - 1; i >= 0; i--) {
            acc = reciprocals[i].subtract(acc.multiply(x2).shiftRight(f));
        }
        return acc;
    }

    private static final ConcurrentHashMap<Integer, BigInteger[]> RECIPROCALS = new ConcurrentHashMap<>();

    /** {@code floor(2^f / (2n + 1))}, {@code n = 0 .. f/13 + 1} (enough terms for every {@code x2 < 2^-13}). */
    private static BigInteger[] reciprocals(int f) {
        BigInteger[] r = new BigInteger[f / 13 + 2];
        for (int n = 0; n < r.length; n++) {
            r[n] = BigInteger.ONE.shiftLeft(f).divide(BigInteger.valueOf(2L * n + 1));
        }
        return r;
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
