package io.idrelu.kernel.vector;

import io.idrelu.kernel.KernelProvider;
import io.idrelu.kernel.ScalarKernel;
import io.idrelu.model.GaussianSampler;
import io.idrelu.model.Problem;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The fused pass's gradient selected with a bitwise and ({@code fma(x[r], c, 0) & lanes}) instead of the contract's
 * {@code fma(x[r], m[j], 0)}: bit for bit {@link ScalarKernel#sgdStep} at batch 1 on the values where the two could
 * part: signed zeros and subnormals in {@code W} and {@code x}, {@code c = 0} (teacher output equal to the student's),
 * and non-finite {@code x} (where {@code x * 0} is NaN, so the kernel must take the contract's pass). Negative
 * controls: the selection with every lane on changes inactive columns, and the selection run on a non-finite sample
 * (the finiteness check bypassed) gives other bits than the contract.
 */
class SelectedGradientOnlineStepTest {
    private int L;
    private int[] SIZES;

    @BeforeEach
    void vectorModule() {
        assumeTrue(KernelProvider.vectorAvailable(), () -> "skipped: " + KernelProvider.unavailableReason());
        L = VectorKernel.L;
        int block = VectorOnlineStep.BLOCK_VECTORS * L;
        SIZES = new int[] {L - 1, 4 * L + 3, block + L + 3, 100, 256};
    }

    @Test
    void sizesCoverBlocksVectorsAndScalarColumns() {
        int block = VectorOnlineStep.BLOCK_VECTORS * L;
        assertThat(Arrays.stream(SIZES).boxed().toList())
                .anyMatch(d -> d < L)                                   // scalar columns only
                .anyMatch(d -> d < block && d / L == 4 && d % L > 0)    // a block of four, then scalar columns
                .anyMatch(d -> d > block && d % block / L == 1)         // a block of eight, then a single vector
                .anyMatch(d -> d == 256);                               // the benchmark size: blocks of eight only
    }

    @Test
    void edgeValuesEqualScalarStep() {
        int cases = 0;
        for (int d : SIZES) {
            for (int variant = 0; variant < 4; variant++) {
                double[][] io = setUp(d, variant);
                double[] w = io[0];
                double[] xs = io[1];
                assertStepEqualsScalar(d, w, xs, io[2], "d=" + d + " variant=" + variant);
                cases++;
            }
        }
        assertThat(cases).isEqualTo(4 * SIZES.length);
    }

    @Test
    void nonFiniteSampleTakesTheContractPass() {
        for (int d : SIZES) {
            for (double bad : new double[] {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN}) {
                double[][] io = setUp(d, 0);
                io[1][d / 2] = bad;                 // one row of this sample
                io[1][d + d / 3] = bad == bad ? -bad : bad;  // and of the next: only its chains see it
                assertStepEqualsScalar(d, io[0], io[1], io[2], "d=" + d + " x=" + bad);
            }
        }
    }

    @Test
    void controlEveryLaneSelectedChangesInactiveColumns() {
        for (int d : new int[] {L - 1 + 4 * L, 256}) {
            double[][] io = setUp(d, 0);
            double[] expected = scalarStep(d, io[0], io[1], io[2]);
            double[] w = io[0].clone();
            double[] v = preActivations(d, w, io[1]);
            double[] ones = new double[d];
            Arrays.fill(ones, Double.longBitsToDouble(-1L));
            double c = cOf(d, v, teacher(d, io[2], io[1]));
            VectorOnlineStep.updateAndForward(d, w, 0, io[1], 0, 0.01, c, v, ones, d, new double[d]);
            assertThat(bits(w)).as("all lanes on, d=%d", d).isNotEqualTo(bits(expected));
            // the same call with the right lanes is the contract (so only the lanes made the difference)
            double[] w2 = io[0].clone();
            VectorOnlineStep.updateAndForward(d, w2, 0, io[1], 0, 0.01, c, v, lanes(v), d, new double[d]);
            assertThat(bits(w2)).as("right lanes, d=%d", d).isEqualTo(bits(expected));
        }
    }

    @Test
    void controlSelectionOnNonFiniteSampleBreaksTheContract() {
        int d = 256;
        double[][] io = setUp(d, 0);
        io[1][7] = Double.POSITIVE_INFINITY;
        double[] expected = scalarStep(d, io[0], io[1], io[2]);
        double[] w = io[0].clone();
        double[] v = preActivations(d, w, io[1]);
        VectorOnlineStep.updateAndForward(d, w, 0, io[1], 0, 0.01, cOf(d, v, teacher(d, io[2], io[1])), v, lanes(v), d,
                new double[d]);
        assertThat(bits(w)).isNotEqualTo(bits(expected));
    }

    /** W, two samples and a teacher output; variants put signed zeros and subnormals into W and x. */
    private static double[][] setUp(int d, int variant) {
        Problem p = Problem.random(d, 0.3, 31L * d + variant, true);
        double[] w = p.w0();
        double[] xs = new GaussianSampler(7L * d + variant).batch(2, d);
        if (variant >= 2) {
            for (int i = 0; i < w.length; i += 5) {
                w[i] = (i / 5) % 2 == 0 ? -0.0 : 0.0;
            }
            for (int i = 1; i < w.length; i += 11) {
                w[i] = (i % 2 == 0 ? 1 : -1) * Double.MIN_VALUE * (i % 7);
            }
            for (int r = 0; r < 2 * d; r += 3) {
                xs[r] = r % 2 == 0 ? -0.0 : 0.0;
            }
        }
        if (variant == 3) {
            xs[d - 1] = -Double.MIN_VALUE;
        }
        // variant 1: the teacher is the student (c = +0: every gradient is a zero)
        return new double[][] {w, xs, variant == 1 ? w.clone() : p.wStar()};
    }

    private static double teacher(int d, double[] wStar, double[] xs) {
        double[] out = new double[1];
        new VectorOnlineStep().teacherOutputs(d, wStar, xs, 1, new double[d], out);
        return out[0];
    }

    private void assertStepEqualsScalar(int d, double[] w0, double[] xs, double[] wStar, String what) {
        VectorOnlineStep fused = new VectorOnlineStep();
        double fTeacher = teacher(d, wStar, xs);
        double[] w = w0.clone();
        double[] h = new double[d];
        fused.studentChains(d, w, 0, xs, 0, h);
        double[] hNext = new double[d];
        double loss = fused.fusedStep(d, true, w, 0, xs, 0, fTeacher, 0.01, h, new double[d], d, hNext);
        double[] expected = w0.clone();
        double expectedLoss = new ScalarKernel().sgdStep(d, true, expected, wStar, Arrays.copyOf(xs, d), 1, 0.01,
                new ScalarKernel().newScratch(d, 1));
        assertThat(Double.doubleToRawLongBits(loss)).as("loss " + what)
                .isEqualTo(Double.doubleToRawLongBits(expectedLoss));
        assertThat(bits(w)).as("W " + what).isEqualTo(bits(expected));
        double[] chains = new double[d];
        for (int j = 0; j < d; j++) {
            for (int r = 0; r < d; r++) {
                chains[j] = Math.fma(xs[d + r], expected[r * d + j], chains[j]);
            }
        }
        assertThat(bits(hNext)).as("next chains " + what).isEqualTo(bits(chains));
    }

    private static double[] scalarStep(int d, double[] w0, double[] xs, double[] wStar) {
        double[] w = w0.clone();
        new ScalarKernel().sgdStep(d, true, w, wStar, Arrays.copyOf(xs, d), 1, 0.01, new ScalarKernel().newScratch(d, 1));
        return w;
    }

    private static double[] preActivations(int d, double[] w, double[] xs) {
        double[] v = new double[d];
        for (int j = 0; j < d; j++) {
            double acc = 0.0;
            for (int r = 0; r < d; r++) {
                acc = Math.fma(xs[r], w[r * d + j], acc);
            }
            v[j] = acc + xs[j];
        }
        return v;
    }

    private static double cOf(int d, double[] v, double fTeacher) {
        double f = 0.0;
        for (int j = 0; j < d; j++) {
            f += v[j] > 0 ? v[j] : 0.0;
        }
        return (2.0 * (f - fTeacher)) / 1;
    }

    private static double[] lanes(double[] v) {
        double[] m = new double[v.length];
        for (int j = 0; j < v.length; j++) {
            m[j] = v[j] > 0 ? Double.longBitsToDouble(-1L) : 0.0;
        }
        return m;
    }

    private static long[] bits(double[] a) {
        return Arrays.stream(a).mapToLong(Double::doubleToRawLongBits).toArray();
    }
}
