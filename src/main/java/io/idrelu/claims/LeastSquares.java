package io.idrelu.claims;

import org.apache.commons.math3.distribution.TDistribution;

/**
 * Ordinary least squares of {@code y} on {@code x} (a straight line): the slope, its standard error and a
 * t interval for it. Used for growth exponents on log-log data (C6: gradient norm against distance and
 * against d; C12: steps to accuracy against d).
 */
final class LeastSquares {
    private LeastSquares() { }

    /** A fitted line's slope with its standard error ({@code NaN} for fewer than 3 points) and point count. */
    record Fit(double slope, double standardError, int n) {
        /** The two-sided t interval of the slope at {@code level}; needs at least 3 points. */
        Interval slopeInterval(double level) {
            if (n < 3) {
                throw new IllegalArgumentException("n = " + n + " points: expected at least 3 for a slope interval");
            }
            double q = new TDistribution(n - 2).inverseCumulativeProbability(1 - (1 - level) / 2);
            return new Interval(slope, slope - q * standardError, slope + q * standardError, level, n);
        }
    }

    static Fit fit(double[] x, double[] y) {
        int n = x.length;
        double mx = 0;
        double my = 0;
        for (int i = 0; i < n; i++) {
            mx += x[i];
            my += y[i];
        }
        mx /= n;
        my /= n;
        double sxx = 0;
        double sxy = 0;
        for (int i = 0; i < n; i++) {
            sxx += (x[i] - mx) * (x[i] - mx);
            sxy += (x[i] - mx) * (y[i] - my);
        }
        double b = sxy / sxx;
        // residuals about the centred line (no cancellation between the intercept and b x)
        double rss = 0;
        for (int i = 0; i < n; i++) {
            double e = y[i] - my - b * (x[i] - mx);
            rss += e * e;
        }
        double se = n > 2 ? Math.sqrt(rss / (n - 2) / sxx) : Double.NaN;
        return new Fit(b, se, n);
    }
}
