package io.idrelu.reference;

import io.idrelu.model.GaussianSampler;
import io.idrelu.model.Matrices;

import java.math.BigDecimal;

/** Seeded test inputs: Gaussian doubles from the project's sampler, optionally quantised to force exact kinks. */
final class Fixtures {
    private Fixtures() { }

    /** {@code n} Gaussian doubles times {@code scale}; {@code quantum > 0} rounds them to multiples of it. */
    static double[] gaussian(long seed, int n, double scale, double quantum) {
        double[] a = new GaussianSampler(seed).batch(n, 1);
        for (int i = 0; i < n; i++) {
            a[i] *= scale;
            if (quantum > 0) {
                a[i] = Math.rint(a[i] / quantum) * quantum;
            }
        }
        return a;
    }

    static BigDecimal[][] matrix(double[] w, int d) {
        return Matrices.exact(w, d);
    }

    static BigDecimal[][] transpose(BigDecimal[][] m) {
        int d = m.length;
        BigDecimal[][] t = new BigDecimal[d][d];
        for (int r = 0; r < d; r++) {
            for (int c = 0; c < d; c++) {
                t[c][r] = m[r][c];
            }
        }
        return t;
    }

    static BigDecimal[][] plusIdentity(BigDecimal[][] m) {
        int d = m.length;
        BigDecimal[][] t = new BigDecimal[d][d];
        for (int r = 0; r < d; r++) {
            for (int c = 0; c < d; c++) {
                t[r][c] = r == c ? m[r][c].add(BigDecimal.ONE) : m[r][c];
            }
        }
        return t;
    }

    static BigDecimal[][] decimals(String... rows) {
        BigDecimal[][] m = new BigDecimal[rows.length][];
        for (int r = 0; r < rows.length; r++) {
            String[] parts = rows[r].trim().split("\\s+");
            m[r] = new BigDecimal[parts.length];
            for (int c = 0; c < parts.length; c++) {
                m[r][c] = new BigDecimal(parts[c]);
            }
        }
        return m;
    }
}
