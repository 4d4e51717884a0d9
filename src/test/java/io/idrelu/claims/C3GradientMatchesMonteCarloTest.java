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

/** C3: closed-form gradient against the Monte-Carlo mean of batch gradients (see proofs-notes/C3.md). */
class C3GradientMatchesMonteCarloTest {

    private static C3GradientMatchesMonteCarlo.Config config(int d, double gamma) {
        return new C3GradientMatchesMonteCarlo.Config(List.of(d), List.of(gamma), true, 1, 1000, 8, 0.999, 30);
    }

    private static C3GradientMatchesMonteCarlo claim() {
        return new C3GradientMatchesMonteCarlo(Deps.closedForm(30));
    }

    // d >= 2: for d = 1, Problem.random gives W0 = W* (both +-gamma) half the time, a degenerate instance
    // on which no perturbation of a gradient or loss that vanishes there can be detected
    @Test
    void closedFormGradientIsInsideEverySimultaneousIntervalAndBrokenGradientsAreNot() {
        List<ClaimResult> results = new ArrayList<>();
        qt().withFixedSeed(3141L).withExamples(5)
                .forAll(integers().between(2, 5), doubles().between(0.01, 2.0), longs().all())
                .checkAssert((d, gamma, seed) -> {
                    ClaimContext ctx = Deps.context(seed, Preset.QUICK);
                    ClaimResult ok = claim().run(ctx, config(d, gamma));
                    assertThat(ok.verdict()).as(ok.worst().line() + " " + ok.details()).isEqualTo(Verdict.HOLDS);
                    assertThat((int) ok.details().get("coordinatesTested")).isEqualTo(2 * d * d);
                    results.add(ok);

                    // negative control 1: the closed form in paper units (pi * true) passed off as true units
                    Kernel paperUnits = new DelegatingKernel(ctx.kernel()) {
                        @Override
                        public double populationLossAndGradient(int dd, boolean id, double[] w, double[] ws, double[] g) {
                            double l = inner.populationLossAndGradient(dd, id, w, ws, g);
                            for (int i = 0; i < g.length; i++) {
                                g[i] *= Math.PI;
                            }
                            return l;
                        }
                    };
                    ClaimResult bad = claim().run(ctx.withKernel(paperUnits), config(d, gamma));
                    assertThat(bad.details().get("mcVerdict")).isEqualTo("VIOLATED");

                    // negative control 2: batch gradient without the factor 2 (the 1/2-loss convention)
                    Kernel noTwo = new DelegatingKernel(ctx.kernel()) {
                        @Override
                        public double lossAndGradient(int dd, boolean id, double[] w, double[] ws, double[] x, int b,
                                                      double[] res, double[] g) {
                            double l = inner.lossAndGradient(dd, id, w, ws, x, b, res, g);
                            for (int i = 0; i < g.length; i++) {
                                g[i] /= 2;
                            }
                            return l;
                        }
                    };
                    ClaimResult bad2 = claim().run(ctx.withKernel(noTwo), config(d, gamma));
                    assertThat(bad2.details().get("mcVerdict")).isEqualTo("VIOLATED");
                    assertThat(bad2.details().get("crossCheckVerdict")).isEqualTo("HOLDS");
                });
        assertThat(results).allSatisfy(r -> {
            assertThat((long) r.details().get("activePreActivations")).isPositive();
            assertThat((long) r.details().get("inactivePreActivations")).isPositive();
        });
        assertThat(results).anySatisfy(r -> assertThat((double) r.worst().config().get("gamma")).isLessThan(1.0));
        assertThat(results).anySatisfy(r -> assertThat((double) r.worst().config().get("gamma")).isGreaterThan(1.0));
        assertThat(results).anySatisfy(r -> assertThat((int) r.worst().config().get("d")).isGreaterThanOrEqualTo(3));
    }

    @Tag("deep")
    @Test
    void defaultPresetHolds() {
        ClaimResult r = new C3GradientMatchesMonteCarlo(Deps.closedForm(30)).run(Deps.context(1, Preset.DEFAULT));
        assertThat(r.verdict()).as(r.details().toString()).isEqualTo(Verdict.HOLDS);
    }
}
