package io.idrelu.sgd;

import io.idrelu.kernel.Kernel;
import io.idrelu.kernel.OnlineFusion;
import io.idrelu.kernel.Parallel;
import io.idrelu.model.GaussianSampler;
import io.idrelu.model.Problem;

import java.nio.DoubleBuffer;

/**
 * Online SGD of MATH.md section 1 ([LY17] Theorem 3.1): {@code W_{t+1} = W_t - eta grad l(W_t; X_t)}
 * with a fresh Gaussian batch {@code X_t} per step. Step {@code t} consumes the next {@code B*d}
 * normals of {@code new GaussianSampler(seed)}, row-major ({@code x[b*d + r]}), generated inside the
 * step loop, so a run is fully described by {@code (problem, batch, eta, seed, kernel)} and repeats
 * bit for bit. The step itself is the kernel's fused {@link Kernel#sgdStep}; the loop allocates
 * nothing. At batch 1 (for any thread count), a kernel that offers {@link io.idrelu.kernel.OnlineFusion} runs the same
 * trajectory bit for bit with one pass over {@code W} per step, on the calling thread ({@link FusedOnlineSteps}: samples drawn a block
 * ahead, in the same stream order). Not thread-safe; one instance is one trajectory (its steps may use the threads
 * of a {@link Parallel}).
 */
public final class OnlineSgd {
    private final Kernel kernel;
    private final int d;
    private final boolean identity;
    private final int batch;
    private final double eta;
    private final double[] w;
    private final double[] wStar;
    private final double[] x;
    private final GaussianSampler sampler;
    private final Kernel.Scratch scratch;
    private final DoubleBuffer view;
    /** Batch-1 steps with one pass over W, when the kernel offers it, on the calling thread whatever the thread count: the unfused step split over
     * two threads was 1.7-2.4x slower than this one (d = 256, 30000 steps, three alternating pairs on a loaded machine,
     * 2026-12-05), and the trajectory is bit-identical either way. */
    private final FusedOnlineSteps fused;
    private int steps;

    public OnlineSgd(Kernel kernel, Problem problem, int batch, double eta, long seed) {
        this(kernel, problem, batch, eta, seed, Parallel.SERIAL);
    }

    /**
     * As above, each step spread over the threads of {@code parallel} (created once by the caller and reused
     * for every step; the caller closes it). The trajectory is bit-identical for every thread count.
     */
    public OnlineSgd(Kernel kernel, Problem problem, int batch, double eta, long seed, Parallel parallel) {
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
        this.eta = eta;
        this.wStar = problem.wStar();
        this.x = new double[Math.multiplyExact(batch, d)];
        this.sampler = new GaussianSampler(seed);
        this.scratch = kernel.newScratch(d, batch, parallel);
        // the fused steps keep the iterate themselves (cache-line aligned); otherwise it is this array
        this.fused = batch == 1 && kernel instanceof OnlineFusion f
                ? new FusedOnlineSteps(f, d, identity, eta, problem.w0(), wStar, sampler) : null;
        this.w = fused == null ? problem.w0() : null;
        this.view = fused == null ? DoubleBuffer.wrap(w).asReadOnlyBuffer() : null;
    }

    /**
     * Runs up to {@code maxSteps} more steps; the observer (may be {@code null}) is called after each.
     *
     * @return the number of steps done by this call
     */
    public int run(int maxSteps, StepObserver observer) {
        if (maxSteps < 0) {
            throw new IllegalArgumentException("steps = " + maxSteps + ": expected >= 0");
        }
        for (int i = 0; i < maxSteps; i++) {
            double loss;
            if (fused != null) {
                loss = fused.step();
            } else {
                sampler.fill(x);
                loss = kernel.sgdStep(d, identity, w, wStar, x, batch, eta, scratch);
            }
            steps++;
            if (observer != null && !observer.onStep(steps, loss, fused != null ? fused.view() : view)) {
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
    public double[] weights() {
        return fused != null ? fused.weights() : w.clone();
    }
}
