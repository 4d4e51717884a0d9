package io.idrelu.sgd;

import io.idrelu.kernel.AlignedDoubles;
import io.idrelu.kernel.OnlineFusion;
import io.idrelu.model.GaussianSampler;

import java.nio.DoubleBuffer;

/**
 * The batch-1 step loop of {@link OnlineSgd} on an {@link OnlineFusion} kernel: the same trajectory, bit for bit, with
 * one pass over {@code W} per step. Samples are drawn {@link #BLOCK} at a time from the same sampler in the same order
 * (step {@code t} still consumes normals {@code [t*d, (t+1)*d)}; they do not depend on {@code W}), the block's teacher
 * outputs come from one product with {@code W*}, and each step also computes the next sample's student chains
 * against the updated {@code W}. The next block is drawn during the last step of a block, so that step's pass also
 * gives the chains of the next block's first sample (before, they took a pass of their own at the block start, and
 * the last step a pass without chains: about 0.3 us per step at d = 256).
 *
 * <p>The iterate {@code W} lives here, in an {@link AlignedDoubles} (its rows' vector loads and stores then never
 * straddle a cache line: 0.16-0.17 against 0.20-0.26 ns per element of the pass at d = 256 on Zen 4, which was the
 * run-to-run bimodality of the step time), re-aligned at each block start in case a collection moved it.
 */
final class FusedOnlineSteps {
    /** Samples drawn ahead. */
    static final int BLOCK = 64;

    private final OnlineFusion kernel;
    private final int d;
    private final boolean identity;
    private final double eta;
    private final AlignedDoubles w;
    private DoubleBuffer view;
    private final double[] wStar;
    /** {@code W*} in the kernel's own layout, packed once (null: the kernel has none). */
    private final AlignedDoubles packedTeacher;
    private final GaussianSampler sampler;
    private double[] xs;
    /** The next block's samples and teacher outputs, drawn during the last step of the current block. */
    private double[] ahead;
    private double[] fTeacher = new double[BLOCK];
    private double[] fAhead = new double[BLOCK];
    /** The last sample of a block and the first of the next, side by side for that step's fused pass. */
    private final double[] pair;
    private final double[] work;
    private final double[] mask;
    private double[] h;
    private double[] hNext;
    private int cursor = BLOCK;

    /** Steps from {@code w} (copied: the iterate is {@link #weights()} / {@link #view()} from now on). */
    FusedOnlineSteps(OnlineFusion kernel, int d, boolean identity, double eta, double[] w, double[] wStar,
                     GaussianSampler sampler) {
        this.kernel = kernel;
        this.d = d;
        this.identity = identity;
        this.eta = eta;
        this.w = new AlignedDoubles(w);
        this.wStar = wStar;
        this.packedTeacher = kernel.packTeacher(d, wStar);
        this.sampler = sampler;
        this.xs = new double[BLOCK * d];
        this.ahead = new double[BLOCK * d];
        this.pair = new double[2 * d];
        this.work = new double[BLOCK * d];
        this.mask = new double[d];
        this.h = new double[d];
        this.hNext = new double[d];
    }

    /** One step; returns its batch loss. */
    double step() {
        if (cursor == BLOCK) {
            // first step only: later blocks are drawn during the last step of the block before
            sampler.fill(xs);
            kernel.teacherOutputs(d, wStar, packedTeacher, xs, BLOCK, work, fTeacher);
            cursor = 0;
            kernel.studentChains(d, w.array(), w.offset(), xs, 0, h);
        }
        int xo = cursor * d;
        double loss;
        if (cursor + 1 < BLOCK) {
            loss = kernel.fusedStep(d, identity, w.array(), w.offset(), xs, xo, fTeacher[cursor], eta, h, mask, xo + d,
                    hNext);
            cursor++;
        } else {
            // last sample of the block: draw the next block now (the same stream order: it follows this one), so this
            // pass also yields the chains of the next block's first sample (no second pass over W for them)
            sampler.fill(ahead);
            kernel.teacherOutputs(d, wStar, packedTeacher, ahead, BLOCK, work, fAhead);
            System.arraycopy(xs, xo, pair, 0, d);
            System.arraycopy(ahead, 0, pair, d, d);
            loss = kernel.fusedStep(d, identity, w.array(), w.offset(), pair, 0, fTeacher[cursor], eta, h, mask, d,
                    hNext);
            double[] t = xs;
            xs = ahead;
            ahead = t;
            t = fTeacher;
            fTeacher = fAhead;
            fAhead = t;
            cursor = 0;
            if (w.realign()) {   // between steps; the values, and so the chains, do not change
                view = null;
            }
        }
        double[] t = h;
        h = hNext;
        hNext = t;
        return loss;
    }

    /** Copy of the current iterate, row-major. */
    double[] weights() {
        return w.values();
    }

    /** Read-only view of the current iterate, row-major (the same object until a re-alignment moves the values). */
    DoubleBuffer view() {
        if (view == null) {
            view = w.view();
        }
        return view;
    }
}
