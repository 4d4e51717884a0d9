package io.idrelu.kernel;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.arbitrary;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.longs;

/**
 * {@link Scratch}: a population evaluation reuses the previous one's work arrays without clearing them, so every
 * array it reads must have been written in this evaluation. One long-lived kernel evaluates a sequence of problems
 * (sizes, identity or vanilla, W = W* where Kahan's formula takes over, with and without the gradient) and each
 * result must have the bits of a fresh kernel's. Negative control: a gram that assumes zeroed output (accumulates
 * into it) is right on a fresh instance and wrong on the second evaluation of a reused one.
 */
class ScratchReuseTest {

    @Test
    void aReusedKernelGivesAFreshKernelsBits() {
        Kernel scalar = new ScalarKernel();
        Kernel vector = freshVector();
        int[] compared = {0};
        qt().withExamples(30).withShrinkCycles(0)
                .forAll(arbitrary().pick(List.of(1, 5, 13, 37)), booleans().all(), booleans().all(), longs().all())
                .checkAssert((d, identity, atOptimum, seed) -> {
                    Cases.Case c = Cases.gaussian(d, 1, identity, seed);
                    double[] w = atOptimum ? c.wStar.clone() : c.w;
                    for (Kernel k : vector == null ? List.of(scalar) : List.of(scalar, vector)) {
                        double[] g = new double[d * d];
                        double loss = k.populationLossAndGradient(d, identity, w, c.wStar, g);
                        Kernel fresh = k == scalar ? new ScalarKernel() : freshVector();
                        double[] gf = new double[d * d];
                        double lossFresh = fresh.populationLossAndGradient(d, identity, w, c.wStar, gf);
                        assertThat(loss).as("loss, %s, d=%d", k.name(), d).isEqualTo(lossFresh);
                        assertThat(g).as("gradient, %s, d=%d", k.name(), d).isEqualTo(gf);
                        assertThat(k.populationLossAndGradient(d, identity, w, c.wStar, null))
                                .as("loss without gradient, %s", k.name()).isEqualTo(lossFresh);
                        compared[0]++;
                    }
                });
        assertThat(compared[0]).isGreaterThanOrEqualTo(30);
        // without the Vector API (-Pscalar) only the scalar half ran: reported as skipped, not as passed
        org.junit.jupiter.api.Assumptions.assumeTrue(vector != null,
                () -> "the vector kernel was not checked: " + KernelProvider.unavailableReason());
    }

    /** A new vector kernel (not the provider's shared one), or {@code null} without the Vector API. */
    private static Kernel freshVector() {
        if (!KernelProvider.vectorAvailable()) {
            return null;
        }
        try {
            return (Kernel) Class.forName("io.idrelu.kernel.vector.VectorKernel").getConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aGramAssumingZeroedOutputIsCaughtOnReuse() {
        PopulationClosedForm accumulating = new PopulationClosedForm() {
            @Override
            protected void gram(int d, double[] a, double[] b, boolean symmetric, double[] out, Parallel parallel,
                                Scratch scratch) {
                for (int i = 0; i < d; i++) {
                    for (int k = 0; k < d; k++) {
                        for (int r = 0; r < d; r++) {
                            out[i * d + k] = Math.fma(a[r * d + i], b[r * d + k], out[i * d + k]);
                        }
                    }
                }
            }
        };
        Cases.Case c = Cases.gaussian(5, 1, true, 9);
        double want = new PopulationClosedForm().lossAndGradient(5, true, c.w, c.wStar, null);
        assertThat(accumulating.lossAndGradient(5, true, c.w, c.wStar, null)).as("first use: fresh arrays").isEqualTo(want);
        assertThat(accumulating.lossAndGradient(5, true, c.w, c.wStar, null)).as("second use: stale arrays")
                .isNotEqualTo(want);
    }
}
