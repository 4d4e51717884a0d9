package io.idrelu.reference;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * A reference value rounded to the decimal digits its error bound vouches for (issue 12: {@code eval --digits 20}
 * printed 28 digits, right to 26). Given {@code v} with {@code |v - exact| <= e} (for the closed forms
 * {@code e = 10^-p M}, proofs-notes/reference-error-bound.md section 2), the printed value {@code r} is {@code v}
 * rounded at the decimal place {@code 10^k}, with {@code k} the larger of
 * <ul>
 *   <li>{@code kMin}, the smallest {@code k} with {@code e <= 10^k / 2}, and</li>
 *   <li>the place of the {@code P}-th significant digit of {@code v} (no more digits than requested).</li>
 * </ul>
 * The rounding moves the value by {@code |r - v| <= 10^k / 2}, so {@link #errorBound()} {@code = e + |r - v|}
 * bounds {@code |r - exact|} and is at most one unit in the last printed place: every printed digit is right
 * up to that unit. A value whose bound allows fewer than {@code P} significant digits (cancellation: a gradient
 * next to {@code W*}) is printed with fewer; {@link #significantDigitsAvailable} says how many the bound allows.
 *
 * @param value      the printed value {@code r}
 * @param errorBound an upper bound on {@code |r - exact|} (rounded up to two significant digits)
 * @param lastPlace  {@code k}: the last printed digit is the {@code 10^k} place
 */
public record Vouched(BigDecimal value, BigDecimal errorBound, int lastPlace) {
    private static final MathContext UP2 = new MathContext(2, RoundingMode.CEILING);

    /**
     * @param v     the computed value
     * @param bound {@code e >= 0} with {@code |v - exact| <= e}
     * @param p     significant digits requested, {@code >= 1}
     */
    public static Vouched of(BigDecimal v, BigDecimal bound, int p) {
        if (bound.signum() < 0 || p < 1) {
            throw new IllegalArgumentException("bound " + bound + ", p " + p + ": expected bound >= 0 and p >= 1");
        }
        int k;
        if (v.signum() == 0) {
            k = bound.signum() == 0 ? 0 : minPlace(bound);
        } else {
            int pth = leadingPlace(v) - p + 1;
            k = bound.signum() == 0 ? pth : Math.max(minPlace(bound), pth);
        }
        BigDecimal r = v.setScale(-k, RoundingMode.HALF_EVEN);
        BigDecimal total = bound.add(r.subtract(v).abs());
        return new Vouched(r, total.signum() == 0 ? BigDecimal.ZERO : total.round(UP2), k);
    }

    /** Significant digits of {@code v} the bound {@code e} vouches for (place of the leading digit down to {@code kMin}). */
    public static int significantDigitsAvailable(BigDecimal v, BigDecimal bound) {
        if (bound.signum() == 0) {
            return Integer.MAX_VALUE;
        }
        return v.signum() == 0 ? 0 : leadingPlace(v) - minPlace(bound) + 1;
    }

    /** {@code floor(log10 |v|)} for {@code v != 0}. */
    static int leadingPlace(BigDecimal v) {
        return v.precision() - v.scale() - 1;
    }

    /** The smallest {@code k} with {@code bound <= 10^k / 2}, i.e. {@code ceil(log10(2 bound))}, for {@code bound > 0}. */
    static int minPlace(BigDecimal bound) {
        BigDecimal t = bound.multiply(BigDecimal.valueOf(2)).stripTrailingZeros();
        int floor = leadingPlace(t);
        boolean powerOfTen = t.unscaledValue().abs().equals(java.math.BigInteger.ONE);
        return powerOfTen ? floor : floor + 1;
    }
}
