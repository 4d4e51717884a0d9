package io.idrelu.report;

import io.idrelu.claims.Claim;
import io.idrelu.claims.ClaimContext;
import io.idrelu.claims.ClaimResult;
import io.idrelu.claims.Replay;
import io.idrelu.claims.Units;
import io.idrelu.claims.Verdict;
import io.idrelu.model.GaussianSampler;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Test-only claims for the check machinery: their numbers are functions of the context's seed (so a
 * wrong seed, or a result mixed up between units, changes them), they record which seed and thread
 * they ran with, and they count their runs (so a resumed unit that is re-run is noticed).
 */
public final class FakeClaims {
    private FakeClaims() { }

    /** (claim id, seed, thread name) of every run since the last {@link #reset()}. */
    public static final ConcurrentLinkedQueue<String[]> RUNS = new ConcurrentLinkedQueue<>();
    public static final AtomicInteger RUN_COUNT = new AtomicInteger();

    public static void reset() {
        RUNS.clear();
        RUN_COUNT.set(0);
    }

    /** How often claim {@code id} ran since the last reset. */
    public static long runs(String id) {
        return RUNS.stream().filter(r -> r[0].equals(id)).count();
    }

    /** A claim returning a seed-dependent result with the given verdict, after {@code sleepMillis}. */
    public static final class Fake implements Claim {
        private final String id;
        private final Verdict verdict;
        private final long sleepMillis;
        private final boolean series;

        public Fake(String id, Verdict verdict, long sleepMillis, boolean series) {
            this.id = id;
            this.verdict = verdict;
            this.sleepMillis = sleepMillis;
            this.series = series;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public String statement() {
            return "fake " + verdict.name().toLowerCase() + " claim " + id;
        }

        @Override
        public ClaimResult run(ClaimContext ctx) {
            RUNS.add(new String[] {id, Long.toString(ctx.seed()), Thread.currentThread().getName()});
            RUN_COUNT.incrementAndGet();
            ctx.progress().accept("started with seed " + ctx.seed());
            if (sleepMillis > 0) {
                try {
                    Thread.sleep(sleepMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            // Numbers depend on the seed and the claim: trial stream id.hashCode() of the base seed.
            GaussianSampler s = GaussianSampler.forTrial(ctx.seed(), id.hashCode());
            double a = Math.abs(s.next());
            double bound = 1.0;
            double measured = verdict == Verdict.VIOLATED ? bound + a : bound * a / (1 + a);
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("interval", new double[] {measured - 0.01, measured + 0.01});
            details.put("constant", ctx.constants().onePointConstant());
            details.put("preset", ctx.preset().name());
            if (series) {
                double[] step = new double[50];
                double[] loss = new double[50];
                List<Double> dist = new java.util.ArrayList<>();
                for (int i = 0; i < step.length; i++) {
                    step[i] = i * 10;
                    loss[i] = a * Math.exp(-0.1 * i) + 1e-12;
                    dist.add(2 * a * Math.exp(-0.08 * i));
                }
                details.put("series.step", step);
                details.put("series.loss", loss);
                details.put("series.distance", dist);
                details.put("plot", Map.of("title", id + ": fake loss", "logY", true,
                        "hline", Map.of("bound", 0.01), "vline", Map.of("boundary", 120.0)));
            }
            Replay worst = new Replay(id, Map.of("trial", 3, "d", 4), GaussianSampler.trialSeed(ctx.seed(), 3));
            return new ClaimResult(id, statement(), verdict, measured, bound, verdict == Verdict.VIOLATED ? "<=" : "<=",
                    Units.PAPER, bound - measured, a, 0.084, 100, worst, details, 0)
                    .explained(io.idrelu.claims.Decisive.of("fake ratio", measured, "<=", bound, Units.PAPER),
                            verdict == Verdict.HOLDS ? "" : "fake reason of " + id + ": measured " + measured + " vs " + bound);
        }
    }

    /** A claim that throws. */
    public static final class Throwing implements Claim {
        private final String id;

        public Throwing(String id) {
            this.id = id;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public String statement() {
            return "fake throwing claim";
        }

        @Override
        public ClaimResult run(ClaimContext ctx) {
            RUNS.add(new String[] {id, Long.toString(ctx.seed()), Thread.currentThread().getName()});
            throw new IllegalStateException("boom in " + id);
        }
    }

    /** Five holding claims (F1 with series, F3 slow) and nothing else. */
    public static List<Supplier<Claim>> holding() {
        return List.of(
                () -> new Fake("F1", Verdict.HOLDS, 0, true),
                () -> new Fake("F2", Verdict.HOLDS, 0, false),
                () -> new Fake("F3", Verdict.HOLDS, 150, false),
                () -> new Fake("F4", Verdict.INCONCLUSIVE, 20, false),
                () -> new Fake("F5", Verdict.HOLDS, 60, false));
    }

    public static ClaimCatalogue catalogue(List<Supplier<Claim>> claims) {
        return ClaimCatalogue.of(claims);
    }
}
