package io.idrelu.claims;

import ch.obermuhlner.math.big.BigDecimalMath;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * Test-only, independent BigDecimal transcription of the closed forms of MATH.md section 2 (kappa written as
 * {@code (|a x b| + (pi - theta) <a,b>) / (2 pi)}). Used as a second oracle next to the reference.
 */
final class TestOnlyClosedForm implements ClosedForm {
    private final int digits;
    private final MathContext mc;
    private final BigDecimal pi;

    TestOnlyClosedForm(int digits) {
        this.digits = digits;
        this.mc = new MathContext(digits + 10);
        this.pi = BigDecimalMath.pi(mc);
    }

    @Override
    public int digits() {
        return digits;
    }

    private BigDecimal kappaTimes2Pi(BigDecimal[] a, BigDecimal[] b) {
        BigDecimal th = HighPrecision.angle(a, b, mc);
        return HighPrecision.crossNorm(a, b, mc).add(pi.subtract(th, mc).multiply(HighPrecision.dot(a, b), mc), mc);
    }

    @Override
    public BigDecimal loss(boolean identity, BigDecimal[][] w, BigDecimal[][] wStar) {
        int d = w.length;
        BigDecimal s = BigDecimal.ZERO;
        for (int i = 0; i < d; i++) {
            BigDecimal[] ui = HighPrecision.column(w, i, identity);
            BigDecimal[] vi = HighPrecision.column(wStar, i, true);
            for (int j = 0; j < d; j++) {
                BigDecimal[] uj = HighPrecision.column(w, j, identity);
                BigDecimal[] vj = HighPrecision.column(wStar, j, true);
                s = s.add(kappaTimes2Pi(ui, uj), mc).subtract(kappaTimes2Pi(ui, vj).multiply(BigDecimal.valueOf(2)), mc)
                        .add(kappaTimes2Pi(vi, vj), mc);
            }
        }
        return s.divide(BigDecimal.valueOf(2).multiply(pi), mc).round(new MathContext(digits));
    }

    @Override
    public BigDecimal[][] gradient(boolean identity, BigDecimal[][] w, BigDecimal[][] wStar) {
        int d = w.length;
        BigDecimal[][] g = new BigDecimal[d][d];
        for (int j = 0; j < d; j++) {
            BigDecimal[] uj = HighPrecision.column(w, j, identity);
            BigDecimal uj2 = HighPrecision.dot(uj, uj);
            BigDecimal[] acc = new BigDecimal[d];
            java.util.Arrays.fill(acc, BigDecimal.ZERO);
            BigDecimal radial = BigDecimal.ZERO;
            for (int k = 0; k < d; k++) {
                BigDecimal[] uk = HighPrecision.column(w, k, identity);
                BigDecimal[] vk = HighPrecision.column(wStar, k, true);
                BigDecimal cu = pi.subtract(HighPrecision.angle(uj, uk, mc), mc);
                BigDecimal cv = pi.subtract(HighPrecision.angle(uj, vk, mc), mc);
                for (int r = 0; r < d; r++) {
                    acc[r] = acc[r].add(cu.multiply(uk[r], mc), mc).subtract(cv.multiply(vk[r], mc), mc);
                }
                // |u_k| sin th * u_j/|u_j| = |u_j x u_k| / |u_j|^2 * u_j
                radial = radial.add(HighPrecision.crossNorm(uj, uk, mc), mc).subtract(HighPrecision.crossNorm(uj, vk, mc), mc);
            }
            BigDecimal rad = radial.divide(uj2, mc);
            for (int r = 0; r < d; r++) {
                g[r][j] = acc[r].add(rad.multiply(uj[r], mc), mc).divide(pi, mc).round(new MathContext(digits));
            }
        }
        return g;
    }

    @Override
    public String toString() {
        return "TestOnlyClosedForm(" + digits + ")";
    }
}
