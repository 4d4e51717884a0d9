package io.idrelu.report;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.idrelu.claims.Claim;
import io.idrelu.claims.ClaimContext;
import io.idrelu.claims.ClaimResult;
import io.idrelu.claims.Replay;
import io.idrelu.kernel.FloatKernel;
import io.idrelu.kernel.Kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs claims as independent units on a fixed pool of threads. Every unit gets its own
 * {@link ClaimContext} with the base seed (claims derive their per-trial seeds from it), so a unit's
 * result does not depend on the thread count or on the order in which units run. Results come back in
 * the order of the given claims (catalogue order). A claim that throws becomes an INCONCLUSIVE result
 * with the error in its details, not a failed run. Each finished unit is journalled before it counts.
 *
 * <p>Every context carries the configuration's setting (issue 11). A claim that says it is not defined there
 * ({@link Claim#applicability}) is not run: its unit is a {@link io.idrelu.claims.Verdict#NOT_APPLICABLE} result
 * with the claim's reason ({@link ResultJson#notApplicable}).
 */
public final class CheckRunner {

    /** One unit's outcome: deterministic result JSON and wall time. */
    public record Outcome(String id, ObjectNode result, double seconds, boolean resumed) { }

    private final CheckConfig config;
    private final Kernel kernel;
    private final FloatKernel floatKernel;
    private final int threads;

    public CheckRunner(CheckConfig config, Kernel kernel, FloatKernel floatKernel, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("--threads " + threads + ": expected >= 1");
        }
        this.config = config;
        this.kernel = kernel;
        this.floatKernel = floatKernel;
        this.threads = threads;
    }

    /**
     * Runs {@code claims} except those already in {@code done}, journalling each finished unit.
     *
     * @param done     units finished by an earlier run (from the journal), reused as they are
     * @param journal  where finished units are recorded, or {@code null}
     */
    public List<Outcome> run(List<Claim> claims, Map<String, Journal.Finished> done, Journal journal, CheckProgress progress) {
        List<Outcome> out = new ArrayList<>();
        List<Future<Outcome>> futures = new ArrayList<>();
        AtomicInteger n = new AtomicInteger();
        ThreadFactory tf = r -> {
            Thread t = new Thread(r, "idrelu-check-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        ExecutorService pool = Executors.newFixedThreadPool(threads, tf);
        try {
            for (Claim c : claims) {
                Journal.Finished f = done.get(c.id());
                if (f != null) {
                    futures.add(java.util.concurrent.CompletableFuture.completedFuture(
                            new Outcome(c.id(), f.result(), f.seconds(), true)));
                } else {
                    futures.add(pool.submit(() -> runOne(c, journal, progress)));
                }
            }
            for (Future<Outcome> f : futures) {
                out.add(f.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("check interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("check unit failed outside its claim: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
        return out;
    }

    private Outcome runOne(Claim claim, Journal journal, CheckProgress progress) {
        String id = claim.id();
        Replay replay = config.replayFor(id);
        ClaimContext ctx = new ClaimContext(kernel, floatKernel, config.seed(), config.preset(), config.constants(),
                msg -> progress.message(id, msg), config.setting(), threads);
        progress.started(id);
        long t0 = System.nanoTime();
        ObjectNode json;
        try {
            json = runOrExplain(claim, ctx, replay);
        } catch (RuntimeException | AssertionError | StackOverflowError | OutOfMemoryError e) {
            progress.note("idrelu check: internal error in claim " + id + ": " + e);
            json = ResultJson.internalError(id, safeStatement(claim), e, replay);
        }
        double seconds = (System.nanoTime() - t0) * 1e-9;
        if (journal != null) {
            journal.append(id, json, seconds);
        }
        progress.finished(id, ResultJson.isInternalError(json) ? "INTERNAL ERROR" : json.path("verdict").asText(), seconds);
        return new Outcome(id, json, seconds, false);
    }

    /**
     * The result JSON of {@code claim} in {@code ctx}: NOT_APPLICABLE with the claim's reason when it is not defined
     * under the context's setting (the claim does not run), else its result. Shared with {@code idrelu replay}.
     */
    public static ObjectNode runOrExplain(Claim claim, ClaimContext ctx, Replay replay) {
        java.util.Optional<String> why = claim.applicability(ctx.setting());
        if (why.isPresent()) {
            return ResultJson.notApplicable(claim.id(), claim.statement(), why.get(), ctx.setting(), replay);
        }
        ClaimResult r = claim.run(ctx);
        if (r == null) {
            throw new IllegalStateException("claim " + claim.id() + " returned no result");
        }
        return ResultJson.of(r, replay);
    }

    private static String safeStatement(Claim c) {
        try {
            return c.statement();
        } catch (RuntimeException e) {
            return "";
        }
    }
}
