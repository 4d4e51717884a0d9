package io.idrelu.sgd;

import io.idrelu.kernel.FloatKernel;
import io.idrelu.kernel.Kernel;
import io.idrelu.kernel.KernelProvider;
import io.idrelu.kernel.OnlineFusion;
import io.idrelu.kernel.OnlineFusionFloat;
import io.idrelu.kernel.Parallel;
import io.idrelu.kernel.ScalarFloatKernel;
import io.idrelu.kernel.ScalarKernel;
import io.idrelu.model.Problem;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The fused batch-1 step ({@link FusedOnlineSteps}: samples drawn ahead, teacher outputs as one product, update of
 * step t fused with the forward of step t+1) gives the same trajectory bit for bit as the unfused step
 * ({@link ScalarKernel}'s contract, [LY17] Theorem 3.1 dynamics): long runs crossing several sample blocks, both
 * precisions, identity and vanilla, at sizes with and without tails of the four-row and vector blocking; runs stopped
 * and resumed mid-block too. Negative control: a trajectory one ulp of eta away differs.
 */
class FusedOnlineTest {
    static final int[] SIZES = {1, 3, 7, 13, 37, 64, 100};
    static final int STEPS = 3 * FusedOnlineSteps.BLOCK + 7;
    /** At d = 1 and 3 a unit may stay inactive for the whole run, so eta cannot matter there; controls from d = 7. */
    static final int CONTROL_FROM_D = 7;

    private Kernel vector;
    private FloatKernel vectorFloat;

    @BeforeEach
    void vectorModule() {
        assumeTrue(KernelProvider.vectorAvailable(), () -> "skipped: " + KernelProvider.unavailableReason());
        vector = KernelProvider.doubleKernel(KernelProvider.Choice.VECTOR);
        vectorFloat = KernelProvider.floatKernel(KernelProvider.Choice.VECTOR);
        assertThat(vector).as("the vector kernel offers the fused path").isInstanceOf(OnlineFusion.class);
        assertThat(vectorFloat).isInstanceOf(OnlineFusionFloat.class);
        assertThat(new ScalarKernel()).as("the scalar kernel runs the unfused step").isNotInstanceOf(OnlineFusion.class);
    }

    @Test
    void sizesCoverTails() {
        assertThat(java.util.Arrays.stream(SIZES).boxed().toList()).anyMatch(d -> d % 4 != 0 && d > 4)
                .anyMatch(d -> d % 4 == 0).anyMatch(d -> d < 4).anyMatch(d -> d % 8 != 0 && d > 8);
        assertThat(STEPS).isGreaterThan(2 * FusedOnlineSteps.BLOCK).matches(n -> n % FusedOnlineSteps.BLOCK != 0);
    }

    @Test
    void doubleFusedEqualsUnfused() {
        for (int d : SIZES) {
            for (boolean identity : new boolean[] {true, false}) {
                Problem p = Problem.random(d, 0.3, 17L * d, identity);
                double eta = 0.1 / (d * d + 10);  // batch 1: stable below about 1/d^2
                List<Double> fusedLoss = new ArrayList<>();
                List<Double> plainLoss = new ArrayList<>();
                OnlineSgd fused = new OnlineSgd(vector, p, 1, eta, 9);
                // stop and resume mid-block: the drawn-ahead samples carry over
                fused.run(50, (t, l, w) -> fusedLoss.add(l));
                fused.run(STEPS - 50, (t, l, w) -> fusedLoss.add(l));
                OnlineSgd plain = new OnlineSgd(new ScalarKernel(), p, 1, eta, 9);
                plain.run(STEPS, (t, l, w) -> plainLoss.add(l));
                assertThat(fusedLoss).as("losses d=%d identity=%s", d, identity).isEqualTo(plainLoss);
                assertThat(bits(fused.weights())).as("weights d=%d identity=%s", d, identity)
                        .isEqualTo(bits(plain.weights()));
                assertThat(plainLoss).as("a finite, non-degenerate trajectory").allMatch(Double::isFinite);
                try (Parallel two = new Parallel(2)) {   // two threads: the unfused vector step
                    OnlineSgd threaded = new OnlineSgd(vector, p, 1, eta, 9, two);
                    threaded.run(STEPS, null);
                    assertThat(bits(threaded.weights())).isEqualTo(bits(fused.weights()));
                }
                if (d >= CONTROL_FROM_D) {
                    OnlineSgd control = new OnlineSgd(vector, p, 1, Math.nextUp(eta), 9);
                    control.run(STEPS, null);
                    assertThat(bits(control.weights())).as("control d=%d", d).isNotEqualTo(bits(plain.weights()));
                }
            }
        }
    }

    @Test
    void floatFusedEqualsUnfused() {
        for (int d : SIZES) {
            for (boolean identity : new boolean[] {true, false}) {
                Problem p = Problem.random(d, 0.3, 19L * d, identity);
                double eta = 0.1 / (d * d + 10);  // batch 1: stable below about 1/d^2
                List<Float> fusedLoss = new ArrayList<>();
                List<Float> plainLoss = new ArrayList<>();
                OnlineSgdFloat fused = new OnlineSgdFloat(vectorFloat, p, 1, eta, 9);
                fused.run(50, (t, l, w) -> fusedLoss.add(l));
                fused.run(STEPS - 50, (t, l, w) -> fusedLoss.add(l));
                OnlineSgdFloat plain = new OnlineSgdFloat(new ScalarFloatKernel(), p, 1, eta, 9);
                plain.run(STEPS, (t, l, w) -> plainLoss.add(l));
                assertThat(fusedLoss).as("losses d=%d identity=%s", d, identity).isEqualTo(plainLoss);
                assertThat(bits(fused.weights())).as("weights d=%d identity=%s", d, identity)
                        .isEqualTo(bits(plain.weights()));
                assertThat(plainLoss).as("a finite, non-degenerate trajectory").allMatch(Float::isFinite);
                if (d >= CONTROL_FROM_D) {
                    OnlineSgdFloat control = new OnlineSgdFloat(vectorFloat, p, 1, eta * 1.001, 9);
                    control.run(STEPS, null);
                    assertThat(bits(control.weights())).as("control d=%d", d).isNotEqualTo(bits(plain.weights()));
                }
            }
        }
    }

    private static long[] bits(double[] w) {
        long[] b = new long[w.length];
        for (int i = 0; i < w.length; i++) {
            b[i] = Double.doubleToRawLongBits(w[i]);
        }
        return b;
    }

    private static int[] bits(float[] w) {
        int[] b = new int[w.length];
        for (int i = 0; i < w.length; i++) {
            b[i] = Float.floatToRawIntBits(w[i]);
        }
        return b;
    }
}
