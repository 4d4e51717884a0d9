package io.idrelu.kernel.vector;

import io.idrelu.kernel.KernelProvider;
import io.idrelu.kernel.PopulationClosedForm;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The lane-wise reductions of {@link VectorPopulation} give the scalar bits. {@link VectorPopulation#lossRows} (the
 * loss's row chains in vector lanes, claim A2) gives the scalar
 * {@link PopulationClosedForm#lossRows}'s bits: every {@code d} from 1 to 40 (no full vector, full vectors, every tail
 * length), 255 and 256, with zero norms at some {@code i} and {@code k} (the convention {@code kappa = 0}, checked on
 * {@code NaN} angles so that a missing blend shows) and raw angles, sines and cosines of every magnitude.
 * Negative controls: the same comparison catches a reassociated {@code kappa} (one rounding moved) and a dropped
 * zero-norm test.
 */
class VectorLossRowsTest {
    @BeforeEach
    void vectorModule() {
        assumeTrue(KernelProvider.vectorAvailable(), () -> "skipped: " + KernelProvider.unavailableReason());
    }

    /** The scalar definitions, reached through a subclass (the hooks are protected). */
    private static final class Scalar extends PopulationClosedForm {
        double[] rows(int d, double[][] a) {
            double[] rows = new double[d];
            lossRows(d, a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], rows);
            return rows;
        }

        double[] sums(int d, double[][] a) {
            double[] s = new double[d];
            sinSums(d, a[0], a[1], a[3], a[6], s);
            return s;
        }

        double[] finished(int d, double[] nu, double[] c, double[] u, double[] grad) {
            double[] g = grad.clone();
            finishGradient(d, nu, c, u, g);
            return g;
        }
    }

    /**
     * The per-unit {@code sin} sums and the gradient's last step ({@link VectorPopulation#sinSums},
     * {@link VectorPopulation#finishGradient}) give the scalar bits at the same sizes, zero norms included (whose
     * gradient column must be {@code 0} even where the product is {@code NaN}).
     */
    @Test
    void sinSumsAndFinishedGradientAreTheScalarBitsBitForBit() {
        int zeroColumns = 0;
        for (int d : sizes()) {
            double[][] a = inputs(d, 2000 + d);
            double[] want = new Scalar().sums(d, a);
            double[] got = new double[d];
            new VectorPopulation().sinSums(d, a[0], a[1], a[3], a[6], got);
            assertThat(differing(want, got)).as("sin sums, d = %d", d).isZero();

            SplittableRandom rnd = new SplittableRandom(d);
            double[] c = new double[d];
            double[] u = new double[d * d];
            double[] grad = new double[d * d];
            for (int j = 0; j < d; j++) {
                c[j] = rnd.nextGaussian();
            }
            for (int e = 0; e < d * d; e++) {
                u[e] = rnd.nextGaussian();
                grad[e] = a[0][e % d] == 0 && rnd.nextBoolean() ? Double.NaN : rnd.nextGaussian();
            }
            double[] wantG = new Scalar().finished(d, a[0], c, u, grad);
            double[] gotG = grad.clone();
            new VectorPopulation().finishGradient(d, a[0], c, u, gotG);
            assertThat(differing(wantG, gotG)).as("finished gradient, d = %d", d).isZero();
            for (int j = 0; j < d; j++) {
                zeroColumns += a[0][j] == 0 ? 1 : 0;
            }
        }
        assertThat(zeroColumns).isGreaterThan(20);
    }

    /** Negative controls: an fma in the sin term, and a product before the fma in the last step, are seen. */
    @Test
    void changedSinTermsAndLastStepsAreCaught() {
        int d = 64;
        double[][] a = inputs(d, 9);
        double[] want = new Scalar().sums(d, a);
        double[] fused = new double[d];
        for (int k = 0; k < d; k++) {
            for (int j = 0; j < d; j++) {
                fused[j] += Math.fma(a[0][k], a[3][k * d + j], -(a[1][k] * a[6][k * d + j]));
            }
        }
        assertThat(differing(want, fused)).isGreaterThan(d / 4);
        SplittableRandom rnd = new SplittableRandom(3);
        double[] c = new double[d];
        double[] u = new double[d * d];
        double[] grad = new double[d * d];
        for (int j = 0; j < d; j++) {
            c[j] = rnd.nextGaussian();
        }
        for (int e = 0; e < d * d; e++) {
            u[e] = rnd.nextGaussian();
            grad[e] = rnd.nextGaussian();
        }
        double[] wantG = new Scalar().finished(d, a[0], c, u, grad);
        double[] scaledFirst = new double[d * d];
        for (int e = 0; e < d * d; e++) {
            int j = e % d;
            scaledFirst[e] = a[0][j] == 0 ? 0.0 : Math.fma(c[j] * (1 / Math.PI), u[e], grad[e] * (1 / Math.PI));
        }
        assertThat(differing(wantG, scaledFirst)).isGreaterThan(d * d / 8);
    }

    /** nu, nv (some zero) and nine d x d angle arrays (theta in [0, pi], sin, cos; a few NaN where a norm is 0). */
    private static double[][] inputs(int d, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[][] a = new double[11][];
        a[0] = new double[d];
        a[1] = new double[d];
        for (int i = 0; i < d; i++) {
            a[0][i] = rnd.nextInt(7) == 0 ? 0.0 : Math.scalb(0.5 + rnd.nextDouble(), rnd.nextInt(-3, 4));
            a[1][i] = rnd.nextInt(7) == 0 ? 0.0 : Math.scalb(0.5 + rnd.nextDouble(), rnd.nextInt(-3, 4));
        }
        for (int s = 0; s < 3; s++) {
            double[] th = new double[d * d];
            double[] sin = new double[d * d];
            double[] cos = new double[d * d];
            for (int ki = 0; ki < d * d; ki++) {
                th[ki] = rnd.nextDouble() * Math.PI;
                sin[ki] = Math.sin(th[ki]);
                cos[ki] = Math.cos(th[ki]);
                int k = ki / d;
                int i = ki % d;
                double[] na = s == 2 ? a[1] : a[0];   // uu: (u_i, u_k), vu: (u_i, v_k), vv: (v_i, v_k)
                double[] nb = s == 0 ? a[0] : a[1];
                if ((na[i] == 0 || nb[k] == 0) && rnd.nextBoolean()) {
                    th[ki] = Double.NaN;   // what a zero vector's angle may hold: kappa must still be 0
                }
            }
            a[2 + 3 * s] = th;
            a[3 + 3 * s] = sin;
            a[4 + 3 * s] = cos;
        }
        return a;
    }

    private static double[] vector(int d, double[][] a) {
        double[] rows = new double[d];
        new VectorPopulation().lossRows(d, a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], rows);
        return rows;
    }

    private static int[] sizes() {
        int[] sizes = new int[42];
        for (int d = 1; d <= 40; d++) {
            sizes[d - 1] = d;
        }
        sizes[40] = 255;
        sizes[41] = 256;
        return sizes;
    }

    @Test
    void vectorRowsAreTheScalarRowsBitForBit() {
        int lanes = VectorPopulation.lanes();
        int vectorRows = 0;
        int tailRows = 0;
        int zeroTerms = 0;
        for (int d : sizes()) {
            double[][] a = inputs(d, 1000 + d);
            double[] want = new Scalar().rows(d, a);
            double[] got = vector(d, a);
            for (int i = 0; i < d; i++) {
                assertThat(Double.doubleToRawLongBits(got[i])).as("d = %d, row %d: %s vs %s", d, i, got[i], want[i])
                        .isEqualTo(Double.doubleToRawLongBits(want[i]));
                assertThat(got[i]).as("d = %d, row %d", d, i).isNotNaN();
            }
            vectorRows += d / lanes * lanes;
            tailRows += d % lanes;
            for (int i = 0; i < d; i++) {
                zeroTerms += a[0][i] == 0 || a[1][i] == 0 ? 1 : 0;
            }
        }
        // coverage: rows in full vectors, rows in the scalar tail, zero norms
        assertThat(vectorRows).isGreaterThan(500);
        assertThat(tailRows).isGreaterThan(100);
        assertThat(zeroTerms).isGreaterThan(50);
    }

    /** Negative control: {@code na (nb (...))} instead of {@code (na nb) (...)} changes bits the comparison sees. */
    @Test
    void aReassociatedKappaIsCaught() {
        int d = 64;
        double[][] a = inputs(d, 7);
        double[] want = new Scalar().rows(d, a);
        double[] bad = rowsWith(d, a, VectorLossRowsTest::kappaReassociated);
        assertThat(differing(want, bad)).isGreaterThan(d / 4);
    }

    /** Negative control: without the zero-norm convention a NaN angle reaches the row sums. */
    @Test
    void aDroppedZeroNormTestIsCaught() {
        int d = 64;
        double[][] a = inputs(d, 8);
        double[] want = new Scalar().rows(d, a);
        double[] bad = rowsWith(d, a, VectorLossRowsTest::raw);
        assertThat(differing(want, bad)).isGreaterThan(d / 4);
    }

    /** One pair term {@code kappa(|a|, |b|, theta, sin theta, cos theta)} of a mutated row sum. */
    private interface Kappa {
        double of(double na, double nb, double th, double sin, double cos);
    }

    /** The row sums of the scalar contract's shape with {@code kappa} in place of the real pair term. */
    private static double[] rowsWith(int d, double[][] a, Kappa kappa) {
        double[] rows = new double[d];
        for (int k = 0; k < d; k++) {
            for (int i = 0; i < d; i++) {
                int ki = k * d + i;
                rows[i] += (kappa.of(a[0][i], a[0][k], a[2][ki], a[3][ki], a[4][ki])
                        - 2 * kappa.of(a[0][i], a[1][k], a[5][ki], a[6][ki], a[7][ki]))
                        + kappa.of(a[1][i], a[1][k], a[8][ki], a[9][ki], a[10][ki]);
            }
        }
        return rows;
    }

    private static double kappaReassociated(double na, double nb, double th, double sin, double cos) {
        return na == 0 || nb == 0 ? 0.0 : na * (nb * (sin + (Math.PI - th) * cos)) * (1 / (2 * Math.PI));
    }

    private static double raw(double na, double nb, double th, double sin, double cos) {
        return na * nb * (sin + (Math.PI - th) * cos) * (1 / (2 * Math.PI));
    }

    private static int differing(double[] want, double[] got) {
        int n = 0;
        for (int i = 0; i < want.length; i++) {
            n += Double.doubleToRawLongBits(want[i]) != Double.doubleToRawLongBits(got[i]) ? 1 : 0;
        }
        return n;
    }
}
