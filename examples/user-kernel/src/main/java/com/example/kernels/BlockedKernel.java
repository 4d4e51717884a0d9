package com.example.kernels;

/**
 * The naive kernel with its pre-activation loop unrolled over units in blocks of 4 (a typical hand
 * optimisation) -- and a realistic bug: the tail loop for the last {@code d % 4} units starts one unit too late,
 * so unit {@code 4 * (d / 4)} is never written (it keeps whatever {@code h} held, 0 for a fresh array: inactive) whenever d is not a multiple of 4. With d = 4, 8,
 * 100, ... it is correct, which is why the conformance kit tests odd sizes.
 */
public class BlockedKernel extends NaiveKernel {
    @Override
    public String name() {
        return "blocked";
    }

    @Override
    public void preActivations(int d, boolean identity, double[] w, double[] x, int batch, double[] h) {
        int blocked = d - d % 4;
        for (int b = 0; b < batch; b++) {
            int o = b * d;
            for (int j = 0; j < blocked; j += 4) {
                double s0 = identity ? x[o + j] : 0.0;
                double s1 = identity ? x[o + j + 1] : 0.0;
                double s2 = identity ? x[o + j + 2] : 0.0;
                double s3 = identity ? x[o + j + 3] : 0.0;
                for (int r = 0; r < d; r++) {
                    double xr = x[o + r];
                    int wo = r * d + j;
                    s0 += xr * w[wo];
                    s1 += xr * w[wo + 1];
                    s2 += xr * w[wo + 2];
                    s3 += xr * w[wo + 3];
                }
                h[o + j] = s0;
                h[o + j + 1] = s1;
                h[o + j + 2] = s2;
                h[o + j + 3] = s3;
            }
            for (int j = blocked + 1; j < d; j++) {  // BUG: the tail must start at j = blocked
                double s = identity ? x[o + j] : 0.0;
                for (int r = 0; r < d; r++) {
                    s += x[o + r] * w[r * d + j];
                }
                h[o + j] = s;
            }
        }
    }
}
