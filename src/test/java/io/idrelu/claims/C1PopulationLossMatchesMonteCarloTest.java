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

/** C1: closed-form L against the Monte-Carlo mean of batch losses (see proofs-notes/C1.md). */
class C1PopulationLossMatchesMonteCarloTest {
    private static final double LEVEL = 0.999;

    private static C1PopulationLossMatchesMonteCarlo.Config config(int d, double gamma) {
        return new C1PopulationLossMatchesMonteCarlo.Config(List.of(d), List.of(gamma), true, 1, 1000, 8, LEVEL, 30);
    }

    private static C1PopulationLossMatchesMonteCarlo claim() {
        return new C1PopulationLossMatchesMonteCarlo(Deps.closedForm(30));
    }

    // d >= 2: for d = 1, Problem.random gives W0 = W* (both +-gamma) half the time, a degenerate instance
    // on which no perturbation of a gradient or loss that vanishes there can be detected
    @Test
    void closedFormLossIsInsideTheSimultaneousIntervalAndABrokenKernelIsNot() {
        List<ClaimResult> results = new ArrayList<>();
        qt().withFixedSeed(20261129L).withExamples(6)
                .forAll(integers().between(2, 6), doubles().between(0.01, 2.0), longs().all())
                .checkAssert((d, gamma, seed) -> {
                    ClaimContext ctx = Deps.context(seed, Preset.QUICK);
                    ClaimResult ok = claim().run(ctx, config(d, gamma));
                    assertThat(ok.verdict()).as(ok.worst().line() + " " + ok.details()).isEqualTo(Verdict.HOLDS);
                    assertThat(ok.margin()).isPositive();
                    results.add(ok);

                    // negative control 1: a closed form 25% too large (wrong constant); the CI half width is below 10% of L for n*B = 8000
                    // (per-sample CV <= 2.3 even for a one-unit net), so the same CI must exclude it
                    Kernel scaled = new DelegatingKernel(ctx.kernel()) {
                        @Override
                        public double populationLossAndGradient(int dd, boolean id, double[] w, double[] ws, double[] g) {
                            return 1.25 * inner.populationLossAndGradient(dd, id, w, ws, g);
                        }
                    };
                    ClaimResult bad = claim().run(ctx.withKernel(scaled), config(d, gamma));
                    assertThat(bad.verdict()).isEqualTo(Verdict.VIOLATED);
                    assertThat(bad.details().get("mcVerdict")).isEqualTo("VIOLATED");

                    // negative control 2: the batch loss with the "1/2" convention (l/2): the MC mean is off
                    Kernel halved = new DelegatingKernel(ctx.kernel()) {
                        @Override
                        public double lossAndGradient(int dd, boolean id, double[] w, double[] ws, double[] x, int b,
                                                      double[] res, double[] g) {
                            return inner.lossAndGradient(dd, id, w, ws, x, b, res, g) / 2;
                        }
                    };
                    ClaimResult bad2 = claim().run(ctx.withKernel(halved), config(d, gamma));
                    assertThat(bad2.details().get("mcVerdict")).isEqualTo("VIOLATED");
                    assertThat(bad2.details().get("crossCheckVerdict")).isEqualTo("HOLDS");
                });
        // coverage: both parametrisations, both activation states, inside and outside ||W||_2 < 1
        assertThat(results).allSatisfy(r -> {
            assertThat((int) r.details().get("identityInstances")).isPositive();
            assertThat((int) r.details().get("vanillaInstances")).isPositive();
            assertThat((long) r.details().get("activePreActivations")).isPositive();
            assertThat((long) r.details().get("inactivePreActivations")).isPositive();
        });
        assertThat(results).anySatisfy(r -> assertThat((double) r.worst().config().get("gamma")).isLessThan(1.0));
        assertThat(results).anySatisfy(r -> assertThat((double) r.worst().config().get("gamma")).isGreaterThan(1.0));
    }

    @Test
    void quickPresetRunsThroughTheClaimInterface() {
        ClaimResult r = new C1PopulationLossMatchesMonteCarlo(Deps.closedForm(30)).run(Deps.context(7, Preset.QUICK));
        assertThat(r.id()).isEqualTo("C1");
        assertThat(r.verdict()).as(r.details().toString()).isEqualTo(Verdict.HOLDS);
        assertThat(r.trials()).isEqualTo(8L * 400);
    }

    @Tag("deep")
    @Test
    void defaultPresetHolds() {
        ClaimResult r = new C1PopulationLossMatchesMonteCarlo(Deps.closedForm(30)).run(Deps.context(1, Preset.DEFAULT));
        assertThat(r.verdict()).as(r.details().toString()).isEqualTo(Verdict.HOLDS);
    }
}
