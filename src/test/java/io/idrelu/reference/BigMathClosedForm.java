package io.idrelu.reference;

import ch.obermuhlner.math.big.BigDecimalMath;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * The closed forms of MATH.md section 2 by a route that shares nothing with {@link PopulationReference} but the formulas:
 * plain {@link BigDecimal} at {@code Q} digits, norms by {@link BigDecimal#sqrt}, {@code th = acos(<a,b>/(|a||b|))} by
 * big-math, {@code pi} by big-math, no scaled integers, no binary pipeline, no exact summation. Used as the independent
 * truth for the reference's error bound.
 *
 * <p>Accuracy at {@code Q} digits (each operation rounded, relative {@code 10^(1-Q)}): a rounded cosine near {@code +-1}
 * loses at most half of the digits in {@code acos} ({@code th ~ sqrt(2(1 - cos))}), so every angle is within
 * {@code ~10^-(Q/2 - 1)} absolute; with {@code Q = 2P + 30} each value is within {@code 10^-(P + 10) M} ({@code M} the
 * sum of the magnitudes of its terms, {@code d <= 6}: a few hundred terms, each off by less than {@code 10^-(P+13)} of its
 * magnitude). The diagonal pairs ({@code a = b}) take {@code th = 0} without the {@code acos}.
 */
public final class BigMathClosedForm {
    public final BigDecimal loss;
    public final BigDecimal[][] gradient;
    public final BigDecimal potential;

    /** @param digits {@code Q}, the working precision */
    public BigMathClosedForm(boolean identity, BigDecimal[][] w, BigDecimal[][] wStar, int digits) {
        MathContext mc = new MathContext(digits, RoundingMode.HALF_EVEN);
        BigDecimal pi = BigDecimalMath.pi(mc);
        BigDecimal[][] u = Magnitudes.units(identity, w);
        BigDecimal[][] v = Magnitudes.units(true, wStar);
        int d = u.length;
        BigDecimal l = BigDecimal.ZERO;
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                l = l.add(kappa(u[i], u[j], i == j, pi, mc), mc)
                        .subtract(kappa(u[i], v[j], false, pi, mc).multiply(BigDecimal.valueOf(2)), mc)
                        .add(kappa(v[i], v[j], i == j, pi, mc), mc);
            }
        }
        loss = l;
        gradient = new BigDecimal[d][d];
        BigDecimal g = BigDecimal.ZERO;
        for (int j = 0; j < d; j++) {
            BigDecimal nj = norm(u[j], mc);
            g = g.subtract(nj, mc).add(norm(v[j], mc), mc);
            for (int r = 0; r < d; r++) {
                gradient[r][j] = BigDecimal.ZERO;
            }
            if (nj.signum() == 0) {
                continue; // the zero-unit convention (PopulationReference's javadoc)
            }
            // dL/du_j = (1/pi) sum_k [(pi - th_jk) u_k + |u_k| sin th_jk u_j/|u_j|] - the same with v_k
            for (int k = 0; k < d; k++) {
                for (int t = 0; t < 2; t++) {
                    BigDecimal[] other = t == 0 ? u[k] : v[k];
                    BigDecimal no = norm(other, mc);
                    if (no.signum() == 0) {
                        continue;
                    }
                    BigDecimal th = t == 0 && k == j ? BigDecimal.ZERO : angle(u[j], other, nj, no, mc);
                    BigDecimal coef = pi.subtract(th, mc);
                    BigDecimal radial = no.multiply(BigDecimalMath.sin(th, mc), mc).divide(nj, mc);
                    for (int r = 0; r < d; r++) {
                        BigDecimal term = coef.multiply(other[r], mc).add(radial.multiply(u[j][r], mc), mc).divide(pi, mc);
                        gradient[r][j] = t == 0 ? gradient[r][j].add(term, mc) : gradient[r][j].subtract(term, mc);
                    }
                }
            }
        }
        potential = g;
    }

    /** {@code kappa(a, b) = |a||b| (sin th + (pi - th) cos th) / (2 pi)}. */
    private static BigDecimal kappa(BigDecimal[] a, BigDecimal[] b, boolean same, BigDecimal pi, MathContext mc) {
        BigDecimal na = norm(a, mc);
        BigDecimal nb = norm(b, mc);
        if (na.signum() == 0 || nb.signum() == 0) {
            return BigDecimal.ZERO;
        }
        BigDecimal th = same ? BigDecimal.ZERO : angle(a, b, na, nb, mc);
        BigDecimal inner = BigDecimalMath.sin(th, mc).add(pi.subtract(th, mc).multiply(BigDecimalMath.cos(th, mc), mc), mc);
        return na.multiply(nb, mc).multiply(inner, mc).divide(pi.multiply(BigDecimal.valueOf(2)), mc);
    }

    private static BigDecimal angle(BigDecimal[] a, BigDecimal[] b, BigDecimal na, BigDecimal nb, MathContext mc) {
        BigDecimal cos = Magnitudes.dot(a, b).divide(na.multiply(nb, mc), mc).max(BigDecimal.ONE.negate()).min(BigDecimal.ONE);
        return BigDecimalMath.acos(cos, mc);
    }

    private static BigDecimal norm(BigDecimal[] a, MathContext mc) {
        return Magnitudes.dot(a, a).sqrt(mc);
    }
}
