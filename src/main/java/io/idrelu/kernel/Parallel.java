package io.idrelu.kernel;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

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
 * the others up: the caller waits only for tasks a worker has started. Each participant has an index
 * {@code 0 <= p < threads()} (the caller is {@code 0}) so callers can give it private work buffers. A
 * {@code Parallel} runs one {@link #forEach} at a time (callers do not nest them).
 *
 * <p><b>Why the workers spin.</b> A step at the paper's size (d = 100, B = 200) is ~0.3 ms in four phases; handing
 * each phase to an executor (a futex wake-up per phase, then a park in {@code Future.get}) cost about as much as the
 * second core saved: {@code train --d 100 --batch 200 --threads 2} ran at 1.00x of {@code --threads 1}. Workers now
 * wait for the next job by spinning for {@link #SPIN_NANOS} before they park, and the caller publishes a job with
 * two volatile writes: 1.40x (benchmarks/README.md, "Stop 21: multi-core"). An idle pool parks after 50 us, so it
 * costs nothing between trajectories.
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
    private final Worker[] workers;
    /** Bumped once per {@link #forEach} with workers; a worker runs one job per value it sees. */
    private volatile long generation;
    private volatile Job job;
    private volatile boolean closed;

    /** A pool of {@code threads - 1} workers (none for {@code threads = 1}). */
    public Parallel(int threads) {
        if (threads < 1 || threads > MAX_THREADS) {
            throw new IllegalArgumentException("threads = " + threads + ": expected 1 <= K <= " + MAX_THREADS);
        }
        this.threads = threads;
        this.workers = new Worker[threads - 1];
        for (int p = 1; p < threads; p++) {
            workers[p - 1] = new Worker(p);
            workers[p - 1].thread.start();
        }
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
        int helpers = Math.min(threads, tasks) - 1;
        if (helpers <= 0) {
            for (int t = 0; t < tasks; t++) {
                task.run(t, 0);
            }
            return;
        }
        if (closed) {
            throw new IllegalStateException("Parallel is closed");
        }
        Job j = new Job(tasks, task, generation + 1);
        job = j;
        generation = j.generation; // single writer (the caller); written after job, so a worker seeing it sees j
        for (int p = 0; p < helpers; p++) {
            Worker w = workers[p];
            if (w.parked) {
                LockSupport.unpark(w.thread);
            }
        }
        j.drain(0);
        // Wait only for tasks a worker has started (a worker that wakes late finds none left and is not waited
        // for): spin briefly, since a step's task lasts microseconds, then yield.
        long start = System.nanoTime();
        for (int spins = 1; j.done.get() < tasks; spins++) {
            if (spinning(spins, start)) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
        Throwable f = j.failure;
        if (f instanceof RuntimeException re) {
            throw re;
        }
        if (f instanceof Error e) {
            throw e;
        }
    }

    /**
     * How long a waiting thread spins before it yields (the caller) or parks (a worker): longer than the gap between
     * a step's phases (the serial loss chain, a few microseconds), short enough that an idle pool costs nothing.
     */
    private static final long SPIN_NANOS = 50_000;

    /** Whether a wait begun at {@code start} is still in its spin phase (the clock is read every 256th spin). */
    private static boolean spinning(int spins, long start) {
        return (spins & 255) != 0 || System.nanoTime() - start < SPIN_NANOS;
    }

    /**
     * One forEach: the task counter, the finished-task count and the first failure. Every index is claimed once and
     * counted once, even after a failure (the remaining tasks are then skipped, not run).
     */
    private static final class Job {
        final int tasks;
        final Task task;
        final long generation;
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger done = new AtomicInteger();
        volatile Throwable failure;

        Job(int tasks, Task task, long generation) {
            this.tasks = tasks;
            this.task = task;
            this.generation = generation;
        }

        void drain(int participant) {
            for (int t = next.getAndIncrement(); t < tasks; t = next.getAndIncrement()) {
                try {
                    if (failure == null) {
                        task.run(t, participant);
                    }
                } catch (RuntimeException | Error e) {
                    fail(e);
                } finally {
                    done.incrementAndGet(); // publishes the task's writes to the caller (it reads done)
                }
            }
        }

        private synchronized void fail(Throwable e) {
            if (failure == null) {
                failure = e;
            }
        }
    }

    /**
     * A helper: waits for the next job (spinning first, because the caller's next phase usually follows within
     * microseconds and a park/unpark round trip costs about as much as a small phase; then parked), takes tasks
     * from it until none are left, and waits again.
     */
    private final class Worker implements Runnable {
        final int participant;
        final Thread thread;
        volatile boolean parked;
        private long seen;

        Worker(int participant) {
            this.participant = participant;
            this.thread = new Thread(this, "idrelu-step-" + participant);
            this.thread.setDaemon(true);
        }

        @Override
        public void run() {
            while (true) {
                long start = System.nanoTime();
                for (int spins = 1; generation == seen && !closed; spins++) {
                    if (spinning(spins, start)) {
                        Thread.onSpinWait();
                    } else {
                        parked = true; // then re-check: the caller reads parked after publishing, so one of us sees the other
                        if (generation == seen && !closed) {
                            LockSupport.park(this);
                        }
                        parked = false;
                    }
                }
                if (closed) {
                    return;
                }
                Job j = job;
                seen = j.generation; // the job read, not the counter: it may be newer than the one we woke for
                j.drain(participant);
            }
        }
    }

    /** Stops the workers (idempotent); {@link #SERIAL} has none. */
    @Override
    public void close() {
        closed = true;
        for (Worker w : workers) {
            LockSupport.unpark(w.thread);
        }
    }
}
