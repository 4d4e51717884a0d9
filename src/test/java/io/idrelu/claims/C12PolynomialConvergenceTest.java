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
                .forAll(longs().all(), doubles().between(0.3, 0.6), integers().between(8, 16), doubles().between(0.03, 0.08))
                .checkAssert((seed, gamma, batch, eta) -> {
                    var c = new C12PolynomialConvergence.Config(new int[] {2, 3, 4}, gamma, eta, batch, 4, 0.01, 20,
                            1.0, 0.99);
                    ClaimResult r = run(c, seed);
                    assertThat(r.verdict()).as(r.details().toString()).isEqualTo(Verdict.HOLDS);
                    assertThat(r.details().get("notReached")).isEqualTo(0);
                    assertThat(r.details().get("growthVerdict")).isEqualTo("HOLDS");
                    // a finite exponent was fitted from the per-d means
                    assertThat(r.empirical()).isFinite();
                    for (Object row : ((Map<?, ?>) r.details().get("perD")).values()) {
                        Map<?, ?> m = (Map<?, ?>) row;
                        assertThat(m.get("etaInStableRange")).isEqualTo(true);
                        assertThat((double) m.get("deltaMeasuredTrueUnits")).isPositive();
                    }
                    // Negative control: eta = 2, above the GD stability limit 2/lambda_max (1.10 at d = 2).
                    var bad = new C12PolynomialConvergence.Config(new int[] {2, 3, 4}, gamma, 2.0, batch, 4, 0.01, 20,
                            1.0, 0.99);
                    ClaimResult rb = run(bad, seed);
                    assertThat(rb.verdict()).as(rb.details().toString()).isEqualTo(Verdict.VIOLATED);
                });
    }

    /**
     * Negative controls of the two decisions at DEFAULT sizes: (1) a wrong constant (onePointConstant = 1.0 paper
     * units, 12x the paper's: T_paper shrinks 12x) fails the per-d test; (2) SGD slowed by 1/d (batch gradient
     * scaled by 2/d, so T grows like d) fails the growth test even where the per-d bound still holds.
     */
    @Test
    void failsWithAWrongConstantAndWithDimensionDependentSlowdown() {
        ClaimContext ctx = ClaimContext.of(KERNEL, null, 42L, Preset.DEFAULT);
        ClaimResult ok = new C12PolynomialConvergence().run(ctx);
        assertThat(ok.verdict()).as(ok.details().toString()).isEqualTo(Verdict.HOLDS);
        assertThat(((Map<?, ?>) ok.details().get("perD")).size()).isGreaterThanOrEqualTo(6);

        ClaimResult wrong = new C12PolynomialConvergence().run(ctx.withConstants(
                PaperConstants.RECALLED.with("onePointConstant", 1.0)));
        assertThat(wrong.verdict()).as(wrong.details().toString()).isEqualTo(Verdict.VIOLATED);
        assertThat(wrong.details().get("perDVerdict")).isEqualTo("VIOLATED");

        var c = new C12PolynomialConvergence.Config(new int[] {2, 3, 4, 6, 8}, 0.5, 0.05, 16, 6, 0.01, 20, 1.5, 0.99);
        ClaimResult slowed = new C12PolynomialConvergence(c).run(ctx.withKernel(
                TrajectoryTestKernels.scaledGradient(KERNEL, d -> 2.0 / d, "x2/d")));
        assertThat(slowed.details().get("growthVerdict")).as(slowed.details().toString()).isEqualTo("VIOLATED");
        assertThat(slowed.verdict()).isEqualTo(Verdict.VIOLATED);
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
        ClaimResult r = new C12PolynomialConvergence().run(ClaimContext.of(TrajectoryTestKernels.paperScale(), null, 1L, Preset.PAPER));
        assertThat(r.verdict()).as(r.details().toString()).isNotEqualTo(Verdict.VIOLATED);
    }

    /**
     * The report's series: one point per d, fastest <= mean <= slowest seed, and the fitted line is
     * the reported exponent's least-squares line (its log-log slope is the exponent; it passes through the
     * centre of the points, where the log per-d means lie). Control: the line
     * through the fastest seeds is not that fit.
     */
    @Test
    void seriesShowHittingTimesAndTheFittedLine() {
        var c = C12PolynomialConvergence.Config.forPreset(Preset.QUICK);
        ClaimResult r = run(c, 9L);
        double[] d = SeriesOf.get(r, "d");
        double[] geo = SeriesOf.get(r, C12PolynomialConvergence.SERIES_MEAN);
        double[] fast = SeriesOf.get(r, C12PolynomialConvergence.SERIES_FASTEST);
        double[] slow = SeriesOf.get(r, C12PolynomialConvergence.SERIES_SLOWEST);
        double[] fit = SeriesOf.get(r, C12PolynomialConvergence.SERIES_FIT);
        assertThat(d).containsExactly(2, 3, 4);
        assertThat(r.details().get("notReached")).isEqualTo(0);
        double centreLogD = 0;
        double centreLogT = 0;
        for (int i = 0; i < d.length; i++) {
            assertThat(fast[i]).isPositive().isLessThanOrEqualTo(geo[i] * (1 + 1e-12));
            assertThat(geo[i]).isLessThanOrEqualTo(slow[i] * (1 + 1e-12));
            centreLogD += Math.log(d[i]) / d.length;
            centreLogT += Math.log(geo[i]) / d.length;
        }
        double slope = Math.log(fit[d.length - 1] / fit[0]) / Math.log(d[d.length - 1] / d[0]);
        assertThat(slope).isCloseTo(r.empirical(), org.assertj.core.data.Offset.offset(1e-9));
        double atCentre = Math.log(fit[0]) + r.empirical() * (centreLogD - Math.log(d[0]));
        assertThat(atCentre).isCloseTo(centreLogT, org.assertj.core.data.Offset.offset(1e-9));
        double fastSlope = Math.log(fast[d.length - 1] / fast[0]) / Math.log(d[d.length - 1] / d[0]);
        assertThat(Math.abs(fastSlope - r.empirical())).as("control: another line").isGreaterThan(1e-3);
        assertThat(SeriesOf.plot(r).logX()).isTrue();
    }
}
