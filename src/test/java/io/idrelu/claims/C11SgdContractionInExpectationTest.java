package io.idrelu.claims;

import io.idrelu.kernel.Kernel;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

/**
 * C11 ([LY17] SGD lemma): the contraction inequality in expectation over seeds; negative control with the
 * batch gradient's sign flipped (then {@code E G_t = -grad L}, the lemma's hypothesis fails and so must the check).
 */
class C11SgdContractionInExpectationTest {
    private static final Kernel KERNEL = TrajectoryTestKernels.fast();

    private static ClaimResult run(C11SgdContractionInExpectation.Config c, long seed, Kernel k) {
        return new C11SgdContractionInExpectation(c).run(ClaimContext.of(k, null, seed, Preset.QUICK));
    }

    @Test
    void holdsInExpectationAndFailsWithFlippedGradient() {
        List<Long> perRunViolations = new ArrayList<>();
        List<Verdict> verdicts = new ArrayList<>();
        qt().withFixedSeed(11L).withExamples(5).withShrinkCycles(0)
                .forAll(integers().between(2, 5), longs().all(), doubles().between(0.2, 0.6), integers().between(8, 16))
                .checkAssert((d, seed, gamma, batch) -> {
                    var c = new C11SgdContractionInExpectation.Config(d, gamma, 0.5 / (d * d), batch, 90, 30, 3, 0.99);
                    ClaimResult r = run(c, seed, KERNEL);
                    assertThat(r.verdict()).as(r.details().toString()).isNotEqualTo(Verdict.VIOLATED);
                    verdicts.add(r.verdict());
                    // the calibrated one-point constant (independent seeds) is positive (Phase II region), and
                    // the deciding delta is the paper's, fixed before the run, not a minimum over judged iterates
                    assertThat(r.empirical()).isPositive();
                    assertThat(r.paper()).isEqualTo(0.084 / Math.PI);
                    assertThat((String) r.details().get("checkpointsInPhaseII")).startsWith(String.valueOf(30 * 3) + " of");
                    String pr = (String) r.details().get("perRunViolations");
                    perRunViolations.add(Long.parseLong(pr.substring(0, pr.indexOf(' '))));
                    // Negative control: same configuration, gradient sign flipped.
                    ClaimResult rb = run(c, seed, TrajectoryTestKernels.scaledGradient(KERNEL, -1));
                    assertThat(rb.verdict()).as(rb.details().toString()).isEqualTo(Verdict.VIOLATED);
                    // Negative control: a wrong delta, four times the Hessian floor at W = W* (pi/2 - 1 paper units),
                    // which SGD iterates approach along the softest direction: no one-point constant above the
                    // floor can hold near W*, so the check must fail with it (twice the floor is INCONCLUSIVE on
                    // some of these 90-step, 30-seed cases; just above the floor fails at DEFAULT, see below).
                    ClaimResult rw = new C11SgdContractionInExpectation(c).run(ClaimContext.of(KERNEL, null, seed, Preset.QUICK)
                            .withConstants(PaperConstants.RECALLED.with("onePointConstant", 4 * (Math.PI / 2 - 1))));
                    assertThat(rw.verdict()).as(rw.details().toString()).isEqualTo(Verdict.VIOLATED);
                    assertThat((String) rw.details().get("reason")).contains("mean Z is > 0");
                });
        // The decided checks are not all inconclusive.
        assertThat(verdicts).contains(Verdict.HOLDS);
        // Coverage of the reviewer's point: the inequality does fail for single runs, so the test must be in
        // expectation.
        assertThat(perRunViolations).anyMatch(v -> v > 0);
    }

    @Test
    void paperConstantIsReportedInTrueUnits() {
        ClaimResult r = new C11SgdContractionInExpectation().run(ClaimContext.of(KERNEL, null, 3L, Preset.QUICK));
        assertThat(r.paper()).isEqualTo(0.084 / Math.PI);
        assertThat(r.units()).isEqualTo(Units.TRUE);
        assertThat(r.details()).containsKey("verdictWithPaperDelta");
        assertThat((String) r.details().get("deltaDecidingTrueUnits")).startsWith(String.valueOf(0.084 / Math.PI));
    }

