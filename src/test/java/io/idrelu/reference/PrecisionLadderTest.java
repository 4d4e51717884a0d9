package io.idrelu.reference;

import io.idrelu.reference.PopulationReference.Mutation;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;

import static io.idrelu.reference.Fixtures.decimals;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

/**
 * The precision ladder (DESIGN.md, after big-math): each value computed at {@code p} digits must be
 * within {@code 10^-p} times its magnitude ({@link Magnitudes}, computed independently) of the value
 * computed at {@code 2p + 20} digits. Covers random points and constructed ones with angles near 0 and
 * near pi, exactly orthogonal units ({@code c = 0}) and a zero unit. Negative controls: too few guard
 * digits, and {@code acos} of a rounded cosine near 0 and pi.
 */
class PrecisionLadderTest {
    private static final int[] LADDER = {5, 16, 30, 50};

    private record Case(String name, boolean identity, BigDecimal[][] w, BigDecimal[][] wStar) { }

    /** Largest {@code error / bound} seen in a run. */
    private static final class Worst {
        double ratio;
        String where = "";

        void see(double r, String w) {
            if (r > ratio) {
                ratio = r;
                where = w;
            }
        }
    }

    @Test
    void randomPointsStayWithinTheBound() {
        Worst worst = new Worst();
        qt().withFixedSeed(7L).withExamples(10).forAll(integers().between(1, 6), longs().all()).checkAssert((d, seed) -> {
            boolean identity = (seed & 1) == 0;
            BigDecimal[][] w = Fixtures.matrix(Fixtures.gaussian(seed, d * d, 0.6, 0), d);
            BigDecimal[][] ws = Fixtures.matrix(Fixtures.gaussian(seed + 1, d * d, 0.6, 0), d);
            for (int p : new int[] {5, 30}) {
                ladder(new Case("random d=" + d, identity, w, ws), p, PopulationReference.GUARD_DIGITS, worst);
            }
        });
        System.out.printf("precision ladder, random points: max error/bound = %.3e at %s%n", worst.ratio, worst.where);
        assertThat(worst.ratio).isLessThanOrEqualTo(1.0);
    }

    @Test
    void constructedHardPointsStayWithinTheBoundAndCoverageIsReal() {
        List<Case> cases = hardCases();
        int nearZero = 0;
        int nearPi = 0;
        int orthogonal = 0;
        int zeroUnits = 0;
        for (Case c : cases) {
            Magnitudes m = new Magnitudes(c.identity, c.w, c.wStar);
            for (int i = 0; i < m.d; i++) {
                if (Magnitudes.dot(m.ub[i], m.ub[i]).signum() == 0) {
                    zeroUnits++;
                }
                for (int k = 0; k < m.d; k++) {
                    for (BigDecimal[] other : new BigDecimal[][] {m.ub[k], m.vb[k]}) {
                        if (other == m.ub[k] && k == i) {
                            continue;
                        }
                        double[] p = Magnitudes.pair(m.ub[i], other);
                        double theta = Math.PI - p[1];
                        if (p[0] == 0 && p[2] == 0) {
                            if (Magnitudes.dot(m.ub[i], m.ub[i]).signum() != 0 && Magnitudes.dot(other, other).signum() != 0) {
                                orthogonal++;
                            }
                            continue;
                        }
                        if (theta < 1e-9) {
                            nearZero++;
                        }
                        if (p[1] < 1e-9) {
                            nearPi++;
                        }
                        if (Magnitudes.dot(m.ub[i], other).signum() == 0) {
                            orthogonal++;
                        }
                    }
                }
            }
        }
        assertThat(nearZero).as("pairs with 0 < theta < 1e-9").isPositive();
        assertThat(nearPi).as("pairs with pi - theta < 1e-9").isPositive();
        assertThat(orthogonal).as("pairs with <a,b> = 0 exactly").isPositive();
        assertThat(zeroUnits).as("zero units").isPositive();

        Worst worst = new Worst();
        for (Case c : cases) {
            for (int p : LADDER) {
                ladder(c, p, PopulationReference.GUARD_DIGITS, worst);
            }
        }
        System.out.printf("precision ladder, constructed points: max error/bound = %.3e at %s%n", worst.ratio, worst.where);
        assertThat(worst.ratio).isLessThanOrEqualTo(1.0);

        // negative control: without the guard digits (4 fewer than asked) the same ladder must fail
        Worst unguarded = new Worst();
        for (Case c : cases) {
            ladder(c, 30, -4, unguarded);
        }
        assertThat(unguarded.ratio).as("ladder without guard digits").isGreaterThan(1.0);
    }

