package io.idrelu.model;

/**
 * The potential {@code g(W) = sum_i (|v_i| - |u_i|)} of [LY17] Theorem 3.1 (Phase I) in double, with
 * {@code v_i = e_i + w*_i} and {@code u_i = e_i + w_i} (identity) or {@code w_i} (vanilla); columns of
 * the row-major {@code d x d} matrices. The exact version is {@code reference.PopulationReference#potential}.
 */
public final class Potential {
    private Potential() { }

    public static double of(int d, boolean identity, double[] w, double[] wStar) {
        double g = 0;
        for (int i = 0; i < d; i++) {
            g += columnNorm(d, true, wStar, i) - columnNorm(d, identity, w, i);
        }
        return g;
    }

    /** Euclidean norm of column {@code i} of {@code I + W} (identity) or {@code W}. */
    public static double columnNorm(int d, boolean identity, double[] w, int i) {
        double scale = 0;
        for (int r = 0; r < d; r++) {
            scale = Math.max(scale, Math.abs(entry(d, identity, w, r, i)));
        }
        if (scale == 0) {
            return 0;
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
