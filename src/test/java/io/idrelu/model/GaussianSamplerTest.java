package io.idrelu.model;

import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler.NormalizedGaussian;
import org.apache.commons.rng.simple.RandomSource;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

/**
 * {@link GaussianSampler} against what it was before (and must stay, bit for bit): Commons RNG 1.6's
 * {@code ZigguratSampler.NormalizedGaussian} over {@code RandomSource.XO_RO_SHI_RO_128_PP} with the same
 * seeding. Each seed runs a random plan of {@code next()} and {@code fill} calls of varied lengths, and
 * every double is compared by its bits; the oracle's generator records which branch of the ziggurat each
 * draw took (recomputed from the longs it drew), so the test asserts that the fast path, the three kinds
 * of overhang layer and the tail were all exercised, inside {@code fill} and {@code next()}. Negative
 * controls: a twin of the sampler with one fault each (a table entry off by one ulp, a wrong xoroshiro
 * rotation, a tail that draws one long too few, {@code fill} not taking back the state after a rare draw)
 * must be caught by the same comparison.
 */
class GaussianSamplerTest {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;
    /** Where the ziggurat's tail begins (the library's {@code X_0}). */
    private static final double R = 3.6360066255009458;
    /** The library's {@code J_INFLECTION}: layers above are convex, below concave, this one straddles x = 1. */
    private static final int J_INFLECTION = 204;
    private static final int DRAWS_PER_SEED = 100_000;
    private static final int[] LENGTHS = {0, 1, 2, 3, 4, 5, 7, 8, 31, 100, 252, 253, 256, 257, 1000, 20_000};

    /** The generator GaussianSampler used to build: the library's, seeded by the same expression. */
    private static UniformRandomProvider libraryGenerator(long seed) {
        return RandomSource.XO_RO_SHI_RO_128_PP.create(new long[] {GaussianSampler.mix(seed),
                GaussianSampler.mix(seed ^ GOLDEN)});
    }

    /** The two calls the rest of the code makes, so the real sampler and the faulty twins run the same plans. */
    interface Draws {
        double next();

        void fill(double[] out);
    }

    private static Draws of(GaussianSampler g) {
        return new Draws() {
            @Override
            public double next() {
                return g.next();
            }

            @Override
            public void fill(double[] out) {
                g.fill(out);
            }
        };
    }

    @Test
    void rawLongsAreTheLibrarysXoroshiro128PlusPlus() {
        // 0 and GOLDEN make one state word zero (mix(0) = 0): the library must take such a seed as it is too.
        long[] seeds = {0, GOLDEN, 1, -1, Long.MIN_VALUE, Long.MAX_VALUE, 20170524L};
        for (long seed : seeds) {
            GaussianSampler g = new GaussianSampler(seed);
            UniformRandomProvider lib = libraryGenerator(seed);
            for (int i = 0; i < 10_000; i++) {
                assertThat(g.nextLong()).as("long %d of seed %d", i, seed).isEqualTo(lib.nextLong());
            }
        }
    }

    @Test
    void theProbedFastPathTableIsTheLibrarysTable() throws ReflectiveOperationException {
        double[] lib = (double[]) libraryTable("X");
        double[] probed = GaussianSampler.fastPathLengths();
        for (int j = 0; j < 256; j++) {
            if (j < GaussianSampler.I_MAX) {
                assertThat(Double.doubleToRawLongBits(probed[j])).as("X[%d]", j)
                        .isEqualTo(Double.doubleToRawLongBits(lib[j]));
            } else {
                assertThat(probed[j]).as("unused X[%d]", j).isNaN();
            }
        }
    }

