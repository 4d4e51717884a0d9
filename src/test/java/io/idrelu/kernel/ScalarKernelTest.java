package io.idrelu.kernel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.arbitrary;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

/**
 * The scalar kernel against a textbook implementation (MATH.md section 1 formulas, plain {@code +=},
 * explicit {@code u_j}) within derived rounding bounds: {@code gamma_n = n u / (1 - n u)} times the sum
 * of absolute terms, propagated through residuals into the gradient (Higham, ASNA ch. 3).
 */
class ScalarKernelTest {
    private static final double U = 0x1p-53;

    private static double gamma(int n) {
        return n * U / (1 - n * U);
    }

    @Test
    void agreesWithTextbookWithinDerivedBounds() {
        Kernel k = new ScalarKernel();
        qt().withExamples(30).withShrinkCycles(0)
                .forAll(arbitrary().pick(List.of(1, 3, 7, 13, 40)), integers().between(1, 9), booleans().all(), longs().all())
                .checkAssert((d, batch, identity, seed) -> {
                    Cases.Case c = Cases.gaussian(d, batch, identity, seed);
                    double[] h = new double[batch * d];
                    k.preActivations(d, identity, c.w, c.x, batch, h);
                    double[] res = new double[batch];
                    double[] g = new double[d * d];
                    double loss = k.lossAndGradient(d, identity, c.w, c.wStar, c.x, batch, res, g);

                    double[] errF = new double[batch];
                    double[] absF = new double[batch];
                    double[] r = new double[batch];
                    boolean flipPossible = false;
                    for (int b = 0; b < batch; b++) {
                        double fs = 0;
                        double ft = 0;
                        for (int j = 0; j < d; j++) {
                            double hs = 0;
                            double ht = 0;
                            double ss = 0;
                            double st = 0;
                            for (int q = 0; q < d; q++) {
                                double us = c.w[q * d + j] + (identity && q == j ? 1 : 0);
                                double vt = c.wStar[q * d + j] + (q == j ? 1 : 0);
                                hs += us * c.x[b * d + q];
                                ht += vt * c.x[b * d + q];
                                ss += Math.abs(c.w[q * d + j] * c.x[b * d + q]) + (q == j ? Math.abs(c.x[b * d + q]) : 0);
                                st += Math.abs(c.wStar[q * d + j] * c.x[b * d + q]) + (q == j ? Math.abs(c.x[b * d + q]) : 0);
                            }
                            double bound = 2 * gamma(d + 2) * ss;
                            assertThat(Math.abs(h[b * d + j] - hs)).as("h %s b=%d j=%d", c, b, j).isLessThanOrEqualTo(bound);
                            flipPossible |= Math.abs(hs) <= bound;
                            fs += Math.max(0, hs);
                            ft += Math.max(0, ht);
                            errF[b] += 2 * gamma(d + 2) * (ss + st);
                            absF[b] += ss + st;
                        }
                        r[b] = fs - ft;
                        errF[b] += 2 * gamma(d + 1) * absF[b];
                        assertThat(Math.abs(res[b] - r[b])).as("residual %s", c).isLessThanOrEqualTo(errF[b] + U * Math.abs(r[b]));
                    }
                    double naiveLoss = 0;
                    double lossErr = 0;
                    for (int b = 0; b < batch; b++) {
                        naiveLoss += r[b] * r[b] / batch;
                        lossErr += (2 * Math.abs(r[b]) * (errF[b] + U * Math.abs(r[b])) + errF[b] * errF[b]) / batch;
                    }
                    lossErr += 2 * gamma(batch + 2) * naiveLoss;
                    assertThat(Math.abs(loss - naiveLoss)).isLessThanOrEqualTo(lossErr);
                    if (flipPossible) {
                        return;  // a mask may legitimately differ; the bit-identity tests cover kinks
                    }
                    for (int q = 0; q < d; q++) {
                        for (int j = 0; j < d; j++) {
                            double gn = 0;
                            double err = 0;
                            for (int b = 0; b < batch; b++) {
                                double hs = 0;
                                for (int p = 0; p < d; p++) {
                                    hs += (c.w[p * d + j] + (identity && p == j ? 1 : 0)) * c.x[b * d + p];
                                }
                                if (hs > 0) {
                                    double term = 2 * r[b] * c.x[b * d + q] / batch;
                                    gn += term;
                                    err += 2.0 / batch * Math.abs(c.x[b * d + q]) * (errF[b] + U * Math.abs(r[b]))
                                            + 2 * gamma(batch + 3) * Math.abs(term);
                                }
                            }
                            assertThat(Math.abs(g[q * d + j] - gn)).as("G %s", c).isLessThanOrEqualTo(err);
                        }
                    }
                });
    }

    @Test
    void sgdStepIsLossAndGradientThenFmaUpdate() {
        Kernel k = new ScalarKernel();
        Cases.Case c = Cases.nearKink(9, 5, true, 11);
        double[] g = new double[81];
        double loss = k.lossAndGradient(9, true, c.w, c.wStar, c.x, 5, null, g);
        double[] w = c.w.clone();
        double step = k.sgdStep(9, true, w, c.wStar, c.x, 5, c.eta, k.newScratch(9, 5));
        assertThat(step).isEqualTo(loss);
        for (int i = 0; i < w.length; i++) {
            assertThat(w[i]).isEqualTo(Math.fma(-c.eta, g[i], c.w[i]));
        }
    }

    /** Negative controls without the vector module: the scalar-vs-mutant check must fail on each bug. */
    @ParameterizedTest
    @EnumSource(MutantKernel.Bug.class)
    void bitIdentityCheckDetectsInjectedBugs(MutantKernel.Bug bug) {
        Cases.Case c = Cases.nearKink(14, 9, true, 5);
        String diff = Agreement.firstDifference(new ScalarKernel(), new MutantKernel(bug), c);
        if (bug == MutantKernel.Bug.NONE) {
            assertThat(diff).isNull();
        } else {
            assertThat(diff).as("bug %s", bug).isNotNull();
        }
    }
}
