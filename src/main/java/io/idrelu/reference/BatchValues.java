package io.idrelu.reference;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * Exact batch quantities at one {@code (W, W*, X)} (MATH.md section 1). Every field is exact:
 * only {@code +}, {@code *} and {@code max} produced it. The factors {@code 1/B} and {@code 2/B}
 * are kept apart because {@code 1/B} has no finite decimal expansion unless {@code B = 2^a 5^b}.
 *
 * @param outputs         {@code f(x_b, W)} for each row b
 * @param teacherOutputs  {@code f(x_b, W*)}
 * @param residuals       {@code r_b = f(x_b, W) - f(x_b, W*)}
 * @param sumOfSquares    {@code sum_b r_b^2}
 * @param gradientSum     {@code S[r][j] = sum_b r_b x_b[r] [<u_j, x_b> > 0]}, so {@code dl/dW = (2/B) S}
 */
public record BatchValues(int batch, BigDecimal[] outputs, BigDecimal[] teacherOutputs, BigDecimal[] residuals,
                          BigDecimal sumOfSquares, BigDecimal[][] gradientSum) {

    /** True when {@code 1/B} and {@code 2/B} have finite decimal expansions, so loss and gradient are exact. */
    public boolean quotientsExact() {
        throw new UnsupportedOperationException("TODO reference helper");
    }

    /** Batch loss {@code (1/B) sum r_b^2}: exact when {@link #quotientsExact()}, else correctly rounded to {@code mc}. */
    public BigDecimal loss(MathContext mc) {
        throw new UnsupportedOperationException("TODO reference helper");
    }

    /** Batch gradient {@code (2/B) S} in true units, {@code [r][j]}: exact when {@link #quotientsExact()}, else rounded to {@code mc}. */
    public BigDecimal[][] gradient(MathContext mc) {
        throw new UnsupportedOperationException("TODO reference helper");
    }
}
