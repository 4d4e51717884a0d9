package io.idrelu.sgd;

import io.idrelu.kernel.FloatKernel;
import io.idrelu.kernel.OnlineFusionFloat;
import io.idrelu.kernel.Parallel;
import io.idrelu.model.GaussianSampler;
import io.idrelu.model.Matrices;
import io.idrelu.model.Problem;

import java.nio.FloatBuffer;

/**
 * Float mirror of {@link OnlineSgd}: the same Gaussian doubles (same seed, same stream order) rounded
 * to nearest float, float weights ({@code W0}, {@code W*} and {@code eta} rounded once), and a
 * {@link FloatKernel}.
 *
 * <p>Online SGD of MATH.md section 1 ([LY17] Theorem 3.1): {@code W_{t+1} = W_t - eta grad l(W_t; X_t)}
 * with a fresh Gaussian batch {@code X_t} per step. Step {@code t} consumes the next {@code B*d}
 * normals of {@code new GaussianSampler(seed)}, row-major ({@code x[b*d + r]}), generated inside the
 * step loop, so a run is fully described by {@code (problem, batch, eta, seed, kernel)} and repeats
 * bit for bit. The step itself is the kernel's fused {@link FloatKernel#sgdStep}; the loop allocates
 * nothing. At batch 1 (for any thread count), a kernel that offers {@link io.idrelu.kernel.OnlineFusionFloat} runs the same
 * trajectory bit for bit with one pass over {@code W} per step, on the calling thread ({@link FusedOnlineStepsFloat}). Not thread-safe; one
 * instance is one trajectory (its steps may use the threads of a {@link Parallel}).
 */
public final class OnlineSgdFloat {
    private final FloatKernel kernel;
    private final int d;
    private final boolean identity;
    private final int batch;
    private final float eta;
    private final float[] w;
    private final float[] wStar;
    private final float[] x;
    private final double[] xd;
    /** Doubles of a block of samples for the fused batch-1 path. */
    private final double[] xBlock;
    private final GaussianSampler sampler;
    private final FloatKernel.Scratch scratch;
    private final FloatBuffer view;
    /** Batch-1 steps with one pass over W, when the kernel offers it, on the calling thread whatever the thread count: the unfused step split over
     * two threads was 1.7-2.4x slower than this one (d = 256, 30000 steps, three alternating pairs on a loaded machine,
     * 2026-12-05), and the trajectory is bit-identical either way. */
    private final FusedOnlineStepsFloat fused;
    private int steps;

    public OnlineSgdFloat(FloatKernel kernel, Problem problem, int batch, double eta, long seed) {
        this(kernel, problem, batch, eta, seed, Parallel.SERIAL);
    }

    /**
     * As above, each step spread over the threads of {@code parallel} (created once by the caller and reused
     * for every step; the caller closes it). The trajectory is bit-identical for every thread count.
     */
    public OnlineSgdFloat(FloatKernel kernel, Problem problem, int batch, double eta, long seed, Parallel parallel) {
        if (kernel == null || problem == null || parallel == null) {
            throw new IllegalArgumentException("kernel, problem and parallel are required: got " + kernel + ", " + problem
                    + ", " + parallel);
        }
        if (batch < 1) {
            throw new IllegalArgumentException("batch = " + batch + ": expected >= 1");
        }
        if (!(eta > 0) || Double.isInfinite(eta)) {
            throw new IllegalArgumentException("eta = " + eta + ": expected a finite number > 0");
        }
        this.kernel = kernel;
        this.d = problem.d();
        this.identity = problem.identity();
        this.batch = batch;
        this.eta = (float) eta;
        this.w = Matrices.toFloat(problem.w0());
        this.wStar = Matrices.toFloat(problem.wStar());
        this.x = new float[Math.multiplyExact(batch, d)];
        this.xd = new double[x.length];
        this.sampler = new GaussianSampler(seed);
        this.scratch = kernel.newScratch(d, batch, parallel);
        this.view = FloatBuffer.wrap(w).asReadOnlyBuffer();
        this.fused = batch == 1 && kernel instanceof OnlineFusionFloat f
                ? new FusedOnlineStepsFloat(f, d, identity, this.eta, w, wStar, sampler) : null;
        this.xBlock = fused == null ? null : new double[FusedOnlineSteps.BLOCK * d];
    }

    /**
     * Runs up to {@code maxSteps} more steps; the observer (may be {@code null}) is called after each.
     *
     * @return the number of steps done by this call
     */
    public int run(int maxSteps, FloatStepObserver observer) {
        if (maxSteps < 0) {
            throw new IllegalArgumentException("steps = " + maxSteps + ": expected >= 0");
        }
        for (int i = 0; i < maxSteps; i++) {
            float loss;
            if (fused != null) {
                loss = fused.step(xBlock);
            } else {
                sampler.fill(xd);
                for (int k = 0; k < x.length; k++) {
                    x[k] = (float) xd[k];
                }
                loss = kernel.sgdStep(d, identity, w, wStar, x, batch, eta, scratch);
            }
            steps++;
            if (observer != null && !observer.onStep(steps, loss, view)) {
                return i + 1;
            }
        }
        return maxSteps;
    }

    /** Steps done so far. */
    public int steps() {
        return steps;
    }

    /** Copy of the current iterate {@code W_t}, row-major. */
    public float[] weights() {
        return w.clone();
    }
}
