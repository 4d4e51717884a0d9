package io.idrelu.claims;

/**
 * Runs one SGD trajectory and shows its iterates to an observer: the seam between a trajectory claim's
 * bookkeeping (what it records at {@code W_0 .. W_steps}) and the SGD that produced them. Under [LY17] the driver is
 * {@link Trajectories#run} on a fused {@code Kernel}; under another setting (issue 11) it is
 * {@code io.idrelu.setting.SettingSgd} on the generic fast path, with the blocks {@code W_1..W_K} concatenated into
 * one flat array, so one recording code serves both (C7, C11, C12).
 */
@FunctionalInterface
public interface TrajectoryDriver {
    /**
     * Shows {@code W_0 .. W_steps} to {@code obs} (each a scratch copy valid during the call) until it returns false;
     * a non-finite iterate stops the run after it was observed.
     */
    void run(int steps, Trajectories.Observer obs);
}