    /**
     * Sensitivity at DEFAULT: the check fails for a constant 1.1 x the Hessian floor (0.628 paper units), so the
     * paper's 0.084 holding is not a foregone conclusion; the calibrated delta is below the floor.
     */
    @Test
    void defaultPresetFailsJustAboveTheHessianFloor() {
        ClaimContext ctx = ClaimContext.of(KERNEL, null, 42L, Preset.DEFAULT);
        ClaimResult ok = new C11SgdContractionInExpectation().run(ctx);
        assertThat(ok.verdict()).as(ok.details().toString()).isEqualTo(Verdict.HOLDS);
        assertThat(ok.empirical()).isLessThan(C14HessianAtOrigin.SPEC_SMALLEST);
        ClaimResult bad = new C11SgdContractionInExpectation().run(ctx.withConstants(
                PaperConstants.RECALLED.with("onePointConstant", 1.1 * (Math.PI / 2 - 1))));
        assertThat(bad.verdict()).as(bad.details().toString()).isEqualTo(Verdict.VIOLATED);
    }

    /** The calibrated delta comes from seeds that are not judged: other trial indices, so other problems. */
    @Test
    void calibrationSeedsAreDisjointFromJudgedSeeds() {
        var c = new C11SgdContractionInExpectation.Config(3, 0.4, 0.5 / 9, 12, 30, 4, 3, 0.99);
        ClaimContext ctx = ClaimContext.of(KERNEL, null, 7L, Preset.QUICK);
        double calibrated = C11SgdContractionInExpectation.calibratedDelta(ctx, c);
        double judgedMin = Double.POSITIVE_INFINITY;
        for (int i = 0; i < c.trials(); i++) {
            var tr = C11SgdContractionInExpectation.runTrial(KERNEL, c, io.idrelu.model.GaussianSampler.trialSeed(7L, i));
            for (double op : tr.onePoint()) {
                judgedMin = Math.min(judgedMin, op);
            }
        }
        assertThat(calibrated).isPositive().isNotEqualTo(judgedMin);
    }

    @Test
    @Tag("deep")
    void paperScale() {
        ClaimResult r = new C11SgdContractionInExpectation().run(ClaimContext.of(TrajectoryTestKernels.paperScale(), null, 1L, Preset.PAPER));
        assertThat(r.verdict()).as(r.details().toString()).isNotEqualTo(Verdict.VIOLATED);
    }

    /**
     * The report's series: left over right side at every checkpoint; the upper CI end (what decides) is at
     * most 1 everywhere exactly when the claim holds, and above 1 somewhere with the flipped gradient.
     */
    @Test
    void seriesShowTheRatioTheVerdictReads() {
        var c = new C11SgdContractionInExpectation.Config(3, 0.4, 0.5 / 9, 12, 90, 30, 3, 0.99);
        for (Kernel k : new Kernel[] {KERNEL, TrajectoryTestKernels.scaledGradient(KERNEL, -1)}) {
            ClaimResult r = run(c, 5L, k);
            double[] step = SeriesOf.get(r, "step");
            double[] mean = SeriesOf.get(r, C11SgdContractionInExpectation.SERIES_PAPER);
            double[] upper = SeriesOf.get(r, C11SgdContractionInExpectation.SERIES_UPPER);
            assertThat(step).containsExactly(0, 30, 60);
            boolean allBelow = true;
            for (int i = 0; i < step.length; i++) {
                assertThat(upper[i]).isGreaterThanOrEqualTo(mean[i]);
                allBelow &= upper[i] <= 1;
            }
            assertThat(allBelow).as("%s", r.verdict()).isEqualTo(r.verdict() == Verdict.HOLDS);
            assertThat(SeriesOf.plot(r).hLines()).hasSize(1);
        }
    }
}
