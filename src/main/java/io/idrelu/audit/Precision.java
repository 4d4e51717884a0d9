package io.idrelu.audit;

import java.math.BigDecimal;

/**
 * Working precision of a fast path and the Higham constants derived from it (claims A1..A3, MATH.md
 * section 4). {@code u} is the unit roundoff of round-to-nearest: {@code 2^-53} for double,
 * {@code 2^-24} for float; {@code gamma(n) = n u / (1 - n u)} bounds the relative error of any
 * computation with at most {@code n} successive roundings of a sum of non-negative terms
 * (Higham, Accuracy and Stability of Numerical Algorithms, 2nd ed., Lemma 3.1 and section 3.1).
 */
public enum Precision {
    DOUBLE(0x1.0p-53, 53),
    FLOAT(0x1.0p-24, 24);

    private final double unitRoundoff;
    private final int significandBits;

    Precision(double unitRoundoff, int significandBits) {
        this.unitRoundoff = unitRoundoff;
        this.significandBits = significandBits;
    }

    /** Unit roundoff {@code u}. */
    public double u() {
        return unitRoundoff;
    }

    /** Bits in the significand (53 or 24): the most "bits correct" a value can have. */
    public int significandBits() {
        return significandBits;
    }

    /** {@code gamma_n = n u / (1 - n u)}; {@code n <= 0} gives 0. Fails if {@code n u >= 1/2} (then {@code gamma_n >= 1}). */
    public double gamma(long n) {
        if (n <= 0) {
            return 0;
        }
        double nu = n * unitRoundoff;
        if (nu >= 0.5) {
            throw new IllegalArgumentException("gamma_" + n + " undefined in " + this + ": n u = " + nu + " >= 1/2");
        }
        // n u is exact (power-of-two scaling); 1 - nu and the quotient round: bump by 2 ulps so the
        // evaluated constant is never below the real gamma_n.
        return Math.nextUp(Math.nextUp(nu / (1 - nu)));
    }

    /** {@code value} rounded to nearest in this precision (as a double). */
    public double round(BigDecimal value) {
        double v = value.doubleValue();
        return this == FLOAT ? (float) value.floatValue() : v;
    }

    /**
     * Distance in units in the last place between two values of this precision: the number of
     * representable values strictly between them plus one (0 when equal).
     */
    public long ulpDistance(double a, double b) {
        if (Double.isNaN(a) || Double.isNaN(b)) {
            return Long.MAX_VALUE;
        }
        if (this == FLOAT) {
            return Math.abs(orderedFloat((float) a) - orderedFloat((float) b));
        }
        long oa = orderedDouble(a);
        long ob = orderedDouble(b);
        long diff = oa - ob;
        // guard overflow for values of opposite sign far apart
        if ((oa ^ ob) < 0 && (diff ^ oa) < 0) {
            return Long.MAX_VALUE;
        }
        return Math.abs(diff);
    }

    private static long orderedDouble(double x) {
        long bits = Double.doubleToLongBits(x);
        return bits < 0 ? Long.MIN_VALUE - bits : bits;
    }

    private static long orderedFloat(float x) {
        int bits = Float.floatToIntBits(x);
        return bits < 0 ? (long) Integer.MIN_VALUE - bits : bits;
    }
}
