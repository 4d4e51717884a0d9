package io.idrelu.claims;

/**
 * Which units a gradient-derived number is in (MATH.md section 2): the paper's displayed gradient
 * {@code B_j} is {@code -pi dL/dw_j}, so "paper" numbers are {@code pi} times "true" ones.
 */
public enum Units {
    /** Derivatives of {@code L(W) = E[(f(x,W) - f(x,W*))^2]} as written. */
    TRUE,
    /** [LY17]'s displayed gradient: {@code pi} times the true gradient. */
    PAPER,
    /** Not a gradient quantity (a loss, a norm, a count, a probability). */
    NONE;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
