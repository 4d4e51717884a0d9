package io.idrelu.kernel;

/**
 * Optional capability of a double {@link Kernel}: online steps at batch size 1 ([LY17] Theorem 3.1, MATH.md section 1)
 * fused so that the student's {@code W} is read and written once per step instead of three passes plus one over
 * {@code W*}. Bit for bit the same as {@link Kernel#sgdStep} at {@code batch = 1} (the {@link ScalarKernel} contract);
 * {@code io.idrelu.sgd.OnlineSgd} uses it when available and the step runs on one thread.
 *
 * <p>How: the samples do not depend on {@code W}, so a block of future samples is drawn ahead (same stream order) and
 * its teacher outputs computed as one product with {@code W*} ({@link #teacherOutputs}); and step {@code t}'s update
 * of row {@code r} of {@code W} is immediately used for row {@code r} of step {@code t+1}'s forward chains
 * ({@link #fusedStep}), which run over {@code r} in increasing order exactly as the contract's chain does.
 */
public interface OnlineFusion {

    /**
     * Teacher outputs {@code out[t] = f(x_t, W*)} (identity-mapped teacher) of the {@code count} samples
     * {@code xs[t*d ..]}, each bit for bit as in {@link Kernel#sgdStep}; {@code work} has length {@code >= count*d}.
     */
    void teacherOutputs(int d, double[] wStar, double[] xs, int count, double[] work, double[] out);

    /**
     * {@code W*} prepared once per run for {@link #teacherOutputs(int, double[], AlignedDoubles, double[], int,
     * double[], double[])} (the teacher never changes), or {@code null} when the kernel has no such layout.
     */
    default AlignedDoubles packTeacher(int d, double[] wStar) {
        return null;
    }

    /** As {@link #teacherOutputs(int, double[], double[], int, double[], double[])}, reading {@code packed} (from
     * {@link #packTeacher} on the same {@code wStar}; {@code null}: none) where it can; the same bits either way. */
    default void teacherOutputs(int d, double[] wStar, AlignedDoubles packed, double[] xs, int count, double[] work,
                                double[] out) {
        teacherOutputs(d, wStar, xs, count, work, out);
    }

    /** Raw student chains {@code h[j] = fma-chain over r of xs[xo + r] * W[r][j]} from {@code 0} (no identity term). */
    default void studentChains(int d, double[] w, double[] xs, int xo, double[] h) {
        studentChains(d, w, 0, xs, xo, h);
    }

    /**
     * As {@link #studentChains(int, double[], double[], int, double[])} with {@code W[r][j]} at {@code w[wo + r*d + j]}
     * (a caller that keeps {@code W} cache-line aligned inside a longer array, {@link io.idrelu.kernel.AlignedDoubles}).
     */
    void studentChains(int d, double[] w, int wo, double[] xs, int xo, double[] h);

    /**
     * One step at batch 1 on the sample {@code xs[xo .. xo+d)}, given its raw chains {@code h} and teacher output:
     * updates {@code w} in place, and when {@code nextXo >= 0} writes into {@code hNext} the raw chains of the sample
     * at {@code nextXo} against the updated {@code w}. {@code mask} is a work buffer of length {@code d}.
     *
     * @return the batch loss at {@code w} before the update
     */
    default double fusedStep(int d, boolean identity, double[] w, double[] xs, int xo, double fTeacher, double eta,
                             double[] h, double[] mask, int nextXo, double[] hNext) {
        return fusedStep(d, identity, w, 0, xs, xo, fTeacher, eta, h, mask, nextXo, hNext);
    }

    /** As above with {@code W[r][j]} at {@code w[wo + r*d + j]}. */
    double fusedStep(int d, boolean identity, double[] w, int wo, double[] xs, int xo, double fTeacher, double eta,
                     double[] h, double[] mask, int nextXo, double[] hNext);
}
