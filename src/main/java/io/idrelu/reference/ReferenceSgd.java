package io.idrelu.reference;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * One online SGD step {@code W_{t+1} = W_t - eta * grad l(W_t; X_t)} (MATH.md section 1; [LY17]
 * Theorem 3.1) where the batch gradient is exact and only the update is rounded, once per entry, to a
 * stated {@link MathContext}: entries would otherwise grow by about 100 digits per step. The rounding
 * error of the step is returned so trajectory comparisons (claim A3) can account for it.
 *
 * <p>The exact update is the rational {@code (B W - 2 eta S) / B} with {@code S} the exact gradient sum;
 * {@code BigDecimal.divide(.., mc)} rounds that rational correctly, also when {@code 1/B} has no finite
 * decimal expansion.
 */
public final class ReferenceSgd {
    /** Digits of the reported rounding error when it is not exactly representable (B not 2^a 5^b). */
    public static final int ERROR_DIGITS = 20;

    private ReferenceSgd() { }

    /** Evaluates the exact batch at {@code w} and takes the step. */
    public static SgdStep step(boolean identity, BigDecimal[][] w, BigDecimal[][] wStar, BigDecimal[][] x,
                               BigDecimal eta, MathContext mc) {
        return step(w, ExactBatch.evaluate(identity, w, wStar, x), eta, mc);
    }

    /** The step from batch values already evaluated at {@code w} (they must belong to {@code w}). */
    public static SgdStep step(BigDecimal[][] w, BatchValues batch, BigDecimal eta, MathContext mc) {
        int d = ExactBatch.checkSquare("W", w);
        if (batch == null) {
            throw new IllegalArgumentException("batch values are missing: expected ExactBatch.evaluate at W");
        }
        if (batch.gradientSum().length != d) {
            throw new IllegalArgumentException("gradient sum is " + batch.gradientSum().length + " x .. != W's " + d + " x " + d);
        }
        if (eta == null || eta.signum() < 0) {
            throw new IllegalArgumentException("eta = " + eta + ": expected a step size >= 0");
        }
        if (mc == null || mc.getPrecision() < 1) {
            throw new IllegalArgumentException("mc = " + mc + ": expected a MathContext with precision >= 1 (the update must stay bounded)");
        }
        SgdStep u = update(w, batch.gradientSum(), batch.batch(), eta, mc);
        return new SgdStep(u.next(), u.maxRoundingError(), batch);
    }

    /**
     * The rounded update {@code W - eta (2/B) S} of one weight matrix from its exact gradient sum {@code S}
     * (shared with the reference SGD under a setting, {@code io.idrelu.setting.reference.ReferenceSettingSgd}):
     * each entry is the rational {@code (B W - 2 eta S) / B} rounded once to {@code mc}; the returned step carries no
     * batch values ({@code batch() == null}) and its {@code maxRoundingError} as documented in {@link SgdStep}.
     */
    public static SgdStep update(BigDecimal[][] w, BigDecimal[][] gradientSum, int batch, BigDecimal eta, MathContext mc) {
        int d = w.length;
        BigDecimal b = BigDecimal.valueOf(batch);
        BigDecimal twoEta = eta.multiply(BigDecimal.valueOf(2));
        boolean exactQuotient = BatchValues.isTwoFiveSmooth(batch);
        BigDecimal[][] next = new BigDecimal[d][d];
        BigDecimal maxNumerator = BigDecimal.ZERO; // max |B * exact - B * rounded|, exact
        for (int r = 0; r < d; r++) {
            for (int j = 0; j < d; j++) {
                BigDecimal numerator = b.multiply(w[r][j]).subtract(twoEta.multiply(gradientSum[r][j]));
                BigDecimal rounded = numerator.divide(b, mc);
                next[r][j] = rounded;
                BigDecimal errNumerator = numerator.subtract(b.multiply(rounded)).abs();
                if (errNumerator.compareTo(maxNumerator) > 0) {
                    maxNumerator = errNumerator;
                }
            }
        }
        BigDecimal maxError = exactQuotient
                ? maxNumerator.divide(b)
                : maxNumerator.divide(b, new MathContext(ERROR_DIGITS, RoundingMode.UP));
        return new SgdStep(next, maxError.signum() == 0 ? BigDecimal.ZERO : maxError, null);
    }

    /** Exact BigDecimal of a double step size, checked. */
    public static BigDecimal eta(double eta) {
        if (!(eta >= 0) || Double.isInfinite(eta)) {
            throw new IllegalArgumentException("eta = " + eta + ": expected a finite step size >= 0");
        }
        return new BigDecimal(eta);
    }
}
