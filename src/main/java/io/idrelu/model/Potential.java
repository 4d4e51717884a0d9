package io.idrelu.model;

/**
 * The potential {@code g(W) = sum_i (|v_i| - |u_i|)} of [LY17] Theorem 3.1 (Phase I) in double, with
 * {@code v_i = e_i + w*_i} and {@code u_i = e_i + w_i} (identity) or {@code w_i} (vanilla); columns of
 * the row-major {@code d x d} matrices. The exact version is {@code reference.PopulationReference#potential}.
 *
 * <p>This is the one double implementation: the claims (C7-C11), {@code eval}, {@code train}, the sweep
 * and the figures all call it, so a g printed by one agrees with the others to the last bit.
 *
 * <p>Error: each column norm is a recursive sum of {@code d} squares and a square root (relative error at
 * most {@code gamma_(d+2)}, Higham (3.5)), and g sums {@code 2d} such terms (at most
 * {@code gamma_(2d)} of the sum of magnitudes). So {@code |g - g_exact| <= gamma_(3d+3) sum_i (|v_i| + |u_i|)},
 * {@code gamma_n = n u / (1 - n u)}, {@code u = 2^-53}; {@code PotentialTest} checks this against the exact
 * reference.
 */
public final class Potential {
    private Potential() { }

    public static double of(int d, boolean identity, double[] w, double[] wStar) {
        double[] nv = columnNorms(d, true, wStar);
        double[] nu = columnNorms(d, identity, w);
        double g = 0;
        for (int i = 0; i < d; i++) {
            g += nv[i] - nu[i];
        }
        return g;
    }

    /**
     * {@link #columnNorm} of every column, bit for bit: the same chain {@code s += t*t} over {@code r = 0..d-1} per
     * column, but all columns advance together (row {@code r} outer) so the matrix is read row by row. Column by
     * column, each read is {@code d} doubles from the last (2 KiB at d = 256, a new cache line per element): 3 % of a
     * population evaluation at d = 256 in JFR.
     */
    static double[] columnNorms(int d, boolean identity, double[] w) {
        double[] s = new double[d];
        for (int r = 0; r < d; r++) {
            for (int c = 0; c < d; c++) {
                double t = entry(d, identity, w, r, c);
                s[c] += t * t;
            }
        }
        for (int c = 0; c < d; c++) {
            s[c] = s[c] < Double.POSITIVE_INFINITY && s[c] >= Double.MIN_NORMAL ? Math.sqrt(s[c])
                    : scaledNorm(d, identity, w, c);
        }
        return s;
    }

    /**
     * Euclidean norm of column {@code i} of {@code I + W} (identity) or {@code W}: the plain sum of squares
     * (the most accurate for entries of ordinary size, and what the error bound above assumes), redone with
     * scaling by the largest entry only when the sum of squares overflows or falls below the normal range (a sum of 0 included: the squares of tiny non-zero entries underflow to 0).
     */
    public static double columnNorm(int d, boolean identity, double[] w, int i) {
        double s = 0;
        for (int r = 0; r < d; r++) {
            double t = entry(d, identity, w, r, i);
            s += t * t;
        }
        if (s < Double.POSITIVE_INFINITY && s >= Double.MIN_NORMAL) {
            return Math.sqrt(s);
        }
        return scaledNorm(d, identity, w, i);
    }

    /** The same norm as {@code scale * sqrt(sum (x / scale)^2)}: no overflow or underflow for finite entries. */
    static double scaledNorm(int d, boolean identity, double[] w, int i) {
        double scale = 0;
        for (int r = 0; r < d; r++) {
            scale = Math.max(scale, Math.abs(entry(d, identity, w, r, i)));
        }
        if (scale == 0 || Double.isNaN(scale)) {
            return scale;
        }
        double s = 0;
        for (int r = 0; r < d; r++) {
            double t = entry(d, identity, w, r, i) / scale;
            s += t * t;
        }
        return scale * Math.sqrt(s);
    }

    private static double entry(int d, boolean identity, double[] w, int r, int c) {
        return w[r * d + c] + (identity && r == c ? 1.0 : 0.0);
    }
}
