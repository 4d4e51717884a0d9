package io.idrelu.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * The thread-safety case of the {@link ConformanceBattery} (the kernel contract's "Threads" clause): one kernel
 * instance, each method hammered <em>separately</em> by {@link #THREADS} threads released together at a
 * {@link CyclicBarrier}, every result compared bit for bit with a single-threaded reference computed first.
 *
 * <p>Why this shape. A buffer shared across calls (a field, a static scratch) corrupts a result only when two
 * calls overlap inside the window between the first write into the buffer and the last read from it; for a
 * plain loop that window is a microsecond. The former check (two threads, 25 mixed calls each, started one
 * after the other) overlapped so rarely that a static-scratch {@code lossAndGradient} passed it in most runs.
 * Here the threads start at once and call one method back to back, so the window is open most of the time; they
 * use different inputs at the same moment (two threads on the same input would write the same values into a
 * shared buffer and hide it) and stop at the first difference. How long they go on is set by coverage, not by
 * a guess: the check counts <em>overlapped</em> calls (another call started before this one returned, whether
 * on the other core or while this one was preempted) and runs each method until {@link #OVERLAPPED_CALLS} of
 * them, at least {@link #MIN_NANOS_PER_METHOD} and at most {@link #MAX_NANOS_PER_METHOD}. On an idle machine
 * two threads run in parallel all the time, so nearly every call overlaps and the minimum time should suffice (not
 * measured: the development machine was never idle); on a busy one overlaps come from preemption, a few per time
 * slice (measured: 35-65 per 300 ms at load average 20 on 2 cores), and the check runs to its cap. Every call gets fresh copies of
 * its inputs, fresh outputs and a fresh scratch, exactly as the reference call did: only concurrency differs.
 */
public final class ThreadSafetyCheck {
    private ThreadSafetyCheck() { }

    /**
     * Threads per method: eight times the 2 cores of CI. On an idle machine two of them run truly in parallel all
     * the time; on a busy one each of them is a task of the scheduler, so more threads get more time slices and
     * more preemptions inside a call with another of ours run in between (which is what exposes a shared buffer).
     */
    public static final int THREADS = 16;
    /** Each method is hammered at least this long (wall time after the barrier)... */
    public static final long MIN_NANOS_PER_METHOD = TimeUnit.MILLISECONDS.toNanos(20);
    /** ...and then until {@link #OVERLAPPED_CALLS} calls overlapped another one, but never longer than this. */
    public static final long MAX_NANOS_PER_METHOD = TimeUnit.MILLISECONDS.toNanos(500);
    /**
     * Overlapped calls wanted per method: calls during which another call started (in parallel, or while the call
     * was preempted). A race on a shared buffer corrupts an overlapped call with the probability {@code p} that the
     * overlap hits the buffer's live window; for a static gradient buffer (the fixture {@code StaticScratchKernel})
     * the catches in our runs came after 1 to 37 overlapped calls, {@code p} about 1/9, so the chance of missing it
     * within 128 overlapped calls is about {@code (8/9)^128 = 3e-7}. On a 2-core machine at load average 20 fewer
     * than 128 overlaps happen within the cap (the fixture was still caught in every one of 90 runs there).
     */
    public static final long OVERLAPPED_CALLS = 128;
    /** Calls each thread makes at least, however slow the kernel. */
    public static final int MIN_CALLS_PER_THREAD = 2;
    /** Distinct inputs; thread {@code t}'s call {@code n} uses input {@code (t + n) mod INPUTS}. */
    public static final int INPUTS = THREADS;

    /**
     * One kernel method on input {@code i}: fresh copies of the inputs, fresh outputs (and scratch); the result is
     * every output and the return value, widened exactly to double, in a fixed order.
     *
     * @param name   the method's name, e.g. {@code lossAndGradient}
     * @param parts  input index to the names and lengths of the result's parts, for the message (e.g. residuals 7,
     *               gradient 169, loss 1)
     * @param call   input index to result
     */
    public record Method(String name, IntFunction<List<Part>> parts, IntFunction<double[]> call) { }

    /** A named slice of a method's result. */
    public record Part(String name, int length) { }

    /**
     * Outcome: passed, or the first difference (method, thread, call, input, element, both values); the number of
     * concurrent calls made, the fewest overlapped calls of any method (the coverage; {@code -1} if no method ran to
     * its end) and the wall time spent.
     */
    public record Outcome(boolean passed, String message, long calls, long minOverlapped, long nanos) { }

    /**
     * Runs the check on {@code methods}. An interrupt of the calling thread while it waits is not a verdict on
     * the kernel: the outcome then fails with a message saying so, and the interrupt flag is restored.
     */
    public static Outcome run(List<Method> methods) {
        long t0 = System.nanoTime();
        long calls = 0;
        long minOverlapped = -1;
        Race race = null;
        ExecutorService ex = Executors.newFixedThreadPool(THREADS, r -> {
            Thread th = new Thread(r, "idrelu-thread-safety");
            th.setDaemon(true);
            return th;
        });
        try {
            for (Method m : methods) {
                double[][] reference = new double[INPUTS][];
                for (int i = 0; i < INPUTS; i++) {
                    reference[i] = m.call().apply(i);
                }
                race = new Race();
                Race r0 = race;
                List<Future<Result>> fs = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    int thread = t;
                    fs.add(ex.submit(() -> hammer(m, reference, thread, r0)));
                }
                String diff = null;
                long overlapped = 0;
                for (Future<Result> f : fs) {
                    Result r;
                    try {
                        r = f.get();
                    } catch (ExecutionException e) {
                        return new Outcome(false, "a concurrent call to " + m.name() + " threw " + e.getCause(), calls,
                                minOverlapped, System.nanoTime() - t0);
                    }
                    calls += r.calls;
                    overlapped += r.overlapped;
                    if (diff == null && r.diff != null) {
                        diff = r.diff;
                    }
                }
                if (diff != null) {
                    return new Outcome(false, "concurrent calls to " + m.name() + " on one instance differ from the "
                            + "single-threaded reference (the kernel keeps mutable state in a field or a static?): "
                            + diff, calls, minOverlapped, System.nanoTime() - t0);
                }
                minOverlapped = minOverlapped < 0 ? overlapped : Math.min(minOverlapped, overlapped);
            }
        } catch (InterruptedException e) {
            // the caller interrupted us: not a kernel failure, but no verdict either, so the check cannot pass
            Thread.currentThread().interrupt();
            return new Outcome(false, "interrupted while waiting for the " + THREADS + " threads: no verdict (the "
                    + "interrupt came from the caller, not from the kernel)", calls, minOverlapped, System.nanoTime() - t0);
        } finally {
            if (race != null) {
                race.end();
            }
            ex.shutdownNow();
        }
        return new Outcome(true, String.format(Locale.ROOT, "%d threads per method, %d concurrent calls of %s (at least "
                        + "%d overlapping another call per method), every result bit-identical to the single-threaded "
                        + "reference", THREADS, calls, String.join(", ", methods.stream().map(Method::name).toList()),
                minOverlapped), calls, minOverlapped, System.nanoTime() - t0);
    }

    private record Result(long calls, long overlapped, String diff) { }

    /** Shared state of one method's run: the start barrier, call tickets, overlapped calls, the stop flag. */
    private static final class Race {
        final CyclicBarrier start = new CyclicBarrier(THREADS);
        final AtomicLong tickets = new AtomicLong();
        final AtomicLong overlapped = new AtomicLong();
        final AtomicBoolean stop = new AtomicBoolean();

        /** Ends the run for every thread, also those still waiting at the barrier. */
        void end() {
            stop.set(true);
            start.reset();
        }
    }

    private static Result hammer(Method m, double[][] reference, int thread, Race race) throws Exception {
        try {
            race.start.await();
        } catch (BrokenBarrierException e) {
            return new Result(0, 0, null);   // the run was ended before it began (an interrupt)
        }
        long t0 = System.nanoTime();
        long n = 0;
        long mine = 0;
        while (!race.stop.get() && more(n, System.nanoTime() - t0, race.overlapped.get())) {
            int input = (int) ((thread + n) % INPUTS);
            long ticket = race.tickets.getAndIncrement();
            double[] got;
            try {
                got = m.call().apply(input);
            } catch (RuntimeException | AssertionError e) {
                race.end();
                throw e;
            }
            // another call started while this one ran: the two overlapped (in parallel, or by preemption)
            if (race.tickets.get() - ticket > 1) {
                mine++;
                race.overlapped.incrementAndGet();
            }
            n++;
            String diff = firstDifference(m.parts().apply(input), reference[input], got);
            if (diff != null) {
                race.end();
                return new Result(n, mine, String.format(Locale.ROOT, "thread %d, call %d, input %d (after %d "
                        + "overlapped calls): %s", thread, n, input, race.overlapped.get(), diff));
            }
        }
        return new Result(n, mine, null);
    }

    /** Whether a thread goes on: minimum calls and time, then until enough overlapped calls or the time cap. */
    static boolean more(long calls, long elapsedNanos, long overlapped) {
        if (calls < MIN_CALLS_PER_THREAD || elapsedNanos < MIN_NANOS_PER_METHOD) {
            return true;
        }
        return overlapped < OVERLAPPED_CALLS && elapsedNanos < MAX_NANOS_PER_METHOD;
    }

    static String firstDifference(List<Part> parts, double[] ref, double[] got) {
        int offset = 0;
        for (Part p : parts) {
            for (int i = 0; i < p.length(); i++) {
                double a = ref[offset + i];
                double b = got[offset + i];
                if (Double.doubleToLongBits(a) != Double.doubleToLongBits(b)) {
                    return p.name() + (p.length() > 1 ? "[" + i + "]" : "") + ": reference " + a + ", concurrent " + b;
                }
            }
            offset += p.length();
        }
        return null;
    }
}
