// Nanoseconds per standard normal of GaussianSampler.fill against what it was before (Commons RNG 1.6's
// ZigguratSampler.NormalizedGaussian over XO_RO_SHI_RO_128_PP, same seeding, one sample() per element),
// ALTERNATING old and new in one JVM; prints medians over rounds. Also checks the two fill the same bits.
//   java -cp target/idrelu-0.1.0-SNAPSHOT-all.jar benchmarks/SamplerNs.java [rounds] [length...]
import io.idrelu.model.GaussianSampler;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;
import org.apache.commons.rng.simple.RandomSource;
import java.util.Arrays;

/** SamplerNs rounds lengths...: median ns per normal, old (library) vs new (GaussianSampler.fill). */
public class SamplerNs {
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    static ZigguratSampler.NormalizedGaussian old(long seed) {
        return ZigguratSampler.NormalizedGaussian.of(RandomSource.XO_RO_SHI_RO_128_PP.create(
                new long[] {mix(seed), mix(seed ^ 0x9E3779B97F4A7C15L)}));
    }

    public static void main(String[] a) {
        int rounds = a.length > 0 ? Integer.parseInt(a[0]) : 21;
        int[] lengths = a.length > 1 ? Arrays.stream(a, 1, a.length).mapToInt(Integer::parseInt).toArray()
                : new int[] {20_000, 65_536};
        double sink = 0;
        for (int n : lengths) {
            double[] xo = new double[n];
            double[] xn = new double[n];
            ZigguratSampler.NormalizedGaussian o = old(42);
            GaussianSampler g = new GaussianSampler(42);
            for (int k = 0; k < 50; k++) {
                for (int i = 0; i < n; i++) xo[i] = o.sample();
                g.fill(xn);
                if (!Arrays.equals(xo, xn)) throw new AssertionError("different doubles at length " + n);
            }
            int reps = Math.max(1, 2_000_000 / n);
            double[] to = new double[rounds];
            double[] tn = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                long t0 = System.nanoTime();
                for (int k = 0; k < reps; k++) for (int i = 0; i < n; i++) xo[i] = o.sample();
                long t1 = System.nanoTime();
                for (int k = 0; k < reps; k++) g.fill(xn);
                long t2 = System.nanoTime();
                to[r] = (t1 - t0) / (double) reps / n;
                tn[r] = (t2 - t1) / (double) reps / n;
                sink += xo[r % n] + xn[r % n];
            }
            Arrays.sort(to);
            Arrays.sort(tn);
            System.out.printf("length %d: old %.3f ns/normal, new %.3f ns/normal (medians of %d alternating rounds of %d"
                    + " fills), old/new %.2fx%n", n, to[rounds / 2], tn[rounds / 2], rounds, reps, to[rounds / 2] / tn[rounds / 2]);
        }
        if (sink == 42) System.out.println();
    }
}
