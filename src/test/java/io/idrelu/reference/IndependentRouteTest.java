package io.idrelu.reference;

import io.idrelu.reference.PopulationReference.Mutation;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link PopulationReference} against a route that shares none of its code ({@link BigMathClosedForm}: BigDecimal,
 * big-math {@code acos}, no binary pipeline) at {@code 2p + 30} digits, on random points (identity and vanilla, d = 2..4)
 * and a decimal-string fixture, at p = 20 and 50. Two checks per value, with {@code M} from {@link Magnitudes}
 * (independent doubles) and the truth's own error {@code 10^-(p+10) M} (BigMathClosedForm's javadoc) added:
 * <ul>
 *   <li>the stated bound, {@code |v - exact| <= 10^-p M} (proofs-notes/reference-error-bound.md section 2);</li>
 *   <li>the derived one it rests on (section 3), {@code <= 10^-(p+2) M + u |v|}, {@code u = 5 10^-(p+8)}: the binary
 *       pipeline at {@code p + BINARY_GUARD_DIGITS} digits and the final rounding at {@code p + GUARD_DIGITS}.</li>
 * </ul>
 * Negative control: one guard digit fewer ({@code guard = BINARY_GUARD_DIGITS - 1}: binary pipeline and final rounding at
 * {@code p + 1}) must break the derived bound somewhere; so must a wrong formula (teacher sign) break the stated one.
 */
class IndependentRouteTest {
    private record Point(String name, boolean identity, BigDecimal[][] w, BigDecimal[][] wStar) { }

    private static List<Point> points() {
        List<Point> out = new ArrayList<>();
        for (int d = 2; d <= 4; d++) {
            out.add(new Point("random d=" + d + (d % 2 == 0 ? " identity" : " vanilla"), d % 2 == 0,
                    Fixtures.matrix(Fixtures.gaussian(100 + d, d * d, 0.4, 0), d),
                    Fixtures.matrix(Fixtures.gaussian(200 + d, d * d, 0.4, 0), d)));
        }
        out.add(new Point("decimal strings d=3", true, Fixtures.decimals("0.1 -0.2 0.05", "0.3 0.0 -0.15", "0.25 0.1 0.2"),
                Fixtures.decimals("0 0.1 -0.3", "0.2 0 0.1", "-0.1 0.35 0")));
        return out;
    }

    /** Largest ratios seen: error / stated bound, error / derived bound. */
    private static double[] worst(int guard, Mutation mutation, int[] ps) {
        double stated = 0;
        double derived = 0;
        for (Point pt : points()) {
            Magnitudes m = new Magnitudes(pt.identity, pt.w, pt.wStar);
            for (int p : ps) {
                PopulationValues v = new PopulationReference(p, guard, mutation).evaluate(pt.identity, pt.w, pt.wStar);
                BigMathClosedForm truth = new BigMathClosedForm(pt.identity, pt.w, pt.wStar, 2 * p + 30);
                List<BigDecimal[]> values = new ArrayList<>(); // {value, truth, M}
                values.add(new BigDecimal[] {v.loss(), truth.loss, BigDecimal.valueOf(m.loss())});
                values.add(new BigDecimal[] {v.potential(), truth.potential, BigDecimal.valueOf(m.potential())});
                for (int r = 0; r < m.d; r++) {
                    for (int j = 0; j < m.d; j++) {
                        values.add(new BigDecimal[] {v.gradient()[r][j], truth.gradient[r][j], BigDecimal.valueOf(m.gradient(r, j))});
                    }
                }
                for (BigDecimal[] x : values) {
                    BigDecimal err = x[0].subtract(x[1]).abs();
                    BigDecimal truthError = x[2].movePointLeft(p + 10);
                    BigDecimal statedBound = x[2].movePointLeft(p).add(truthError);
                    BigDecimal derivedBound = x[2].movePointLeft(p + PopulationReference.BINARY_GUARD_DIGITS)
                            .add(x[0].abs().multiply(BigDecimal.valueOf(5)).movePointLeft(p + PopulationReference.GUARD_DIGITS))
                            .add(truthError);
                    stated = Math.max(stated, ratio(err, statedBound));
                    derived = Math.max(derived, ratio(err, derivedBound));
                }
            }
        }
        return new double[] {stated, derived};
    }

    private static double ratio(BigDecimal err, BigDecimal bound) {
        if (bound.signum() == 0) {
            return err.signum() == 0 ? 0 : Double.POSITIVE_INFINITY;
        }
        return err.divide(bound, MathContext.DECIMAL64).doubleValue();
    }

    @Test
    void referenceIsWithinItsStatedAndDerivedBoundsAgainstAnIndependentRoute() {
        double[] w = worst(PopulationReference.GUARD_DIGITS, Mutation.NONE, new int[] {20, 50});
        System.out.printf("independent route: max error / stated bound %.3e, / derived bound %.3e%n", w[0], w[1]);
        assertThat(w[0]).as("error / 10^-p M").isLessThanOrEqualTo(1.0);
        assertThat(w[1]).as("error / (10^-(p+2) M + u |v|)").isLessThanOrEqualTo(1.0);
    }

    @Test
    void oneGuardDigitFewerBreaksTheDerivedBound() {
        double[] w = worst(PopulationReference.BINARY_GUARD_DIGITS - 1, Mutation.NONE, new int[] {20});
        System.out.printf("independent route, one guard digit fewer: max error / derived bound %.3e%n", w[1]);
        assertThat(w[1]).as("one guard digit fewer: error / (10^-(p+2) M + u |v|)").isGreaterThan(1.0);
        double[] sign = worst(PopulationReference.GUARD_DIGITS, Mutation.TEACHER_SIGN, new int[] {20});
        assertThat(sign[0]).as("teacher sign flipped: error / 10^-p M").isGreaterThan(1.0);
    }
}
