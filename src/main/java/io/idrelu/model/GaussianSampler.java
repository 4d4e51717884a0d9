package io.idrelu.model;

import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;

/**
 * Reproducible standard Gaussian input {@code x ~ N(0, I_d)} (MATH.md section 1).
 *
 * <p>A stream is fully determined by its {@code seed}; trial {@code i} of a campaign with base seed
 * {@code s} uses the stream {@link #forTrial(long, long)}, so any trial can be replayed alone and
 * does not depend on how many trials ran before it or on which thread. Both the reference and the
 * fast paths consume the doubles this class produces, unchanged.
 *
 * <p><b>The stream.</b> It is, double for double, Commons RNG 1.6's
 * {@code ZigguratSampler.NormalizedGaussian} (McFarland's modified ziggurat, JSCS 86 (2016) 1281-1294)
 * over {@code RandomSource.XO_RO_SHI_RO_128_PP} (Blackman and Vigna's xoroshiro128++) seeded with
 * {@code {mix(seed), mix(seed ^ 0x9E3779B97F4A7C15L)}}: what this class returned when it wrapped those
 * two library objects, so every recorded trajectory, fixture and replay stays valid.
 * GaussianSamplerTest compares the two over 10^7 draws, with coverage of every branch of the ziggurat.
 *
 * <p><b>Why not just the library.</b> Sampling was 17-19% of a {@code train --d 100 --batch 200} step
 * (about 4 ns a normal): each draw went through two interface calls and a field round trip of the
 * generator's state. Here the generator's two state words are fields of this class and {@link #fill}
 * keeps them in locals, so a draw on the ziggurat's fast path is the xoroshiro128++ step, one table load
 * and one multiply. The fast path covers 253 of the 256 layer indices, i.e. 98.8% of draws.
 *
 * <p><b>The rare draws go to the library itself.</b> When the layer index of a long is 253 to 255, the
 * draw is handed, with that long, to the library's own sampler running on this generator ({@link Edge}):
 * it replays the long, then draws the following ones from this stream. The overhang rejection
 * (concave, convex and inflection layers) and the exponential tail beyond {@code R = 3.636...} are
 * therefore the library's code, consuming the stream in the library's order by construction, with no
 * copy of its tables or branches to drift.
 *
 * <p><b>The fast-path table is read through the library's public API</b> ({@link #fastPathLengths()}),
 * not copied and not read by reflection: the library's fast path returns {@code X[j] * (double) xx} for
 * the long {@code xx}, and for {@code xx = 2^62 + j} (layer index {@code j}, and {@code (double) xx ==
 * 2^62} exactly since {@code j < 2^9}) that is {@code X[j] * 2^62}, a power-of-two scaling, so dividing
 * by {@code 2^62} gives {@code X[j]} exactly. The same probe checks that exactly the indices below
 * {@link #I_MAX} take the one-long fast path, so a library whose ziggurat differs fails at class
 * initialisation instead of producing other numbers. This needs no private field names and no
 * {@code setAccessible}, and nothing of the library's source is copied into this project.
 */
public final class GaussianSampler {
    /** Layer indices {@code j < I_MAX} lie entirely under the density: the draw is {@code X[j] * xx}. */
    static final int I_MAX = 253;
    /** The library's {@code X[j]} for {@code j < I_MAX}; NaN where unused. 256 entries: any {@code xx & 0xff}. */
    private static final double[] X = fastPathLengths();

    private final long seed;
    /** xoroshiro128++ state (the library's {@code state0}, {@code state1}). */
    private long s0;
    private long s1;
    private final Edge edge = new Edge();

    public GaussianSampler(long seed) {
        this.seed = seed;
        this.s0 = mix(seed);
        this.s1 = mix(seed ^ 0x9E3779B97F4A7C15L);
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
        long xx = nextLong();
        int j = (int) xx & 0xff;
        return j < I_MAX ? X[j] * xx : edge.sample(xx);
    }

