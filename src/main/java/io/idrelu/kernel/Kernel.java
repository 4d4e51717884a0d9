package io.idrelu.kernel;

/**
 * The double-precision kernel contract: the only numerical operations the fast path needs.
 *
 * <p>Layout (MATH.md section 1): a weight matrix is a row-major {@code double[d*d]} with
 * {@code w[r*d + c] = W[r][c]}; unit {@code j} uses column {@code j}, so row {@code r} holds
 * coordinate {@code r} of every unit contiguously. A batch is a row-major {@code double[B*d]}
 * with {@code x[b*d + r] = x_b[r]}. The student is identity-mapped ({@code u_j = e_j + w_j})
 * when {@code identity} is true and vanilla ({@code u_j = w_j}) otherwise; the teacher is always
 * identity-mapped ({@code v_j = e_j + w*_j}).
 *
 * <p>Summation order (shared by every implementation that claims bit-identity with
 * {@link ScalarKernel}): the pre-activation is {@code h_j = fma-chain over r = 0..d-1 of x[r]*W[r][j]}
 * starting from {@code 0}, then {@code + x[j]} for identity units. The indicator is
 * {@code h > 0} (the kink counts as inactive). Gradients are in true units (MATH.md section 2):
 * {@code dl/dW[r][j] = (2/B) sum_b r_b x_b[r] [h_bj > 0]}.
 *
 * <p><b>Implementing your own kernel</b> (public contract; docs/KIT.md). Besides idrelu's own kernels, any
 * class implementing this interface can be used for the fast path; {@code io.idrelu.kit.KernelConformanceTest}
 * (the {@code kit} classifier jar) and {@code idrelu audit --kernel-class NAME --classpath JAR} check it.
 * <ul>
 *   <li><b>Accuracy, not bit-identity.</b> An outside kernel need <em>not</em> reproduce {@link ScalarKernel}'s bits.
 *       Any summation order, blocking, unrolling, vectorisation, with or without fma, is allowed, provided every
 *       arithmetic operation is carried out in double (unit roundoff {@code u = 2^-53}, round to nearest) and each
 *       result stays within the a-priori bounds of claims A1 (batch quantities: Higham {@code gamma_n} bounds that
 *       hold for any order), A2 (population loss and gradient, for the declared angle method, Gram-matrix angles with Kahan near 0 and pi by default:
 *       delegate to {@code PopulationClosedForm} if in doubt)
 *       and A3 (SGD trajectory envelope). Accumulating in a wider format is allowed (it only tightens the error);
 *       accumulating in a narrower one is not.</li>
 *   <li><b>Mask.</b> The indicator is {@code h > 0} on the kernel's <em>own</em> computed pre-activation; the
 *       gradient and outputs must use the same bits that {@link #preActivations} returns (the A1 audit reads the
 *       mask from there). An activation may differ from the exact one only where {@code |<u_j, x>|} is within the
 *       pre-activation bound.</li>
 *   <li><b>Determinism.</b> The same inputs give the same bits on every call, whatever was called before, including
 *       with a reused {@link Scratch} (clear what you accumulate into).</li>
 *   <li><b>Inputs.</b> {@code w}, {@code wStar} and {@code x} are read only, except {@code w} of
 *       {@link #sgdStep}, updated in place. Outputs are fully overwritten (never accumulated into).
 *       Arrays may be longer than needed; only the first {@code batch*d} / {@code d*d} entries count.</li>
 *   <li><b>Threads.</b> One instance may be called from several threads at once with distinct arrays and distinct
 *       scratch objects: keep no mutable state in the kernel (put buffers in the {@link Scratch}). A scratch is
 *       used by one thread at a time.</li>
 *   <li><b>Sizes.</b> {@code 1 <= d <= 1024}, {@code batch >= 1}; every {@code d} must work, not only multiples
 *       of a vector width, and every batch size including 1 (the kit tests {@code d = 1, 3, 7, 13, 67, 100} and
 *       batches of 1, 2, 3).</li>
 *   <li><b>Name.</b> {@link #name()} is a short label for reports.</li>
 *   <li>Instantiated by the CLI through a public no-argument constructor.</li>
 * </ul>
 *
 * <p>Kernels trust their input (checked once at the boundary); sizes are asserted only.
 */
public interface Kernel {

    /** Short name shown in reports: {@code scalar} or {@code vector} for idrelu's kernels, anything short for yours. */
    String name();

    /** Pre-activations {@code h[b*d + j] = <u_j, x_b>} of the student. */
    void preActivations(int d, boolean identity, double[] w, double[] x, int batch, double[] h);

    /** Network outputs {@code out[b] = f(x_b, W)}. */
    void forward(int d, boolean identity, double[] w, double[] x, int batch, double[] out);

    /**
     * Batch loss {@code (1/B) sum_b r_b^2} with residuals {@code r_b = f(x_b, W) - f(x_b, W*)}
     * and the batch gradient in true units (row-major, same orientation as W).
     *
     * @param residuals output of length {@code batch}, or {@code null} if not wanted
     * @param grad      output of length {@code d*d}
     * @return the batch loss
     */
    double lossAndGradient(int d, boolean identity, double[] w, double[] wStar,
                           double[] x, int batch, double[] residuals, double[] grad);

    /**
     * One fused online-SGD step in place: {@code w <- w - eta * grad l(w; x)}.
     * Uses {@code scratch} (allocated by {@link #newScratch}) so the step loop allocates nothing.
     *
     * @return the batch loss at {@code w} before the update
     */
    double sgdStep(int d, boolean identity, double[] w, double[] wStar,
                   double[] x, int batch, double eta, Scratch scratch);

    /** Work buffers for {@link #sgdStep}; sized for {@code d} and {@code batch}. */
    Scratch newScratch(int d, int batch);

    /**
     * Work buffers for {@link #sgdStep} that may also spread one step over the threads of {@code parallel}
     * ({@code --threads K}). A kernel that does so must give the same bits for every thread count (see
     * {@link Parallel}); the default ignores {@code parallel} and runs single-threaded, which trivially does.
     */
    default Scratch newScratch(int d, int batch, Parallel parallel) {
        return newScratch(d, batch);
    }

    /**
     * Closed-form population loss {@code L(W)} (MATH.md section 2) and its gradient in true
     * units, row-major, written into {@code grad} (may be {@code null} for loss only).
     */
    double populationLossAndGradient(int d, boolean identity, double[] w, double[] wStar, double[] grad);

    /**
     * {@link #populationLossAndGradient(int, boolean, double[], double[], double[])} spread over the threads of
     * {@code parallel} ({@code eval --threads K}). A kernel that does so must give the same bits for every thread count
     * (see {@link Parallel}); the default ignores {@code parallel} and runs single-threaded, which trivially does.
     */
    default double populationLossAndGradient(int d, boolean identity, double[] w, double[] wStar, double[] grad,
                                             Parallel parallel) {
        return populationLossAndGradient(d, identity, w, wStar, grad);
    }

    /** Opaque per-kernel work buffers. */
    interface Scratch { }
}
