package io.idrelu.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.idrelu.audit.PopulationLossBound;
import io.idrelu.audit.Precision;
import io.idrelu.kernel.Parallel;
import io.idrelu.model.GaussianSampler;
import io.idrelu.model.Matrices;
import io.idrelu.model.Potential;
import io.idrelu.model.Problem;
import io.idrelu.reference.PopulationReference;
import io.idrelu.reference.ReferenceSgd;
import io.idrelu.report.Table;
import io.idrelu.setting.Init;
import io.idrelu.setting.Setting;
import io.idrelu.sgd.OnlineSgd;
import io.idrelu.sgd.OnlineSgdFloat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code idrelu train}: online SGD ([LY17] Theorem 3.1) from a seeded problem with
 * {@code ||W0||_2 = ||W*||_2 = gamma}, a fresh Gaussian batch every step, on the fast path, the
 * reference, or both side by side on identical samples.
 */
@Command(name = "train", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = {
                "Runs online SGD  W <- W - eta * (2/B) sum_b r_b x_b [<u_j,x_b> > 0]  (true units) from a seeded problem",
                "(W0 and W* Gaussian, rescaled to spectral norm gamma), drawing a fresh N(0, I) batch every step.",
                "Prints a summary (population loss, ||W - W*||_F^2, potential g, seconds per step); progress on stderr.",
                "--path both runs the fast kernel and the BigDecimal reference on the same samples and reports",
                "their divergence ||W_fast - W_ref||_F.",
                "",
                "Stability: plain SGD on L needs eta below about 4/d (true units; docs/MATH.md section 2), and small batches",
                "need less (--d 32 --eta 0.02 converges with --batch 64, diverges with --batch 1).",
                "Divergence (a non-finite batch loss, weight or population loss, or a population loss above",
                "1e6 x max(L(W0), E f(x,W*)^2)) stops the run: message on stderr with the step and value, exit 1.",
                "Example: idrelu train --d 32 --batch 64 --steps 2000 --eta 0.02 --seed 1 --trace run.csv",
                "",
                "Settings (issue 11): the setting options are check's (--setting, --inputs, --activation, --blocks, --noise,",
                "--law, --init, --vanilla). Under a setting other than [LY17]'s the generic network kernel trains (double only),",
                "--seed S draws W0, W* and the samples as sweep trial S does (its replay line), and the loss reported is the",
                "excess population loss E[(f(x,W) - f(x,W*))^2] by the setting's route (closed form, finite law, Monte Carlo).",
                "Example: idrelu train --d 8 --steps 500 --eta 0.05 --batch 16 --activation leaky-relu:0.1 --blocks 2"})
public final class TrainCommand implements java.util.concurrent.Callable<Integer> {

    /**
     * A population loss above this factor times {@code max(L(W0), E f(x,W*)^2)} counts as divergence. The scale:
     * {@code L(W0)} is where the run starts and {@code E f(x,W*)^2 = L} of the zero network (the loss of
     * predicting nothing), so no run that learns anything exceeds the larger of them by much: SGD within its
     * stability range contracts {@code E||W_t - W*||^2} up to an {@code eta^2 G^2} noise term (the SGD lemma,
     * claim C11). A millionfold excess means outputs a thousand times the teacher's: the run is in geometric
     * blow-up (each step multiplies the error along an unstable direction by {@code |1 - eta lambda| > 1}) and
     * has left every region the paper's analysis concerns. Measured (seed 1, d = 32, eta 0.02, trace every 50
     * steps): the two converging README runs (batch 64, identity and vanilla) never exceed {@code L(W0)} at
     * their trace rows; the diverging batch-1 runs are at {@code 10^27 L(W0)} by step 50 and non-finite by step
     * 250. The check also stops the reference path, whose BigDecimal weights never overflow.
     */
    static final double DIVERGENCE_FACTOR = 1e6;

