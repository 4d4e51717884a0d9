package io.idrelu.sgd;

import io.idrelu.kernel.OnlineFusionFloat;
import io.idrelu.model.GaussianSampler;

/**
 * Float mirror of {@link FusedOnlineSteps} (the doubles of a block are drawn into {@code xd}, length
 * {@code BLOCK*d}, and rounded to float as OnlineSgdFloat does). The batch-1 step loop of {@link OnlineSgdFloat} on an {@link OnlineFusionFloat} kernel: the same trajectory, bit for bit, with
 * one pass over {@code W} per step. Samples are drawn {@link #BLOCK} at a time from the same sampler in the same order
 * (step {@code t} still consumes normals {@code [t*d, (t+1)*d)}; they do not depend on {@code W}), the block's teacher
 * outputs come from one product with {@code W*}, and each step also computes the next sample's student chains
 * against the updated {@code W}. At a block boundary the next sample is not drawn yet, so its chains are computed
 * from scratch at the start of the next block (one extra pass over {@code W} per {@link #BLOCK} steps).
 */
final class FusedOnlineStepsFloat {
    /** Samples drawn ahead. */
    static final int BLOCK = 64;

    private final OnlineFusionFloat kernel;
    private final int d;
    private final boolean identity;
    private final float eta;
    private final float[] w;
    private final float[] wStar;
    private final GaussianSampler sampler;
    private final float[] xs;
    private final float[] fTeacher = new float[BLOCK];
    private final float[] work;
    private final float[] mask;
    private float[] h;
    private float[] hNext;
    private int cursor = BLOCK;
    private boolean chainsReady;

    FusedOnlineStepsFloat(OnlineFusionFloat kernel, int d, boolean identity, float eta, float[] w, float[] wStar,
                     GaussianSampler sampler) {
        this.kernel = kernel;
        this.d = d;
        this.identity = identity;
        this.eta = eta;
        this.w = w;
        this.wStar = wStar;
        this.sampler = sampler;
        this.xs = new float[BLOCK * d];
        this.work = new float[BLOCK * d];
        this.mask = new float[d];
        this.h = new float[d];
        this.hNext = new float[d];
    }

    /** One step; returns its batch loss. */
    float step(double[] xd) {
        if (cursor == BLOCK) {
            sampler.fill(xd);
            for (int k = 0; k < xs.length; k++) {
                xs[k] = (float) xd[k];
            }
            kernel.teacherOutputs(d, wStar, xs, BLOCK, work, fTeacher);
            cursor = 0;
            chainsReady = false;
        }
        int xo = cursor * d;
        if (!chainsReady) {
            kernel.studentChains(d, w, xs, xo, h);
        }
        int next = cursor + 1 < BLOCK ? xo + d : -1;
        float loss = kernel.fusedStep(d, identity, w, xs, xo, fTeacher[cursor], eta, h, mask, next, hNext);
        float[] t = h;
        h = hNext;
        hNext = t;
        chainsReady = next >= 0;
        cursor++;
        return loss;
    }
}
