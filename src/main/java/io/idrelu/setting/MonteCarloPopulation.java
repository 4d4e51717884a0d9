package io.idrelu.setting;

import java.util.List;

/**
 * Monte Carlo estimate of the population loss {@code L(W) = E[(f(x, W) - y)^2]} under any setting, where no closed
 * form exists (proofs-notes/settings.md section 7): the mean of {@code r^2} over {@code n} independent rows from the
 * setting's input law and label model (fast path, {@link NetworkKernel}), with its standard error; the interval
 * {@code mean +- z se} has asymptotic level {@code 2 Phi(z) - 1} (CLT; needs a finite fourth moment of f, true for
 * every law here except Student-t with nu <= 4 where the interval is not valid and the caller must say so).
 *
 * @param mean          estimate of L
 * @param standardError sample standard deviation of {@code r^2} over {@code sqrt(n)}
 * @param n             rows used
 */
public record MonteCarloPopulation(double mean, double standardError, long n) {

    /** The interval half-width at {@code z} standard errors. */
    public double halfWidth(double z) {
        return z * standardError;
    }

    /** Whether {@code value} lies in {@code mean +- z se}. */
    public boolean covers(double value, double z) {
        return Math.abs(value - mean) <= halfWidth(z);
    }

    /** {@link #estimate(NetworkKernel, Setting, InputSampler, List, List, long, int, int)} on the scalar kernel. */
    public static MonteCarloPopulation estimate(Setting setting, InputSampler sampler, List<double[]> w, List<double[]> wStar,
                                                long seed, int batches, int batchSize) {
        return estimate(new NetworkKernel(), setting, sampler, w, wStar, seed, batches, batchSize);
    }

    /**
     * Estimates L at {@code (w, wStar)} from {@code batches} batches of {@code batchSize} rows of the stream {@code seed},
     * on {@code kernel} (scalar or vector: the same bits).
     */
    public static MonteCarloPopulation estimate(NetworkKernel kernel, Setting setting, InputSampler sampler, List<double[]> w,
                                                List<double[]> wStar, long seed, int batches, int batchSize) {
        InputSampler.Stream stream = sampler.stream(seed);
        double sigma = setting.labels().sigma();
        // Welford's running mean and variance: stable over millions of rows
        long n = 0;
        double mean = 0;
        double m2 = 0;
        for (int t = 0; t < batches; t++) {
            double[] x = stream.batch(batchSize);
            double[] noise = sigma > 0 ? stream.noise(batchSize, sigma) : null;
            FastValues v = kernel.evaluate(setting.architecture(), setting.activation(), w, wStar, x, batchSize, noise);
            for (double r : v.residuals()) {
                double s = r * r;
                n++;
                double delta = s - mean;
                mean += delta / n;
                m2 += delta * (s - mean);
            }
        }
        double var = n > 1 ? m2 / (n - 1) : Double.NaN;
        return new MonteCarloPopulation(mean, Math.sqrt(var / n), n);
    }
}
