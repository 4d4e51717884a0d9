package io.idrelu.sgd;

import java.nio.DoubleBuffer;

/** Sees every step of {@link OnlineSgd}; returning {@code false} stops the run after this step. */
@FunctionalInterface
public interface StepObserver {
    /**
     * @param t         steps done so far ({@code 1} after the first update)
     * @param batchLoss batch loss {@code l(W_{t-1}; X_{t-1})} measured before the update
     * @param weights   read-only row-major view of {@code W_t} (absolute {@code get(i)}); valid only
     *                  during this call, since the run keeps updating the same array
     * @return {@code true} to continue
     */
    boolean onStep(int t, double batchLoss, DoubleBuffer weights);
}
