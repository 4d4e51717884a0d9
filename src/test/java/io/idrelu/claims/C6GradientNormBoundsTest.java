package io.idrelu.claims;

import io.idrelu.kernel.Kernel;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

/** Claim C6 (gradient norm bounds for [LY17] Theorem 3.1): exponent decision, negative controls, coverage. */
class C6GradientNormBoundsTest {
    private static final Kernel KERNEL = TestKernels.kernel();
    private static final double GAMMA = 0.2;
    private static final double[] T = {1e-3, 1e-2, 1e-1};

    private static ClaimContext ctx(Kernel k) {
        return ClaimContext.of(k, null, 20171109L, Preset.QUICK);
    }

    private static C6GradientNormBounds.Config small() {
        return new C6GradientNormBounds.Config(new int[] {2, 4, 8}, GAMMA, 10, T, 10, 200, 20, 0.95);
    }

    /** Property: per pair the log-log slope is in the band around 1; the offset-broken gradient leaves it. */
    @Test
    void pairExponentIsOneAndABrokenGradientChangesIt() {
        Kernel offset = TestKernels.offset(KERNEL, 1e-3);
        qt().withExamples(40).forAll(integers().between(1, 8), longs().all()).checkAssert((d, seed) -> {
            C6GradientNormBounds.PairFit f = C6GradientNormBounds.pair(KERNEL, d, GAMMA, T, seed);
            assertThat(f.slope()).isBetween(C6GradientNormBounds.EXPONENT_LOW, C6GradientNormBounds.EXPONENT_HIGH);
            C6GradientNormBounds.PairFit broken = C6GradientNormBounds.pair(offset, d, GAMMA, T, seed);
            assertThat(broken.slope()).as("negative control: offset gradient").isLessThan(C6GradientNormBounds.EXPONENT_LOW);
        });
    }

    @Test
    void claimHoldsWithExponentOneAndReportsStochasticBounds() {
        ClaimResult r = new C6GradientNormBounds(small()).run(ctx(KERNEL));
        assertThat(r.verdict()).as(r.toString()).isEqualTo(Verdict.HOLDS);
        assertThat(r.margin()).isPositive();
        assertThat(r.details()).containsKeys("cNearGrowthExponentInD", "batch1MeanSquaredNormExponentInD",
                "batch1Quantile999ExponentInD");
        // Coverage: stochastic samples had both active and inactive units.
        assertThat((long) r.details().get("stochasticSamplesWithBothActivationStates")).isGreaterThan(0);
    }

    @Test
    void offsetGradientIsViolated() {
        ClaimResult good = new C6GradientNormBounds(small()).run(ctx(KERNEL));
        ClaimResult r = new C6GradientNormBounds(small()).run(ctx(TestKernels.offset(KERNEL, 1e-3)));
        assertThat(r.verdict()).isEqualTo(Verdict.VIOLATED);
        assertThat(r.measured()).isLessThan(good.measured());
    }

    @Test
    void quadraticallyVanishingGradientIsViolated() {
        ClaimResult r = new C6GradientNormBounds(small()).run(ctx(TestKernels.squared(KERNEL, GAMMA)));
        assertThat(r.verdict()).isEqualTo(Verdict.VIOLATED);
        assertThat(r.measured()).isGreaterThan(C6GradientNormBounds.EXPONENT_HIGH);
    }

    @Test
    void pairReplaysBitForBit() {
        ClaimResult r = new C6GradientNormBounds(small()).run(ctx(KERNEL));
        Replay w = r.worst();
        C6GradientNormBounds.PairFit f = C6GradientNormBounds.pair(KERNEL, (int) w.config().get("d"), GAMMA, T, w.seed());
        assertThat(f.slope()).isEqualTo((double) r.details().get("worstPairExponent"));
    }

    @Test
    @Tag("deep")
    void deepGrowthInD() {
        ClaimResult r = new C6GradientNormBounds(new C6GradientNormBounds.Config(new int[] {5, 10, 20, 50, 100}, GAMMA,
                20, T, 20, 5000, 200, 0.95)).run(ctx(KERNEL));
        System.err.println(r);
        assertThat(r.verdict()).isEqualTo(Verdict.HOLDS);
    }
}
