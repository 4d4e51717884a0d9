package io.idrelu.reference;

import ch.obermuhlner.math.big.BigDecimalMath;
import io.idrelu.reference.PopulationReference.Mutation;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

/**
 * The closed-form gradient against the derivative of the closed-form loss (claim C2, central differences
 * at 40 digits) and against the paper's displayed {@code B_j} written out independently (claim C5,
 * MATH.md section 2). Negative controls: a dropped {@code sin} term and a transposed gradient for C2;
 * {@code (pi/2 - th)} for {@code (pi - th)}, the wrong teacher sign, and the paper formula with
 * {@code w_i - w*_i} for C5.
 */
class GradientConsistencyTest {
    private static final int P = 40;
    /** Step of the central difference: truncation ~h^2 |L'''| ~ 1e-24, rounding 10^-P M / h ~ 1e-28 M. */
    private static final BigDecimal H = new BigDecimal("1e-12");
    /** Accepted |FD - grad| per unit of magnitude: well above both error terms, far below any formula error. */
    private static final double FD_TOL = 1e-18;

    @Test
    void gradientIsTheDerivativeOfTheLoss() {
        int[] cases = {0};
        double[] seen = {0};
        int[] dropSinCaught = {0};
        int[] transposeCaught = {0};
        int[] transposeCases = {0};
        PopulationReference ref = new PopulationReference(P);
        PopulationReference dropSin = new PopulationReference(P, PopulationReference.GUARD_DIGITS, Mutation.DROP_SIN);
        qt().withFixedSeed(3L).withExamples(6).forAll(integers().between(1, 3), longs().all()).checkAssert((d, seed) -> {
            boolean identity = (seed & 1) == 0;
            BigDecimal[][] w = Fixtures.matrix(Fixtures.gaussian(seed, d * d, 0.6, 0), d);
            BigDecimal[][] ws = Fixtures.matrix(Fixtures.gaussian(seed + 1, d * d, 0.6, 0), d);
            Magnitudes m = new Magnitudes(identity, w, ws);
            double worst = fdMismatch(ref, identity, w, ws, m, false);
            assertThat(worst).as("max |FD - grad| / (1 + M) at d=%d", d).isLessThanOrEqualTo(FD_TOL);
            seen[0] = Math.max(seen[0], worst);
            if (d > 1) {
                // for d = 1 every angle is 0 or pi, sin th = 0, and dropping it changes nothing
                cases[0]++;
                if (fdMismatch(dropSin, identity, w, ws, m, false) > FD_TOL) {
                    dropSinCaught[0]++;
                }
                transposeCases[0]++;
                if (fdMismatch(ref, identity, w, ws, m, true) > FD_TOL) {
                    transposeCaught[0]++;
                }
            }
        });
        System.out.printf("finite differences: max |FD - grad| / (1 + M_L + M_G) = %.3e (tolerance %.0e)%n", seen[0], FD_TOL);
        assertThat(cases[0]).isPositive();
        assertThat(dropSinCaught[0]).as("dropped-sin control caught").isEqualTo(cases[0]);
        assertThat(transposeCases[0]).isPositive();
        assertThat(transposeCaught[0]).as("transposed-gradient control caught").isEqualTo(transposeCases[0]);
    }

    /** {@code max_{r,j} |(L(W + h E_rj) - L(W - h E_rj))/(2h) - G[r][j]| / (1 + M_L + M_G[r][j])}. */
    private static double fdMismatch(PopulationReference ref, boolean identity, BigDecimal[][] w, BigDecimal[][] ws,
                                     Magnitudes m, boolean transpose) {
        int d = w.length;
        BigDecimal[][] g = ref.gradient(identity, w, ws);
        double worst = 0;
        for (int r = 0; r < d; r++) {
            for (int j = 0; j < d; j++) {
                BigDecimal keep = w[r][j];
                w[r][j] = keep.add(H);
                BigDecimal plus = ref.loss(identity, w, ws);
                w[r][j] = keep.subtract(H);
                BigDecimal minus = ref.loss(identity, w, ws);
                w[r][j] = keep;
                BigDecimal fd = plus.subtract(minus).divide(H.multiply(BigDecimal.valueOf(2)), MathContext.DECIMAL128);
                BigDecimal gij = transpose ? g[j][r] : g[r][j];
                double scale = 1 + m.loss() + m.gradient(r, j);
                worst = Math.max(worst, fd.subtract(gij).abs().doubleValue() / scale);
            }
        }
        return worst;
    }

