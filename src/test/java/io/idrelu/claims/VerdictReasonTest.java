package io.idrelu.claims;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real claim names its decisive number and, when it is not HOLDS, says why (issue 11: "An INCONCLUSIVE
 * or VIOLATED row must show its reason, e.g. d = 8 < minD = 100"). C7 at the quick preset (d = 4) misses
 * the paper's step bound outside the theorem's setting: INCONCLUSIVE, and the reason names the step, the
 * bound and the hypothesis that fails. Control: with minD lowered to 4 every hypothesis holds at this preset
 * (the step size too), the verdict is VIOLATED and the reason no longer excuses it: the reason follows the
 * rule, it is not a fixed text.
 */
class VerdictReasonTest {
    private static ClaimResult c7(PaperConstants pc) {
        ClaimContext ctx = new ClaimContext(TestKernels.kernel(), null, 20170524L, Preset.QUICK, pc, s -> { });
        return new C7PhaseOnePotentialDecrease().run(ctx);
    }

    @Test
    void c7NamesTheStepAgainstItsBoundAndTheFailingHypothesis() {
        ClaimResult r = c7(PaperConstants.RECALLED);
        assertThat(r.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(r.decisive().quantity()).isEqualTo("Phase I end step");
        assertThat(r.decisive().relation()).isEqualTo("<=");
        assertThat(r.decisive().measured()).isGreaterThan(r.decisive().bound()); // the number shown is the failing one
        assertThat(r.decisive().units()).isEqualTo(Units.PAPER);
        assertThat(r.reason()).contains("> bound").contains("not VIOLATED: d = 4 < minD = 100");

        ClaimResult control = c7(PaperConstants.RECALLED.with("minD", 4));
        assertThat(control.verdict()).isEqualTo(Verdict.VIOLATED);
        assertThat(control.reason()).contains("> bound").doesNotContain("not VIOLATED").doesNotContain("minD");
    }
}
