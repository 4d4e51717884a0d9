package io.idrelu.kernel;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests added for mutants PIT found surviving in the kernel package (proofs-notes/mutation.md): the float closed
 * form's zero-norm convention (MATH.md section 2: {@code |u_j| = 0} gives gradient column {@code j = 0}), which
 * only the double closed form had a test for.
 */
class KernelMutationGapsTest {

    @Test
    void floatZeroNormUnitHasZeroGradientColumnAndFiniteLoss() {
        int d = 5;
        Cases.Case c = Cases.gaussian(d, 1, true, 3);
        float[] w = new float[d * d];
        float[] ws = new float[d * d];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) c.w[i];
            ws[i] = (float) c.wStar[i];
        }
        // negative control: with a non-zero unit 2 the same column is not zero, so the check below can fail
        float[] g0 = new float[d * d];
        new ScalarFloatKernel().populationLossAndGradient(d, true, w, ws, g0);
        boolean nonZero = false;
        for (int r = 0; r < d; r++) {
            nonZero |= g0[r * d + 2] != 0f;
        }
        assertThat(nonZero).as("column 2 at a generic W").isTrue();

        for (int r = 0; r < d; r++) {
            w[r * d + 2] = r == 2 ? -1.0f : 0.0f;  // u_2 = e_2 + w_2 = 0
        }
        float[] g = new float[d * d];
        float loss = new ScalarFloatKernel().populationLossAndGradient(d, true, w, ws, g);
        assertThat(loss).isFinite().isPositive();
        for (int r = 0; r < d; r++) {
            assertThat(g[r * d + 2]).as("g[%d][2]", r).isEqualTo(0.0f);
        }
        for (float v : g) {
            assertThat(v).isFinite();
        }
    }
}
