package io.idrelu.model;

import io.idrelu.reference.PopulationReference;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.MathContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

/**
 * {@link Potential} (the potential g of [LY17] Theorem 3.1) against the exact reference, with the error
 * bound of its javadoc, and the scaled fallback for columns whose sum of squares leaves the normal range.
 */
class PotentialTest {
    private static final double U = 0x1p-53;

    @Test
    void agreesWithTheExactPotentialWithinTheDerivedBound() {
        PopulationReference ref = new PopulationReference(40);
        int[] identityCases = {0, 0};
        qt().withExamples(40).forAll(integers().between(1, 9), doubles().between(0.01, 3.0), longs().all(),
                        integers().between(0, 1))
                .checkAssert((d, gamma, seed, id) -> {
                    boolean identity = id == 1;
                    identityCases[id]++;
                    Problem p = Problem.random(d, gamma, seed, identity);
                    double got = Potential.of(d, identity, p.w0(), p.wStar());
                    BigDecimal exact = ref.potential(identity, Matrices.exact(p.w0(), d), Matrices.exact(p.wStar(), d));
                    double err = exact.subtract(new BigDecimal(got)).abs().doubleValue();
                    double bound = bound(d, identity, p.w0(), p.wStar());
                    assertThat(err).as("|g - exact| at d=%d gamma=%s seed=%d identity=%s (bound %s)", d, gamma, seed,
                            identity, bound).isLessThanOrEqualTo(bound);
                });
        assertThat(identityCases[0]).as("vanilla cases").isPositive();
        assertThat(identityCases[1]).as("identity cases").isPositive();
    }

    @Test
    void aPerturbedPotentialFailsTheSameBound() {
        // Negative control: g with one column norm off by 4 bounds' worth must fail the check above.
        int d = 5;
        Problem p = Problem.random(d, 0.5, 11, true);
        double bound = bound(d, true, p.w0(), p.wStar());
        double good = Potential.of(d, true, p.w0(), p.wStar());
        BigDecimal exact = new PopulationReference(40).potential(true, Matrices.exact(p.w0(), d), Matrices.exact(p.wStar(), d));
        double bad = good + 4 * bound;
        assertThat(exact.subtract(new BigDecimal(good)).abs().doubleValue()).isLessThanOrEqualTo(bound);
        assertThat(exact.subtract(new BigDecimal(bad)).abs().doubleValue()).isGreaterThan(bound);
    }

    @Test
    void hugeAndTinyColumnsUseTheScaledNorm() {
        // Column 0 = (3e200, 4e200): the plain sum of squares overflows; the norm is 5e200.
        // Column 1 = (3e-170, 4e-170): the squares underflow to subnormals / zero; the norm is 5e-170.
        double[] w = {3e200, 3e-170, 4e200, 4e-170};
        assertThat(Potential.columnNorm(2, false, w, 0)).isCloseTo(5e200, offset(2 * U * 5e200 * 4));
        assertThat(Potential.columnNorm(2, false, w, 1)).isCloseTo(5e-170, offset(2 * U * 5e-170 * 4));
        // Control: the plain formula is wrong on exactly these columns, so the fallback is needed.
        assertThat(Math.sqrt(3e200 * 3e200 + 4e200 * 4e200)).isInfinite();
        assertThat(Math.abs(Math.sqrt(3e-170 * 3e-170 + 4e-170 * 4e-170) - 5e-170)).isGreaterThan(1e-3 * 5e-170);
    }

    @Test
    void ordinaryColumnsUseThePlainSumBitForBit() {
        // The fast path is the plain sum (what the bound assumes); the scaled norm may differ in the last bit.
        double[] w = {0.1, 0.7, -0.3, 0.2};
        for (int c = 0; c < 2; c++) {
            double s = 0;
            for (int r = 0; r < 2; r++) {
                double t = w[r * 2 + c] + (r == c ? 1 : 0);
                s += t * t;
            }
            assertThat(Potential.columnNorm(2, true, w, c)).isEqualTo(Math.sqrt(s));
        }
        assertThat(Potential.columnNorm(2, false, new double[4], 1)).isZero();
        assertThat(Potential.columnNorm(1, false, new double[] {Double.NaN}, 0)).isNaN();
    }

    /** {@code gamma_(3d+3) sum_i (|v_i| + |u_i|)} from the class javadoc, in exact arithmetic then rounded up. */
    private static double bound(int d, boolean identity, double[] w, double[] wStar) {
        double n = 3.0 * d + 3;
        double gamma = n * U / (1 - n * U);
        BigDecimal mags = BigDecimal.ZERO;
        BigDecimal[][] we = Matrices.exact(w, d);
        BigDecimal[][] ws = Matrices.exact(wStar, d);
        MathContext mc = new MathContext(30);
        for (int i = 0; i < d; i++) {
            BigDecimal su = BigDecimal.ZERO;
            BigDecimal sv = BigDecimal.ZERO;
            for (int r = 0; r < d; r++) {
                BigDecimal u = we[r][i].add(identity && r == i ? BigDecimal.ONE : BigDecimal.ZERO);
                BigDecimal v = ws[r][i].add(r == i ? BigDecimal.ONE : BigDecimal.ZERO);
                su = su.add(u.multiply(u));
                sv = sv.add(v.multiply(v));
            }
            mags = mags.add(su.sqrt(mc)).add(sv.sqrt(mc));
        }
        return gamma * mags.doubleValue() * (1 + 4 * U);
    }
    @Test
    void rowByRowNormsEqualTheColumnByColumnDefinitionBitForBit() {
        // Potential.of reads the matrix row by row (columnNorms); its contract is columnNorm's bits, column by column,
        // including columns that take the scaled fallback (entries scaled to overflow or underflow the squares).
        int[] scaled = {0};
        qt().withExamples(60).forAll(integers().between(1, 12), longs().all(), integers().between(0, 2),
                        integers().between(0, 1))
                .checkAssert((d, seed, range, id) -> {
                    boolean identity = id == 1;
                    double[] w = Problem.random(d, 0.7, seed, false).w0();
                    double scale = range == 0 ? 1.0 : range == 1 ? 1e180 : 1e-175;
                    for (int c = 0; c < d; c += 2) {       // every other column out of the normal range
                        for (int r = 0; r < d; r++) {
                            w[r * d + c] *= scale;
                        }
                    }
                    double[] norms = Potential.columnNorms(d, identity, w);
                    for (int c = 0; c < d; c++) {
                        assertThat(Double.doubleToRawLongBits(norms[c])).as("column %d of d=%d seed=%d", c, d, seed)
                                .isEqualTo(Double.doubleToRawLongBits(Potential.columnNorm(d, identity, w, c)));
                    }
                    if (range > 0) {
                        scaled[0]++;
                    }
                });
        assertThat(scaled[0]).as("cases with scaled columns").isPositive();
    }

    @Test
    void aSumInAnotherOrderIsCaughtByTheBitForBitCheck() {
        // Negative control: the same squares summed from the last row up are a different chain; at d = 9 some column's
        // bits differ, so the comparison above can fail.
        int d = 9;
        double[] w = Problem.random(d, 0.7, 5, false).w0();
        boolean differs = false;
        for (int c = 0; c < d; c++) {
            double s = 0;
            for (int r = d - 1; r >= 0; r--) {
                s += w[r * d + c] * w[r * d + c];
            }
            differs |= Double.doubleToRawLongBits(Math.sqrt(s))
                    != Double.doubleToRawLongBits(Potential.columnNorms(d, false, w)[c]);
        }
        assertThat(differs).isTrue();
    }
}
