package io.idrelu.claims;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

/** C2: closed-form gradient against high-precision central differences of closed-form L (proofs-notes/C2.md). */
class C2GradientIsDerivativeOfLossTest {
    private static final int DIGITS = 60;
    private static final int STEP_EXPONENT = 20;

    private static C2GradientIsDerivativeOfLoss.Config config(int d, double gamma) {
        return new C2GradientIsDerivativeOfLoss.Config(List.of(d), List.of(gamma), true, 1, DIGITS, STEP_EXPONENT);
    }

    // d >= 2: for d = 1, Problem.random gives W0 = W* (both +-gamma) half the time, a degenerate instance
    // on which no perturbation of a gradient or loss that vanishes there can be detected
    @Test
    void gradientIsTheDerivativeWithinTheDerivedBoundAndPerturbedGradientsAreNot() {
        ClosedForm cf = Deps.closedForm(DIGITS);
        List<ClaimResult> results = new ArrayList<>();
        qt().withFixedSeed(2718L).withExamples(3)
                .forAll(integers().between(2, 3), doubles().between(0.001, 2.0), longs().all())
                .checkAssert((d, gamma, seed) -> {
                    ClaimContext ctx = Deps.context(seed, Preset.QUICK);
                    ClaimResult ok = new C2GradientIsDerivativeOfLoss(cf).run(ctx, config(d, gamma));
                    assertThat(ok.verdict()).as(ok.worst().line() + " " + ok.details()).isEqualTo(Verdict.HOLDS);
                    // the bound is meaningful: far below any gradient entry (rounding-dominated, about 1e-38 against O(1) entries; the nudge below is 1e-25)
                    assertThat(ok.bound()).isLessThan(1e-28);
                    results.add(ok);

                    // negative control 1: one coordinate off by a relative 1e-25 -- the same check must see it
                    ClosedForm nudged = ClosedFormWrapper.gradient(cf, "nudged", g -> {
                        BigDecimal[][] out = ClosedFormWrapper.map(g, v -> v);
                        out[0][0] = out[0][0].add(out[0][0].abs().add(BigDecimal.ONE).scaleByPowerOfTen(-25));
                        return out;
                    });
                    ClaimResult bad = new C2GradientIsDerivativeOfLoss(nudged).run(ctx, config(d, gamma));
                    assertThat(bad.verdict()).isEqualTo(Verdict.VIOLATED);
                    assertThat(bad.details().get("worstCoordinate")).isEqualTo("W[0][0]");

                    // negative control 2: paper units passed off as true units
                    ClosedForm paper = ClosedFormWrapper.gradient(cf, "paperUnits",
                            g -> ClosedFormWrapper.map(g, v -> v.multiply(new BigDecimal(Math.PI))));
                    assertThat(new C2GradientIsDerivativeOfLoss(paper).run(ctx, config(d, gamma)).verdict())
                            .isEqualTo(Verdict.VIOLATED);
                });
        // coverage: identity and vanilla instances, more than one unit, inside and outside ||W||_2 < 1
        assertThat(results).allSatisfy(r -> assertThat(r.details().get("instancesTable").toString())
                .contains("identity=true").contains("identity=false"));
        assertThat(results).anySatisfy(r -> assertThat((int) r.worst().config().get("d")).isGreaterThanOrEqualTo(2));
        assertThat(results).anySatisfy(r -> assertThat((double) r.worst().config().get("gamma")).isLessThan(1.0));
        assertThat(results).anySatisfy(r -> assertThat((double) r.worst().config().get("gamma")).isGreaterThan(1.0));
    }

    @Tag("deep")
    @Test
    void defaultPresetHolds() {
        ClaimResult r = new C2GradientIsDerivativeOfLoss(Deps.closedForm(60)).run(Deps.context(1, Preset.DEFAULT));
        assertThat(r.verdict()).as(r.details().toString()).isEqualTo(Verdict.HOLDS);
    }
}
