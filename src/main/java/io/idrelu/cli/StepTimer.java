package io.idrelu.cli;

/**
 * Wall time of an SGD step loop, split into JIT warm-up (the first {@code warmupSteps} steps) and steady state (the
 * rest), so {@code train} reports what a long run costs per step separately from the one-off compilation cost.
 *
 * <p>Only the step loop is timed: the caller brackets each chunk of steps with {@link #start} / {@link #stop} (so
 * trace rows, population losses and output in between are excluded) and calls {@link #stepDone} after every step;
 * the clock is read once more at the step that ends the warm-up. Sampling the batch is part of a step (numpy's peer
 * draws its batch inside the step too).
 */
final class StepTimer {
    private final int warmupSteps;
    private long chunkStart;
    private long warmupNanos;
    private long steadyNanos;
    private int steps;

    StepTimer(int warmupSteps) {
        this.warmupSteps = warmupSteps;
    }

    void start() {
        chunkStart = System.nanoTime();
    }

    /** Called after each step. */
    void stepDone() {
        steps++;
        if (steps == warmupSteps) {
            long now = System.nanoTime();
            warmupNanos += now - chunkStart;
            chunkStart = now;
        }
    }

    void stop() {
        long elapsed = System.nanoTime() - chunkStart;
        if (steps <= warmupSteps) {
            warmupNanos += elapsed;
        } else {
            steadyNanos += elapsed;
        }
    }

    int warmupSteps() {
        return Math.min(steps, warmupSteps);
    }

    int steadySteps() {
        return Math.max(0, steps - warmupSteps);
    }

    double warmupSeconds() {
        return warmupNanos * 1e-9;
    }

    double steadySeconds() {
        return steadyNanos * 1e-9;
    }

    /** Steady-state seconds per step, {@code NaN} if no step ran after the warm-up. */
    double steadySecondsPerStep() {
        return steadySteps() == 0 ? Double.NaN : steadySeconds() / steadySteps();
    }

    double totalSeconds() {
        return warmupSeconds() + steadySeconds();
    }
}
