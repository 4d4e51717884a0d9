package io.idrelu.kernel.vector;

import io.idrelu.kernel.KernelProvider;
import io.idrelu.kernel.Parallel;
import io.idrelu.kernel.Scratch;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@link VectorPopulation#coefficientProduct} (the gradient product of claim A2 with {@code A = pi - thU},
 * {@code B = pi - thV} formed while packing) gives the bits of the contract, written out here independently: entry
 * {@code (r, j)} is one fma chain from {@code 0} over {@code k} of {@code u[r][k] (pi - thU[k][j])}, then of
 * {@code -v[r][k] (pi - thV[k][j])}. Sizes cover every remainder of the {@code 2L}-wide panels (the packing's partial
 * last panel) and of the six-row strips, {@code d = 256}, one and three threads; the output starts as {@code NaN}, so
 * every element must be written. Negative controls that must be seen: {@code thU} and {@code thV} swapped, the
 * {@code -V B} terms first, and the last coefficient column left unpacked (zero).
 */
class VectorCoefficientProductTest {
    private static final int[] SIZES = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 23, 31, 256};

    @BeforeEach
    void vectorModule() {
        assumeTrue(KernelProvider.vectorAvailable(), () -> "skipped: " + KernelProvider.unavailableReason());
    }

    @Test
    void sizesCoverEveryPanelAndStripRemainder() {
        TreeSet<Integer> panels = new TreeSet<>();
        TreeSet<Integer> strips = new TreeSet<>();
        for (int d : SIZES) {
            panels.add(d % StripTile.WIDTH);
            strips.add(d % StripTile.ROWS);
        }
        assertThat(panels).containsAll(IntStream.range(0, StripTile.WIDTH).boxed().toList());
        assertThat(strips).containsAll(IntStream.range(0, StripTile.ROWS).boxed().toList());
    }

    @Test
    void coefficientProductIsTheContractChainBitForBit() {
        try (Parallel three = new Parallel(3)) {
            for (int d : SIZES) {
                double[][] m = inputs(d, d);
                double[] want = chain(d, m[0], m[1], m[2], m[3], false, false);
                for (Parallel p : new Parallel[] {Parallel.SERIAL, three}) {
                    assertThat(mismatches(want, vector(d, m, p))).as("d=%d threads=%d", d, p.threads()).isZero();
                }
            }
        }
    }

    @Test
    void negativeControlsAreSeen() {
        for (int d : new int[] {7, 13, 256}) {
            double[][] m = inputs(d, 100 + d);
            double[] got = vector(d, m, Parallel.SERIAL);
            assertThat(mismatches(chain(d, m[0], m[2], m[1], m[3], false, false), got)).as("swapped, d=%d", d)
                    .isPositive();
            assertThat(mismatches(chain(d, m[0], m[1], m[2], m[3], true, false), got)).as("-V B first, d=%d", d)
                    .isPositive();
            assertThat(mismatches(chain(d, m[0], m[1], m[2], m[3], false, true), got)).as("last column, d=%d", d)
                    .isPositive();
        }
    }

    /** u, thU, v, thV: entries of ordinary size, angles in [0, pi]. */
    private static double[][] inputs(int d, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[][] m = new double[4][d * d];
        for (int e = 0; e < d * d; e++) {
            m[0][e] = rnd.nextGaussian();
            m[1][e] = rnd.nextDouble() * Math.PI;
            m[2][e] = rnd.nextGaussian();
            m[3][e] = rnd.nextDouble() * Math.PI;
        }
        return m;
    }

    private static double[] vector(int d, double[][] m, Parallel p) {
        double[] out = new double[d * d];
        java.util.Arrays.fill(out, Double.NaN);
        new VectorPopulation().coefficientProduct(d, m[0], m[1], m[2], m[3], out, p, new Scratch());
        return out;
    }

    /** The contract chain; {@code vFirst}: the {@code -V B} terms first; {@code lastColumnZero}: coefficient column d-1 = 0. */
    private static double[] chain(int d, double[] u, double[] thU, double[] v, double[] thV, boolean vFirst,
                                  boolean lastColumnZero) {
        double[] out = new double[d * d];
        for (int r = 0; r < d; r++) {
            for (int j = 0; j < d; j++) {
                double acc = 0.0;
                for (int t = 0; t < 2 * d; t++) {
                    boolean uTerm = vFirst ? t >= d : t < d;
                    int k = t < d ? t : t - d;
                    double coefficient = lastColumnZero && j == d - 1 ? 0.0 : Math.PI - (uTerm ? thU : thV)[k * d + j];
                    acc = Math.fma(uTerm ? u[r * d + k] : -v[r * d + k], coefficient, acc);
                }
                out[r * d + j] = acc;
            }
        }
        return out;
    }

    private static int mismatches(double[] want, double[] got) {
        int n = 0;
        for (int e = 0; e < want.length; e++) {
            n += Double.doubleToRawLongBits(want[e]) != Double.doubleToRawLongBits(got[e]) ? 1 : 0;
        }
        return n;
    }
}
