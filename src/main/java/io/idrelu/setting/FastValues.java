package io.idrelu.setting;

import java.util.List;

/**
 * Result of {@link NetworkKernel#evaluate}: the batch quantities in double and the intermediate values (per block,
 * row-major {@code [b*d + j]}) that the audit's running error bound reads ({@code NetworkBounds}).
 *
 * @param gradients   {@code dl/dW_k}, k = 1..K (index k-1), true units, row-major
 * @param h           student pre-activations per block
 * @param z           student activations {@code z_0 = x, z_1..z_K}
 * @param delta       student backward values {@code delta_k = act'(h_k) . g_k}
 * @param teacherZ    teacher activations {@code z*_0..z*_K}
 */
public record FastValues(int batch, double[] outputs, double[] teacherOutputs, double[] residuals, double loss,
                         List<double[]> gradients, List<double[]> h, List<double[]> z, List<double[]> delta,
                         List<double[]> teacherZ) {
}
