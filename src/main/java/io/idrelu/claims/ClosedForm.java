package io.idrelu.claims;

import io.idrelu.reference.PopulationReference;

import java.math.BigDecimal;

/**
 * The closed-form population loss and gradient (MATH.md section 2) as a replaceable function, so that the
 * claims that check the closed form itself (C2, C4, C5, C14) can be handed a deliberately broken formula by
 * their negative controls. Production code uses {@link #reference(int)}.
 */
public interface ClosedForm {

    /** {@code L(W)} (no 1/2). */
    BigDecimal loss(boolean identity, BigDecimal[][] w, BigDecimal[][] wStar);

    /** {@code dL/dW[r][j]} in true units. */
    BigDecimal[][] gradient(boolean identity, BigDecimal[][] w, BigDecimal[][] wStar);

    /** Significant digits the values are accurate to, relative to the magnitude of the terms they sum. */
    int digits();

    /** The oracle: {@link PopulationReference} at {@code digits} significant digits. */
    static ClosedForm reference(int digits) {
        PopulationReference ref = new PopulationReference(digits);
        return new ClosedForm() {
            @Override
            public BigDecimal loss(boolean identity, BigDecimal[][] w, BigDecimal[][] wStar) {
                return ref.loss(identity, w, wStar);
            }

            @Override
            public BigDecimal[][] gradient(boolean identity, BigDecimal[][] w, BigDecimal[][] wStar) {
                return ref.gradient(identity, w, wStar);
            }

            @Override
            public int digits() {
                return digits;
            }

            @Override
            public String toString() {
                return "PopulationReference(" + digits + ")";
            }
        };
    }
}
