package io.idrelu.model;

import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;
import org.apache.commons.rng.simple.RandomSource;

/**
 * Reproducible standard Gaussian input {@code x ~ N(0, I_d)} (MATH.md section 1).
 *
 * <p>A stream is fully determined by its {@code seed}; trial {@code i} of a campaign with base seed
 * {@code s} uses the stream {@link #forTrial(long, long)}, so any trial can be replayed alone and
 * does not depend on how many trials ran before it or on which thread. Both the reference and the
 * fast paths consume the doubles this class produces, unchanged.
 */
public final class GaussianSampler {
    private final long seed;
    private final ZigguratSampler.NormalizedGaussian normal;

    public GaussianSampler(long seed) {
        this.seed = seed;
        UniformRandomProvider rng = RandomSource.XO_RO_SHI_RO_128_PP.create(new long[] {mix(seed), mix(seed ^ 0x9E3779B97F4A7C15L)});
        this.normal = ZigguratSampler.NormalizedGaussian.of(rng);
    }

    /** The independent stream of trial {@code trial} in a campaign with base seed {@code baseSeed}. */
    public static GaussianSampler forTrial(long baseSeed, long trial) {
        return new GaussianSampler(trialSeed(baseSeed, trial));
    }

    /** Seed of trial {@code trial}: a SplitMix64 hash of the pair, so neighbouring trials are unrelated. */
    public static long trialSeed(long baseSeed, long trial) {
        return mix(mix(baseSeed) + trial * 0x9E3779B97F4A7C15L);
    }

    public long seed() {
        return seed;
    }

    /** Next standard normal double. */
    public double next() {
        return normal.sample();
    }

    /** Fills {@code out} with independent standard normals (a row-major batch when {@code out.length = B*d}). */
    public void fill(double[] out) {
        for (int i = 0; i < out.length; i++) {
            out[i] = normal.sample();
        }
    }

    /** A fresh row-major batch of {@code batch} rows of dimension {@code d}. */
    public double[] batch(int batch, int d) {
        double[] x = new double[Math.multiplyExact(batch, d)];
        fill(x);
        return x;
    }

    /** SplitMix64 finaliser. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
