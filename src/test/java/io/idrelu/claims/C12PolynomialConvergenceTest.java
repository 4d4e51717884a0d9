package io.idrelu.claims;

import io.idrelu.kernel.Kernel;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

/**
 * C12 ([LY17] Theorem 3.1, Phase II): E||W_T - W*||^2 <= eps at the bound T, exponent of T(eps) in d;
 * negative control: eta far beyond the stable range must fail.
 */
class C12PolynomialConvergenceTest {
    private static final Kernel KERNEL = TrajectoryTestKernels.fast();

    private static ClaimResult run(C12PolynomialConvergence.Config c, long seed) {
        return new C12PolynomialConvergence(c).run(ClaimContext.of(KERNEL, null, seed, Preset.QUICK));
    }

    @Test
    void convergesWithinTheBoundAndFailsForTooLargeSteps() {
        qt().withFixedSeed(12L).withExamples(3).withShrinkCycles(0)
                .forAll(longs().all(), doubles().between(0.3, 0.6), integers().between(8, 16), doubles().between(0.3, 0.6))
                .checkAssert((seed, gamma, batch, etaScale) -> {
                    var c = new C12PolynomialConvergence.Config(new int[] {2, 3, 4}, gamma, etaScale, batch, 4, 0.01, 20,
                            1.0, 0.99);
                    ClaimResult r = run(c, seed);
                    assertThat(r.verdict()).as(r.details().toString()).isEqualTo(Verdict.HOLDS);
                    assertThat(r.details().get("notReached")).isEqualTo(0);
                    // a finite exponent was fitted from every (d, seed)
                    assertThat(r.empirical()).isFinite();
                    for (Object row : ((Map<?, ?>) r.details().get("perD")).values()) {
                        Map<?, ?> m = (Map<?, ?>) row;
                        assertThat(m.get("etaInStableRange")).isEqualTo(true);
                        assertThat((double) m.get("deltaTrueUnits")).isPositive();
                    }
                    // Negative control: eta = 20/d, five times the GD stability limit 4/d.
                    var bad = new C12PolynomialConvergence.Config(new int[] {2, 3, 4}, gamma, 20, batch, 4, 0.01, 20,
                            1.0, 0.99);
                    ClaimResult rb = run(bad, seed);
                    assertThat(rb.verdict()).as(rb.details().toString()).isEqualTo(Verdict.VIOLATED);
                });
    }

    @Test
    void replayReproducesTheWorstTrialHittingTime() {
        var c = C12PolynomialConvergence.Config.forPreset(Preset.QUICK);
        ClaimResult r = run(c, 9L);
        int d = Integer.parseInt(r.worst().config().get("ds").toString().replaceAll("[\\[\\]]", ""));
        var t1 = C12PolynomialConvergence.runTrial(KERNEL, c, PaperConstants.RECALLED, d, r.worst().seed());
        var t2 = C12PolynomialConvergence.runTrial(KERNEL, c, PaperConstants.RECALLED, d, r.worst().seed());
        assertThat(t1.hitting()).isEqualTo(t2.hitting()).isPositive();
    }

    @Test
    @Tag("deep")
    void paperScale() {
        ClaimResult r = new C12PolynomialConvergence().run(ClaimContext.of(KERNEL, null, 1L, Preset.PAPER));
        assertThat(r.verdict()).as(r.details().toString()).isNotEqualTo(Verdict.VIOLATED);
    }
}