    @Test
    void paperUnitsMatchTheDisplayedFormula() {
        int p = 30;
        PopulationReference ref = new PopulationReference(p);
        PopulationReference halfPi = new PopulationReference(p, PopulationReference.GUARD_DIGITS, Mutation.HALF_PI);
        PopulationReference sign = new PopulationReference(p, PopulationReference.GUARD_DIGITS, Mutation.TEACHER_SIGN);
        int[] counts = new int[4];
        double[] seen = {0};
        qt().withFixedSeed(5L).withExamples(8).forAll(integers().between(1, 5), longs().all()).checkAssert((d, seed) -> {
            BigDecimal[][] w = Fixtures.matrix(Fixtures.gaussian(seed, d * d, 0.5, 0), d);
            BigDecimal[][] ws = Fixtures.matrix(Fixtures.gaussian(seed + 1, d * d, 0.5, 0), d);
            Magnitudes m = new Magnitudes(true, w, ws);
            BigDecimal[][] paper = paperFormula(w, ws, false);
            // tolerance: the reference's bound in paper units (pi M_G 10^-p) plus the acos route's ~1e-40
            double worst = paperMismatch(ref.paperGradient(true, w, ws), paper, m, p);
            assertThat(worst).as("max |B_ref - B_paper| / bound").isLessThanOrEqualTo(1.0);
            seen[0] = Math.max(seen[0], worst);
            counts[0]++;
            if (paperMismatch(halfPi.paperGradient(true, w, ws), paper, m, p) > 1.0) {
                counts[1]++;
            }
            if (paperMismatch(sign.paperGradient(true, w, ws), paper, m, p) > 1.0) {
                counts[2]++;
            }
            if (paperMismatch(ref.paperGradient(true, w, ws), paperFormula(w, ws, true), m, p) > 1.0) {
                counts[3]++;
            }
        });
        System.out.printf("paper formula: max |B_ref - B_paper| / (pi M_G 10^-%d + 1e-35) = %.3e%n", p, seen[0]);
        assertThat(counts[1]).as("(pi/2 - th) control caught").isEqualTo(counts[0]);
        assertThat(counts[2]).as("teacher-sign control caught").isEqualTo(counts[0]);
        assertThat(counts[3]).as("(w - w*) paper-formula control caught").isEqualTo(counts[0]);
    }

    private static double paperMismatch(BigDecimal[][] b, BigDecimal[][] paper, Magnitudes m, int p) {
        double worst = 0;
        for (int r = 0; r < b.length; r++) {
            for (int j = 0; j < b.length; j++) {
                double bound = Math.PI * m.gradient(r, j) * Math.pow(10, -p) + 1e-35;
                worst = Math.max(worst, b[r][j].subtract(paper[r][j]).abs().doubleValue() / bound);
            }
        }
        return worst;
    }

    /**
     * [LY17]'s displayed negative gradient, literally (MATH.md section 2), identity student:
     * {@code B_j = sum_i [(pi/2)(w*_i - w_i) + (pi/2 - th_{i*,j}) v_i - (pi/2 - th_{i,j}) u_i
     * + (|v_i| sin th_{i*,j} - |u_i| sin th_{i,j}) u_j/|u_j|]}, angles by {@code acos} at 80 digits.
     * {@code flipped} uses {@code (w_i - w*_i)}: the negative control.
     */
    static BigDecimal[][] paperFormula(BigDecimal[][] w, BigDecimal[][] ws, boolean flipped) {
        MathContext mc = new MathContext(80, RoundingMode.HALF_EVEN);
        int d = w.length;
        BigDecimal pi = BigDecimalMath.pi(mc);
        BigDecimal halfPi = pi.divide(BigDecimal.valueOf(2), mc);
        BigDecimal[][] u = Magnitudes.units(true, w);
        BigDecimal[][] v = Magnitudes.units(true, ws);
        BigDecimal[][] out = new BigDecimal[d][d];
        for (int j = 0; j < d; j++) {
            BigDecimal nuj = Magnitudes.dot(u[j], u[j]).sqrt(mc);
            BigDecimal[] bj = new BigDecimal[d];
            java.util.Arrays.fill(bj, BigDecimal.ZERO);
            for (int i = 0; i < d; i++) {
                BigDecimal thStar = angle(v[i], u[j], mc);
                BigDecimal th = angle(u[i], u[j], mc);
                BigDecimal normV = Magnitudes.dot(v[i], v[i]).sqrt(mc);
                BigDecimal normU = Magnitudes.dot(u[i], u[i]).sqrt(mc);
                BigDecimal sinCoef = normV.multiply(BigDecimalMath.sin(thStar, mc)).subtract(normU.multiply(BigDecimalMath.sin(th, mc)))
                        .divide(nuj, mc);
                for (int r = 0; r < d; r++) {
                    BigDecimal diff = flipped ? w[r][i].subtract(ws[r][i]) : ws[r][i].subtract(w[r][i]);
                    BigDecimal term = halfPi.multiply(diff)
                            .add(halfPi.subtract(thStar).multiply(v[i][r]))
                            .subtract(halfPi.subtract(th).multiply(u[i][r]))
                            .add(sinCoef.multiply(u[j][r]));
                    bj[r] = bj[r].add(term, mc);
                }
            }
            for (int r = 0; r < d; r++) {
                out[r][j] = bj[r];
            }
        }
        return out;
    }

    private static BigDecimal angle(BigDecimal[] a, BigDecimal[] b, MathContext mc) {
        BigDecimal cos = Magnitudes.dot(a, b).divide(Magnitudes.dot(a, a).multiply(Magnitudes.dot(b, b)).sqrt(mc), mc);
        cos = cos.max(BigDecimal.ONE.negate()).min(BigDecimal.ONE);
        return BigDecimalMath.acos(cos, mc);
    }
}