    /** Why a run was stopped early: at which step, which quantity, its value (true units). */
    record Divergence(int step, String what, double value, double threshold) {
        String message() {
            return String.format(Locale.ROOT, "diverged at step %d: %s = %s%s", step, what, value,
                    Double.isNaN(threshold) ? " (not finite)" : String.format(Locale.ROOT, " > %.3e = %.0e x max(L(W0), E f(x,W*)^2) (true units)",
                            threshold, DIVERGENCE_FACTOR));
        }
    }

    enum PathChoice { FAST, REFERENCE, BOTH }

    @Option(names = "--d", required = true, paramLabel = "N", description = "Input dimension = number of hidden units.")
    int d;

    @Option(names = "--batch", defaultValue = "1", paramLabel = "B", description = "Batch size per step. Default: ${DEFAULT-VALUE}.")
    int batch = 1;

    @Option(names = "--steps", required = true, paramLabel = "T", description = "Number of SGD steps.")
    int steps;

    @Option(names = "--eta", required = true, paramLabel = "E", description = "Step size (true units).")
    double eta;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "S", description = "Seed of the problem and the samples. Default: ${DEFAULT-VALUE}.")
    long seed = 1;

    @Option(names = "--gamma", defaultValue = "0.3", paramLabel = "G",
            description = "Spectral norm of W0 and W* (Theorem 3.1's gamma0). Default: ${DEFAULT-VALUE}.")
    double gamma = 0.3;

    /** The vanilla network u_i = w_i instead of the identity-mapped one: {@code --vanilla}, a setting option. */
    boolean vanilla;

    @Option(names = "--path", defaultValue = "fast", paramLabel = "fast|reference|both", converter = PathConverter.class,
            description = "Arithmetic: fast kernels, the BigDecimal reference, or both on the same samples. Default: ${DEFAULT-VALUE}.")
    PathChoice path = PathChoice.FAST;

    @Option(names = "--digits", defaultValue = "34", paramLabel = "P",
            description = "Reference path: the update W - eta G is rounded to P significant digits. Default: ${DEFAULT-VALUE}.")
    int digits = 34;

    @Option(names = "--every", paramLabel = "K",
            description = "Record a trace row (population loss, distance, g) every K steps. Default: about 100 rows.")
    Integer every;

    @Option(names = "--trace", paramLabel = "FILE.csv", description = "Write the trace as CSV (written atomically at the end).")
    Path trace;

    @Option(names = "--json", description = "Print the summary as one JSON object.")
    boolean json;

    @Option(names = "--warmup-steps", paramLabel = "N",
            description = "Timing: the first N steps count as JIT warm-up and are timed apart from the steady state. "
                    + "Default: a fifth of --steps.")
    Integer warmupSteps;

    @Option(names = "--threads", defaultValue = "1", paramLabel = "K",
            description = "Fast path: spread each step over K threads (a pool created once). The trajectory is bit-identical "
                    + "for every K. Default: ${DEFAULT-VALUE}.")
    int threads = 1;

    @Mixin
    KernelOptions kernelOptions = new KernelOptions();

    /**
     * The setting options (as {@code check}'s; {@code --vanilla} is one of them). A setting that differs from [LY17]'s
     * only in gamma and the identity mapping runs today's path, same bytes; any other runs {@link TrainUnderSetting}.
     */
    @Mixin
    SettingOptions settingOptions = new SettingOptions();

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** One trace row. */
    /** One trace row; {@code populationLoss} is the reported value ({@link PopulationLossBound#reported}), never a rounding-negative. */
    private record Row(int step, double batchLoss, double populationLoss, double lossBound, double rawPopulationLoss,
                       double distance2, double potential, double divergence) {
        /** Clamped from a rounding-negative value to 0 within the bound. */
        boolean clamped() {
            return populationLoss != rawPopulationLoss && !Double.isNaN(rawPopulationLoss);
        }
    }

    @Override
    public Integer call() {
        validate();
        if (settingOptions.given()) {
            boolean gammaGiven = spec.commandLine().getParseResult().hasMatchedOption("--gamma");
            Setting s = SettingArguments.atDimension(settingOptions, d, gamma, gammaGiven);
            if (!SettingArguments.todaysPath(s)) {
                return new TrainUnderSetting(this, s).run();
            }
            gamma = ((Init.SpectralNorm) s.init()).gamma();
            vanilla = !s.architecture().identity();
        }
        if (trace != null) {
            AtomicFiles.checkWritable(trace, "--trace");
        }
        int k = every != null ? every : Math.max(1, steps / 100);
        Problem p = Problem.random(d, gamma, seed, !vanilla);
        PrintWriter err = spec.commandLine().getErr();
        Progress progress = new Progress(err, steps);

        List<Row> rows = new ArrayList<>();
        StepTimer timer = new StepTimer(warmupSteps != null ? warmupSteps : steps / 5);
        try (Parallel parallel = new Parallel(threads)) {
            return run(p, k, err, progress, rows, timer, parallel);
        }
    }

    private int run(Problem p, int k, PrintWriter err, Progress progress, List<Row> rows, StepTimer timer, Parallel parallel) {
        Trajectory fast = path == PathChoice.REFERENCE ? null : fastTrajectory(p, parallel, timer);
        if (fast != null && threads > 1 && kernelOptions.kernelName().equals("scalar")) {
            err.println("idrelu: note: the scalar kernel runs each step on one thread; --threads " + threads
                    + " applies to the vector kernel");
        } else if (fast != null && threads > 1 && batch == 1) {
            err.println("idrelu: note: at --batch 1 each step is one pass over W on one thread (the fused online step, "
                    + "faster than splitting it); --threads " + threads + " applies to batches > 1");
        }
        Trajectory ref = path == PathChoice.FAST ? null : new ReferenceTrajectory(p, batch, eta, seed, new MathContext(digits));
        Trajectory lead = fast != null ? fast : ref;
        rows.add(row(0, Double.NaN, lead, fast, ref, p));
        double zeroNetworkLoss = populationLoss(new double[d * d], p.wStar(), false); // E f(x,W*)^2: u_i = 0
        double threshold = DIVERGENCE_FACTOR * Math.max(rows.get(0).populationLoss(), zeroNetworkLoss);
        double refSeconds = 0;
        int done = 0;
        double lastBatchLoss = Double.NaN;
        Divergence diverged = null;
        while (done < steps && diverged == null) {
            int n = Math.min(k, steps - done);
            if (fast != null) {
                timer.start();
                int m = fast.advance(n);
                timer.stop();
                lastBatchLoss = fast.lastBatchLoss();
                if (m < n) {
                    diverged = new Divergence(done + m, "batch loss (fast path)", lastBatchLoss, Double.NaN);
                    n = m;
                }
            }
            if (ref != null) {
                long t0 = System.nanoTime();
                int m = ref.advance(n);
                refSeconds += (System.nanoTime() - t0) * 1e-9;
                if (fast == null) {
                    lastBatchLoss = ref.lastBatchLoss();
                }
                if (m < n && diverged == null) {
                    diverged = new Divergence(done + m, "batch loss (reference path)", ref.lastBatchLoss(), Double.NaN);
                }
            }
            done += n;
            Row r = row(done, lastBatchLoss, lead, fast, ref, p);
            rows.add(r);
            if (diverged == null) {
                diverged = divergence(r, threshold, fast, ref);
            }
            progress.update(done, r.populationLoss());
        }
        progress.finish();
        if (diverged != null) {
            PrintWriter e = spec.commandLine().getErr();
            e.println("idrelu train: " + diverged.message() + "; stopped (the summary is at step " + done
                    + "). eta " + eta + " is too large for d = " + d + ", batch " + batch
                    + ": plain SGD needs eta below about 4/d = " + Table.num(4.0 / d) + " (true units), less with small batches");
            e.flush();
        }

        Row last = rows.get(rows.size() - 1);
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("d", d);
        o.put("batch", batch);
        o.put("steps", steps);
        o.put("eta", eta);
        o.put("eta_units", "true");
        o.put("seed", seed);
        o.put("gamma", gamma);
        o.put("network", vanilla ? "vanilla" : "identity");
        o.put("path", path.name().toLowerCase(Locale.ROOT));
        if (fast != null) {
            o.put("kernel", kernelOptions.kernelName());
            o.put("precision", kernelOptions.precisionName());
            o.put("threads", threads);
        }
        if (ref != null) {
            o.put("reference_digits", digits);
            o.put("reference_max_rounding_error", ((ReferenceTrajectory) ref).maxRoundingError);
        }
        o.put("population_loss", last.populationLoss());
        o.put("population_loss_bound", last.lossBound());
        if (last.clamped()) {
            o.put("population_loss_unclamped", last.rawPopulationLoss());
        }
        o.put("initial_population_loss", rows.get(0).populationLoss());
        o.put("distance_squared", last.distance2());
        o.put("potential", last.potential());
        if (path == PathChoice.BOTH) {
            double maxDiv = 0;
            for (Row r : rows) {
                maxDiv = Math.max(maxDiv, r.divergence());
            }
            o.put("max_divergence_fro", maxDiv);
            o.put("final_divergence_fro", last.divergence());
            o.put("reference_seconds_per_step", steps == 0 ? 0 : refSeconds / steps);
        }
        o.put("seconds_per_step", done == 0 ? 0 : (fast != null ? timer.totalSeconds() : refSeconds) / done);
        if (fast != null) {
            o.put("warmup_steps", timer.warmupSteps());
            o.put("warmup_seconds", timer.warmupSeconds());
            o.put("steady_steps", timer.steadySteps());
            putNumber(o, "steady_seconds_per_step", timer.steadySecondsPerStep());
        }
        o.put("steps_done", done);
        if (diverged != null) {
            ObjectNode dv = o.putObject("diverged");
            dv.put("step", diverged.step());
            dv.put("quantity", diverged.what());
            dv.put("value", diverged.value());
            if (!Double.isNaN(diverged.threshold())) {
                dv.put("threshold", diverged.threshold());
            }
        }

        if (trace != null) {
            StringBuilder csv = new StringBuilder("step,batch_loss,population_loss,distance_squared,potential"
                    + (path == PathChoice.BOTH ? ",divergence_fro" : "") + ",population_loss_bound\n");
            for (Row r : rows) {
                csv.append(r.step()).append(',').append(r.batchLoss()).append(',').append(r.populationLoss()).append(',')
                        .append(r.distance2()).append(',').append(r.potential());
                if (path == PathChoice.BOTH) {
                    csv.append(',').append(r.divergence());
                }
                csv.append(',').append(r.lossBound()).append('\n');
            }
            AtomicFiles.write(trace, csv.toString());
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.write(o));
        } else {
            out.printf(Locale.ROOT, "%s network, d = %d, batch %d, eta %.6g (true units), %d steps, seed %d, gamma %.4g%n",
                    vanilla ? "vanilla" : "identity", d, batch, eta, steps, seed, gamma);
            if (diverged != null) {
                out.println("DIVERGED: " + diverged.message() + "; values below are at step " + done);
            }
            out.printf(Locale.ROOT, "population loss    %.6e  (start %.6e)%s%n", last.populationLoss(), rows.get(0).populationLoss(),
                    last.clamped() ? String.format(Locale.ROOT, "  [computed %.3e: rounding, within the closed form's bound %.3e (A2); L >= 0]",
                            last.rawPopulationLoss(), last.lossBound()) : "");
            out.printf(Locale.ROOT, "||W - W*||_F^2     %.6e%n", last.distance2());
            out.printf(Locale.ROOT, "potential g        %.6e%n", last.potential());
            if (path == PathChoice.BOTH) {
                out.printf(Locale.ROOT, "fast vs reference  max ||W_fast - W_ref||_F = %.3e%n", o.get("max_divergence_fro").asDouble());
            }
            out.printf(Locale.ROOT, "seconds per step   %.3e  (%s)%n", o.get("seconds_per_step").asDouble(),
                    fast != null ? kernelOptions.kernelName() + " " + kernelOptions.precisionName() + ", " + threads
                            + (threads == 1 ? " thread" : " threads") : "reference");
            if (fast != null) {
                out.printf(Locale.ROOT, "steady state       %.3e s/step over %d steps, after a warm-up of %d steps in %.3f s%n",
                        timer.steadySecondsPerStep(), timer.steadySteps(), timer.warmupSteps(), timer.warmupSeconds());
            }
            if (trace != null) {
                out.println("trace: " + trace);
            }
        }
        out.flush();
        return diverged == null ? 0 : 1;
    }

    /** Divergence seen at a trace row: a non-finite weight or population loss, or a loss above the threshold. */
    private static Divergence divergence(Row r, double threshold, Trajectory fast, Trajectory ref) {
        for (Trajectory t : new Trajectory[] {fast, ref}) {
            if (t != null) {
                for (double v : t.weights()) {
                    if (!Double.isFinite(v)) {
                        return new Divergence(r.step(), "a weight (" + (t == fast ? "fast" : "reference") + " path)", v, Double.NaN);
                    }
                }
            }
        }
        double l = r.populationLoss();
        if (!Double.isFinite(l)) {
            return new Divergence(r.step(), "population loss", l, Double.NaN);
        }
        return l > threshold ? new Divergence(r.step(), "population loss", l, threshold) : null;
    }

    private void validate() {
        if (d < 1 || d > Problem.MAX_D) {
            throw new UsageException("--d " + d + ": expected 1 <= N <= " + Problem.MAX_D);
        }
        if (batch < 1 || (long) batch * d > 100_000_000L) {
            throw new UsageException("--batch " + batch + ": expected B >= 1 with B * d <= 1e8");
        }
        if (steps < 0) {
            throw new UsageException("--steps " + steps + ": expected T >= 0");
        }
        if (!(eta > 0) || Double.isInfinite(eta)) {
            throw new UsageException("--eta " + eta + ": expected a finite step size > 0");
        }
        if (!(gamma >= 0) || Double.isInfinite(gamma)) {
            throw new UsageException("--gamma " + gamma + ": expected a finite number >= 0");
        }
        if (digits < 4 || digits > 1000) {
            throw new UsageException("--digits " + digits + ": expected 4 <= P <= 1000");
        }
        if (every != null && every < 1) {
            throw new UsageException("--every " + every + ": expected K >= 1");
        }
        if (warmupSteps != null && (warmupSteps < 0 || warmupSteps > steps)) {
            throw new UsageException("--warmup-steps " + warmupSteps + ": expected 0 <= N <= --steps (" + steps + ")");
        }
        if (threads < 1 || threads > Parallel.MAX_THREADS) {
            throw new UsageException("--threads " + threads + ": expected 1 <= K <= " + Parallel.MAX_THREADS);
        }
    }

    private Row row(int step, double batchLoss, Trajectory lead, Trajectory fast, Trajectory ref, Problem p) {
        double[] w = lead.weights();
        double[] ws = p.wStar();
        double raw = populationLoss(w, ws, p.identity());
        // the closed form runs in double whatever the SGD precision: its A2 bound is the double one
        double bound = PopulationLossBound.of(Precision.DOUBLE, d, p.identity(), w, ws);
        double div = fast != null && ref != null ? Math.sqrt(Matrices.squaredDistance(fast.weights(), ref.weights())) : Double.NaN;
        return new Row(step, batchLoss, PopulationLossBound.reported(raw, bound), bound, raw, Matrices.squaredDistance(w, ws),
                Potential.of(d, p.identity(), w, ws), div);
    }

    private double populationLoss(double[] w, double[] ws, boolean identity) {
        return kernelOptions.doubleKernel().populationLossAndGradient(d, identity, w, ws, null);
    }

    private Trajectory fastTrajectory(Problem p, Parallel parallel, StepTimer timer) {
        if (kernelOptions.isFloat()) {
            OnlineSgdFloat sgd = new OnlineSgdFloat(kernelOptions.floatKernel(), p, batch, eta, seed, parallel);
            return fast((n, sink) -> sgd.run(n, (t, loss, wv) -> {
                timer.stepDone();
                return sink.test(loss);
            }), () -> Matrices.toDouble(sgd.weights()));
        }
        OnlineSgd sgd = new OnlineSgd(kernelOptions.doubleKernel(), p, batch, eta, seed, parallel);
        return fast((n, sink) -> sgd.run(n, (t, loss, wv) -> {
            timer.stepDone();
            return sink.test(loss);
        }), sgd::weights);
    }

    /** JSON has no NaN: a missing figure is {@code null}. */
    private static void putNumber(ObjectNode o, String key, double v) {
        if (Double.isFinite(v)) {
            o.put(key, v);
        } else {
            o.putNull(key);
        }
    }

    /** Runs up to {@code n} SGD steps, handing each step's batch loss to {@code sink}, which stops them by returning false. */
    @FunctionalInterface
    private interface Steps {
        int run(int n, java.util.function.DoublePredicate sink);
    }

    /** The double and float fast paths as one {@link Trajectory}: the last batch loss and the weights in double. */
    private static Trajectory fast(Steps steps, java.util.function.Supplier<double[]> weights) {
        double[] last = {Double.NaN};
        return new Trajectory() {
            @Override
            public int advance(int n) {
                return steps.run(n, loss -> {
                    last[0] = loss;
                    return Double.isFinite(loss);
                });
            }

            @Override
            public double lastBatchLoss() {
                return last[0];
            }

            @Override
            public double[] weights() {
                return weights.get();
            }
        };
    }

    /** A trajectory advanced in chunks between trace rows. */
    private interface Trajectory {
        /** Advances up to {@code n} steps, stopping after a step whose batch loss is not finite; returns the steps done. */
        int advance(int n);

        /** The batch loss of the last step done. */
        double lastBatchLoss();

        double[] weights();
    }

    /** The BigDecimal reference SGD on the same doubles as {@link OnlineSgd} (same sampler stream). */
    private static final class ReferenceTrajectory implements Trajectory {
        private final int d;
        private final int batch;
        private final boolean identity;
        private final BigDecimal eta;
        private final MathContext mc;
        private final BigDecimal[][] wStar;
        private final GaussianSampler sampler;
        private final double[] x;
        private BigDecimal[][] w;
        double maxRoundingError;

        ReferenceTrajectory(Problem p, int batch, double eta, long seed, MathContext mc) {
            this.d = p.d();
            this.batch = batch;
            this.identity = p.identity();
            this.eta = ReferenceSgd.eta(eta);
            this.mc = mc;
            this.wStar = Matrices.exact(p.wStar(), d);
            this.w = Matrices.exact(p.w0(), d);
            this.sampler = new GaussianSampler(seed);
            this.x = new double[batch * d];
        }

        private double lastLoss = Double.NaN;

        @Override
        public int advance(int n) {
            for (int i = 0; i < n; i++) {
                sampler.fill(x);
                var step = ReferenceSgd.step(identity, w, wStar, Matrices.exactRows(x, batch, d), eta, mc);
                lastLoss = step.batch().loss(MathContext.DECIMAL64).doubleValue(); // beyond double range: Infinity
                maxRoundingError = Math.max(maxRoundingError, step.maxRoundingError().doubleValue());
                w = step.next();
                if (!Double.isFinite(lastLoss)) {
                    return i + 1;
                }
            }
            return n;
        }

        @Override
        public double lastBatchLoss() {
            return lastLoss;
        }

        @Override
        public double[] weights() {
            double[] out = new double[d * d];
            for (int r = 0; r < d; r++) {
                for (int c = 0; c < d; c++) {
                    out[r * d + c] = w[r][c].doubleValue();
                }
            }
            return out;
        }
    }

    static final class PathConverter implements picocli.CommandLine.ITypeConverter<PathChoice> {
        @Override
        public PathChoice convert(String v) {
            try {
                return PathChoice.valueOf(v.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException("'" + v + "' is not a path: expected fast, reference or both");
            }
        }
    }
}
