package io.idrelu.reference;

import java.math.BigDecimal;

/**
 * Exact forward pass, residuals, batch loss and batch gradient (MATH.md section 1): BigDecimal with
 * no MathContext anywhere, so every result is the exact value for inputs given as doubles or decimals.
 * Matrices are {@code W[r][c]} (unit {@code c} = column {@code c}); the batch is rows {@code X[b][r]}.
 * Imports no kernel code: this is the oracle.
 */
public final class ExactBatch {
    private ExactBatch() { }

    /** {@code h[b][j] = <u_j, x_b>}, with {@code u_j = e_j + w_j} when {@code identity}, else {@code w_j}. */
    public static BigDecimal[][] preActivations(boolean identity, BigDecimal[][] w, BigDecimal[][] x) {
        throw new UnsupportedOperationException("TODO reference helper");
    }

    /** {@code f(x_b, W)} for each row. */
    public static BigDecimal[] forward(boolean identity, BigDecimal[][] w, BigDecimal[][] x) {
        throw new UnsupportedOperationException("TODO reference helper");
    }

    /** All batch quantities; the teacher {@code W*} is always identity-mapped. */
    public static BatchValues evaluate(boolean identity, BigDecimal[][] w, BigDecimal[][] wStar, BigDecimal[][] x) {
        throw new UnsupportedOperationException("TODO reference helper");
    }
}
