package io.idrelu.claims;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/**
 * Runs a claim's independent trials {@code 0..n-1} on up to {@code threads} threads and returns their results in
 * trial order. A trial must depend only on its index (its own seed), so the results, and every verdict computed from
 * them in order, are the same for every thread count. Used where one claim's trials are the critical path of a
 * check (C13 at the paper preset: 5 trials of 40000 steps at d = 100).
 */
public final class ParallelTrials {

    private ParallelTrials() {
    }

    /** The results of {@code trial.apply(i)} for {@code i = 0..n-1}, in that order. */
    public static <T> List<T> run(int n, int threads, IntFunction<T> trial) {
        int k = Math.max(1, Math.min(threads, n));
        List<T> out = new ArrayList<>(n);
        if (k == 1) {
            for (int i = 0; i < n; i++) {
                out.add(trial.apply(i));
            }
            return out;
        }
        ExecutorService pool = Executors.newFixedThreadPool(k, r -> {
            Thread t = new Thread(r, "idrelu-trial");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<T>> futures = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                int index = i;
                futures.add(pool.submit(() -> trial.apply(index)));
            }
            for (Future<T> f : futures) {
                out.add(f.get());
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running trials", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) {
                throw re;
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(c);
        } finally {
            pool.shutdownNow();
        }
    }
}
