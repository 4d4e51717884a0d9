package io.idrelu.kernel;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.BiConsumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link Parallel}'s contract, on which every multi-core result's bit-identity rests: each task index runs exactly
 * once per {@code forEach}; when {@code forEach} returns, every task's plain (non-volatile) writes are visible to
 * the caller; no two tasks run at the same time under one participant index (callers give each participant private
 * buffers); a task's exception reaches the caller and leaves the pool usable. Stressed with thousands of short jobs
 * of random size (fewer tasks than threads, one task, many), at K = 1, 2, 3, 8 (8 oversubscribes this 2-core
 * machine, so workers are descheduled mid-job and wake late for jobs that are already done).
 *
 * <p>Negative control: the same checker applied to a runner that skips one task, or runs one twice, must report it.
 */
class ParallelTest {

    /** Runs one job of {@code tasks} tasks; the consumer gets (task, participant). */
    private interface Runner {
        void run(int tasks, BiConsumer<Integer, Integer> body);
    }

    /**
     * Problems found with {@code jobs} jobs through {@code runner}: a task run zero or several times, a value not
     * visible to the caller after the job, a participant index out of range or in use by two tasks at once.
     */
    private static List<String> check(Runner runner, int threads, int jobs, long seed) {
        List<String> problems = new ArrayList<>();
        SplittableRandom rnd = new SplittableRandom(seed);
        AtomicIntegerArray busy = new AtomicIntegerArray(threads);
        for (int job = 0; job < jobs && problems.size() < 5; job++) {
            int tasks = rnd.nextInt(1, 3 * threads + 3);
            AtomicIntegerArray runs = new AtomicIntegerArray(tasks);
            long[] plain = new long[tasks];
            long salt = rnd.nextLong();
            int spin = rnd.nextInt(0, 400);
            List<String> inBody = new ArrayList<>();
            runner.run(tasks, (t, p) -> {
                if (p < 0 || p >= threads || busy.getAndIncrement(p) != 0) {
                    synchronized (inBody) {
                        inBody.add("participant " + p + " out of range or shared, task " + t);
                    }
                }
                runs.incrementAndGet(t);
                long v = salt;
                for (int i = 0; i < spin; i++) {
                    v = v * 6364136223846793005L + t; // some work, so tasks overlap
                }
                plain[t] = v;
                if (p >= 0 && p < threads) {
                    busy.decrementAndGet(p);
                }
            });
            problems.addAll(inBody);
            for (int t = 0; t < tasks; t++) {
                long v = salt;
                for (int i = 0; i < spin; i++) {
                    v = v * 6364136223846793005L + t;
                }
                if (runs.get(t) != 1) {
                    problems.add("job " + job + ": task " + t + " of " + tasks + " ran " + runs.get(t) + " times");
                } else if (plain[t] != v) {
                    problems.add("job " + job + ": task " + t + "'s write not visible after forEach");
                }
            }
        }
        return problems;
    }

    @Test
    void everyTaskRunsOnceAndItsWritesAreVisible() {
        for (int k : new int[] {1, 2, 3, 8}) {
            try (Parallel par = new Parallel(k)) {
                List<String> problems = check((tasks, body) -> par.forEach(tasks, body::accept), k, 3000, 17L * k);
                assertThat(problems).as("K = %d", k).isEmpty();
            }
        }
    }

    @Test
    void aTasksExceptionReachesTheCallerAndThePoolStaysUsable() {
        try (Parallel par = new Parallel(3)) {
            for (int round = 0; round < 50; round++) {
                int bad = round % 7;
                assertThatThrownBy(() -> par.forEach(7, (t, p) -> {
                    if (t == bad) {
                        throw new IllegalArgumentException("task " + t);
                    }
                })).isInstanceOf(IllegalArgumentException.class).hasMessage("task " + bad);
                List<String> problems = check((tasks, body) -> par.forEach(tasks, body::accept), 3, 20, round);
                assertThat(problems).as("after failure in round %d", round).isEmpty();
            }
        }
    }

    @Test
    void aClosedPoolRefusesWorkButNotSerialWork() {
        Parallel par = new Parallel(2);
        par.close();
        par.close(); // idempotent
        assertThatThrownBy(() -> par.forEach(4, (t, p) -> { })).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        int[] ran = {0};
        par.forEach(1, (t, p) -> ran[0]++); // one task runs on the caller, no worker needed
        assertThat(ran[0]).isEqualTo(1);
        assertThatThrownBy(() -> new Parallel(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("threads = 0");
    }

    @Test
    void negativeControlTheCheckerSeesASkippedOrRepeatedTask() {
        Runner skipsLast = (tasks, body) -> {
            for (int t = 0; t < tasks - 1; t++) {
                body.accept(t, 0);
            }
        };
        Runner repeatsFirst = (tasks, body) -> {
            body.accept(0, 0);
            for (int t = 0; t < tasks; t++) {
                body.accept(t, 0);
            }
        };
        assertThat(check(skipsLast, 2, 50, 1)).anyMatch(s -> s.contains("ran 0 times"));
        assertThat(check(repeatsFirst, 2, 50, 1)).anyMatch(s -> s.contains("ran 2 times"));
    }
}
