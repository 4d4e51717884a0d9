package io.idrelu.reference;

import java.math.BigDecimal;

/**
 * Closed-form population loss, gradient and potential for Gaussian input (MATH.md section 2) at a
 * requested number of significant digits {@code p}: each returned value is within
 * {@code 10^-p} times the magnitude of the terms it sums (see proofs-notes/reference-error-bound.md).
 */
public final class PopulationReference {
    private final int digits;

    /** @param digits requested significant digits {@code p >= 1} */
    public PopulationReference(int digits) {
        if (digits < 1 || digits > 10_000) {
            throw new IllegalArgumentException("digits = " + digits + ": expected 1 <= digits <= 10000");
        }
        this.digits = digits;
    }

    public int digits() {
        return digits;
    }

    /** {@code L(W) = E[(f(x,W) - f(x,W*))^2]} (no 1/2). */
    public BigDecimal loss(boolean identity, BigDecimal[][] w, BigDecimal[][] wStar) {
        throw new UnsupportedOperationException("TODO reference helper");
    }

    /** {@code dL/dW[r][j]} in true units, same orientation as {@code W}. */
    public BigDecimal[][] gradient(boolean identity, BigDecimal[][] w, BigDecimal[][] wStar) {
        throw new UnsupportedOperationException("TODO reference helper");
    }

    /** The paper's displayed {@code B = -pi dL/dW} (paper units), same orientation as {@code W}. */
    public BigDecimal[][] paperGradient(boolean identity, BigDecimal[][] w, BigDecimal[][] wStar) {
        throw new UnsupportedOperationException("TODO reference helper");
    }

    /** Potential {@code g(W) = sum_i (|v_i| - |u_i|)}. */
    public BigDecimal potential(boolean identity, BigDecimal[][] w, BigDecimal[][] wStar) {
        throw new UnsupportedOperationException("TODO reference helper");
    }
}