    @Test
    void everyDoubleIsTheLibrarysOverTenMillionDrawsWithEveryBranchCovered() {
        Coverage cov = new Coverage();
        long[] fixed = {0, GOLDEN, -1, Long.MIN_VALUE, Long.MAX_VALUE, GaussianSampler.trialSeed(20170524L, 3)};
        for (long seed : fixed) {
            assertThat(firstMismatch(of(new GaussianSampler(seed)), seed, DRAWS_PER_SEED, cov)).as("seed %d", seed)
                    .isEqualTo(-1);
        }
        qt().withExamples(100).forAll(longs().all()).checkAssert(seed -> assertThat(
                firstMismatch(of(new GaussianSampler(seed)), seed, DRAWS_PER_SEED, cov)).as("seed %d", seed)
                .isEqualTo(-1));

        assertThat(cov.draws).as("draws compared").isGreaterThanOrEqualTo(10_000_000L);
        assertThat(cov.fast).as("fast-path draws").isPositive();
        assertThat(cov.concave).as("concave-overhang draws").isPositive();
        assertThat(cov.inflection).as("inflection-layer draws").isPositive();
        assertThat(cov.convex).as("convex-overhang draws").isPositive();
        assertThat(cov.tail).as("tail draws").isPositive();
        assertThat(cov.tailBeyondFirstExponentialTry).as("tail draws needing more than two exponentials").isPositive();
        assertThat(cov.rareInNext).as("rare draws by next()").isPositive();
        assertThat(cov.rareInFill).as("rare draws inside fill").isPositive();
        assertThat(cov.rareFirstInFill).as("rare draws at a fill's first index").isPositive();
        assertThat(cov.rareLastInFill).as("rare draws at a fill's last index").isPositive();
        assertThat(cov.emptyFills).as("fills of length 0").isPositive();
        // The branch classification agrees with the values: only the tail lies beyond R.
        assertThat(cov.misclassified).as("draws whose |x| > R disagrees with their branch").isZero();
    }

    @Test
    void theUnfaultedTwinPassesTheSameComparison() {
        // Positive control for the negative controls below: the twin without a fault is the sampler.
        for (long seed = 1; seed <= 5; seed++) {
            assertThat(firstMismatch(new Twin(seed, Fault.NONE), seed, DRAWS_PER_SEED, new Coverage())).isEqualTo(-1);
        }
    }

    @Test
    void aTableEntryOffByOneUlpIsCaught() {
        assertCaught(Fault.TABLE_ENTRY);
    }

    @Test
    void aWrongXoroshiroRotationIsCaught() {
        assertCaught(Fault.ROTATION);
    }

    @Test
    void aTailThatDrawsOneLongTooFewIsCaught() {
        assertCaught(Fault.TAIL_ONE_LONG_SHORT);
    }

    @Test
    void aFillThatKeepsItsStaleStateAfterARareDrawIsCaught() {
        assertCaught(Fault.STALE_STATE_AFTER_RARE_DRAW);
    }

    private static void assertCaught(Fault fault) {
        for (long seed = 1; seed <= 5; seed++) {
            assertThat(firstMismatch(new Twin(seed, fault), seed, DRAWS_PER_SEED, new Coverage()))
                    .as("%s on seed %d", fault, seed).isNotNegative();
        }
    }

    /**
     * Index of the first draw where {@code s} differs from the library on {@code seed}'s plan of calls, or -1
     * if none of {@code draws} (and a few more, to finish the last call) does; counts branches into {@code cov}.
     */
    private static long firstMismatch(Draws s, long seed, int draws, Coverage cov) {
        Recorder rec = new Recorder(libraryGenerator(seed));
        NormalizedGaussian oracle = NormalizedGaussian.of(rec);
        SplittableRandom plan = new SplittableRandom(seed ^ 0x5DEECE66DL);
        long index = 0;
        while (index < draws) {
            boolean single = plan.nextInt(4) == 0;
            double[] got;
            if (single) {
                got = new double[] {s.next()};
            } else {
                int r = plan.nextInt(100);
                got = new double[r < 60 ? LENGTHS[plan.nextInt(LENGTHS.length)]
                        : r < 99 ? plan.nextInt(3000) : 65_536];
                s.fill(got);
                if (got.length == 0) {
                    cov.emptyFills++;
                }
            }
            for (int i = 0; i < got.length; i++, index++) {
                rec.drawn = 0;
                double want = oracle.sample();
                cov.count(rec, want, single, i, got.length);
                if (Double.doubleToRawLongBits(want) != Double.doubleToRawLongBits(got[i])) {
                    return index;
                }
            }
        }
        return -1;
    }

    /** The library's generator, recording how many longs the current draw took and its second long. */
    private static final class Recorder implements UniformRandomProvider {
        private final UniformRandomProvider rng;
        int drawn;
        long second;

        Recorder(UniformRandomProvider rng) {
            this.rng = rng;
        }

        @Override
        public long nextLong() {
            long v = rng.nextLong();
            if (++drawn == 2) {
                second = v;
            }
            return v;
        }
    }

    /** How many draws took each branch of the ziggurat, recomputed from the longs they drew. */
    private static final class Coverage {
        private static final long[] IPMF = (long[]) uncheckedLibraryTable("IPMF");
        private static final byte[] MAP = (byte[]) uncheckedLibraryTable("MAP");
        long draws;
        long fast;
        long concave;
        long inflection;
        long convex;
        long tail;
        long tailBeyondFirstExponentialTry;
        long rareInNext;
        long rareInFill;
        long rareFirstInFill;
        long rareLastInFill;
        long emptyFills;
        long misclassified;

