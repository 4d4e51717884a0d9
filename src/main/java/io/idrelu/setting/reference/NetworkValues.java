package io.idrelu.setting.reference;

import io.idrelu.reference.BatchValues;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.util.List;

/**
 * Batch quantities of a {@code K}-block network at one {@code (W_1..W_K, W*_1..W*_K, X, noise)}
 * (proofs-notes/settings.md section 1; the K = 1 ReLU case is {@code io.idrelu.reference.BatchValues}). Exact for
 * piecewise-linear activations; for smooth ones within the bound of {@link ExactNetwork}. The factors {@code 1/B},
 * {@code 2/B} are applied last (exact when {@code B = 2^a 5^b}).
 *
 * @param outputs        {@code f(x_b, W)}
 * @param teacherOutputs {@code f(x_b, W*)} (noiseless)
 * @param residuals      {@code r_b = f(x_b, W) - y_b}, {@code y_b = f(x_b, W*) + noise_b}
 * @param sumOfSquares   {@code sum_b r_b^2}
 * @param gradientSums   per block {@code k}: {@code S_k[r][j] = sum_b r_b z_{k-1,b}[r] delta_{k,b}[j]}, so
 *                       {@code dl/dW_k = (2/B) S_k} in true units
 * @param preActivations per block {@code k}: the student's {@code h_k[b][j]} (for mask-flip accounting)
 */
public record NetworkValues(int batch, BigDecimal[] outputs, BigDecimal[] teacherOutputs, BigDecimal[] residuals,
                            BigDecimal sumOfSquares, List<BigDecimal[][]> gradientSums, List<BigDecimal[][]> preActivations) {

    public boolean quotientsExact() {
        return BatchValues.isTwoFiveSmooth(batch);
    }

    /** Batch loss {@code (1/B) sum r_b^2}: exact when {@link #quotientsExact()}, else rounded once to {@code mc}. */
    public BigDecimal loss(MathContext mc) {
        return quotient(sumOfSquares, BigInteger.ONE, mc);
    }

    /** {@code dl/dW_k} (block {@code k = 1..K}) in true units, {@code [r][j]}. */
    public BigDecimal[][] gradient(int k, MathContext mc) {
        BigDecimal[][] s = gradientSums.get(k - 1);
        BigDecimal[][] g = new BigDecimal[s.length][s.length];
        for (int r = 0; r < s.length; r++) {
            for (int j = 0; j < s.length; j++) {
                g[r][j] = quotient(s[r][j], BigInteger.TWO, mc);
            }
        }
        return g;
    }

    private BigDecimal quotient(BigDecimal value, BigInteger factor, MathContext mc) {
        return BatchValues.quotient(value, factor, batch, mc);
    }
}
