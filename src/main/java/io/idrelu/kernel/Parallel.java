package io.idrelu.kernel;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fixed pool of {@code threads - 1} daemon workers plus the calling thread, created once per trajectory (or
 * evaluation) and reused for every step: the fast path's multi-core mode ({@code --threads K}).
 *
 * <p><b>Why results are bit-identical for every {@code K}.</b> Callers split their work into <em>tasks</em> that
 * each own a fixed set of output elements (a column panel of units, a block of batch rows) and compute every one of
 * them with exactly the operation chain of the single-threaded kernel (the scalar contract of {@link ScalarKernel}).
 * No reduction is ever split across tasks: the chain over {@code b} of one gradient element, over {@code r} of one
 * pre-activation, over {@code j} of one output and the loss chain over {@code b} each run inside one task, in their
 * contract order. Which thread runs a task, and when, therefore cannot change a single bit; {@code K} only changes
 * the wall time. The task list itself depends on the sizes only, never on {@code K}.
 *
 * <p>Tasks are handed out dynamically (an atomic counter), so a descheduled worker on a shared machine does not hold
 * the others up. Each participant has an index {@code 0 <= p < threads()} (the caller is {@code 0}) so callers can
 * give it private work buffers. A {@code Parallel} runs one {@link #forEach} at a time (callers do not nest them).
 */
public final class Parallel implements AutoCloseable {

    /** One participant: the calling thread only (no pool). */
    public static final Parallel SERIAL = new Parallel(1);

    /** The most threads accepted ({@code --threads}). */
    public static final int MAX_THREADS = 256;

    /** Work of one task, given its index and the index of the participant running it. */
    @FunctionalInterface
    public interface Task {
        void run(int task, int participant);
    }

    private final int threads;
    private final ExecutorService pool;

    /** A pool of {@code threads - 1} workers (none for {@code threads = 1}). */
    public Parallel(int threads) {
        if (threads < 1 || threads > MAX_THREADS) {
            throw new IllegalArgumentException("threads = " + threads + ": expected 1 <= K <= " + MAX_THREADS);
        }
        this.threads = threads;
        AtomicInteger n = new AtomicInteger();
        this.pool = threads == 1 ? null : Executors.newFixedThreadPool(threads - 1, r -> {
            Thread t = new Thread(r, "idrelu-step-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Number of participants (workers plus the caller). */
    public int threads() {
        return threads;
    }

    /**
     * Runs {@code task.run(t, p)} once for every {@code 0 <= t < tasks} and returns when all are done; {@code p} is
     * the participant's index. With one thread (or one task) the tasks run in order on the caller.
     */
    public void forEach(int tasks, Task task) {
        int helpers = pool == null ? 0 : Math.min(threads, tasks) - 1;
        if (helpers <= 0) {
            for (int t = 0; t < tasks; t++) {
                task.run(t, 0);
            }
            return;
        }
        AtomicInteger next = new AtomicInteger();
        Future<?>[] running = new Future<?>[helpers];
        for (int p = 1; p <= helpers; p++) {
            int participant = p;
            running[p - 1] = pool.submit(() -> drain(next, tasks, task, participant));
        }
        RuntimeException failure = null;
        try {
            drain(next, tasks, task, 0);
        } catch (RuntimeException e) {
            next.set(tasks);
            failure = e;
        }
        for (Future<?> f : running) {
            try {
                f.get();
            } catch (ExecutionException e) {
                if (failure == null) {
                    failure = e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for step tasks", e);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static void drain(AtomicInteger next, int tasks, Task task, int participant) {
        for (int t = next.getAndIncrement(); t < tasks; t = next.getAndIncrement()) {
            task.run(t, participant);
        }
    }

    /** Stops the workers (idempotent); {@link #SERIAL} has none. */
    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
