package io.idrelu.reference;

import java.math.BigDecimal;

/**
 * Closed-form population quantities at one {@code (W, W*)} together with the magnitude each value is
 * accurate relative to (MATH.md section 2; [LY17] section 2). For every returned value {@code v} with
 * scale {@code m}: {@code |v - exact| <= 10^-digits * m}, where {@code m} is the sum of the absolute
 * values of the elementary terms the closed form adds up (see proofs-notes/reference-error-bound.md).
 * Scales are themselves only approximate (about 16 significant digits); they bound, they do not audit.
 *
 * @param digits         the requested {@code p}
 * @param loss           {@code L(W)}, true units (no 1/2)
 * @param lossScale      {@code sum_{i,j} m(u_i,u_j) + 2 m(u_i,v_j) + m(v_i,v_j)}, {@code m(a,b) = (|a||b| sin th + (pi - th)|<a,b>|)/(2 pi)}
 * @param gradient       {@code dL/dW[r][j]}, true units, same orientation as W; {@code null} when not requested
 * @param gradientScale  per entry, the sum of absolute values of the terms of MATH.md's {@code dL/dw_j}; {@code null} when not requested
 * @param potential      {@code g(W) = sum_i (|v_i| - |u_i|)}
 * @param potentialScale {@code sum_i (|v_i| + |u_i|)}
 */
public record PopulationValues(int digits, BigDecimal loss, BigDecimal lossScale, BigDecimal[][] gradient,
                               BigDecimal[][] gradientScale, BigDecimal potential, BigDecimal potentialScale) {
}
