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
        ClaimResult r = new C12PolynomialConvergence().run(ClaimContext.of(TrajectoryTestKernels.paperScale(), null, 1L, Preset.PAPER));
        assertThat(r.verdict()).as(r.details().toString()).isNotEqualTo(Verdict.VIOLATED);
    }

    /**
     * The report's series: one point per d, fastest <= geometric mean <= slowest seed, and the fitted line is
     * the reported exponent's least-squares line (its log-log slope is the exponent; it passes through the
     * centre of the points, where the geometric means lie when every seed reached eps). Control: the line
     * through the fastest seeds is not that fit.
     */
    @Test
    void seriesShowHittingTimesAndTheFittedLine() {
        var c = C12PolynomialConvergence.Config.forPreset(Preset.QUICK);
        ClaimResult r = run(c, 9L);
        double[] d = SeriesOf.get(r, "d");
        double[] geo = SeriesOf.get(r, C12PolynomialConvergence.SERIES_GEOMEAN);
        double[] fast = SeriesOf.get(r, C12PolynomialConvergence.SERIES_FASTEST);
        double[] slow = SeriesOf.get(r, C12PolynomialConvergence.SERIES_SLOWEST);
        double[] fit = SeriesOf.get(r, C12PolynomialConvergence.SERIES_FIT);
        assertThat(d).containsExactly(2, 4);
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