        synchronized void count(Recorder rec, double x, boolean single, int i, int n) {
            draws++;
            if (rec.drawn == 1) {
                fast++;
                return;
            }
            if (single) {
                rareInNext++;
            } else {
                rareInFill++;
                rareFirstInFill += i == 0 ? 1 : 0;
                rareLastInFill += i == n - 1 ? 1 : 0;
            }
            // The second long picks the layer by alias sampling (the library's selectRegion).
            int k = (int) rec.second & 0xff;
            int layer = rec.second >= IPMF[k] ? MAP[k] & 0xff : k;
            if (layer == 0) {
                tail++;
                // Two longs, then two exponentials of at least one long each; more means a rejection or an
                // exponential's own rare path.
                tailBeyondFirstExponentialTry += rec.drawn > 4 ? 1 : 0;
            } else if (layer < J_INFLECTION) {
                concave++;
            } else if (layer == J_INFLECTION) {
                inflection++;
            } else {
                convex++;
            }
            if ((layer == 0) != (Math.abs(x) > R)) {
                misclassified++;
            }
        }
    }

    /** The deliberate faults of {@link Twin}. */
    enum Fault { NONE, TABLE_ENTRY, ROTATION, TAIL_ONE_LONG_SHORT, STALE_STATE_AFTER_RARE_DRAW }

    /**
     * GaussianSampler's algorithm (xoroshiro128++, the probed fast-path table, the library for the rare draws)
     * written out again with one switchable fault, to show the comparison catches each kind of mistake.
     */
    private static final class Twin implements Draws, UniformRandomProvider {
        private static final double[] TABLE = GaussianSampler.fastPathLengths();
        private final Fault fault;
        private final double[] x = TABLE.clone();
        private final NormalizedGaussian rare = NormalizedGaussian.of(this);
        private long s0;
        private long s1;
        private long before0;
        private long before1;
        private boolean replay;
        private long first;

        Twin(long seed, Fault fault) {
            this.fault = fault;
            this.s0 = GaussianSampler.mix(seed);
            this.s1 = GaussianSampler.mix(seed ^ GOLDEN);
            if (fault == Fault.TABLE_ENTRY) {
                x[100] = Math.nextUp(x[100]);
            }
        }

        @Override
        public long nextLong() {
            if (replay) {
                replay = false;
                return first;
            }
            before0 = s0;
            before1 = s1;
            long a = s0;
            long b = s1;
            long result = Long.rotateLeft(a + b, 17) + a;
            b ^= a;
            s0 = Long.rotateLeft(a, fault == Fault.ROTATION ? 48 : 49) ^ b ^ (b << 21);
            s1 = Long.rotateLeft(b, 28);
            return result;
        }

        private double rare(long xx) {
            first = xx;
            replay = true;
            double v = rare.sample();
            if (fault == Fault.TAIL_ONE_LONG_SHORT && Math.abs(v) > R) {
                // As if the tail had not drawn its last long: the stream is one long behind from here on.
                s0 = before0;
                s1 = before1;
            }
            return v;
        }

        @Override
        public double next() {
            long xx = nextLong();
            int j = (int) xx & 0xff;
            return j < GaussianSampler.I_MAX ? x[j] * xx : rare(xx);
        }

        @Override
        public void fill(double[] out) {
            for (int i = 0; i < out.length; i++) {
                long xx = nextLong();
                long after0 = s0;
                long after1 = s1;
                int j = (int) xx & 0xff;
                if (j < GaussianSampler.I_MAX) {
                    out[i] = x[j] * xx;
                } else {
                    out[i] = rare(xx);
                    if (fault == Fault.STALE_STATE_AFTER_RARE_DRAW) {
                        // fill's locals not reloaded: the longs the rare draw took are drawn again.
                        s0 = after0;
                        s1 = after1;
                    }
                }
            }
        }
    }

    private static Object libraryTable(String name) throws ReflectiveOperationException {
        // Test-only look at the oracle's private tables, to recompute its branches and check the probe.
        Field f = NormalizedGaussian.class.getDeclaredField(name);
        f.setAccessible(true);
        return f.get(null);
    }

    private static Object uncheckedLibraryTable(String name) {
        try {
            return libraryTable(name);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
