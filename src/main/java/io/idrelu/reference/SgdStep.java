package io.idrelu.reference;

import java.math.BigDecimal;

/**
 * Result of one reference SGD step (MATH.md section 1, [LY17] Theorem 3.1's online SGD).
 *
 * @param next              {@code W_{t+1}}, each entry the exact update {@code W - eta G} rounded once to the stated MathContext
 * @param maxRoundingError  {@code max_{r,j} |exact update - next|}; exact when the batch size is {@code 2^a 5^b},
 *                          otherwise rounded up (away from zero) to {@link ReferenceSgd#ERROR_DIGITS} digits, so it is an upper bound
 * @param batch             the exact batch values at {@code W} that produced the step
 */
public record SgdStep(BigDecimal[][] next, BigDecimal maxRoundingError, BatchValues batch) {
}
