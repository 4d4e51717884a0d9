package io.idrelu.reference;

import java.math.BigDecimal;

/**
 * The magnitudes the reference's accuracy is stated against, computed independently in double from
 * the exact Gram entries (a magnitude needs a few correct digits, not fifty): for each value, the sum of
 * the absolute values of the terms of MATH.md section 2 it adds up.
 */
final class Magnitudes {
    final int d;
    final double[][] u;
    final double[][] v;
    final BigDecimal[][] ub;
    final BigDecimal[][] vb;

    Magnitudes(boolean identity, BigDecimal[][] w, BigDecimal[][] wStar) {
        d = w.length;
        ub = units(identity, w);
        vb = units(true, wStar);
        u = toDouble(ub);
        v = toDouble(vb);
    }

    static BigDecimal[][] units(boolean identity, BigDecimal[][] w) {
        int d = w.length;
        BigDecimal[][] out = new BigDecimal[d][d];
        for (int i = 0; i < d; i++) {
            for (int r = 0; r < d; r++) {
                out[i][r] = identity && r == i ? w[r][i].add(BigDecimal.ONE) : w[r][i];
            }
        }
        return out;
    }

    /** {@code {s, pi - th, c}} of a pair in double; s from the exact radicand. Zero vector: all 0. */
    static double[] pair(BigDecimal[] a, BigDecimal[] b) {
        BigDecimal na = dot(a, a);
        BigDecimal nb = dot(b, b);
        BigDecimal c = dot(a, b);
        if (na.signum() == 0 || nb.signum() == 0) {
            return new double[] {0, 0, 0};
        }
        double s = Math.sqrt(na.multiply(nb).subtract(c.multiply(c)).doubleValue());
        return new double[] {s, Math.atan2(s, -c.doubleValue()), c.doubleValue()};
    }

    /** {@code m(a,b) = (s + (pi - th)|c|)/(2 pi)}. */
    static double kappaMagnitude(BigDecimal[] a, BigDecimal[] b) {
        double[] p = pair(a, b);
        return (p[0] + p[1] * Math.abs(p[2])) / (2 * Math.PI);
    }

    double loss() {
        double m = 0;
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                m += kappaMagnitude(ub[i], ub[j]) + 2 * kappaMagnitude(ub[i], vb[j]) + kappaMagnitude(vb[i], vb[j]);
            }
        }
        return m;
    }

    double gradient(int r, int j) {
        double nuj = dot(ub[j], ub[j]).doubleValue();
        if (nuj == 0) {
            return 0;
        }
        double m = 0;
        for (int k = 0; k < d; k++) {
            double[] p = pair(ub[j], ub[k]);
            double[] q = pair(ub[j], vb[k]);
            m += p[1] * Math.abs(u[k][r]) + q[1] * Math.abs(v[k][r]) + (p[0] + q[0]) / nuj * Math.abs(u[j][r]);
        }
        return m / Math.PI;
    }

    double potential() {
        double m = 0;
        for (int i = 0; i < d; i++) {
            m += Math.sqrt(dot(ub[i], ub[i]).doubleValue()) + Math.sqrt(dot(vb[i], vb[i]).doubleValue());
        }
        return m;
    }

    static BigDecimal dot(BigDecimal[] a, BigDecimal[] b) {
        BigDecimal acc = BigDecimal.ZERO;
        for (int r = 0; r < a.length; r++) {
            acc = acc.add(a[r].multiply(b[r]));
        }
        return acc;
    }

    private static double[][] toDouble(BigDecimal[][] m) {
        double[][] out = new double[m.length][m.length];
        for (int i = 0; i < m.length; i++) {
            for (int r = 0; r < m.length; r++) {
                out[i][r] = m[i][r].doubleValue();
            }
        }
        return out;
    }
}
