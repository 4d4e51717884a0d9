package io.idrelu.kernel;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.arbitrary;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

/**
 * Lane-wise agreement (DESIGN.md, JDK Vector API test practice): the vector kernels equal the scalar
 * kernels bit for bit on every batch quantity and on the fused SGD step, at sizes that are not
 * multiples of the lane count, on Gaussian and on planted near-kink inputs; the population closed
 * form too (its O(d^3) work is lane-wise, its reductions shared scalar code).
 */
class VectorAgreementTest {
    /** DESIGN.md sweep; none is a multiple of 4, 8 or 16 lanes. */
    static final List<Integer> SIZES = List.of(1, 3, 7, 13, 100, 257);

    private Kernel vector;
    private FloatKernel vectorFloat;

    @BeforeEach
    void vectorModule() {
        assumeTrue(KernelProvider.vectorAvailable(), () -> "skipped: " + KernelProvider.unavailableReason());
        vector = KernelProvider.doubleKernel(KernelProvider.Choice.VECTOR);
        vectorFloat = KernelProvider.floatKernel(KernelProvider.Choice.VECTOR);
    }

    private static int batchFor(int d, int b) {
        return d > 100 ? 1 + b % 6 : b;  // keep 257 cheap
    }

    @Test
    void batchQuantitiesBitIdenticalOnGaussianInput() {
        Kernel scalar = new ScalarKernel();
        FloatKernel scalarFloat = new ScalarFloatKernel();
        qt().withExamples(40).withShrinkCycles(0)
                .forAll(arbitrary().pick(SIZES), integers().between(1, 11), booleans().all(), longs().all())
                .checkAssert((d, b, identity, seed) -> {
                    Cases.Case c = Cases.gaussian(d, batchFor(d, b), identity, seed);
                    assertThat(Agreement.firstDifference(scalar, vector, c)).as("double %s", c).isNull();
                    assertThat(Agreement.firstDifference(scalarFloat, vectorFloat, c)).as("float %s", c).isNull();
                });
    }

    @Test
    void batchQuantitiesBitIdenticalNearTheKink() {
        Kernel scalar = new ScalarKernel();
        FloatKernel scalarFloat = new ScalarFloatKernel();
        AtomicInteger exactZero = new AtomicInteger();
        AtomicInteger tinyPositive = new AtomicInteger();
        AtomicInteger tinyNegative = new AtomicInteger();
        AtomicInteger active = new AtomicInteger();
        AtomicInteger inactive = new AtomicInteger();
        qt().withExamples(40).withShrinkCycles(0)
                .forAll(arbitrary().pick(SIZES), integers().between(1, 11), booleans().all(), longs().all())
                .checkAssert((d, b, identity, seed) -> {
                    Cases.Case c = Cases.nearKink(d, batchFor(d, b), identity, seed);
                    double[] h = new double[c.batch * d];
                    scalar.preActivations(d, identity, c.w, c.x, c.batch, h);
                    for (double v : h) {
                        if (v == 0) {
                            exactZero.incrementAndGet();
                        } else if (Math.abs(v) < 1e-12) {
                            (v > 0 ? tinyPositive : tinyNegative).incrementAndGet();
                        }
                        (v > 0 ? active : inactive).incrementAndGet();
                    }
                    assertThat(Agreement.firstDifference(scalar, vector, c)).as("double %s", c).isNull();
                    assertThat(Agreement.firstDifference(scalarFloat, vectorFloat, c)).as("float %s", c).isNull();
                });
        // Coverage: the generated cases really hit the kink, both sides of it, and both states.
        assertThat(exactZero.get()).isPositive();
        assertThat(tinyPositive.get()).isPositive();
        assertThat(tinyNegative.get()).isPositive();
        assertThat(active.get()).isGreaterThan(100);
        assertThat(inactive.get()).isGreaterThan(100);
    }

    @Test
    void populationBitIdentical() {
        Kernel scalar = new ScalarKernel();
        FloatKernel scalarFloat = new ScalarFloatKernel();
        qt().withExamples(12).withShrinkCycles(0)
                .forAll(arbitrary().pick(List.of(1, 3, 7, 13, 40)), booleans().all(), longs().all())
                .checkAssert((d, identity, seed) -> assertPopulationIdentical(scalar, scalarFloat, Cases.gaussian(d, 1, identity, seed)));
        assertPopulationIdentical(scalar, scalarFloat, Cases.gaussian(100, 1, true, 7));
    }

    private void assertPopulationIdentical(Kernel scalar, FloatKernel scalarFloat, Cases.Case c) {
        int d = c.d;
        double[] gs = new double[d * d];
        double[] gv = new double[d * d];
        double ls = scalar.populationLossAndGradient(d, c.identity, c.w, c.wStar, gs);
        double lv = vector.populationLossAndGradient(d, c.identity, c.w, c.wStar, gv);
        assertThat(Agreement.diff("population loss", new double[] {ls}, new double[] {lv})).as("%s", c).isNull();
        assertThat(Agreement.diff("population gradient", gs, gv)).as("%s", c).isNull();
        float[] w = io.idrelu.model.Matrices.toFloat(c.w);
        float[] ws = io.idrelu.model.Matrices.toFloat(c.wStar);
        float[] fs = new float[d * d];
        float[] fv = new float[d * d];
        float lfs = scalarFloat.populationLossAndGradient(d, c.identity, w, ws, fs);
        float lfv = vectorFloat.populationLossAndGradient(d, c.identity, w, ws, fv);
        assertThat(Agreement.diff("float population loss", new float[] {lfs}, new float[] {lfv})).as("%s", c).isNull();
        assertThat(Agreement.diff("float population gradient", fs, fv)).as("%s", c).isNull();
    }

    @Test
    void fixedSweepOfAllSizes() {
        Kernel scalar = new ScalarKernel();
        for (int d : SIZES) {
            for (boolean identity : new boolean[] {true, false}) {
                Cases.Case c = Cases.nearKink(d, batchFor(d, 5), identity, 31L * d);
                assertThat(Agreement.firstDifference(scalar, vector, c)).as("%s", c).isNull();
            }
        }
    }

    /** Negative controls: the same check must catch each injected bug (and pass the unbugged copy). */
    @ParameterizedTest
    @EnumSource(MutantKernel.Bug.class)
    void checkDetectsInjectedBugs(MutantKernel.Bug bug) {
        // d = 14: the last coordinate is odd, so the planted rows keep it nonzero and a dropped tail term shows.
        Cases.Case c = Cases.nearKink(14, 9, true, 5);
        String vsVector = Agreement.firstDifference(vector, new MutantKernel(bug), c);
        String vsScalar = Agreement.firstDifference(new ScalarKernel(), new MutantKernel(bug), c);
        if (bug == MutantKernel.Bug.NONE) {
            assertThat(vsVector).isNull();
            assertThat(vsScalar).isNull();
        } else {
            assertThat(vsVector).as("bug %s must be detected", bug).isNotNull();
            assertThat(vsScalar).as("bug %s must be detected", bug).isNotNull();
        }
    }
}
