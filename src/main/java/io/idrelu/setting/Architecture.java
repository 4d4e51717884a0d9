package io.idrelu.setting;

/**
 * Shape of student and teacher (proofs-notes/settings.md section 1): {@code d} inputs and {@code d} units per
 * block, {@code blocks} residual blocks {@code z_k = act((I + W_k)^T z_{k-1})} (identity-mapped student) or
 * {@code z_k = act(W_k^T z_{k-1})} (vanilla student), {@code z_0 = x}, output {@code f(x) = sum_i z_K[i]}.
 * The teacher is always identity-mapped, as in MATH.md section 1. {@code blocks = 1} is [LY17]'s two-layer
 * network {@code f(x, W) = sum_i relu(<e_i + w_i, x>)}.
 *
 * @param d        input dimension and units per block, {@code 1 <= d <= MAX_D}
 * @param blocks   number of residual blocks {@code K}, {@code 1 <= K <= MAX_BLOCKS}
 * @param identity whether the student is identity-mapped
 */
public record Architecture(int d, int blocks, boolean identity) {
    /** Same limit as {@code io.idrelu.model.Problem.MAX_D}. */
    public static final int MAX_D = io.idrelu.model.Problem.MAX_D;
    /** Deepest network accepted: the exact reference's digits grow linearly with depth. */
    public static final int MAX_BLOCKS = 64;

    public Architecture {
        if (d < 1 || d > MAX_D) {
            throw new IllegalArgumentException("architecture.d = " + d + ": expected 1 <= d <= " + MAX_D);
        }
        if (blocks < 1 || blocks > MAX_BLOCKS) {
            throw new IllegalArgumentException("architecture.blocks = " + blocks + ": expected 1 <= blocks <= " + MAX_BLOCKS);
        }
    }
}
