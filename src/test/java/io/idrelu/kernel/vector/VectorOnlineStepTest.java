package io.idrelu.kernel.vector;

import io.idrelu.kernel.Kernel;
import io.idrelu.kernel.KernelProvider;
import io.idrelu.kernel.ScalarKernel;
import io.idrelu.model.GaussianSampler;
import io.idrelu.model.Problem;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * One fused online step ({@link VectorOnlineStep#fusedStep}) at every size with every tail shape of the vector
 * blocking (full vectors, the half-width vector {@link VectorOnlineStep#H}, scalar columns, rows past the last four):
 * the updated {@code W} is {@link ScalarKernel#sgdStep}'s at batch 1 bit for bit, and the next sample's chains are
 * computed from scratch against that {@code W}. Negative control: chains against the {@code W} before the update
 * differ in every column the step changed, tail columns included (a tail that fed the old weights into the next
 * chain, or skipped the store, would pass an equality test of {@code W} alone, but not this).
 */
class VectorOnlineStepTest {
    /** 1..24 covers every remainder mod 8 (and mod 4) twice; 100 is the benchmark size (tail of four = one half vector). */
    static final int[] SIZES = IntStream.concat(IntStream.rangeClosed(1, 24), IntStream.of(100, 101, 103)).toArray();

    @BeforeEach
    void vectorModule() {
        assumeTrue(KernelProvider.vectorAvailable(), () -> "skipped: " + KernelProvider.unavailableReason());
    }

    @Test
    void sizesCoverEveryTail() {
        int l = VectorKernel.L;
        assertThat(Arrays.stream(SIZES).boxed().toList())
                .anyMatch(d -> d % l == 0 && d >= l)                                    // full vectors only
                .anyMatch(d -> l >= 4 && d % l == l / 2 && d > l)                       // exactly one half vector
                .anyMatch(d -> l >= 4 && d % l > l / 2)                                 // half vector and scalars
                .anyMatch(d -> d % l > 0 && d % l < l / 2)                              // scalars only
                .anyMatch(d -> d % 4 != 0 && d > 4)                                     // rows past the last four
                .anyMatch(d -> d < l / 2);                                              // no vector at all
    }

    @Test
    void fusedStepEqualsScalarStepAndNextChains() {
        VectorOnlineStep fused = new VectorOnlineStep();
        ScalarKernel scalar = new ScalarKernel();
        int tailColumnsChanged = 0;
        for (int d : SIZES) {
            for (boolean identity : new boolean[] {true, false}) {
                Problem p = Problem.random(d, 0.3, 31L * d, identity);
                double eta = 0.01;
                double[] xs = new GaussianSampler(5L * d).batch(2, d);
                double[] fTeacher = new double[1];
                fused.teacherOutputs(d, p.wStar(), xs, 1, new double[d], fTeacher);
                double[] w = p.w0();
                double[] before = w.clone();
                double[] h = new double[d];
                fused.studentChains(d, w, xs, 0, h);
                double[] hNext = new double[d];
                double loss = fused.fusedStep(d, identity, w, xs, 0, fTeacher[0], eta, h, new double[d], d, hNext);

                double[] expected = p.w0();
                Kernel.Scratch scratch = scalar.newScratch(d, 1);
                double expectedLoss = scalar.sgdStep(d, identity, expected, p.wStar(), Arrays.copyOf(xs, d), 1, eta,
                        scratch);
                assertThat(loss).as("loss d=%d identity=%s", d, identity).isEqualTo(expectedLoss);
                assertThat(bits(w)).as("W d=%d identity=%s", d, identity).isEqualTo(bits(expected));

                double[] chains = new double[d];
                fused.studentChains(d, expected, xs, d, chains);
                assertThat(bits(hNext)).as("next chains d=%d identity=%s", d, identity).isEqualTo(bits(chains));

                // negative control: the chains against the old W differ wherever the step changed a column
                double[] stale = new double[d];
                fused.studentChains(d, before, xs, d, stale);
                int changed = 0;
                for (int j = 0; j < d; j++) {
                    if (columnChanged(w, before, d, j)) {
                        changed++;
                        assertThat(hNext[j]).as("control d=%d column %d", d, j).isNotEqualTo(stale[j]);
                    }
                }
                if (d >= 8) {
                    assertThat(changed).as("the step changed some columns, d=%d", d).isPositive();
                }
                for (int j = VectorKernel.S.loopBound(d); j < d; j++) {
                    tailColumnsChanged += columnChanged(w, before, d, j) ? 1 : 0;
                }
            }
        }
        assertThat(tailColumnsChanged).as("the step changed columns past the full vectors").isGreaterThan(10);
    }

    /**
     * The selects {@code v > 0 ? v : 0} (output) and {@code h > 0 ? c : 0} (mask) at special pre-activations, in the
     * vector lanes and the scalar tail: NaN and -0.0 count as inactive, exactly as the contract's scalar code. The
     * expected values are that code written out here. Negative control: {@code Math.max(v, 0)} as the ReLU (a
     * tempting branch-free rewrite) gives a different loss on the same data (NaN propagates).
     */
    @Test
    void selectsAtSpecialPreActivations() {
        int d = VectorKernel.L + 3;
        double[] special = {Double.NaN, -0.0, 0.0, -1.5, 2.0, Double.MIN_VALUE, -Double.MIN_VALUE, 0.75};
        double[] h = new double[d];
        for (int j = 0; j < d; j++) {
            h[j] = special[(j * 3) % special.length];
        }
        assertThat(Arrays.stream(h, loopBound(d), d).anyMatch(Double::isNaN)
                || Arrays.stream(h, loopBound(d), d).anyMatch(v -> Double.doubleToRawLongBits(v) == Long.MIN_VALUE))
                .as("a special value in the scalar tail").isTrue();
        double[] xs = new GaussianSampler(3).batch(2, d);
        Problem p = Problem.random(d, 0.3, 3, false);
        double eta = 0.01;
        double fTeacher = 0.5;

        double f = 0.0;
        double fMax = 0.0;
        for (double v : h) {
            f += v > 0 ? v : 0.0;
            fMax += Math.max(v, 0.0);
        }
        double res = f - fTeacher;
        double c = 2.0 * res;
        double[] expected = p.w0();
        for (int r = 0; r < d; r++) {
            for (int j = 0; j < d; j++) {
                double m = h[j] > 0 ? c : 0.0;
                expected[r * d + j] = Math.fma(-eta, Math.fma(xs[r], m, 0.0), expected[r * d + j]);
            }
        }

        double[] w = p.w0();
        double loss = new VectorOnlineStep().fusedStep(d, false, w, xs, 0, fTeacher, eta, h.clone(), new double[d], d,
                new double[d]);
        assertThat(loss).isEqualTo(Math.fma(res, res, 0.0)).isFinite();
        assertThat(bits(w)).isEqualTo(bits(expected));
        double resMax = fMax - fTeacher;
        assertThat(Math.fma(resMax, resMax, 0.0)).as("control: max(v, 0) as the ReLU").isNotEqualTo(loss);
    }

    private static int loopBound(int d) {
        return VectorKernel.S.loopBound(d);
    }

    private static boolean columnChanged(double[] w, double[] before, int d, int j) {
        return IntStream.range(0, d).anyMatch(r -> w[r * d + j] != before[r * d + j]);
    }

    private static long[] bits(double[] v) {
        return Arrays.stream(v).mapToLong(Double::doubleToRawLongBits).toArray();
    }
}
