package io.idrelu.audit;

import io.idrelu.model.Problem;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link NearKink} (claim A1 coverage rows): the rows are exactly what the javadoc promises. Each property is
 * checked on the generated rows with exact BigDecimal arithmetic, so a wrong index, kind cycle, ulp count or
 * precision makes a check fail.
 */
class NearKinkTest {

    /** Exact {@code <u_j, x>} without identity term (the row has {@code x_j = 0}). */
    private static BigDecimal exactH(double[] w, double[] x, int d, int i, int j) {
        BigDecimal s = BigDecimal.ZERO;
        for (int r = 0; r < d; r++) {
            s = s.add(new BigDecimal(x[i * d + r]).multiply(new BigDecimal(w[r * d + j])));
        }
        return s;
    }

    private static void checkRows(double[] w, int d, int rows, long seed, Precision precision) {
        double[] x = NearKink.batch(w, d, rows, seed, precision);
        assertThat(x).hasSize(rows * d);
        Set<Integer> ks = new HashSet<>();
        Set<Integer> ps = new HashSet<>();
        for (int i = 0; i < rows; i++) {
            int j = i % d;
            int kind = i / d % 3;
            int p = -1;
            int q = -1;
            for (int r = 0; r < d; r++) {
                if (x[i * d + r] != 0) {
                    assertThat(r).as("row %d: support avoids the unit %d", i, j).isNotEqualTo(j);
                    if (p < 0) {
                        p = r;
                    } else {
                        assertThat(q).as("row %d: two coordinates", i).isNegative();
                        q = r;
                    }
                }
            }
            assertThat(q).as("row %d: two coordinates", i).isPositive();
            // x_p = W[q][j] and x_q = -W[p][j] (+ k ulps) for the pair in either order
            boolean pFirst = x[i * d + p] == w[q * d + j];
            int a = pFirst ? p : q;  // coordinate holding W[b][j] of the other one
            int b = pFirst ? q : p;
            assertThat(x[i * d + a]).isEqualTo(w[b * d + j]);
            double base = -w[a * d + j];
            double xq = x[i * d + b];
            ps.add(Math.floorMod(a - j, d));
            BigDecimal h = exactH(w, x, d, i, j);
            if (kind == 0) {
                assertThat(xq).isEqualTo(base);
                assertThat(h.signum()).as("row %d on the kink", i).isZero();
            } else {
                int k = 0;
                double v = base;
                while (v != xq && k < 10) {
                    v = precision == Precision.FLOAT
                            ? (kind == 1 ? Math.nextUp((float) v) : Math.nextDown((float) v))
                            : (kind == 1 ? Math.nextUp(v) : Math.nextDown(v));
                    k++;
                }
                assertThat(v).as("row %d: x_q reached from -W[p][j] by ulp steps of the kind", i).isEqualTo(xq);
                assertThat(k).as("row %d: 1..3 ulps", i).isBetween(1, 3);
                ks.add(k);
                // moved up (kind 1) / down (kind 2): <u_j, x> = W[b][j] (x_q - base), sign known
                int expected = (kind == 1 ? 1 : -1) * (int) Math.signum(w[b * d + j]);
                assertThat(h.signum()).as("row %d kind %d sign", i, kind).isEqualTo(expected);
            }
            if (precision == Precision.FLOAT) {
                assertThat((double) (float) xq).as("row %d: representable in float", i).isEqualTo(xq);
            }
        }
        assertThat(ks).as("all ulp counts 1..3 occur").containsExactlyInAnyOrder(1, 2, 3);
        assertThat(ps.size()).as("the pair is drawn, not fixed").isGreaterThan(1);
    }

    @Test
    void rowsAreOnOrNextToTheKinkAsDocumented() {
        // catches: wrong unit/coordinate indices, kind cycle i / d % 3, ulp count range 1..3, direction of kind 1/2
        int d = 4;
        double[] w = Problem.random(d, 1.0, 3, true).w0();
        checkRows(w, d, 96, 5, Precision.DOUBLE);
        checkRows(NearKink.roundColumn(w, d, 1, 30), 3 + 1, 40, 6, Precision.DOUBLE);
    }

    @Test
    void floatRowsMoveByFloatUlps() {
        // catches: double ulps used on the float path (x_q not a float)
        int d = 3;
        double[] w = io.idrelu.model.Matrices.toDouble(io.idrelu.model.Matrices.toFloat(Problem.random(d, 1.0, 4, false).w0()));
        checkRows(w, d, 90, 8, Precision.FLOAT);
    }

    @Test
    void needsThreeDimensions() {
        // with d = 2 there is no second coordinate besides the unit: the loop picking q != p could not end
        assertThatThrownBy(() -> NearKink.batch(new double[4], 2, 2, 1, Precision.DOUBLE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("d >= 3");
        assertThat(NearKink.batch(new double[9], 3, 0, 1, Precision.DOUBLE)).isEmpty();
    }

    @Test
    void roundColumnKeepsTheRequestedBitsOfThatColumnOnly() {
        // catches: wrong index r*d+j, wrong scale exponent, v/scale instead of v*scale
        int d = 3;
        double[] w = Problem.random(d, 3.0, 2, true).w0();
        w[1 * d + 2] = 0; // zero entries stay zero
        for (int j = 0; j < d; j++) {
            for (int bits : new int[] {1, 5, NearKink.SHORT_BITS}) {
                double[] out = NearKink.roundColumn(w, d, j, bits);
                for (int r = 0; r < d; r++) {
                    for (int c = 0; c < d; c++) {
                        double v = w[r * d + c];
                        double o = out[r * d + c];
                        if (c != j || v == 0) {
                            assertThat(o).isEqualTo(v);
                            continue;
                        }
                        // o = m 2^(e - bits + 1) with integer |m| <= 2^bits, and |o - v| <= half that unit
                        double unit = Math.scalb(1.0, Math.getExponent(v) - bits + 1);
                        double m = o / unit;
                        assertThat(m).isEqualTo(Math.rint(m));
                        assertThat(Math.abs(m)).isLessThanOrEqualTo(Math.scalb(1.0, bits));
                        assertThat(Math.abs(o - v)).isLessThanOrEqualTo(unit / 2);
                        assertThat(Math.abs(o - v)).isLessThan(Math.abs(v) * Math.scalb(1.0, -bits + 1));
                    }
                }
            }
        }
        assertThat(w[1 * d + 2]).isZero();
        // the input is not modified
        double[] copy = w.clone();
        NearKink.roundColumn(w, d, 0, 3);
        assertThat(w).isEqualTo(copy);
        // a 12-bit column: products of two such entries are exact in float (24 bits)
        double[] s = NearKink.roundColumn(w, d, 0, NearKink.SHORT_BITS);
        float prod = (float) s[0] * (float) s[d];
        assertThat(new BigDecimal(prod)).isEqualByComparingTo(new BigDecimal(s[0]).multiply(new BigDecimal(s[d])));
    }

    @Test
    void concatAppendsRows() {
        double[] a = {1, 2, 3};
        double[] b = {4, 5};
        assertThat(NearKink.concat(a, b)).containsExactly(1, 2, 3, 4, 5);
        assertThat(NearKink.concat(new double[0], b)).containsExactly(4, 5);
        assertThat(NearKink.concat(a, new double[0])).containsExactly(1, 2, 3);
    }
}
