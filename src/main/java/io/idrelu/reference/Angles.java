package io.idrelu.reference;

import ch.obermuhlner.math.big.BigDecimalMath;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code atan(y/x)} in {@code [0, pi/2]} for {@code y >= 0, x > 0}, to a relative error below {@code 2^-(bits+2)}: the
 * angle of MATH.md section 2, {@code th = atan2(s, c)} with {@code s = sqrt(|a|^2|b|^2 - c^2) >= 0}, in the binary
 * pipeline of the population reference ({@link Dyadic}; proofs-notes/reference-error-bound.md section 3, step 3).
 * A faster stand-in for {@link BigDecimalMath#atan2}: the population reference evaluates about {@code 2 d^2} angles
 * per call ([LY17] closed form).
 *
 * <p>Method: reduce to a ratio {@code t = num/den <= 1} ({@code atan t = pi/2 - atan(1/t)}, the result is then
 * {@code >= pi/4}, so the subtraction loses nothing), split {@code atan t = atan(k/256) + atan(delta)},
 * {@code delta = (num - den k/256)/(den + num k/256)}, {@code |delta| < 2^-8.9}, formed from the exact {@code num} and
 * {@code den} by one truncating division (so {@code t} itself is never rounded), take {@code atan(k/256)} from a
 * per-precision table built once by a chain of the same series (kept for the life of the process, like mpmath's own
 * per-precision caches of {@code pi} and of its {@code atan} tables), and sum the alternating Taylor series of
 * {@code atan(delta)}, all in fixed point with {@code F = bits + 24} fractional bits. For {@code k >= 1} the result is
 * {@code > 2^-9.1}, so absolute fixed-point error is relative. For {@code k = 0} the series is {@code t S(t^2)},
 * {@code S = sum (-t^2)^n/(2n+1) in [0.9999, 1]}, an exact product with {@code t = num/den} (one truncating division,
 * relative-accurate): the result keeps {@code t}'s relative accuracy however small {@code t} is.
 */
final class Angles {
    /** Cells of the reduction table: {@code atan(k/GRID)}, {@code k = 0..GRID} (256: the series needs 14 terms at {@code F = 224}, 64 needed 18). */
    static final int GRID = 256;
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
     * note, section 3, step 3). One division: for {@code k >= 1} the reduced argument
     * {@code delta = (256 y - k x)/(256 x + k y)} (numerator and denominator exact) is one truncating fixed-point division;
     * for {@code k = 0} the ratio {@code t = y/x} itself. {@code k} comes from a double estimate of the ratio: any
     * {@code k} within one half of {@code 256 t} (plus the estimate's {@code 2^-49} relative) keeps
     * {@code |delta| <= |t - k/256| < 2^-8.9}, all the series needs.
     */
    static Dyadic atanRatio(Dyadic y, Dyadic x, int bits) {
        assert y.signum() >= 0 && x.signum() > 0 : y + " / " + x;
        if (y.signum() == 0) {
            return Dyadic.ZERO;
        }
        int f = bits + FIXED_EXTRA;
        BigInteger[] table = table(f);
        boolean reflect = compare(y, x) > 0;
        Dyadic num = reflect ? x : y;
        Dyadic den = reflect ? y : x;
        Dyadic unit = atanUnit(num, den, f, table);
        Dyadic result = reflect ? new Dyadic(table[GRID + 1], -f).add(unit.negate()) : unit;
        return result.truncate(bits);
    }

    /** {@code pi/2} truncated to {@code bits + 24} fractional bits: relative error {@code < 2^-(bits+24)} (see {@link #table}). */
    static Dyadic halfPi(int bits) {
        int f = bits + FIXED_EXTRA;
        return new Dyadic(table(f)[GRID + 1], -f);
    }

    private static final ConcurrentHashMap<Integer, Dyadic> INVERSE_PI = new ConcurrentHashMap<>();

    /**
     * {@code 1/pi}, relative error {@code < 2^-(bits+22)}, once per precision: {@code (1/2) / (pi/2)} with {@link #halfPi}
     * ({@code < 2^-(bits+24)}) and one truncating division at {@code bits + 21} ({@code < 2^-(bits+24)}). The population
     * reference multiplies by it instead of dividing by {@code pi} or {@code 2 pi} per output (note, section 3, step 5).
     */
    static Dyadic inversePi(int bits) {
        return INVERSE_PI.computeIfAbsent(bits, b -> {
            Dyadic q = Dyadic.of(1).divide(halfPi(b), b + 21);
            return new Dyadic(q.mantissa(), q.exponent() - 1);
        });
    }

    /** Order of two positive numbers: by the position of the top bit, exactly only when it is the same. */
    private static int compare(Dyadic a, Dyadic b) {
        int top = Integer.compare(top(a), top(b));
        return top != 0 ? top : a.add(b.negate()).signum();
    }

    private static int top(Dyadic a) {
        return a.mantissa().bitLength() + a.exponent();
    }

    /** {@code round(GRID num/den)} from the top 60 bits of each (relative error {@code < 2^-57} each); 0 when tiny. */
    private static int gridIndex(Dyadic num, Dyadic den) {
        int gap = top(num) - top(den); // num/den in (2^(gap-1), 2^(gap+1))
        if (gap < -10) { // num/den < 2^-10: GRID num/den < 1/4
            return 0;
        }
        double ratio = Math.scalb(topBits(num.mantissa()) / topBits(den.mantissa()), gap);
        return (int) Math.min(GRID, Math.round(GRID * ratio));
    }

    /** {@code m / 2^bitLength(m)} in {@code [1/2, 1)}, from the top 60 bits. */
    private static double topBits(BigInteger m) {
        int shift = Math.max(0, m.bitLength() - 60);
        return Math.scalb(m.shiftRight(shift).doubleValue(), shift - m.bitLength());
    }

    /**
     * {@code atan(num/den)} for {@code 0 < num <= den}. When {@code k >= 1}: fixed-point absolute error below
     * {@code 5 2^-f} (the truncated division for {@code delta}, one unit, passed on with factor {@code S <= 1}; the
     * truncated product {@code delta S}, one unit; the table entry, {@code 1.04} units; {@code S}'s own {@code 7} units
     * ({@link #series}'s 6, the truncated {@code delta^2} through {@code |S'| <= 1/3}) times {@code |delta| < 2^-8.9}) on a result {@code >= atan(1/(2 GRID)) > 2^-9.1} ({@code t >= 1/512} when
     * {@code k >= 1}): relative {@code < 2^-(f-12)}. When {@code k = 0} ({@code t < 2^-8.9}): {@code t = num/den}
     * truncated to {@code bits + 8} bits (the caller's {@code bits = f - 24}; relative {@code < 2^-(f-13)}), then
     * {@code t S}, an exact product, {@code S}'s absolute error {@code <= 7 2^-f} (its own {@code 6}, plus the truncated
     * {@code t^2} through {@code |S'| <= 1/3}) on {@code S >= 0.9999}: {@code t}'s relative error plus {@code <= 8 2^-f}.
     */
    private static Dyadic atanUnit(Dyadic num, Dyadic den, int f, BigInteger[] table) {
        int k = gridIndex(num, den);
        if (k == 0) {
            Dyadic t = num.divide(den, f - FIXED_EXTRA + 8);
            BigInteger tf = t.exponent() >= -f ? t.mantissa().shiftLeft(t.exponent() + f) : t.mantissa().shiftRight(-f - t.exponent());
            BigInteger s = series(tf.multiply(tf).shiftRight(f), f);
            return t.multiply(new Dyadic(s, -f));
        }
        // delta = (GRID num - k den) / (GRID den + k num): both exact, brought to one exponent (a left shift)
        Dyadic top = new Dyadic(num.mantissa(), num.exponent() + GRID_LOG2).add(den.multiply(BigInteger.valueOf(-k)));
        Dyadic bottom = new Dyadic(den.mantissa(), den.exponent() + GRID_LOG2).add(num.multiply(BigInteger.valueOf(k)));
        int e = Math.min(top.signum() == 0 ? bottom.exponent() : top.exponent(), bottom.exponent());
        BigInteger delta = top.signum() == 0 ? BigInteger.ZERO : top.mantissaAt(e).shiftLeft(f).divide(bottom.mantissaAt(e));
        BigInteger atanDelta = delta.multiply(series(delta.multiply(delta).shiftRight(f), f)).shiftRight(f);
        return new Dyadic(table[k].add(atanDelta), -f);
    }

    /**
     * {@code S(x2) = sum_{n >= 0} (-x2)^n / (2n + 1)} in fixed point ({@code 2^-f}), {@code 0 <= x2 <= 2^-12}, by Horner's
     * rule on the first {@code N + 1} terms, {@code x2^(N+1) <= 2^-f}, with the reciprocals {@code 1/(2n+1)} from a table
     * (a product and a shift per term, no division), each step at only the precision its term needs.
     *
     * <p>Step {@code n} ({@code acc_n = 1/(2n+1) - x2 acc_(n+1)}) enters {@code S} multiplied by {@code x2^n < 2^-n b}
     * ({@code x2 < 2^-b}), so it works in fixed point {@code 2^-(f - D_n)}, {@code D_n = n (b - 2)}: the high terms, which
     * were full-length products, shrink linearly (about a third of the work of a constant precision). Absolute error
     * {@code <= 6 2^-f}: the omitted tail of the alternating series is below its first term
     * {@code x2^(N+1)/(2N+3) <= 2^-f}; step {@code n} truncates the reciprocal ({@code 1 + 1} units of
     * {@code 2^-(f - D_n)}, the table's own and the shift), {@code x2} and the product (one unit each), all damped by
     * {@code x2^n}: {@code (3 2^(D_n) 2^-nb + 2^-nb) 2^-f <= (3 4^-n + 2^-12n) 2^-f}, summed over {@code n >= 0}
     * {@code < 5.01 2^-f}.
     */
    static BigInteger series(BigInteger x2, int f) {
        return series(x2, f, 2);
    }

    /** Test seam: {@code margin} bits kept per step beyond the term's need ({@code D_n = n (b - margin)}); production uses 2. */
    static BigInteger series(BigInteger x2, int f, int margin) {
        int below = f - x2.bitLength(); // x2 < 2^-below
        int n = x2.signum() == 0 ? 0 : (f + below - 1) / below - 1; // (n + 1) below >= f
        int step = below - margin;     // D_(i+1) - D_i
        BigInteger[] shifted = shiftedReciprocals(f, step); // reciprocal i at 2^-(f - i step), once per (f, step)
        BigInteger acc = shifted[n];
        for (int i = n - 1; i >= 0; i--) {
            int drop = i * step;       // D_i; acc is at 2^-(f - D_i - step), x2 taken at 2^-(f - D_i)
            acc = shifted[i].subtract(acc.multiply(x2.shiftRight(drop)).shiftRight(f - drop - step));
        }
        return acc;
    }

    private static final ConcurrentHashMap<Integer, BigInteger[]> RECIPROCALS = new ConcurrentHashMap<>();
    /** Per {@code f}, per ramp step: {@code floor(2^f/(2i+1)) >> (i step)} (the same integers, shifted once, not per call). */
    private static final ConcurrentHashMap<Integer, BigInteger[][]> SHIFTED = new ConcurrentHashMap<>();

    private static BigInteger[] shiftedReciprocals(int f, int step) {
        BigInteger[][] byStep = SHIFTED.computeIfAbsent(f, k -> new BigInteger[f + 1][]);
        if (step < 0 || step > f) { // test seams only
            return shift(RECIPROCALS.computeIfAbsent(f, Angles::reciprocals), step);
        }
        BigInteger[] t = byStep[step];
        if (t == null) { // an idempotent race: every writer stores equal immutable values
            t = shift(RECIPROCALS.computeIfAbsent(f, Angles::reciprocals), step);
            byStep[step] = t;
        }
        return t;
    }

    private static BigInteger[] shift(BigInteger[] reciprocals, int step) {
        BigInteger[] t = new BigInteger[reciprocals.length];
        for (int i = 0; i < t.length; i++) {
            t[i] = reciprocals[i].shiftRight(i * step);
        }
        return t;
    }

    /** {@code floor(2^f / (2n + 1))}, {@code n = 0 .. f/11 + 1} (enough terms for every {@code x2 < 2^-11}: the table's chain). */
    private static BigInteger[] reciprocals(int f) {
        BigInteger[] r = new BigInteger[f / 11 + 2];
        for (int n = 0; n < r.length; n++) {
            r[n] = BigInteger.ONE.shiftLeft(f).divide(BigInteger.valueOf(2L * n + 1));
        }
        return r;
    }

    /** Extra fractional bits of the chain that builds the table. */
    private static final int CHAIN_EXTRA = 14;
    private static final int GRID_LOG2 = Integer.numberOfTrailingZeros(GRID);

    /**
     * {@code atan(k/GRID) 2^f} truncated, for {@code k = 0..GRID}, and at index {@code GRID + 1} {@code pi/2 2^f}
     * truncated, once per {@code f} and kept (a cache per precision, as mpmath caches {@code pi} and its {@code atan}
     * tables), by a chain of the same series (no big-math call: the table was most of a first evaluation):
     * {@code atan(k/G) = atan((k-1)/G) + atan(e_k)}, {@code e_k = G/(G^2 + k(k-1)) <= 1/G}, in fixed point with
     * {@code g = f + 14} bits, and {@code pi/2 = 2 atan(1)}. Per link: {@code e_k} truncated (one unit of
     * {@code 2^-g}, passed on with factor {@code S <= 1}), the truncated product (one unit), {@code S}'s own
     * {@code 7} units times {@code e_k <= 1/256}: {@code < 2.1} units; 256 links {@code < 538 2^-g < 0.033 2^-f}. The final
     * truncation to {@code f} bits adds {@code < 2^-f}: entries within {@code 1.04 2^-f}, {@code pi/2} within
     * {@code 2 * 0.033 + 1 < 1.07} units, relative {@code < 2^-f}. {@code AnglesTest} checks the table against big-math.
     */
    static BigInteger[] table(int f) {
        return TABLES.computeIfAbsent(f, ff -> {
            int g = ff + CHAIN_EXTRA;
            BigInteger[] t = new BigInteger[GRID + 2];
            BigInteger acc = BigInteger.ZERO;
            t[0] = BigInteger.ZERO;
            for (int k = 1; k <= GRID; k++) {
                BigInteger e = BigInteger.valueOf(GRID).shiftLeft(g).divide(BigInteger.valueOf((long) GRID * GRID + (long) k * (k - 1)));
                acc = acc.add(e.multiply(series(e.multiply(e).shiftRight(g), g)).shiftRight(g));
                t[k] = acc.shiftRight(CHAIN_EXTRA);
            }
            t[GRID + 1] = acc.shiftRight(CHAIN_EXTRA - 1); // 2 atan(1) = pi/2
            return t;
        });
    }
}
