package io.idrelu.audit;

import io.idrelu.model.GaussianSampler;

/**
 * Samples constructed on the ReLU kink on purpose (claim A1 coverage): a row supported on two distinct
 * coordinates {@code p != q} (drawn at random), both different from unit {@code j}, with {@code x_p = W[q][j]},
 * {@code x_q = -W[p][j]} has {@code <u_j, x> = 0} exactly (the identity term multiplies {@code x_j = 0}).
 * The fast fma chain then returns the rounding error of the product {@code W[p][j] W[q][j]}, a value a
 * few ulps from 0 of either sign: an activation flip the A1 bound must allow. Variants move
 * {@code x_q} by {@code k} ulps so the exact pre-activation is a tiny non-zero number.
 *
 * <p>With {@link #roundColumn} a column's entries have at most 12 significant bits, so the products are
 * exact in float and double and the fast pre-activation is exactly 0 as well: the case where a kernel
 * comparing with {@code >=} instead of {@code >} differs from the contract.
 */
public final class NearKink {
    private NearKink() { }

    /** Bits kept by {@link #roundColumn}: 12 + 12 = 24 fits a float significand. */
    public static final int SHORT_BITS = 12;

    /** Copy of {@code w} with column {@code j} rounded to {@code bits} significant bits. */
    public static double[] roundColumn(double[] w, int d, int j, int bits) {
        double[] out = w.clone();
        for (int r = 0; r < d; r++) {
            double v = out[r * d + j];
            if (v != 0) {
                int e = Math.getExponent(v);
                double scale = Math.scalb(1.0, bits - 1 - e);
                out[r * d + j] = Math.rint(v * scale) / scale;
            }
        }
        return out;
    }

    /**
     * {@code rows} near-kink rows for the matrix {@code w} as the fast path sees it (float path: its floats,
     * widened): row {@code i} targets unit {@code i mod d}; rows come in groups of {@code d} that cycle
     * through kind 0 (exactly on the kink), kind 1 and kind 2 ({@code x_q} moved up, resp. down, by 1..3
     * ulps of {@code precision}).
     * Needs {@code d >= 3}. Values are representable in {@code precision}.
     */
    public static double[] batch(double[] w, int d, int rows, long seed, Precision precision) {
        if (d < 3) {
            throw new IllegalArgumentException("d = " + d + ": near-kink rows need d >= 3 (two coordinates besides the unit)");
        }
        GaussianSampler s = new GaussianSampler(seed);
        double[] x = new double[rows * d];
        for (int i = 0; i < rows; i++) {
            int j = i % d;
            int p = (j + 1 + (int) Math.floor(Math.abs(s.next()) * 1000) % (d - 1)) % d;
            int q;
            do {
                q = (j + 1 + (int) Math.floor(Math.abs(s.next()) * 1000) % (d - 1)) % d;
            } while (q == p);
            double wp = w[p * d + j];
            double wq = w[q * d + j];
            double xq = -wp;
            int kind = i / d % 3;
            if (kind > 0) {
                int k = 1 + (int) Math.floor(Math.abs(s.next()) * 1000) % 3;
                for (int t = 0; t < k; t++) {
                    xq = precision == Precision.FLOAT
                            ? (kind == 1 ? Math.nextUp((float) xq) : Math.nextDown((float) xq))
                            : (kind == 1 ? Math.nextUp(xq) : Math.nextDown(xq));
                }
            }
            x[i * d + p] = wq;
            x[i * d + q] = xq;
        }
        return x;
    }

    /** Concatenation of two row-major batches. */
    public static double[] concat(double[] a, double[] b) {
        double[] out = new double[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
