package io.idrelu.kernel.vector;

import io.idrelu.kernel.KernelProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The lane-wise {@code atan2} of {@link VectorPopulation} (claim A2's angle, proofs-notes/A2.md) is
 * {@link StrictMath#atan2} bit for bit, inside its transcribed domain (every branch {@code id = 0..3}, both signs of
 * {@code x}, the branch boundaries and their neighbours) and outside it (zero, tiny and huge ratios, signed zeros,
 * infinities, NaN, {@code y <= 0}), where it must hand the lane to {@link StrictMath}. Negative control: an
 * algebraically equal rewrite of fdlibm's last step ({@code pi - z + pi_lo}) differs in the last bit on some of the
 * same inputs, so the comparison sees single-bit changes.
 */
class VectorPopulationTest {
    @BeforeEach
    void vectorModule() {
        assumeTrue(KernelProvider.vectorAvailable(), () -> "skipped: " + KernelProvider.unavailableReason());
    }

    private static List<double[]> inputs() {
        List<double[]> in = new ArrayList<>();
        SplittableRandom rnd = new SplittableRandom(20170101);
        for (int i = 0; i < 200_000; i++) {
            double t = Math.scalb(1 + rnd.nextDouble(), rnd.nextInt(-8, 9));   // ratios 2^-8 .. 2^9
            double x = Math.scalb(rnd.nextDouble() + 0.5, rnd.nextInt(-40, 40)) * (rnd.nextBoolean() ? 1 : -1);
            in.add(new double[] {Math.abs(x) * t, x});
        }
        double[] edges = {0.4375, 0.6875, 1.1875, 2.4375, 0x1p59, 0x1p60, 0x1p61, 0x1p-29, 1.0};
        for (double e : edges) {
            for (double t : new double[] {Math.nextDown(e), e, Math.nextUp(e)}) {
                for (double x : new double[] {1.0, -1.0, 3.7, -0.01, 1e300, -1e-300}) {
                    in.add(new double[] {t * Math.abs(x), x});
                }
            }
        }
        double[][] special = {{1, 0}, {1, -0.0}, {0, 1}, {-0.0, 1}, {0, -1}, {-1, 2}, {-3, -0.5}, {Double.NaN, 1},
            {1, Double.NaN}, {Double.POSITIVE_INFINITY, 1}, {1, Double.POSITIVE_INFINITY}, {1, Double.NEGATIVE_INFINITY},
            {Double.MIN_VALUE, 1}, {1, Double.MIN_VALUE}, {1e-310, -1e-310}, {1e308, 1e-308}, {1, 1}};
        for (double[] s : special) {
            in.add(s);
        }
        return in;
    }

    @Test
    void atan2IsStrictMathBitForBit() {
        List<double[]> in = inputs();
        int l = VectorPopulation.lanes();
        int n = (in.size() + l - 1) / l * l;
        double[] y = new double[n];
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            double[] p = in.get(Math.min(i, in.size() - 1));
            y[i] = p[0];
            x[i] = p[1];
        }
        double[] out = new double[n];
        VectorPopulation.atan2(y, x, out);
        int[] branch = new int[4];
        int negative = 0;
        int outside = 0;
        for (int i = 0; i < n; i++) {
            double want = StrictMath.atan2(y[i], x[i]);
            assertThat(Double.doubleToRawLongBits(out[i])).as("atan2(%s, %s) = %s, StrictMath %s", y[i], x[i], out[i], want)
                    .isEqualTo(Double.doubleToRawLongBits(want));
            double t = Math.abs(y[i] / x[i]);
            if (y[i] > 0 && t >= 0.4375 && t < 0x1p59) {
                branch[t < 0.6875 ? 0 : t < 1.1875 ? 1 : t < 2.4375 ? 2 : 3]++;
                negative += x[i] < 0 ? 1 : 0;
            } else {
                outside++;
            }
        }
        // coverage: every transcribed branch, both signs of x, and the StrictMath hand-off, many times each
        for (int c : branch) {
            assertThat(c).isGreaterThan(1000);
        }
        assertThat(negative).isGreaterThan(10_000);
        assertThat(outside).isGreaterThan(10_000);
    }

    /** Negative control: the comparison above is sensitive to a one-rounding change of the final step. */
    @Test
    void aRewrittenLastStepIsCaught() {
        final double piLo = 0x1.1a62633145c07p-53;
        int differ = 0;
        for (double[] p : inputs()) {
            if (p[1] < 0 && p[0] > 0) {
                double z = StrictMath.atan(Math.abs(p[0] / p[1]));
                double rewritten = (Math.PI - z) + piLo;      // = pi - (z - pi_lo) in real numbers
                if (rewritten != StrictMath.atan2(p[0], p[1])) {
                    differ++;
                }
            }
        }
        assertThat(differ).isGreaterThan(100);
    }
}
