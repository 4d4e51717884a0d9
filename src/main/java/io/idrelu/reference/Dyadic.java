package io.idrelu.reference;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A dyadic rational {@code m 2^e} ({@link BigInteger} mantissa, {@code int} binary exponent): the number type of the
 * population reference's pair pipeline (proofs-notes/reference-error-bound.md section 3). Addition and multiplication
 * are exact (a sum aligns to the smaller exponent by a left shift, never a rounding); the only inexact operations are
 * named and bounded here, each a relative error stated in {@code bits}:
 * <ul>
 *   <li>{@link #sqrtOf}: inverse square root by Newton with precision doubling, one Karp-Markstein step: relative
 *   error {@code < 2^-(bits+3)};</li>
 *   <li>{@link #divide}: truncating division, relative error {@code < 2^-(bits+3)};</li>
 *   <li>{@link #truncate}: keep the top {@code bits + 4} bits, relative error {@code < 2^-(bits+3)};</li>
 *   <li>{@link #toBigDecimal}: exact conversion ({@code 2^-k = 5^k 10^-k}) then one correct decimal rounding.</li>
 * </ul>
 * Why binary: a decimal rounding of a {@link BigDecimal} is a {@code BigInteger} division by a power of ten; in binary
 * it is a shift. The decimal inputs enter as integers scaled once by a common power of ten (exact), so the whole
 * per-pair pipeline needs no decimal operation and each output converts to decimal once.
 */
record Dyadic(BigInteger mantissa, int exponent) {
    static final Dyadic ZERO = new Dyadic(BigInteger.ZERO, 0);

    static Dyadic of(BigInteger m) {
        return new Dyadic(m, 0);
    }

    static Dyadic of(long m) {
        return new Dyadic(BigInteger.valueOf(m), 0);
    }

    int signum() {
        return mantissa.signum();
    }

    Dyadic negate() {
        return new Dyadic(mantissa.negate(), exponent);
    }

    /** Exact sum. */
    Dyadic add(Dyadic o) {
        if (o.mantissa.signum() == 0) {
            return this;
        }
        if (mantissa.signum() == 0) {
            return o;
        }
        if (exponent == o.exponent) {
            return new Dyadic(mantissa.add(o.mantissa), exponent);
        }
        if (exponent > o.exponent) {
            return new Dyadic(mantissa.shiftLeft(exponent - o.exponent).add(o.mantissa), o.exponent);
        }
        return new Dyadic(mantissa.add(o.mantissa.shiftLeft(o.exponent - exponent)), exponent);
    }

    /** Exact product. */
    Dyadic multiply(Dyadic o) {
        return new Dyadic(mantissa.multiply(o.mantissa), exponent + o.exponent);
    }

    /** Exact product with an integer. */
    Dyadic multiply(BigInteger o) {
        return new Dyadic(mantissa.multiply(o), exponent);
    }

    /** The mantissa at exponent {@code e <= exponent()} (exact: a left shift). */
    BigInteger mantissaAt(int e) {
        assert e <= exponent : e + " > " + exponent;
        return mantissa.shiftLeft(exponent - e);
    }

    /**
     * Keeps the top {@code bits + 4} bits, truncating toward zero: {@code |x - result| < 2^-(bits+3) |x|}
     * (the dropped part is below one unit of a mantissa of at least {@code 2^(bits+3)}). Exact if already that short.
     */
    Dyadic truncate(int bits) {
        int drop = mantissa.bitLength() - (bits + 4);
        if (drop <= 0) {
            return this;
        }
        return new Dyadic(shiftTowardZero(mantissa, drop), exponent + drop);
    }

    /**
     * {@code this / o}, truncated toward zero to a mantissa of at least {@code bits + 4} bits: relative error
     * {@code < 2^-(bits+3)}. {@code o} must be non-zero.
     */
    Dyadic divide(Dyadic o, int bits) {
        if (mantissa.signum() == 0) {
            return ZERO;
        }
        // quotient of N 2^k by D has at least bitLength(N) + k - bitLength(D) bits: make that >= bits + 4
        int k = Math.max(0, bits + 5 + o.mantissa.bitLength() - mantissa.bitLength());
        return new Dyadic(mantissa.shiftLeft(k).divide(o.mantissa), exponent - o.exponent - k);
    }

    /**
     * {@code sqrt(n)} for an integer {@code n > 0}, relative error {@code < 2^-(bits+3)}, by products only (no division:
     * the two divisions of a Newton {@code x' = (x + n/x)/2} were ~12% of a warm evaluation, and the population reference
     * takes about {@code 2 d^2} roots). An inverse square root {@code y ~ n^-1/2} from a double, refined by
     * {@code y' = y + y (1 - n y^2)/2} with precision doubling, then one Karp-Markstein step {@code s0 = n y},
     * {@code s = s0 + y (n - s0^2)/2}.
     *
     * <p>Bound. Write {@code y = n^-1/2 (1 + e)}, {@code |e| <= 2^-g}. The start, {@code 1/Math.sqrt} of the top
     * {@code <= 62} bits (an even shift): the double rounding of the top bits ({@code 2^-53}, halved by the root), the
     * dropped bits ({@code < 2^-60}, halved), {@code Math.sqrt} and the division ({@code 2^-53} each, correctly rounded):
     * {@code |e| < 2.51 2^-53}, {@code g = 51.67}. A refinement step gives exactly {@code e' = -3e^2/2 - e^3/2}; at working
     * precision {@code next = ceil(2g) + 1} it truncates {@code n} and {@code n y^2} ({@code 2^-(next+3)} each), the
     * correction and {@code y'} ({@code 2^-(next+3)} each, relative to {@code y}): {@code |e'| <= 1.7 2^-2g}, so
     * {@code g' = 2g - 0.82}. The final step, on {@code n_t = n} truncated at {@code T + 2 = bits + 10} bits (its root
     * within {@code 2^-(T+6)}): {@code s0 = n_t y (1 + t)} truncated at {@code T}, so {@code s0 = sqrt(n_t)(1 + E)},
     * {@code |E| <= 2^-g + 2^-(T+3)}; exactly, {@code s0 + y (n_t - s0^2)/2 = sqrt(n_t)(1 - E^2/2 - e E - e E^2/2)}, within
     * {@code 1.52 2^-2g}; the residual {@code n_t - s0^2} is exact, its truncation and the correction's ({@code T - g + 4}
     * bits) add {@code < 2^-(T+6)}, the result is truncated at {@code bits + 2} ({@code 2^-(bits+5)}). The loop refines
     * until {@code g >= (bits + 4.04)/2}, so {@code 1.52 2^-2g <= 0.475 2^-(bits+3)}: in all
     * {@code < (0.475 + 0.25 + 0.004) 2^-(bits+3)}. At {@code bits = 200}: one refinement ({@code g = 102.5}), then the
     * final step. {@code DyadicTest} checks the bound exactly (and that one refinement fewer breaks it).
     */
    static Dyadic sqrtOf(BigInteger n, int bits) {
        return sqrtOf(n, bits, 0);
    }

    /** Test seam: {@code skipRefinements} refinement steps left out (a negative control), else {@link #sqrtOf(BigInteger, int)}. */
    static Dyadic sqrtOf(BigInteger n, int bits, int skipRefinements) {
        assert n.signum() > 0 : n;
        int shift = Math.max(0, n.bitLength() - 62) & ~1;
        Dyadic y = fromDouble(1.0 / Math.sqrt(n.shiftRight(shift).doubleValue()));
        y = new Dyadic(y.mantissa, y.exponent - shift / 2);
        Dyadic nd = of(n);
        double good = 51.67; // |e| <= 2^-good
        int skipped = 0;
        while (good < (bits + 4.04) / 2) {
            if (skipped < skipRefinements) {
                skipped++;
                good = 2 * good - 0.82;
                continue;
            }
            int next = (int) Math.ceil(2 * good) + 1;
            Dyadic ny2 = nd.truncate(next).multiply(y.multiply(y)).truncate(next);
            Dyadic h = ONE.add(ny2.negate()); // 1 - n y^2 = -2e - e^2: exact subtraction, |h| < 2^-(good-1.01)
            Dyadic correction = y.multiply(h).truncate(next - (int) good + 2);
            y = y.add(new Dyadic(correction.mantissa, correction.exponent - 1)).truncate(next);
            good = 2 * good - 0.82;
        }
        int t = bits + 8;
        Dyadic nt = nd.truncate(t + 2);
        Dyadic s0 = nt.multiply(y).truncate(t);
        int k = t - (int) good + 4;
        Dyadic residual = nt.add(s0.multiply(s0).negate()).truncate(k + 1); // n_t - s0^2 exact, then truncated
        Dyadic correction = y.multiply(residual).truncate(k);
        return s0.add(new Dyadic(correction.mantissa, correction.exponent - 1)).truncate(bits + 2);
    }

    private static final Dyadic ONE = of(1);

    /** A finite positive double, exactly. */
    private static Dyadic fromDouble(double v) {
        assert v > 0 && Double.isFinite(v) : v;
        int e = Math.getExponent(v) - 52;
        return new Dyadic(BigInteger.valueOf((long) Math.scalb(v, -e)), e);
    }

    /**
     * A double near {@code this * 10^-tenPower}, for magnitudes only (about 15 digits; never a value): the top 60
     * bits of the mantissa, scaled by {@link Math#scalb}, so the value is right even when the scaled integers lie far
     * outside double range.
     */
    double approx(int tenPower) {
        if (mantissa.signum() == 0) {
            return 0;
        }
        int shift = Math.max(0, mantissa.bitLength() - 60);
        double top = mantissa.shiftRight(shift).doubleValue();
        double[] ten = tenToMinus(tenPower);
        return Math.scalb(top * ten[0], shift + exponent + (int) ten[1]);
    }

    private static final ConcurrentHashMap<Integer, double[]> TEN_TO_MINUS = new ConcurrentHashMap<>();
    private static final double[] ONE_AS_DOUBLE_PAIR = {1.0, 0};

    /** {@code 10^-k = f 2^g} as {@code {f, g}}, {@code f} an integer below {@code 2^60} (about 18 digits of {@code 10^-k}). */
    private static double[] tenToMinus(int k) {
        if (k == 0) {
            return ONE_AS_DOUBLE_PAIR; // the binary-scaled inputs' case: every magnitude of the reference (a map lookup was ~2%)
        }
        return TEN_TO_MINUS.computeIfAbsent(k, kk -> {
            Dyadic t = kk >= 0 ? of(1).divide(of(BigInteger.TEN.pow(kk)), 60) : of(BigInteger.TEN.pow(-kk));
            int shift = Math.max(0, t.mantissa.bitLength() - 60);
            return new double[] {t.mantissa.shiftRight(shift).doubleValue(), t.exponent + shift};
        });
    }

    /**
     * The exact value {@code this * 10^-tenPower} as a {@link BigDecimal} ({@code 2^-k = 5^k 10^-k}), rounded once to {@code mc}.
     */
    BigDecimal toBigDecimal(int tenPower, MathContext mc) {
        if (exponent < 0 && mantissa.signum() != 0 && mc.getPrecision() > 0 && mc.getRoundingMode() == RoundingMode.HALF_EVEN) {
            BigDecimal r = roundHalfEven(tenPower, mc.getPrecision(), true);
            if (r != null) {
                return r;
            }
        }
        BigDecimal exact = exponent >= 0
                ? new BigDecimal(mantissa.shiftLeft(exponent), tenPower)
                : new BigDecimal(mantissa.multiply(fivePow(-exponent)), tenPower - exponent);
        return exact.round(mc);
    }

    /**
     * The same correctly rounded value as {@code toBigDecimal}'s exact route, for {@code exponent < 0}, without its
     * long division: {@code x = |m| 2^-e 10^-t}; for a decimal scale {@code S} with {@code S >= t},
     * {@code N = |m| 10^(S-t)} is an exact integer and {@code x 10^S = N / 2^e}, so the quotient is a shift and the
     * remainder {@code N mod 2^e} its low bits, compared with the half {@code 2^(e-1)} for HALF_EVEN (ties to the even
     * quotient). {@code S} is chosen so the quotient has {@code q} digits (an estimate from the bit length, corrected by
     * one either way); a carry to {@code 10^q} becomes {@code 10^(q-1)} at scale {@code S - 1}, as
     * {@link BigDecimal#round} does. The correctly rounded result is unique, so this equals the exact route, scale
     * included, whenever the exact value has more than {@code q} digits; when the remainder is 0 (the value may then
     * have {@code q} digits or fewer, which {@code round} returns unchanged at their own scale) or {@code S < t}, it
     * returns {@code null} and the caller takes the exact route. The exact route multiplied by {@code 5^e} (~580 bits at
     * {@code p = 58}) and divided by a power of ten: 7% of a warm evaluation. {@code tiesToEven = false} is a test
     * seam (ties away from zero, a negative control).
     */
    BigDecimal roundHalfEven(int tenPower, int q, boolean tiesToEven) {
        int e = -exponent;
        BigInteger m = mantissa.abs();
        // x in [2^(b-1-e), 2^(b-e)) 10^-t: leading decimal place L near (b - 1 - e) log10(2) - t
        int place = (int) Math.floor((m.bitLength() - 1 - e) * 0.30102999566398120) - tenPower;
        for (int attempt = 0; attempt < 4; attempt++) {
            int scale = q - 1 - place;
            if (scale < tenPower) {
                return null;
            }
            BigInteger n = m.multiply(tenPow(scale - tenPower));
            BigInteger quotient = n.shiftRight(e);
            int digits = quotientDigits(quotient, q);
            if (digits > 0) {
                place++;
                continue;
            }
            if (digits < 0) {
                place--;
                continue;
            }
            int low = n.getLowestSetBit();
            if (low >= e) {
                return null; // remainder 0: leave the representation to BigDecimal
            }
            boolean halfBit = n.testBit(e - 1);
            boolean above = halfBit && low < e - 1;
            boolean tie = halfBit && low == e - 1;
            if (above || (tie && (!tiesToEven || quotient.testBit(0)))) {
                quotient = quotient.add(BigInteger.ONE);
                if (quotient.equals(tenPow(q))) {
                    quotient = tenPow(q - 1);
                    scale--;
                }
            }
            return new BigDecimal(mantissa.signum() < 0 ? quotient.negate() : quotient, scale);
        }
        throw new IllegalStateException("no decimal place found for " + this + " at " + q + " digits");
    }

    /** {@code 0} if {@code 10^(q-1) <= x < 10^q}, {@code 1} if larger, {@code -1} if smaller. */
    private static int quotientDigits(BigInteger x, int q) {
        if (x.compareTo(tenPow(q)) >= 0) {
            return 1;
        }
        return x.compareTo(tenPow(q - 1)) < 0 ? -1 : 0;
    }

    private static final int TEN_POW_CACHED = 400;
    private static final BigInteger[] TEN_POW = new BigInteger[TEN_POW_CACHED];

    /** {@code 10^k}, the first {@code 400} cached (an idempotent race: every writer stores the same value). */
    private static BigInteger tenPow(int k) {
        if (k >= TEN_POW_CACHED) {
            return BigInteger.TEN.pow(k);
        }
        BigInteger t = TEN_POW[k];
        if (t == null) {
            t = BigInteger.TEN.pow(k);
            TEN_POW[k] = t;
        }
        return t;
    }

    /**
     * {@code x} to a relative error {@code < 2^-(bits+3)} (truncation toward zero); exact when {@code x} is an integer.
     * Not on the main path: for pi, the angle table and a test mutation.
     */
    static Dyadic fromBigDecimal(BigDecimal x, int bits) {
        if (x.signum() == 0) {
            return ZERO;
        }
        BigInteger u = x.unscaledValue();
        int scale = x.scale();
        if (scale <= 0) {
            return of(u.multiply(BigInteger.TEN.pow(-scale)));
        }
        return of(u).divide(of(BigInteger.TEN.pow(scale)), bits);
    }

    private static final ConcurrentHashMap<Integer, BigInteger> FIVE_POW = new ConcurrentHashMap<>();

    private static BigInteger fivePow(int k) {
        return k < 64 ? BigInteger.valueOf(5).pow(k) : FIVE_POW.computeIfAbsent(k, kk -> BigInteger.valueOf(5).pow(kk));
    }

    private static BigInteger shiftTowardZero(BigInteger m, int n) {
        return m.signum() >= 0 ? m.shiftRight(n) : m.negate().shiftRight(n).negate();
    }
}
