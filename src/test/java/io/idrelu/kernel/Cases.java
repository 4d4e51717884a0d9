package io.idrelu.kernel;

import io.idrelu.model.GaussianSampler;

/** Test inputs: Gaussian data from the seeded sampler; structure comes from the property generators. */
final class Cases {
    private Cases() { }

    /** One batch problem in double; float copies are the same doubles rounded to nearest. */
    static final class Case {
        final int d;
        final int batch;
        final boolean identity;
        final double[] w;
        final double[] wStar;
        final double[] x;
        final double eta = 0.01;

        Case(int d, int batch, boolean identity, double[] w, double[] wStar, double[] x) {
            this.d = d;
            this.batch = batch;
            this.identity = identity;
            this.w = w;
            this.wStar = wStar;
            this.x = x;
        }

        @Override
        public String toString() {
            return "d=" + d + " B=" + batch + " identity=" + identity;
        }
    }

    /** Gaussian W, W* scaled by {@code 1/sqrt(d)} (spectral norm O(1)), Gaussian batch. */
    static Case gaussian(int d, int batch, boolean identity, long seed) {
        GaussianSampler s = new GaussianSampler(seed);
        double scale = 1 / Math.sqrt(d);
        double[] w = s.batch(d, d);
        double[] ws = s.batch(d, d);
        for (int i = 0; i < w.length; i++) {
            w[i] *= scale;
            ws[i] *= scale;
        }
        return new Case(d, batch, identity, w, ws, s.batch(batch, d));
    }

    /**
     * Gaussian case with planted kinks: for row {@code b} and unit {@code j = b mod d}, {@code u_j} is
     * supported on the even coordinates {@code S} and {@code x_b} vanishes on {@code S} except at the
     * first coordinate {@code s0}, where it is {@code 0} or {@code +-k 2^-60}; so {@code <u_j, x_b>}
     * is exactly {@code 0} or within a few ulps of the terms' scale, while {@code x_b} stays nonzero
     * elsewhere (so a wrong mask changes the gradient).
     */
    static Case nearKink(int d, int batch, boolean identity, long seed) {
        Case c = gaussian(d, batch, identity, seed);
        for (int b = 0; b < batch; b++) {
            int j = b % d;
            for (int r = 0; r < d; r++) {
                if (r % 2 != 0) {
                    c.w[r * d + j] = (identity && r == j) ? -1.0 : 0.0;
                } else if (r == 0) {
                    int kind = b % 3;
                    c.x[b * d] = kind == 0 ? 0.0 : (kind == 1 ? 1 : -1) * (1 + b % 3) * 0x1p-60;
                } else {
                    c.x[b * d + r] = 0.0;
                }
            }
        }
        return c;
    }
}
