package io.idrelu.kernel;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code eval --threads K} (issue 10): the population loss and gradient (claim A2's fast path) spread over {@code K}
 * threads are bit-identical to the single-threaded evaluation for {@code K = 1, 2, 3, 8}, on the vector kernel (when
 * the module is present) and the scalar one, at sizes that reach every split: several product tasks and reduction
 * passes ({@code d > VectorPopulation.KC = 128}), edge tiles ({@code d} not a multiple of the 6-row tile or the
 * 8-column panel), vector tails of the angle rows, several angle-row tasks, and {@code W = W*}, where the {@code d}
 * pairs {@code (u_j, v_j)} take Kahan's route inside parallel tasks. Negative control: a product whose chain is split
 * into {@code K} partial sums (what a careless parallel reduction does) is caught by the same comparison.
 */
class ThreadedPopulationTest {
    static final int[] THREADS = {1, 2, 3, 8};
    static final int[] SIZES = {3, 13, 70, 131};

    private static List<Kernel> kernels() {
        List<Kernel> k = new ArrayList<>();
        k.add(new ScalarKernel());
        if (KernelProvider.vectorAvailable()) {
            k.add(KernelProvider.doubleKernel(KernelProvider.Choice.VECTOR));
        }
        return k;
    }

    /** {@code W0}, {@code W*}, {@code W = W*}: the random point and the Kahan-route point. */
    private static double[][] points(int d) {
        SplittableRandom rnd = new SplittableRandom(1000 + d);
        double[] w = new double[d * d];
        double[] ws = new double[d * d];
        for (int i = 0; i < d * d; i++) {
            w[i] = rnd.nextGaussian() * 0.5 / Math.sqrt(d);
            ws[i] = rnd.nextGaussian() * 0.5 / Math.sqrt(d);
        }
        return new double[][] {w, ws, ws.clone()};
    }

    /** Loss bits followed by the gradient's bits. */
    private static long[] bits(double loss, double[] g) {
        long[] b = new long[g.length + 1];
        b[0] = Double.doubleToRawLongBits(loss);
        for (int i = 0; i < g.length; i++) {
            b[i + 1] = Double.doubleToRawLongBits(g[i]);
        }
        return b;
    }

    @Test
    void everyThreadCountGivesTheSameBits() {
        assertThat(java.util.Arrays.stream(SIZES).anyMatch(d -> d > 128 && d % 6 != 0 && d % 8 != 0)).isTrue(); // passes, edges
        int compared = 0;
        for (Kernel k : kernels()) {
            for (int d : SIZES) {
                double[][] p = points(d);
                for (double[] w : new double[][] {p[0], p[2]}) {
                    double[] g1 = new double[d * d];
                    long[] serial = bits(k.populationLossAndGradient(d, true, w, p[1], g1), g1);
                    for (int threads : THREADS) {
                        try (Parallel par = new Parallel(threads)) {
                            double[] g = new double[d * d];
                            java.util.Arrays.fill(g, Double.NaN);   // every element must be written
                            long[] got = bits(k.populationLossAndGradient(d, true, w, p[1], g, par), g);
                            assertThat(got).as("%s d=%d K=%d", k.name(), d, threads).isEqualTo(serial);
                            compared++;
                        }
                    }
                }
            }
        }
        assertThat(compared).isGreaterThanOrEqualTo(SIZES.length * 2 * THREADS.length);
    }

    /** The gradient product with each chain split into {@code K} partial chains added at the end. */
    static final class SplitChains extends PopulationClosedForm {
        @Override
        protected void gradientProduct(int d, double[] u, double[] a, double[] v, double[] b, double[] grad,
                                       Parallel parallel, Scratch scratch) {
            int parts = parallel.threads();
            for (int r = 0; r < d; r++) {
                for (int j = 0; j < d; j++) {
                    double total = 0.0;
                    for (int part = 0; part < parts; part++) {
                        double s = 0.0;
                        for (int t = part * 2 * d / parts; t < (part + 1) * 2 * d / parts; t++) {
                            s = t < d ? Math.fma(u[r * d + t], a[t * d + j], s) : Math.fma(-v[r * d + t - d], b[(t - d) * d + j], s);
                        }
                        total += s;
                    }
                    grad[r * d + j] = total;
                }
            }
        }
    }

    @Test
    void aThreadCountDependentReductionIsCaught() {
        int d = 70;
        double[][] p = points(d);
        SplitChains split = new SplitChains();
        double[] g1 = new double[d * d];
        long[] serial = bits(split.lossAndGradient(d, true, p[0], p[1], g1), g1);
        try (Parallel par = new Parallel(2)) {
            double[] g = new double[d * d];
            long[] got = bits(split.lossAndGradient(d, true, p[0], p[1], g, par), g);
            assertThat(got).isNotEqualTo(serial);
        }
    }
}
