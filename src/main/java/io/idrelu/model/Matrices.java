package io.idrelu.model;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.SingularValueDecomposition;

import java.math.BigDecimal;

/**
 * Conversions and norms for the row-major {@code d x d} layout used everywhere
 * ({@code w[r*d + c] = W[r][c]}, unit {@code j} = column {@code j}).
 */
public final class Matrices {
    private Matrices() { }

    /** Row-major copy of a square {@code double[d][d]}. */
    public static double[] flatten(double[][] m) {
        int d = m.length;
        double[] out = new double[d * d];
        for (int r = 0; r < d; r++) {
            System.arraycopy(m[r], 0, out, r * d, d);
        }
        return out;
    }

    /** {@code double[d][d]} view-copy of a row-major square matrix. */
    public static double[][] unflatten(double[] w, int d) {
        double[][] out = new double[d][d];
        for (int r = 0; r < d; r++) {
            System.arraycopy(w, r * d, out[r], 0, d);
        }
        return out;
    }

    /** Exact BigDecimal copy of a row-major double matrix ({@code new BigDecimal(double)} is exact). */
    public static BigDecimal[][] exact(double[] w, int d) {
        BigDecimal[][] out = new BigDecimal[d][d];
        for (int r = 0; r < d; r++) {
            for (int c = 0; c < d; c++) {
                out[r][c] = new BigDecimal(w[r * d + c]);
            }
        }
        return out;
    }

    /** Exact BigDecimal copy of a row-major batch {@code x[b*d + r]} as rows {@code X[b][r]}. */
    public static BigDecimal[][] exactRows(double[] x, int rows, int d) {
        BigDecimal[][] out = new BigDecimal[rows][d];
        for (int b = 0; b < rows; b++) {
            for (int r = 0; r < d; r++) {
                out[b][r] = new BigDecimal(x[b * d + r]);
            }
        }
        return out;
    }

    /** Spectral norm {@code ||W||_2} (largest singular value). */
    public static double spectralNorm(double[] w, int d) {
        return new SingularValueDecomposition(new Array2DRowRealMatrix(unflatten(w, d), false)).getNorm();
    }

    /** Frobenius norm {@code ||W||_F}. */
    public static double frobeniusNorm(double[] w) {
        double scale = 0;
        for (double v : w) {
            scale = Math.max(scale, Math.abs(v));
        }
        if (scale == 0) {
            return 0;
        }
        double s = 0;
        for (double v : w) {
            double t = v / scale;
            s += t * t;
        }
        return scale * Math.sqrt(s);
    }

    /** {@code ||A - B||_F^2}. */
    public static double squaredDistance(double[] a, double[] b) {
        assert a.length == b.length;
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            double t = a[i] - b[i];
            s += t * t;
        }
        return s;
    }

    /** Row-major float copy (round to nearest). */
    public static float[] toFloat(double[] a) {
        float[] out = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = (float) a[i];
        }
        return out;
    }

    /** Row-major double copy (exact widening). */
    public static double[] toDouble(float[] a) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i];
        }
        return out;
    }

    /**
     * The largest computed eigenvalue of the symmetric matrix {@code g} (Commons Math; its diagonal entry when 1 x 1).
     * Callers add the solver's backward error {@code 64 n u ||g||_F}.
     */
    public static double largestEigenvalue(double[][] g) {
        double lmax = g[0][0];
        if (g.length > 1) {
            for (double ev : new EigenDecomposition(new Array2DRowRealMatrix(g, false)).getRealEigenvalues()) {
                lmax = Math.max(lmax, ev);
            }
        }
        return lmax;
    }
}
