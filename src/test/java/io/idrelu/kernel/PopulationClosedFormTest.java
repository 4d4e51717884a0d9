package io.idrelu.kernel;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.arbitrary;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.longs;

/**
 * Closed-form population loss and gradient (MATH.md section 2) against an independent, straightforward
 * per-pair implementation (Gram angle formula, columns as arrays), against central differences of the
 * loss itself, and at the known points {@code W = W*} and a zero-norm unit.
 */
class PopulationClosedFormTest {

    @Test
    void agreesWithIndependentImplementation() {
        Kernel k = new ScalarKernel();
        qt().withExamples(15).withShrinkCycles(0)
                .forAll(arbitrary().pick(List.of(1, 2, 5, 13)), booleans().all(), longs().all())
                .checkAssert((d, identity, seed) -> {
                    Cases.Case c = Cases.gaussian(d, 1, identity, seed);
                    double[] g = new double[d * d];
                    double loss = k.populationLossAndGradient(d, identity, c.w, c.wStar, g);
                    double[][] u = columns(d, c.w, identity);
                    double[][] v = columns(d, c.wStar, true);
                    double naive = 0;
                    double scale = 0;
                    for (int i = 0; i < d; i++) {
                        for (int j = 0; j < d; j++) {
                            naive += kappa(u[i], u[j]) - 2 * kappa(u[i], v[j]) + kappa(v[i], v[j]);
                            scale += kappa(u[i], u[j]) + 2 * kappa(u[i], v[j]) + kappa(v[i], v[j]);
                        }
                    }
                    // both sides err by O(d^2 eps * scale) in the sums plus O(eps) per angle
                    assertThat(Math.abs(loss - naive)).as("L %s", c).isLessThanOrEqualTo(1e-13 * (scale + 1));
                    for (int j = 0; j < d; j++) {
                        double[] col = new double[d];
                        double nj = norm(u[j]);
                        for (int kk = 0; kk < d; kk++) {
                            double tu = angle(u[j], u[kk]);
                            double tv = angle(u[j], v[kk]);
                            for (int r = 0; r < d; r++) {
                                col[r] += ((Math.PI - tu) * u[kk][r] + norm(u[kk]) * Math.sin(tu) * u[j][r] / nj) / Math.PI
                                        - ((Math.PI - tv) * v[kk][r] + norm(v[kk]) * Math.sin(tv) * u[j][r] / nj) / Math.PI;
                            }
                        }
                        for (int r = 0; r < d; r++) {
                            assertThat(Math.abs(g[r * d + j] - col[r])).as("G[%d][%d] %s", r, j, c).isLessThanOrEqualTo(1e-11 * d);
                        }
                    }
                });
    }

    @Test
    void gradientIsTheDerivativeOfTheLoss() {
        Kernel k = new ScalarKernel();
        for (boolean identity : new boolean[] {true, false}) {
            Cases.Case c = Cases.gaussian(6, 1, identity, 42);
            double[] g = new double[36];
            k.populationLossAndGradient(6, identity, c.w, c.wStar, g);
            double step = 1e-5;
            for (int i = 0; i < 36; i++) {
                double[] p = c.w.clone();
                double[] m = c.w.clone();
                p[i] += step;
                m[i] -= step;
                double fd = (k.populationLossAndGradient(6, identity, p, c.wStar, null)
                        - k.populationLossAndGradient(6, identity, m, c.wStar, null)) / (2 * step);
                // truncation O(step^2 * third derivative) ~ 1e-9, cancellation ~ eps * L / step ~ 1e-10
                assertThat(Math.abs(fd - g[i])).as("entry %d identity=%s", i, identity).isLessThan(1e-7);
            }
        }
    }

    @Test
    void teacherIsAnExactZeroOfTheLossAndGradient() {
        for (int d : new int[] {1, 7, 30}) {
            Cases.Case c = Cases.gaussian(d, 1, true, d);
            double[] g = new double[d * d];
            double loss = new ScalarKernel().populationLossAndGradient(d, true, c.wStar, c.wStar, g);
            assertThat(loss).isEqualTo(0.0);
            for (double v : g) {
                assertThat(Math.abs(v)).isLessThan(1e-13 * d);
            }
            float[] ws = io.idrelu.model.Matrices.toFloat(c.wStar);
            float[] gf = new float[d * d];
            assertThat(new ScalarFloatKernel().populationLossAndGradient(d, true, ws, ws, gf)).isEqualTo(0.0f);
            for (float v : gf) {
                assertThat(Math.abs(v)).isLessThan(1e-5f * d);
            }
        }
    }

    @Test
    void zeroNormUnitHasZeroGradientColumnAndFiniteLoss() {
        int d = 5;
        Cases.Case c = Cases.gaussian(d, 1, true, 3);
        for (int r = 0; r < d; r++) {
            c.w[r * d + 2] = r == 2 ? -1.0 : 0.0;  // u_2 = e_2 + w_2 = 0
        }
        double[] g = new double[d * d];
        double loss = new ScalarKernel().populationLossAndGradient(d, true, c.w, c.wStar, g);
        assertThat(loss).isFinite().isPositive();
        for (int r = 0; r < d; r++) {
            assertThat(g[r * d + 2]).isEqualTo(0.0);
        }
        for (double v : g) {
            assertThat(v).isFinite();
        }
    }

    private static double[][] columns(int d, double[] w, boolean identity) {
        double[][] u = new double[d][d];
        for (int j = 0; j < d; j++) {
            for (int r = 0; r < d; r++) {
                u[j][r] = w[r * d + j] + (identity && r == j ? 1 : 0);
            }
        }
        return u;
    }

    private static double norm(double[] a) {
        double s = 0;
        for (double t : a) {
            s += t * t;
        }
        return Math.sqrt(s);
    }

    private static double angle(double[] a, double[] b) {
        if (a == b) {
            return 0;
        }
        double aa = 0;
        double bb = 0;
        double ab = 0;
        for (int i = 0; i < a.length; i++) {
            aa += a[i] * a[i];
            bb += b[i] * b[i];
            ab += a[i] * b[i];
        }
        return Math.atan2(Math.sqrt(Math.max(0, aa * bb - ab * ab)), ab);
    }

    private static double kappa(double[] a, double[] b) {
        double t = angle(a, b);
        return norm(a) * norm(b) * (Math.sin(t) + (Math.PI - t) * Math.cos(t)) / (2 * Math.PI);
    }
}
