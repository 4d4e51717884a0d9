package io.idrelu.reference;

import io.idrelu.reference.PopulationReference.Mutation;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.MathContext;

import static io.idrelu.reference.Fixtures.decimals;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

/**
 * Closed forms against values derived by hand (MATH.md section 2): d = 1, and {@code L(W*) = 0},
 * {@code grad L(W*) = 0} (claim C4). Each check has a negative control.
 */
class PopulationByHandTest {
    private static final int P = 30;
    private static final PopulationReference REF = new PopulationReference(P);
    private static final BigDecimal TOL_UNIT = BigDecimal.ONE.movePointLeft(P);

    /**
     * d = 1, u = 1 + w, v = 1 + w*, x ~ N(0,1). {@code relu(ux) relu(vx)} is {@code uv x^2} on the half line
     * where both are active: if u, v have the same sign that half line exists and {@code E = uv/2}
     * ({@code E[x^2; x > 0] = 1/2}); if opposite signs it is empty and {@code E = 0}. With
     * {@code E relu(ux)^2 = u^2/2}: same sign {@code L = (u - v)^2/2}, {@code dL/dw = u - v};
     * opposite sign (or v = 0) {@code L = (u^2 + v^2)/2}, {@code dL/dw = u}; u = 0: {@code L = v^2/2},
     * gradient 0 by the zero-unit convention. Magnitudes: {@code u^2/2 + v^2/2 + |uv|} (same sign) else
     * {@code (u^2 + v^2)/2}.
     */
    private record D1(String w, String wStar, String loss, String grad) { }

    private static final D1[] D1_CASES = {
        new D1("0.5", "0.25", "0.03125", "0.25"),        // u = 1.5, v = 1.25, both positive
        new D1("-3", "-2.5", "0.125", "-0.5"),           // u = -2, v = -1.5, both negative
        new D1("0.5", "-1.5", "1.25", "1.5"),            // u = 1.5 > 0 > v = -0.5
        new D1("-2.5", "0", "1.625", "-1.5"),            // u = -1.5 < 0 < v = 1
        new D1("-1", "0.5", "1.125", "0"),               // u = 0: L = v^2/2, gradient 0 by convention
        new D1("0.25", "-1", "0.78125", "1.25"),         // v = 0: L = u^2/2, dL/dw = u
    };

    @Test
    void dimensionOneByHand() {
        for (D1 c : D1_CASES) {
            BigDecimal[][] w = decimals(c.w);
            BigDecimal[][] ws = decimals(c.wStar);
            PopulationValues v = REF.evaluate(true, w, ws);
            BigDecimal bound = TOL_UNIT.multiply(BigDecimal.valueOf(d1Magnitude(c)));
            assertThat(v.loss().subtract(new BigDecimal(c.loss)).abs()).as("L at %s", c).isLessThanOrEqualTo(bound);
            assertThat(v.gradient()[0][0].subtract(new BigDecimal(c.grad)).abs()).as("grad at %s", c).isLessThanOrEqualTo(bound);
        }
        // negative control: the same-sign formula applied to the opposite-sign case 3 must fail
        D1 opposite = D1_CASES[2];
        BigDecimal sameSignFormula = new BigDecimal("0.5").multiply(new BigDecimal("2").pow(2)); // (1.5 - (-0.5))^2 / 2
        assertThat(REF.loss(true, decimals(opposite.w), decimals(opposite.wStar)).subtract(sameSignFormula).abs())
                .isGreaterThan(TOL_UNIT.multiply(BigDecimal.TEN));
        // negative control: (pi - th) replaced by (pi/2 - th) must fail on the same-sign case
        PopulationReference halfPi = new PopulationReference(P, PopulationReference.GUARD_DIGITS, Mutation.HALF_PI);
        D1 same = D1_CASES[0];
        assertThat(halfPi.loss(true, decimals(same.w), decimals(same.wStar)).subtract(new BigDecimal(same.loss)).abs())
                .isGreaterThan(TOL_UNIT.multiply(BigDecimal.TEN));
        // negative control: the wrong teacher sign must fail on the same-sign case
        PopulationReference sign = new PopulationReference(P, PopulationReference.GUARD_DIGITS, Mutation.TEACHER_SIGN);
        assertThat(sign.gradient(true, decimals(same.w), decimals(same.wStar))[0][0].subtract(new BigDecimal(same.grad)).abs())
                .isGreaterThan(TOL_UNIT.multiply(BigDecimal.TEN));
    }

    private static double d1Magnitude(D1 c) {
        double u = 1 + Double.parseDouble(c.w);
        double v = 1 + Double.parseDouble(c.wStar);
        return u * v > 0 ? u * u / 2 + v * v / 2 + Math.abs(u * v) : (u * u + v * v) / 2;
    }

