package io.idrelu.claims;

import ch.obermuhlner.math.big.BigDecimalMath;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.arbitrary;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

/** C5: [LY17]'s displayed B_j against -pi dL/dw_j (proofs-notes/C5.md). */
class C5PaperGradientFormTest {
    private static final int DIGITS = 40;

    private static C5PaperGradientForm.Config config(int d, double gamma) {
        return new C5PaperGradientForm.Config(List.of(d), List.of(gamma), 1, DIGITS);
    }

    /** B without its (pi/2)(w*_i - w_i) term: the form one gets by forgetting the identity link. */
    private static BigDecimal[][] withoutLinearTerm(BigDecimal[][] w, BigDecimal[][] ws, MathContext mc) {
        BigDecimal[][] b = C5PaperGradientForm.paperForm(w, ws, mc);
        BigDecimal halfPi = BigDecimalMath.pi(mc).divide(BigDecimal.valueOf(2), mc);
        int d = w.length;
        for (int r = 0; r < d; r++) {
            BigDecimal s = BigDecimal.ZERO;
            for (int i = 0; i < d; i++) {
                s = s.add(ws[r][i].subtract(w[r][i]));
            }
            for (int j = 0; j < d; j++) {
                b[r][j] = b[r][j].subtract(halfPi.multiply(s, mc), mc);
            }
        }
        return b;
    }

    // d >= 2: for d = 1, Problem.random gives W0 = W* (both +-gamma) half the time, a degenerate instance
    // on which no perturbation of a gradient or loss that vanishes there can be detected
    @Test
    void displayedFormEqualsMinusPiTimesTheGradientAndPerturbedFormsDoNot() {
        ClosedForm cf = Deps.closedForm(DIGITS);
        List<ClaimResult> results = new ArrayList<>();
        qt().withFixedSeed(1729L).withExamples(5)
                .forAll(integers().between(2, 4), arbitrary().pick(1e-6, 1e-3, 0.3, 0.9, 3.0), longs().all())
                .checkAssert((d, gamma, seed) -> {
                    ClaimContext ctx = Deps.context(seed, Preset.QUICK);
                    ClaimResult ok = new C5PaperGradientForm(C5PaperGradientForm::paperForm, cf).run(ctx, config(d, gamma));
                    assertThat(ok.verdict()).as(ok.worst().line() + " " + ok.details()).isEqualTo(Verdict.HOLDS);
                    assertThat(ok.units()).isEqualTo(Units.PAPER);
                    assertThat(ok.bound()).isLessThan(1e-30);
                    results.add(ok);

                    // negative control 1: B read in true units (divided by pi)
                    C5PaperGradientForm.PaperForm trueUnits = (w, ws, mc) -> ClosedFormWrapper.map(
                            C5PaperGradientForm.paperForm(w, ws, mc), v -> v.divide(BigDecimalMath.pi(mc), mc));
                    assertThat(new C5PaperGradientForm(trueUnits, cf).run(ctx, config(d, gamma)).verdict())
                            .isEqualTo(Verdict.VIOLATED);

                    // negative control 2: the (pi/2)(w*_i - w_i) term dropped
                    assertThat(new C5PaperGradientForm(C5PaperGradientFormTest::withoutLinearTerm, cf)
                            .run(ctx, config(d, gamma)).verdict()).isEqualTo(Verdict.VIOLATED);
                });
        // coverage: nearly aligned pairs (th_{j*,j} -> 0 at tiny gamma), obtuse pairs (large gamma), d >= 3
        assertThat(results).anySatisfy(r -> assertThat((double) r.details().get("minAngle")).isLessThan(1e-3));
        assertThat(results).anySatisfy(r -> assertThat((double) r.details().get("maxAngle")).isGreaterThan(Math.PI / 2));
        assertThat(results).anySatisfy(r -> assertThat((int) r.worst().config().get("d")).isGreaterThanOrEqualTo(3));
    }

    @Tag("deep")
    @Test
    void defaultPresetHolds() {
        ClaimResult r = new C5PaperGradientForm(C5PaperGradientForm::paperForm, Deps.closedForm(50))
                .run(Deps.context(1, Preset.DEFAULT));
        assertThat(r.verdict()).as(r.details().toString()).isEqualTo(Verdict.HOLDS);
    }
}
