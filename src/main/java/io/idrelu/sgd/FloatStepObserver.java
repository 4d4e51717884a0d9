package io.idrelu.sgd;

import java.nio.FloatBuffer;

/** Float mirror of {@link StepObserver} for {@link OnlineSgdFloat}. */
@FunctionalInterface
public interface FloatStepObserver {
    /** See {@link StepObserver#onStep}; the weights are the float iterate {@code W_t}. */
    boolean onStep(int t, float batchLoss, FloatBuffer weights);
}
