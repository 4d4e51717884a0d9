package io.idrelu.sgd;

import io.idrelu.kernel.KernelProvider;
import io.idrelu.kernel.ScalarFloatKernel;
import io.idrelu.kernel.ScalarKernel;
import io.idrelu.model.GaussianSampler;
import io.idrelu.model.Problem;
import org.junit.jupiter.api.Test;

import java.nio.ReadOnlyBufferException;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

/** Determinism and stream consumption of online SGD ([LY17] Theorem 3.1 dynamics). */
class OnlineSgdTest {
    @Test
    void sameSeedSameKernelSameBits() {
        qt().withExamples(10).withShrinkCycles(0)
                .forAll(integers().between(1, 20), integers().between(1, 8), booleans().all(), longs().all())
                .checkAssert((d, batch, identity, seed) -> {
                    Problem p = Problem.random(d, 0.3, seed, identity);
                    double[] a = run(p, batch, seed, KernelProvider.Choice.AUTO);
                    double[] b = run(p, batch, seed, KernelProvider.Choice.AUTO);
                    double[] s = run(p, batch, seed, KernelProvider.Choice.SCALAR);
                    assertThat(a).isEqualTo(b);
                    // the vector kernel is bit-identical to scalar, so whole trajectories are too
                    assertThat(a).isEqualTo(s);
                    OnlineSgdFloat f1 = new OnlineSgdFloat(KernelProvider.floatKernel(KernelProvider.Choice.AUTO), p, batch, 0.01, seed);
                    OnlineSgdFloat f2 = new OnlineSgdFloat(new ScalarFloatKernel(), p, batch, 0.01, seed);
                    f1.run(20, null);
                    f2.run(20, null);
                    assertThat(f1.weights()).isEqualTo(f2.weights());
                });
    }

    private static double[] run(Problem p, int batch, long seed, KernelProvider.Choice choice) {
        OnlineSgd sgd = new OnlineSgd(KernelProvider.doubleKernel(choice), p, batch, 0.01, seed);
        sgd.run(25, null);
        return sgd.weights();
    }

    @Test
    void stepConsumesTheNextBatchOfTheSeededStream() {
        Problem p = Problem.random(5, 0.3, 3, true);
        int batch = 4;
        OnlineSgd sgd = new OnlineSgd(new ScalarKernel(), p, batch, 0.05, 99);
        List<Double> losses = new ArrayList<>();
        int done = sgd.run(10, (t, loss, w) -> {
            losses.add(loss);
            assertThatThrownBy(() -> w.put(0, 1.0)).isInstanceOf(ReadOnlyBufferException.class);
            return t < 3;  // stop early
        });
        assertThat(done).isEqualTo(3);
        assertThat(sgd.steps()).isEqualTo(3);
        // replay by hand: step t uses normals [t*B*d, (t+1)*B*d) of GaussianSampler(99)
        GaussianSampler s = new GaussianSampler(99);
        ScalarKernel k = new ScalarKernel();
        double[] w = p.w0();
        for (int t = 0; t < 3; t++) {
            double[] x = s.batch(batch, 5);
            double loss = k.sgdStep(5, true, w, p.wStar(), x, batch, 0.05, k.newScratch(5, batch));
            assertThat(loss).isEqualTo(losses.get(t));
        }
        assertThat(sgd.weights()).isEqualTo(w);
    }

    @Test
    void rejectsBadArguments() {
        Problem p = Problem.random(3, 0.3, 1, true);
        assertThatThrownBy(() -> new OnlineSgd(new ScalarKernel(), p, 0, 0.1, 1)).hasMessageContaining("batch = 0");
        assertThatThrownBy(() -> new OnlineSgd(new ScalarKernel(), p, 1, -1, 1)).hasMessageContaining("eta = -1");
    }
}
