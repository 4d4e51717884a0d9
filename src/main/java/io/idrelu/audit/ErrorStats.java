package io.idrelu.audit;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * Accumulates the agreement metrics of one quantity (claims A1..A3): for every element the fast value,
 * the exact (BigDecimal) value and the a-priori bound. The comparison {@code |fast - exact| <= bound}
 * is done exactly in BigDecimal, so no rounding of the error itself can hide a violation.
 *
 * <p>Metrics: max absolute error, max relative error, max ULP distance to the exact value rounded to
 * the target precision (Commons Numbers convention), least bits correct ({@code -log2} of the relative
 * error, capped at the significand width), the worst element (largest error/bound ratio) with both values.
 */
public final class ErrorStats {
    private static final MathContext MC = MathContext.DECIMAL64;

    private final Precision precision;
    private long elements;
    private double maxAbsError;
    private double maxRelError;
    private long maxUlp;
    private double minBitsCorrect;
    private double maxRatio;
    private long violations;
    private String worstIndex = "";
    private double worstFast = Double.NaN;
    private String worstExact = "";
    private double worstBound = Double.NaN;
    private double worstError = Double.NaN;
    private double maxBound;

    public ErrorStats(Precision precision) {
        this.precision = precision;
        this.minBitsCorrect = precision.significandBits();
    }

    /** Adds one element; {@code index} is a label such as {@code "[r][j]"} for the report. */
    public void add(String index, double fast, BigDecimal exact, double bound) {
        elements++;
        double ex = exact.doubleValue();
        double e;
        boolean within;
        if (!Double.isFinite(fast)) {
            e = Double.POSITIVE_INFINITY;
            within = false;
        } else {
            // Decide in double when the margin is clear (doubleValue is within 1 ulp of the exact value, the
            // subtraction within u of its result); only near the bound fall back to the exact BigDecimal
            // comparison. new BigDecimal(double) costs a power of 5 per call, too slow for every element.
            double eD = Math.abs(fast - ex);
            double slack = 2 * Math.ulp(ex) + Math.ulp(eD);
            if (eD + slack < bound * (1 - 0x1.0p-50)) {
                e = eD;
                within = true;
            } else {
                BigDecimal err = new BigDecimal(fast).subtract(exact).abs();
                e = err.doubleValue();
                within = err.compareTo(new BigDecimal(bound)) <= 0;
            }
        }
        if (!within) {
            violations++;
        }
        double rel = ex == 0 ? (e == 0 ? 0 : Double.POSITIVE_INFINITY) : e / Math.abs(ex);
        maxAbsError = Math.max(maxAbsError, e);
        maxRelError = Math.max(maxRelError, rel);
        maxBound = Math.max(maxBound, bound);
        long ulp = precision.ulpDistance(fast, precision.round(exact));
        maxUlp = Math.max(maxUlp, ulp);
        // rel = 0 needs no special case: -log(0) = +inf is capped at the significand width
        double bits = Math.min(precision.significandBits(), Math.max(0, -Math.log(rel) / Math.log(2)));
        minBitsCorrect = Math.min(minBitsCorrect, bits);
        double ratio = bound > 0 ? e / bound : (e == 0 ? 0 : Double.POSITIVE_INFINITY);
        if (elements == 1 || ratio > maxRatio || Double.isNaN(ratio)) {
            maxRatio = Double.isNaN(ratio) ? Double.POSITIVE_INFINITY : ratio;
            worstIndex = index;
            worstFast = fast;
            worstExact = exact.round(MC).toString();
            worstBound = bound;
            worstError = e;
        }
    }

    public long elements() {
        return elements;
    }

    /**
     * Largest {@code |fast - exact|} seen. Where an element was decided in double (its error clearly below the
     * bound), its error is {@code |fast - double(exact)|} rounded, within {@code 2 ulp(exact) + ulp(error)} of
     * the exact one; near the bound it is the exact error rounded once. The pass/fail decision is always exact.
     */
    public double maxAbsError() {
        return maxAbsError;
    }

    public double maxRelError() {
        return maxRelError;
    }

    public long maxUlp() {
        return maxUlp;
    }

    public double minBitsCorrect() {
        return minBitsCorrect;
    }

    /** Largest {@code |fast - exact| / bound} over the elements. */
    public double maxRatio() {
        return maxRatio;
    }

    /** Elements with {@code |fast - exact| > bound} (exact comparison). */
    public long violations() {
        return violations;
    }

    public String worstIndex() {
        return worstIndex;
    }

    public double worstFast() {
        return worstFast;
    }

    /** Exact value at the worst element, 16 significant digits. */
    public String worstExact() {
        return worstExact;
    }

    public double worstBound() {
        return worstBound;
    }

    public double worstError() {
        return worstError;
    }

    public double maxBound() {
        return maxBound;
    }
}
