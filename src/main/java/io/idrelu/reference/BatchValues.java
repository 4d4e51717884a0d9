package io.idrelu.reference;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;

/**
 * Exact batch quantities at one {@code (W, W*, X)} (MATH.md section 1; [LY17] section 2, the batch
 * objective of the SGD analysis). Every field is exact: only {@code +}, {@code *} and {@code max}
 * produced it. The factors {@code 1/B} and {@code 2/B} are kept apart because {@code 1/B} has no
 * finite decimal expansion unless {@code B = 2^a 5^b}.
 *
 * <p>The arrays are the caller's to read, not to modify; they are not copied, for speed (the oracle is
 * called inside trajectory loops).
 *
 * @param batch           {@code B >= 1}
 * @param outputs         {@code f(x_b, W)} for each row b
 * @param teacherOutputs  {@code f(x_b, W*)}
 * @param residuals       {@code r_b = f(x_b, W) - f(x_b, W*)}
 * @param sumOfSquares    {@code sum_b r_b^2}
 * @param gradientSum     {@code S[r][j] = sum_b r_b x_b[r] [<u_j, x_b> > 0]}, so {@code dl/dW = (2/B) S}
 */
public record BatchValues(int batch, BigDecimal[] outputs, BigDecimal[] teacherOutputs, BigDecimal[] residuals,
                          BigDecimal sumOfSquares, BigDecimal[][] gradientSum) {

    public BatchValues {
        if (batch < 1) {
            throw new IllegalArgumentException("batch = " + batch + ": expected B >= 1");
        }
        if (outputs == null || teacherOutputs == null || residuals == null || sumOfSquares == null || gradientSum == null) {
            throw new IllegalArgumentException("batch values are missing a field: expected all of outputs, teacherOutputs, "
                    + "residuals, sumOfSquares, gradientSum");
        }
        if (outputs.length != batch || teacherOutputs.length != batch || residuals.length != batch) {
            throw new IllegalArgumentException("per-row arrays have lengths " + outputs.length + ", " + teacherOutputs.length
                    + ", " + residuals.length + ": expected B = " + batch + " each");
        }
    }

    /** True when {@code 1/B} and {@code 2/B} have finite decimal expansions ({@code B = 2^a 5^b}), so loss and gradient are exact. */
    public boolean quotientsExact() {
        return isTwoFiveSmooth(batch);
    }

    /** True when {@code n = 2^a 5^b}: then {@code 1/n} has a finite decimal expansion. */
    public static boolean isTwoFiveSmooth(long n) {
        long m = n;
        while (m % 2 == 0) {
            m /= 2;
        }
        while (m % 5 == 0) {
            m /= 5;
        }
        return m == 1;
    }

    /** Batch loss {@code (1/B) sum r_b^2}: exact when {@link #quotientsExact()}, else correctly rounded to {@code mc}. */
    public BigDecimal loss(MathContext mc) {
        return quotient(sumOfSquares, BigInteger.ONE, mc);
    }

    /** Batch gradient {@code (2/B) S} in true units, {@code [r][j]}: exact when {@link #quotientsExact()}, else rounded to {@code mc}. */
    public BigDecimal[][] gradient(MathContext mc) {
        BigDecimal[][] g = new BigDecimal[gradientSum.length][];
        for (int r = 0; r < g.length; r++) {
            g[r] = new BigDecimal[gradientSum[r].length];
            for (int j = 0; j < g[r].length; j++) {
                g[r][j] = quotient(gradientSum[r][j], BigInteger.TWO, mc);
            }
        }
        return g;
    }

    /**
     * {@code factor * value / B}. When B is 2-5-smooth the decimal quotient terminates and BigDecimal's
     * exact divide returns it (mc ignored); otherwise {@code divide(.., mc)} rounds the exact rational once,
     * which is correct rounding in {@code mc}'s mode.
     */
    private BigDecimal quotient(BigDecimal value, BigInteger factor, MathContext mc) {
        return quotient(value, factor, batch, mc);
    }

    /**
     * {@code factor * value / batch}: exact when {@code batch} is 2-5-smooth ({@code mc} ignored), else the exact
     * rational rounded once to {@code mc}. Shared by every batch reference (also {@code setting.reference}).
     */
    public static BigDecimal quotient(BigDecimal value, BigInteger factor, long batch, MathContext mc) {
        BigDecimal numerator = factor.equals(BigInteger.ONE) ? value : value.multiply(new BigDecimal(factor));
        BigDecimal b = BigDecimal.valueOf(batch);
        if (isTwoFiveSmooth(batch)) {
            return numerator.divide(b);
        }
        if (mc == null || mc.getPrecision() == 0) {
            throw new IllegalArgumentException("mc = " + mc + " with B = " + batch
                    + ": 1/B has no finite decimal expansion, expected a MathContext with precision >= 1");
        }
        return numerator.divide(b, mc);
    }
}