    @Test
    void teacherIsAZeroOfLossAndGradientAndOrientationBugsAreCaught() {
        int[] caught = new int[3];
        int[] cases = new int[1];
        qt().withFixedSeed(42L).withExamples(24).forAll(integers().between(1, 6), longs().all()).checkAssert((d, seed) -> {
            BigDecimal[][] ws = Fixtures.matrix(Fixtures.gaussian(seed, d * d, 0.5, 0), d);
            // identity student at W = W*, and vanilla student at its teacher-equivalent point I + W*
            assertZeroAt(true, ws, ws);
            assertZeroAt(false, Fixtures.plusIdentity(ws), ws);
            // C4: L > 0 off the teacher (a small perturbation is already far above the bound)
            BigDecimal[][] off = Fixtures.matrix(Fixtures.gaussian(seed + 7, d * d, 1e-3, 0), d);
            BigDecimal[][] near = new BigDecimal[d][d];
            for (int r = 0; r < d; r++) {
                for (int c = 0; c < d; c++) {
                    near[r][c] = ws[r][c].add(off[r][c]);
                }
            }
            assertThat(isZeroAt(true, near, ws)).as("L > 0 off the teacher").isFalse();
            // negative controls: units read from rows (W*^T), and vanilla at W* (identity forgotten)
            cases[0]++;
            if (d > 1 && !isZeroAt(true, Fixtures.transpose(ws), ws)) {
                caught[0]++;
            }
            if (!isZeroAt(false, ws, ws)) {
                caught[1]++;
            }
        });
        assertThat(caught[1]).as("vanilla-at-W* control caught in every case").isEqualTo(cases[0]);
        assertThat(caught[0]).as("transposed control caught in the d > 1 cases").isPositive();
    }

    private static void assertZeroAt(boolean identity, BigDecimal[][] w, BigDecimal[][] ws) {
        assertThat(isZeroAt(identity, w, ws)).as("L(W*) = 0 and grad L(W*) = 0 within 10^-p of their magnitudes").isTrue();
    }

    private static boolean isZeroAt(boolean identity, BigDecimal[][] w, BigDecimal[][] ws) {
        PopulationValues v = REF.evaluate(identity, w, ws);
        Magnitudes m = new Magnitudes(identity, w, ws);
        if (v.loss().abs().compareTo(TOL_UNIT.multiply(BigDecimal.valueOf(m.loss()))) > 0) {
            return false;
        }
        for (int r = 0; r < w.length; r++) {
            for (int j = 0; j < w.length; j++) {
                if (v.gradient()[r][j].abs().compareTo(TOL_UNIT.multiply(BigDecimal.valueOf(m.gradient(r, j)))) > 0) {
                    return false;
                }
            }
        }
        return true;
    }

    @Test
    void potentialByHand() {
        // u_0 = (3, 4) |u_0| = 5, u_1 = (0, 1); v = e_0, e_1: g = 2 - 6 = -4
        BigDecimal[][] w = decimals("2 0", "4 0");
        BigDecimal g = REF.potential(true, w, decimals("0 0", "0 0"));
        assertThat(g.subtract(new BigDecimal("-4")).abs()).isLessThanOrEqualTo(TOL_UNIT.multiply(BigDecimal.valueOf(8)));
        // negative control: the vanilla reading of the same W has another potential
        assertThat(REF.potential(false, w, decimals("0 0", "0 0")).subtract(new BigDecimal("-4")).abs())
                .isGreaterThan(BigDecimal.ONE);
    }

    @Test
    void zeroUnitConventionAndPaperUnits() {
        // identity d = 2 with W[0][0] = -1: u_0 = 0; column 0 of the gradient is 0 by convention
        BigDecimal[][] w = decimals("-1 0.3", "0 0.2");
        BigDecimal[][] ws = decimals("0.1 0", "-0.2 0.4");
        BigDecimal[][] g = REF.gradient(true, w, ws);
        assertThat(g[0][0]).isEqualByComparingTo("0");
        assertThat(g[1][0]).isEqualByComparingTo("0");
        assertThat(g[0][1].signum()).isNotZero();
        BigDecimal[][] b = REF.paperGradient(true, w, ws);
        BigDecimal pi = ch.obermuhlner.math.big.BigDecimalMath.pi(new MathContext(60));
        for (int r = 0; r < 2; r++) {
            for (int j = 0; j < 2; j++) {
                assertThat(b[r][j].add(pi.multiply(g[r][j])).abs()).isLessThanOrEqualTo(TOL_UNIT.multiply(BigDecimal.TEN));
            }
        }
    }

    @Test
    void rejectsBadInput() {
        assertThatThrownBy(() -> new PopulationReference(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("digits = 0");
        assertThatThrownBy(() -> REF.loss(true, decimals("1 2", "3 4"), decimals("1")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("W* is 1 x 1 != W's 2 x 2");
        assertThatThrownBy(() -> REF.kappa(new BigDecimal[] {BigDecimal.ONE}, new BigDecimal[0]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lengths 1 and 0");
    }
}