    /**
     * {@code kappa} alone near {@code theta = 0} and {@code pi}, where its magnitude
     * {@code (s + (pi - th)|c|)/(2 pi)} is ~1e-20 near pi: relative accuracy needs {@code pi - th} without
     * cancellation. Negative control: {@code th = acos(cos)} from a rounded cosine fails there.
     */
    @Test
    void kappaIsRelativelyAccurateNearZeroAndPi() {
        BigDecimal[] a = vec("1 0 0");
        BigDecimal[][] others = {vec("-1 1e-20 0"), vec("1 1e-20 0"), vec("-3 0.5 2"), vec("0 0 2"), vec("2 0 0"), vec("-2 0 0")};
        Worst worst = new Worst();
        Worst acos = new Worst();
        for (BigDecimal[] b : others) {
            double m = Magnitudes.kappaMagnitude(a, b);
            for (int p : LADDER) {
                BigDecimal hi = new PopulationReference(2 * p + 20).kappa(a, b);
                BigDecimal bound = BigDecimal.ONE.movePointLeft(p).multiply(BigDecimal.valueOf(m));
                worst.see(ratio(new PopulationReference(p).kappa(a, b), hi, bound), "kappa p=" + p);
                acos.see(ratio(new PopulationReference(p, PopulationReference.GUARD_DIGITS, Mutation.ACOS_ANGLE).kappa(a, b), hi, bound),
                        "acos p=" + p);
            }
        }
        System.out.printf("precision ladder, kappa near 0 and pi: max error/bound = %.3e; acos control %.3e%n", worst.ratio, acos.ratio);
        assertThat(worst.ratio).isLessThanOrEqualTo(1.0);
        assertThat(acos.ratio).as("acos of a rounded cosine near 0 and pi").isGreaterThan(1.0);
        // the diagonal: kappa(a, a) = |a|^2/2 exactly, no pi rounding left in it
        assertThat(new PopulationReference(16).kappa(vec("3 4 0"), vec("3 4 0"))).isEqualByComparingTo("12.5");
        // antipodal: kappa = 0 exactly
        assertThat(new PopulationReference(16).kappa(a, vec("-2 0 0"))).isEqualByComparingTo("0");
    }

    private static void ladder(Case c, int p, int guard, Worst worst) {
        PopulationValues lo = new PopulationReference(p, guard, Mutation.NONE).evaluate(c.identity, c.w, c.wStar);
        PopulationValues hi = new PopulationReference(2 * p + 20).evaluate(c.identity, c.w, c.wStar);
        Magnitudes m = new Magnitudes(c.identity, c.w, c.wStar);
        BigDecimal unit = BigDecimal.ONE.movePointLeft(p);
        // the scales the reference reports agree with the independent ones (they are what callers read)
        assertThat(hi.lossScale().doubleValue()).isCloseTo(m.loss(), org.assertj.core.api.Assertions.within(1e-9 * (1 + m.loss())));
        String at = c.name + " p=" + p;
        worst.see(ratio(lo.loss(), hi.loss(), unit.multiply(BigDecimal.valueOf(m.loss()))), at + " loss");
        worst.see(ratio(lo.potential(), hi.potential(), unit.multiply(BigDecimal.valueOf(m.potential()))), at + " potential");
        for (int r = 0; r < m.d; r++) {
            for (int j = 0; j < m.d; j++) {
                double mg = m.gradient(r, j);
                assertThat(hi.gradientScale()[r][j].doubleValue()).isCloseTo(mg, org.assertj.core.api.Assertions.within(1e-9 * (1 + mg)));
                worst.see(ratio(lo.gradient()[r][j], hi.gradient()[r][j], unit.multiply(BigDecimal.valueOf(mg))),
                        at + " grad[" + r + "][" + j + "]");
            }
        }
    }

    /** {@code |lo - hi| / bound}; a zero bound demands equality (a zero unit's column, say). */
    private static double ratio(BigDecimal lo, BigDecimal hi, BigDecimal bound) {
        BigDecimal err = lo.subtract(hi).abs();
        if (bound.signum() == 0) {
            return err.signum() == 0 ? 0 : Double.POSITIVE_INFINITY;
        }
        return err.divide(bound, MathContext.DECIMAL64).doubleValue();
    }

    private static List<Case> hardCases() {
        List<Case> cases = new ArrayList<>();
        int d = 3;
        BigDecimal[][] ws = Fixtures.matrix(Fixtures.gaussian(11, d * d, 0.5, 0), d);
        // W = W* + 1e-13 G: every u_i is within ~1e-13 of v_i (theta near 0)
        BigDecimal[][] tiny = Fixtures.matrix(Fixtures.gaussian(12, d * d, 1e-13, 0), d);
        BigDecimal[][] near = new BigDecimal[d][d];
        for (int r = 0; r < d; r++) {
            for (int c = 0; c < d; c++) {
                near[r][c] = ws[r][c].add(tiny[r][c]);
            }
        }
        cases.add(new Case("near teacher", true, near, ws));
        // u_1 = -u_0 + 1e-15 (theta near pi); u_0 = (1.2, 0.3, -0.1)
        cases.add(new Case("antipodal units", true, decimals("0.2 -1.2 0", "0.3 -1.300000000000001 0", "-0.1 0.1 0"), ws));
        // W = diag(-1, 0, 0): u_0 = 0, u_1 = e_1, u_2 = e_2 exactly orthogonal; teacher e_0 + ... random
        cases.add(new Case("zero unit, orthogonal units", true, decimals("-1 0 0", "0 0 0", "0 0 0"), ws));
        // vanilla student with u_0 = -v_0 + 1e-20 e_1: student against teacher near pi
        BigDecimal[][] vanilla = Fixtures.plusIdentity(ws);
        for (int r = 0; r < d; r++) {
            vanilla[r][0] = vanilla[r][0].negate();
        }
        vanilla[1][0] = vanilla[1][0].add(new BigDecimal("1e-20"));
        cases.add(new Case("vanilla, student antipodal to teacher", false, vanilla, ws));
        return cases;
    }

    private static BigDecimal[] vec(String s) {
        return decimals(s)[0];
    }
}
