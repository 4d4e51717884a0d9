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
 * {@link VectorPopulation}'s products through {@link StripTile} (claim A2's {@code O(d^3)} part) give, for every
 * element they define, the bits of {@link io.idrelu.kernel.PopulationClosedForm}'s contract chain, written out here
 * independently: Gram entry {@code (i, k)} is one fma chain over {@code r = 0..d-1} from {@code 0} (symmetric: only
 * {@code k >= i}); gradient entry {@code (r, j)} one chain over the {@code d} terms of {@code U A}, then the {@code d}
 * terms of {@code -V B}. Sizes cover every remainder of the six-row strips and of the {@code 2L}-wide panels
 * ({@code d = 1..17}, 23, 31: every remainder for {@code L} up to 8), {@code d = 256}, and one and three threads. Negative controls, each of which must be
 * seen as a difference: the last strip row dropped (its input column zeroed), a chain that starts one term late,
 * and the two halves of the gradient chain swapped.
 */
class VectorPopulationProductTest {
    private static final int[] SIZES = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 23, 31, 256};

    @BeforeEach
    void vectorModule() {
        assumeTrue(KernelProvider.vectorAvailable(), () -> "skipped: " + KernelProvider.unavailableReason());
    }

    @Test
    void sizesCoverEveryStripAndPanelRemainder() {
        int panel = StripTile.WIDTH;
        TreeSet<Integer> strips = new TreeSet<>();
        TreeSet<Integer> panels = new TreeSet<>();
        for (int d : SIZES) {
            strips.add(d % StripTile.ROWS);
            panels.add(d % panel);
        }
        assertThat(strips).containsAll(IntStream.range(0, StripTile.ROWS).boxed().toList());
        assertThat(panels).containsAll(IntStream.range(0, panel).boxed().toList());
        assertThat(SIZES).contains(256);
    }

    @Test
    void gramIsTheContractChainBitForBit() {
        try (Parallel three = new Parallel(3)) {
            for (int d : SIZES) {
                double[] a = matrix(d, 1);
                double[] b = matrix(d, 2);
                for (boolean symmetric : new boolean[] {true, false}) {
                    double[] right = symmetric ? a : b;
                    double[] want = gramChain(d, a, right, 0, false);
                    for (Parallel p : new Parallel[] {Parallel.SERIAL, three}) {
                        double[] got = vectorGram(d, a, right, symmetric, p);
                        assertThat(mismatches(d, want, got, symmetric)).as("d=%d sym=%s threads=%d", d, symmetric,
                                p.threads()).isZero();
                    }
                }
            }
        }
    }

    @Test
    void gramNegativeControlsAreSeen() {
        for (int d : new int[] {7, 13, 256}) {
            double[] a = matrix(d, 3);
            double[] b = matrix(d, 4);
            double[] want = gramChain(d, a, b, 0, false);
            double[] dropped = a.clone();   // output row d-1 is the last strip's last row
            for (int r = 0; r < d; r++) {
                dropped[r * d + d - 1] = 0.0;
            }
            assertThat(mismatches(d, want, vectorGram(d, dropped, b, false, Parallel.SERIAL), false))
                    .as("dropped strip row, d=%d", d).isPositive();
            assertThat(mismatches(d, gramChain(d, a, b, 1, false), vectorGram(d, a, b, false, Parallel.SERIAL), false))
                    .as("chain starting one term late, d=%d", d).isPositive();
        }
        // order, not only value: the reversed chain has other bits somewhere at d = 256
        double[] a = matrix(256, 5);
        assertThat(mismatches(256, gramChain(256, a, a, 0, true), vectorGram(256, a, a, true, Parallel.SERIAL), true))
                .isPositive();
    }

    @Test
    void gradientProductIsTheContractChainBitForBit() {
        try (Parallel three = new Parallel(3)) {
            for (int d : SIZES) {
                double[][] m = {matrix(d, 6), matrix(d, 7), matrix(d, 8), matrix(d, 9)};
                double[] want = gradientChain(d, m[0], m[1], m[2], m[3], false);
                for (Parallel p : new Parallel[] {Parallel.SERIAL, three}) {
                    double[] got = vectorGradient(d, m[0], m[1], m[2], m[3], p);
                    assertThat(mismatches(d, want, got, false)).as("d=%d threads=%d", d, p.threads()).isZero();
                }
            }
        }
    }

    @Test
    void gradientNegativeControlsAreSeen() {
        for (int d : new int[] {7, 13, 256}) {
            double[][] m = {matrix(d, 10), matrix(d, 11), matrix(d, 12), matrix(d, 13)};
            double[] want = gradientChain(d, m[0], m[1], m[2], m[3], false);
            double[] u = m[0].clone();   // output row d-1 (the last strip's last row) gets no terms
            double[] v = m[2].clone();
            java.util.Arrays.fill(u, (d - 1) * d, d * d, 0.0);
            java.util.Arrays.fill(v, (d - 1) * d, d * d, 0.0);
            assertThat(mismatches(d, want, vectorGradient(d, u, m[1], v, m[3], Parallel.SERIAL), false))
                    .as("dropped strip row, d=%d", d).isPositive();
            assertThat(mismatches(d, gradientChain(d, m[0], m[1], m[2], m[3], true),
                    vectorGradient(d, m[0], m[1], m[2], m[3], Parallel.SERIAL), false))
                    .as("-V B terms first, d=%d", d).isPositive();
        }
    }

    private static double[] vectorGram(int d, double[] a, double[] b, boolean symmetric, Parallel p) {
        double[] out = new double[d * d];
        java.util.Arrays.fill(out, Double.NaN);   // arbitrary contents: every defined element must be written
        new VectorPopulation().gram(d, a, b, symmetric, out, p, new Scratch());
        return out;
    }

    private static double[] vectorGradient(int d, double[] u, double[] a, double[] v, double[] b, Parallel p) {
        double[] out = new double[d * d];
        java.util.Arrays.fill(out, Double.NaN);
        new VectorPopulation().gradientProduct(d, u, a, v, b, out, p, new Scratch());
        return out;
    }

    /** The contract's Gram chain from term {@code first} (0: the contract), or reversed. */
    private static double[] gramChain(int d, double[] a, double[] b, int first, boolean reversed) {
        double[] out = new double[d * d];
        for (int i = 0; i < d; i++) {
            for (int k = 0; k < d; k++) {
                double acc = 0.0;
                for (int t = first; t < d; t++) {
                    int r = reversed ? d - 1 - t : t;
                    acc = Math.fma(a[r * d + i], b[r * d + k], acc);
                }
                out[i * d + k] = acc;
            }
        }
        return out;
    }

    /** The contract's gradient chain ({@code U A} terms, then {@code -V B}), or with the halves swapped. */
    private static double[] gradientChain(int d, double[] u, double[] a, double[] v, double[] b, boolean swapped) {
        double[] out = new double[d * d];
        for (int r = 0; r < d; r++) {
            for (int j = 0; j < d; j++) {
                double acc = 0.0;
                for (int half = 0; half < 2; half++) {
                    boolean uTerms = (half == 0) != swapped;
                    for (int k = 0; k < d; k++) {
                        acc = uTerms ? Math.fma(u[r * d + k], a[k * d + j], acc)
                                : Math.fma(-v[r * d + k], b[k * d + j], acc);
                    }
                }
                out[r * d + j] = acc;
            }
        }
        return out;
    }

    /** Defined elements (symmetric: {@code k >= i}) whose bits differ. */
    private static int mismatches(int d, double[] want, double[] got, boolean symmetric) {
        int n = 0;
        for (int i = 0; i < d; i++) {
            for (int k = symmetric ? i : 0; k < d; k++) {
                if (Double.doubleToRawLongBits(want[i * d + k]) != Double.doubleToRawLongBits(got[i * d + k])) {
                    n++;
                }
            }
        }
        return n;
    }

    private static double[] matrix(int d, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed * 1_000_003L + d);
        double[] m = new double[d * d];
        for (int i = 0; i < m.length; i++) {
            m[i] = rnd.nextGaussian() / Math.sqrt(d) + (i % (d + 1) == 0 ? 1.0 : 0.0);
        }
        return m;
    }
}
