package io.idrelu.claims;

import ch.obermuhlner.math.big.BigDecimalMath;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * Small BigDecimal helpers shared by the closed-form claims (C2, C4, C5, C14): columns of {@code I + W},
 * norms, angles by the exact-radicand {@code atan2} of MATH.md section 2, and the term magnitudes that the
 * reference's error statement ({@code 10^-p} times the magnitude of the terms summed) is relative to.
 */
public final class HighPrecision {
    private HighPrecision() { }

    /** Column {@code j} of {@code (identity ? I : 0) + W}. */
    static BigDecimal[] column(BigDecimal[][] w, int j, boolean identity) {
        int d = w.length;
        BigDecimal[] u = new BigDecimal[d];
        for (int r = 0; r < d; r++) {
            u[r] = identity && r == j ? w[r][j].add(BigDecimal.ONE) : w[r][j];
        }
        return u;
    }

    /** Exact dot product (no rounding). */
    static BigDecimal dot(BigDecimal[] a, BigDecimal[] b) {
        BigDecimal s = BigDecimal.ZERO;
        for (int i = 0; i < a.length; i++) {
            s = s.add(a[i].multiply(b[i]));
        }
        return s;
    }

    static BigDecimal norm(BigDecimal[] a, MathContext mc) {
        return BigDecimalMath.sqrt(dot(a, a), mc);
    }

    /**
     * {@code sqrt(|a|^2 |b|^2 - <a,b>^2)} with the radicand exact, so angles near 0 and pi keep all digits.
     * The radicand is >= 0 exactly (Cauchy-Schwarz on exact decimals).
     */
    static BigDecimal crossNorm(BigDecimal[] a, BigDecimal[] b, MathContext mc) {
        BigDecimal ab = dot(a, b);
        BigDecimal rad = dot(a, a).multiply(dot(b, b)).subtract(ab.multiply(ab));
        return rad.signum() <= 0 ? BigDecimal.ZERO : BigDecimalMath.sqrt(rad, mc);
    }

    /** {@code angle(a, b)} in {@code [0, pi]} as {@code atan2(|a x b|, <a,b>)}. */
    static BigDecimal angle(BigDecimal[] a, BigDecimal[] b, MathContext mc) {
        BigDecimal cross = crossNorm(a, b, mc);
        BigDecimal ab = dot(a, b);
        if (cross.signum() == 0) {
            return ab.signum() >= 0 ? BigDecimal.ZERO : BigDecimalMath.pi(mc);
        }
        return BigDecimalMath.atan2(cross, ab.round(mc), mc);
    }

    /** Exact BigDecimal copy of a double matrix {@code [r][c]}. */
    static BigDecimal[][] exact(double[][] m) {
        int d = m.length;
        BigDecimal[][] out = new BigDecimal[d][d];
        for (int r = 0; r < d; r++) {
            for (int c = 0; c < d; c++) {
                out[r][c] = new BigDecimal(m[r][c]);
            }
        }
        return out;
    }

    /** {@code sum_i |u_i| + sum_i |v_i|} in double: the scale of every closed-form term. */
    public static double unitNormSum(boolean identity, double[] w, double[] wStar, int d) {
        double s = 0;
        for (int j = 0; j < d; j++) {
            double su = 0;
            double sv = 0;
            for (int r = 0; r < d; r++) {
                double u = w[r * d + j] + (identity && r == j ? 1 : 0);
                double v = wStar[r * d + j] + (r == j ? 1 : 0);
                su += u * u;
                sv += v * v;
            }
            s += Math.sqrt(su) + Math.sqrt(sv);
        }
        return s;
    }

    /**
     * Upper bound on the magnitude of the terms summed in {@code L} as the reference defines it
     * (proofs-notes/reference-error-bound.md: {@code m(a,b) = (s + (pi - th)|c|)/(2 pi) <= (1 + pi)/(2 pi) |a||b|}),
     * so {@code M_L <= (1 + pi)/(2 pi) (sum|u| + sum|v|)^2}.
     */
    public static double lossTermMagnitude(boolean identity, double[] w, double[] wStar, int d) {
        double s = unitNormSum(identity, w, wStar, d);
        return (1 + Math.PI) / (2 * Math.PI) * s * s;
    }

    /**
     * Magnitude of the terms summed in one gradient coordinate: each bracket of dL/dw_j is at most
     * {@code (pi + 1)|a|}, times {@code 1/pi}.
     */
    public static double gradientTermMagnitude(boolean identity, double[] w, double[] wStar, int d) {
        return (1 + 1 / Math.PI) * unitNormSum(identity, w, wStar, d);
    }

    static double[] flat(BigDecimal[][] m) {
        int d = m.length;
        double[] out = new double[d * d];
        for (int r = 0; r < d; r++) {
            for (int c = 0; c < d; c++) {
                out[r * d + c] = m[r][c].doubleValue();
            }
        }
        return out;
    }

    static java.util.List<Object> list(double[] a) {
        java.util.List<Object> out = new java.util.ArrayList<>();
        for (double v : a) {
            out.add(v);
        }
        return out;
    }
}
