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
        BigDecimal err = Double.isFinite(fast) ? new BigDecimal(fast).subtract(exact).abs() : null;
        double e = err == null ? Double.POSITIVE_INFINITY : err.doubleValue();
        boolean within = err != null && err.compareTo(new BigDecimal(bound)) <= 0;
        if (!within) {
            violations++;
        }
        double ex = exact.doubleValue();
        double rel = ex == 0 ? (e == 0 ? 0 : Double.POSITIVE_INFINITY) : e / Math.abs(ex);
        maxAbsError = Math.max(maxAbsError, e);
        maxRelError = Math.max(maxRelError, rel);
        maxBound = Math.max(maxBound, bound);
        long ulp = precision.ulpDistance(fast, precision.round(exact));
        maxUlp = Math.max(maxUlp, ulp);
        double bits = rel == 0 ? precision.significandBits()
                : Math.min(precision.significandBits(), Math.max(0, -Math.log(rel) / Math.log(2)));
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
