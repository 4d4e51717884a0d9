package io.idrelu.reference;

import io.idrelu.kernel.Parallel;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link PopulationReference#evaluate(boolean, BigDecimal[][], BigDecimal[][], Parallel)}: the same values, scale included
 * ({@link BigDecimal#equals}), for K = 1, 2, 3, 8 threads as the serial evaluation: loss, every gradient entry and its
 * scale, potential. Cases: d = 1 (one task, fewer tasks than threads), 5 and 9 (tasks not a multiple of 2, 3 or 8),
 * identity and vanilla, a zero unit (the zero-column convention in a task), 20 and 50 digits. Negative control: the
 * same comparison must see a change of one input entry by one ulp (so an evaluation that dropped or swapped a task's
 * outputs could not pass).
 */
class ThreadedReferenceTest {
    private static BigDecimal[][] random(long seed, int d, double scale) {
        return Fixtures.matrix(Fixtures.gaussian(seed, d * d, scale, 0), d);
    }

    /** Every printed quantity of the evaluation, in a fixed order. */
    private static List<BigDecimal> values(PopulationValues v) {
        List<BigDecimal> out = new ArrayList<>(List.of(v.loss(), v.lossScale(), v.potential(), v.potentialScale()));
        for (int r = 0; r < v.gradient().length; r++) {
            for (int c = 0; c < v.gradient().length; c++) {
                out.add(v.gradient()[r][c]);
                out.add(v.gradientScale()[r][c]);
            }
        }
        return out;
    }

    @Test
    void sameValuesForEveryThreadCount() {
        int cases = 0;
        for (int d : new int[] {1, 5, 9}) {
            for (boolean identity : new boolean[] {true, false}) {
                for (int digits : new int[] {20, 50}) {
                    BigDecimal[][] w = random(31L * d + (identity ? 1 : 2), d, 0.4);
                    BigDecimal[][] ws = random(77L * d, d, 0.4);
                    if (d == 5 && !identity) {
                        for (int r = 0; r < d; r++) {
                            w[r][2] = BigDecimal.ZERO; // a zero unit (vanilla: column 2 of W)
                        }
                    }
                    PopulationReference ref = new PopulationReference(digits);
                    List<BigDecimal> serial = values(ref.evaluate(identity, w, ws));
                    for (int k : new int[] {1, 2, 3, 8}) {
                        try (Parallel p = new Parallel(k)) {
                            assertThat(values(ref.evaluate(identity, w, ws, p))).as("d %d, identity %s, %d digits, K %d", d,
                                    identity, digits, k).isEqualTo(serial);
                        }
                        cases++;
                    }
                    // control: one entry one ulp away gives different values, which the comparison sees
                    BigDecimal[][] moved = random(31L * d + (identity ? 1 : 2), d, 0.4);
                    if (d == 5 && !identity) {
                        for (int r = 0; r < d; r++) {
                            moved[r][2] = BigDecimal.ZERO;
                        }
                    }
                    moved[d - 1][0] = new BigDecimal(Math.nextUp(moved[d - 1][0].doubleValue()));
                    try (Parallel p = new Parallel(3)) {
                        assertThat(values(ref.evaluate(identity, moved, ws, p))).isNotEqualTo(serial);
                    }
                }
            }
        }
        assertThat(cases).isEqualTo(3 * 2 * 2 * 4);
    }
}