    /** Fills {@code out} with independent standard normals (a row-major batch when {@code out.length = B*d}). */
    public void fill(double[] out) {
        // next() with the generator state in locals. The inner loop is the fast path alone: it stops at a long
        // whose layer index misses it. With the rare draw's call outside it, the inner loop compiles tighter
        // (1.54 against 1.66 ns a normal with the call inside the loop: the two loops alternated in one JVM).
        int n = out.length;
        long a = s0;
        long b = s1;
        int i = 0;
        while (i < n) {
            long xx = 0;
            for (; i < n; i++) {
                xx = Long.rotateLeft(a + b, 17) + a;
                b ^= a;
                a = Long.rotateLeft(a, 49) ^ b ^ (b << 21);
                b = Long.rotateLeft(b, 28);
                int j = (int) xx & 0xff;
                if (j >= I_MAX) {
                    break;
                }
                out[i] = X[j] * xx;
            }
            if (i < n) {
                // The library draws the rest of this normal from the fields: hand the state over and back.
                s0 = a;
                s1 = b;
                out[i++] = edge.sample(xx);
                a = s0;
                b = s1;
            }
        }
        s0 = a;
        s1 = b;
    }

    /** A fresh row-major batch of {@code batch} rows of dimension {@code d}. */
    public double[] batch(int batch, int d) {
        double[] x = new double[Math.multiplyExact(batch, d)];
        fill(x);
        return x;
    }

    /** The next 64 bits of the xoroshiro128++ stream (the library's {@code XoRoShiRo128PlusPlus.next()}). */
    long nextLong() {
        long a = s0;
        long b = s1;
        long result = Long.rotateLeft(a + b, 17) + a;
        b ^= a;
        s0 = Long.rotateLeft(a, 49) ^ b ^ (b << 21);
        s1 = Long.rotateLeft(b, 28);
        return result;
    }

    /** SplitMix64 finaliser. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * The library's Gaussian ziggurat running on this stream, for the draws whose first long missed the
     * fast path: {@link #sample(long)} gives it that long again as its first draw, so it takes the same
     * branch it would have taken on the whole stream, and it draws everything after from
     * {@link GaussianSampler#nextLong()}.
     */
    private final class Edge implements UniformRandomProvider {
        private final ZigguratSampler.NormalizedGaussian normal = ZigguratSampler.NormalizedGaussian.of(this);
        private boolean replay;
        private long first;

        double sample(long xx) {
            first = xx;
            replay = true;
            return normal.sample();
        }

        @Override
        public long nextLong() {
            if (replay) {
                replay = false;
                return first;
            }
            return GaussianSampler.this.nextLong();
        }
    }

    /**
     * The library's fast-path table, probed through {@code NormalizedGaussian.sample()} (see the class
     * javadoc): for each layer index {@code j}, a generator whose first long is {@code 2^62 + j} and whose
     * second draw is refused. Package-private for GaussianSamplerTest.
     */
    static double[] fastPathLengths() {
        double[] x = new double[256];
        for (int j = 0; j < x.length; j++) {
            Probe probe = new Probe((1L << 62) + j);
            double v;
            try {
                v = ZigguratSampler.NormalizedGaussian.of(probe).sample();
            } catch (Probe.SecondDraw e) {
                v = Double.NaN;
            }
            boolean fast = !probe.drewTwice;
            if (fast != (j < I_MAX)) {
                throw new IllegalStateException("commons-rng's Gaussian ziggurat is not the one this class was written"
                        + " for: layer index " + j + (fast ? " takes" : " misses") + " the one-long fast path");
            }
            x[j] = v / 0x1p62;
        }
        return x;
    }

    /** A generator whose first long is given and whose second draw throws (a draw that left the fast path). */
    private static final class Probe implements UniformRandomProvider {
        private final long first;
        private boolean drawn;
        private boolean drewTwice;

        Probe(long first) {
            this.first = first;
        }

        @Override
        public long nextLong() {
            if (drawn) {
                drewTwice = true;
                throw new SecondDraw();
            }
            drawn = true;
            return first;
        }

        /** Stops the library's sampler at its second draw. */
        private static final class SecondDraw extends RuntimeException {
            private static final long serialVersionUID = 1L;

            SecondDraw() {
                super(null, null, false, false);
            }
        }
    }
}
