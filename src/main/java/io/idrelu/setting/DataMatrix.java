package io.idrelu.setting;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.RealMatrix;

import java.util.List;

/**
 * A loaded data set: {@code n} rows of dimension {@code d}, row-major {@code x[i*d + c]}, all finite (checked by
 * {@link DataSetLoader}). Immutable; the array is copied in and out.
 */
public final class DataMatrix {
    private final int n;
    private final int d;
    private final double[] x;
    private final List<String> columns;

    public DataMatrix(int n, int d, double[] x, List<String> columns) {
        if (n < 1 || d < 1 || x.length != (long) n * d || columns.size() != d) {
            throw new IllegalArgumentException("data set is " + n + " x " + d + " with " + x.length + " values and "
                    + columns.size() + " column names: expected n, d >= 1, n*d values and d names");
        }
        this.n = n;
        this.d = d;
        this.x = x.clone();
        this.columns = List.copyOf(columns);
    }

    public int rows() {
        return n;
    }

    public int d() {
        return d;
    }

    public double get(int row, int col) {
        return x[row * d + col];
    }

    /** Copy of the row-major values. */
    public double[] values() {
        return x.clone();
    }

    public List<String> columns() {
        return columns;
    }

    /** Per-column mean. */
    public double[] means() {
        double[] m = new double[d];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < d; c++) {
                m[c] += x[i * d + c];
            }
        }
        for (int c = 0; c < d; c++) {
            m[c] /= n;
        }
        return m;
    }

    /**
     * Each column shifted to mean 0 and scaled to variance 1, the variance with divisor {@code n} (so the empirical
     * law of the result has unit variances). A constant column cannot be standardised: refused, naming it.
     */
    public DataMatrix standardised() {
        double[] m = means();
        double[] sd = new double[d];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < d; c++) {
                double t = x[i * d + c] - m[c];
                sd[c] += t * t;
            }
        }
        for (int c = 0; c < d; c++) {
            sd[c] = Math.sqrt(sd[c] / n);
            if (!(sd[c] > 0)) {
                throw new IllegalArgumentException("data set column " + (c + 1) + " (" + columns.get(c)
                        + ") is constant: cannot standardise, expected a column with variance > 0");
            }
        }
        double[] y = new double[x.length];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < d; c++) {
                y[i * d + c] = (x[i * d + c] - m[c]) / sd[c];
            }
        }
        return new DataMatrix(n, d, y, columns);
    }

    /**
     * Centred and multiplied by {@code S^(-1/2)} (symmetric inverse square root of the empirical covariance with
     * divisor n, from its eigen-decomposition): the empirical second moment becomes {@code I} up to rounding. A
     * singular covariance (eigenvalue below {@code 1e-12} times the largest) is refused.
     */
    public DataMatrix whitened() {
        DataMatrix s = standardised(); // scale first: better conditioned eigenproblem
        double[][] cov = new double[d][d];
        for (int i = 0; i < n; i++) {
            for (int a = 0; a < d; a++) {
                for (int b = 0; b < d; b++) {
                    cov[a][b] += s.x[i * d + a] * s.x[i * d + b];
                }
            }
        }
        for (int a = 0; a < d; a++) {
            for (int b = 0; b < d; b++) {
                cov[a][b] /= n;
            }
        }
        EigenDecomposition e = new EigenDecomposition(new Array2DRowRealMatrix(cov, false));
        double[] ev = e.getRealEigenvalues();
        double max = 0;
        for (double v : ev) {
            max = Math.max(max, v);
        }
        for (double v : ev) {
            if (!(v > 1e-12 * max)) {
                throw new IllegalArgumentException("data set covariance is singular (eigenvalue " + v + " vs largest " + max
                        + "): cannot whiten, expected linearly independent columns");
            }
        }
        RealMatrix v = e.getV();
        double[][] w = new double[d][d]; // S^(-1/2) = V diag(ev^-1/2) V^T
        for (int a = 0; a < d; a++) {
            for (int b = 0; b < d; b++) {
                double t = 0;
                for (int k = 0; k < d; k++) {
                    t += v.getEntry(a, k) * v.getEntry(b, k) / Math.sqrt(ev[k]);
                }
                w[a][b] = t;
            }
        }
        double[] y = new double[x.length];
        for (int i = 0; i < n; i++) {
            for (int b = 0; b < d; b++) {
                double t = 0;
                for (int a = 0; a < d; a++) {
                    t += s.x[i * d + a] * w[a][b];
                }
                y[i * d + b] = t;
            }
        }
        return new DataMatrix(n, d, y, columns);
    }
}
