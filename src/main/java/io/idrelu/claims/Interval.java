package io.idrelu.claims;

import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * A two-sided confidence interval for a mean, and the three-way decision used by every statistical
 * claim: HOLDS when the interval lies on the claim's side of the bound, VIOLATED when it lies on the
 * other side, INCONCLUSIVE when it straddles it.
 *
 * @param mean   sample mean
 * @param low    lower end
 * @param high   upper end
 * @param level  confidence level of this interval (after any Bonferroni correction, the per-test level)
 * @param n      sample size
 */
public record Interval(double mean, double low, double high, double level, long n) {

    /**
     * Student-t interval for the mean of {@code samples} at confidence {@code level}
     * (normal quantile when {@code n > 1000}).
     */
    public static Interval forMean(double[] samples, double level) {
        int n = samples.length;
        if (n < 2) {
            throw new IllegalArgumentException("n = " + n + " samples: expected at least 2 for an interval");
        }
        if (!(level > 0 && level < 1)) {
            throw new IllegalArgumentException("level = " + level + ": expected 0 < level < 1");
        }
        double mean = 0;
        for (double s : samples) {
            mean += s;
        }
        mean /= n;
        double ss = 0;
        for (double s : samples) {
            ss += (s - mean) * (s - mean);
        }
        double se = Math.sqrt(ss / (n - 1) / n);
        return fromMeanAndStandardError(mean, se, n, level);
    }

    /** Interval {@code mean +- q * se} with the t (or normal for large n) quantile at {@code level}. */
    public static Interval fromMeanAndStandardError(double mean, double se, long n, double level) {
        double p = 1 - (1 - level) / 2;
        double q = n > 1000 ? new NormalDistribution().inverseCumulativeProbability(p)
                : new TDistribution(n - 1).inverseCumulativeProbability(p);
        return new Interval(mean, mean - q * se, mean + q * se, level, n);
    }

    /** Per-test level so that {@code tests} simultaneous intervals hold jointly at {@code familyLevel} (Bonferroni). */
    public static double bonferroni(double familyLevel, int tests) {
        if (tests < 1) {
            throw new IllegalArgumentException("tests = " + tests + ": expected >= 1");
        }
        return 1 - (1 - familyLevel) / tests;
    }

    /** Decision for the claim "true mean {@code <= bound}". */
    public Verdict atMost(double bound) {
        if (high <= bound) {
            return Verdict.HOLDS;
        }
        return low > bound ? Verdict.VIOLATED : Verdict.INCONCLUSIVE;
    }

    /** Decision for the claim "true mean {@code >= bound}". */
    public Verdict atLeast(double bound) {
        if (low >= bound) {
            return Verdict.HOLDS;
        }
        return high < bound ? Verdict.VIOLATED : Verdict.INCONCLUSIVE;
    }

    /** Decision for the claim "true mean {@code == value}": HOLDS when the interval contains it, else VIOLATED. */
    public Verdict contains(double value) {
        return low <= value && value <= high ? Verdict.HOLDS : Verdict.VIOLATED;
    }

    public double halfWidth() {
        return (high - low) / 2;
    }
}
