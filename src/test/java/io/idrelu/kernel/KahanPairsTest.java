package io.idrelu.kernel;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

/**
 * {@link PopulationClosedForm#kahanPairs}: the pairs' chains advance together (row outer), and each pair must still
 * get the bits of its own chain as the javadoc writes it ({@link #onePair}, pair by pair, column by column), whatever
 * the pairs are grouped with: a group is one task of {@code --threads K}, so this is the thread-count contract of the
 * fallback. Negative control: a chain in another order is caught.
 */
class KahanPairsTest {

    @Test
    void everyPairHasTheBitsOfItsOwnChainInAnyGrouping() {
        int[] cases = {0};
        qt().withExamples(40).withShrinkCycles(0)
                .forAll(integers().between(1, 17), longs().all(), integers().between(1, 7))
                .checkAssert((d, seed, group) -> {
                    Random rnd = new Random(seed);
                    double[] a = gaussian(d, rnd);
                    double[] b = gaussian(d, rnd);
                    if (d > 1) {
                        System.arraycopy(a, 0, b, 0, d);   // row 0 shared: some nearly parallel pairs
                    }
                    double[] na = norms(d, a);
                    double[] nb = norms(d, b);
                    int[] pairs = new int[d * d];
                    for (int q = 0; q < pairs.length; q++) {
                        pairs[q] = (q * 293 + 3) % pairs.length;   // every pair once, out of order (293: a prime > d^2)
                    }
                    PopulationClosedForm.Angles batched = new PopulationClosedForm.Angles(d);
                    for (int from = 0; from < pairs.length; from += group) {
                        PopulationClosedForm.kahanPairs(d, a, na, b, nb, pairs, from,
                                Math.min(pairs.length, from + group), batched);
                    }
                    for (int ik = 0; ik < d * d; ik++) {
                        double[] want = onePair(d, a, na, b, nb, ik / d, ik % d, false);
                        assertThat(new double[] {batched.th[ik], batched.sin[ik], batched.cos[ik]})
                                .as("pair %d of d=%d, groups of %d", ik, d, group).isEqualTo(want);
                    }
                    cases[0]++;
                });
        assertThat(cases[0]).isPositive();
    }

    @Test
    void aChainInAnotherOrderIsCaught() {
        int d = 13;
        Random rnd = new Random(3);
        double[] a = gaussian(d, rnd);
        double[] b = gaussian(d, rnd);
        double[] na = norms(d, a);
        double[] nb = norms(d, b);
        PopulationClosedForm.Angles out = new PopulationClosedForm.Angles(d);
        int[] pairs = new int[d * d];
        for (int q = 0; q < pairs.length; q++) {
            pairs[q] = q;
        }
        PopulationClosedForm.kahanPairs(d, a, na, b, nb, pairs, 0, pairs.length, out);
        boolean caught = false;
        for (int ik = 0; ik < d * d; ik++) {
            caught |= onePair(d, a, na, b, nb, ik / d, ik % d, true)[0] != out.th[ik];
        }
        assertThat(caught).isTrue();
    }

    /** The javadoc's chain for one pair, {@code r} upwards (or, for the control, downwards). */
    private static double[] onePair(int d, double[] a, double[] na, double[] b, double[] nb, int i, int k,
                                    boolean reversed) {
        double minus = 0;
        double plus = 0;
        for (int t = 0; t < d; t++) {
            int r = reversed ? d - 1 - t : t;
            double p = nb[k] * a[r * d + i];
            double q = na[i] * b[r * d + k];
            minus = Math.fma(p - q, p - q, minus);
            plus = Math.fma(p + q, p + q, plus);
        }
        double tm = Math.sqrt(minus);
        double tp = Math.sqrt(plus);
        double s = minus + plus;
        return new double[] {2 * StrictMath.atan2(tm, tp), s == 0 ? 0.0 : (2 * (tm * tp)) / s,
            s == 0 ? 1.0 : (plus - minus) / s};
    }

    private static double[] gaussian(int d, Random rnd) {
        double[] m = new double[d * d];
        for (int i = 0; i < m.length; i++) {
            m[i] = rnd.nextGaussian();
        }
        return m;
    }

    private static double[] norms(int d, double[] m) {
        double[] n = new double[d];
        for (int c = 0; c < d; c++) {
            double s = 0;
            for (int r = 0; r < d; r++) {
                s += m[r * d + c] * m[r * d + c];
            }
            n[c] = Math.sqrt(s);
        }
        return n;
    }
}
