package io.idrelu.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.idrelu.claims.Applicability;
import io.idrelu.kernel.Kernel;
import io.idrelu.model.Matrices;
import io.idrelu.model.Potential;
import io.idrelu.reference.ReferenceSgd;
import io.idrelu.report.SettingTrial;
import io.idrelu.setting.FastValues;
import io.idrelu.setting.Init;
import io.idrelu.setting.InputSampler;
import io.idrelu.setting.NetworkKernel;
import io.idrelu.setting.Setting;
import io.idrelu.setting.SettingJson;
import io.idrelu.setting.SettingProblem;
import io.idrelu.setting.SettingSgd;
import io.idrelu.setting.reference.ExactNetwork;
import io.idrelu.setting.reference.ReferenceSettingSgd;

import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code idrelu train} under a setting other than [LY17]'s (issue 11): the trajectory of a sweep trial
 * ({@code report.SettingTrial}) replayed alone. The problem is {@link SettingProblem#random}{@code (setting, --seed)},
 * the fast path {@link SettingSgd}'s step on trial 0 of {@code --seed}'s input stream (so {@code --seed trialSeed} gives
 * a sweep trial's trajectory bit for bit), the reference {@link ReferenceSettingSgd} on the same samples. The loss
 * reported is the setting's <b>excess population loss</b> {@code E[(f(x, W) - f(x, W*))^2]} (true units; label noise
 * left out) by the setting's route, exactly as the sweep judges it ({@link SettingTrial#excessLoss}): closed form, a
 * finite law exactly, or Monte Carlo with its 99.9 % half-width.
 *
 * <p>Divergence: a non-finite batch loss stops the run after that step (as the sweep trial), a non-finite weight or
 * population loss at a trace row too; exit 1. (The [LY17] path's {@code 1e6 x L(W0)} threshold is not used: a Monte
 * Carlo estimate has no such scale guarantee.)
 */
final class TrainUnderSetting {
    private final TrainCommand c;
    private final Setting s;
    /** The generic fast kernel ({@link SettingArguments#networkKernel}); null on the reference path alone. */
    private NetworkKernel kernel;

    TrainUnderSetting(TrainCommand command, Setting setting) {
        this.c = command;
        this.s = setting;
    }

    /** One trace row; {@code potential} is NaN beyond one block (g is a one-block quantity). */
    private record Row(int step, double batchLoss, SettingTrial.Estimate population, double distance2, double potential,
                       double divergence) { }

    int run() {
        SettingArguments.refuseFloat(c.kernelOptions.isFloat(), s);
        kernel = c.path == TrainCommand.PathChoice.REFERENCE ? null : SettingArguments.networkKernel(c.kernelOptions.kernel);
        if (c.trace != null) {
            AtomicFiles.checkWritable(c.trace, "--trace");
        }
        PrintWriter err = c.spec.commandLine().getErr();
        Kernel closedFormKernel = c.kernelOptions.doubleKernel();
        InputSampler sampler = InputSampler.of(s.inputs(), s.d()); // a data set: loaded (and validated) once
        SettingProblem p = SettingProblem.random(s, c.seed);
        if (kernel != null && c.threads > 1) {
            err.println("idrelu: note: the setting kernel (" + SettingArguments.label(kernel) + ") runs each step on one thread; --threads "
                    + c.threads + " has no effect under a setting");
        }
        int d = s.d();
        // a Monte Carlo population estimate costs 32768 rows: about 10 trace rows by default there, 100 elsewhere
        boolean monteCarlo = io.idrelu.setting.PopulationRoute.of(s.withLabels(new io.idrelu.setting.LabelModel.Noiseless()))
                == io.idrelu.setting.PopulationRoute.MONTE_CARLO;
        int every = c.every != null ? c.every : Math.max(1, c.steps / (monteCarlo ? 10 : 100));
        Fast fast = kernel == null ? null : new Fast(new SettingSgd(s, kernel, sampler), p);
        Reference ref = c.path == TrainCommand.PathChoice.FAST ? null : new Reference(sampler, p);
        StepTimer timer = new StepTimer(c.warmupSteps != null ? c.warmupSteps : c.steps / 5);
        Progress progress = new Progress(err, c.steps);
        List<double[]> ws = p.wStar();
        List<Row> rows = new ArrayList<>();
        rows.add(row(0, Double.NaN, fast, ref, ws, sampler, closedFormKernel));
        double refSeconds = 0;
        int done = 0;
        double lastBatchLoss = Double.NaN;
        String diverged = null;
        while (done < c.steps && diverged == null) {
            int n = Math.min(every, c.steps - done);
            if (fast != null) {
                timer.start();
                int m = fast.advance(n, timer);
                timer.stop();
                lastBatchLoss = fast.lastLoss;
                if (m < n) {
                    diverged = "diverged at step " + (done + m) + ": batch loss (fast path) = " + lastBatchLoss + " (not finite)";
                    n = m;
                }
            }
            if (ref != null) {
                long t0 = System.nanoTime();
                int m = ref.advance(n);
                refSeconds += (System.nanoTime() - t0) * 1e-9;
                if (fast == null) {
                    lastBatchLoss = ref.lastLoss;
                }
                if (m < n && diverged == null) {
                    diverged = "diverged at step " + (done + m) + ": batch loss (reference path) = " + ref.lastLoss + " (not finite)";
                    n = m;
                }
            }
            done += n;
            Row r = row(done, lastBatchLoss, fast, ref, ws, sampler, closedFormKernel);
            rows.add(r);
            if (diverged == null && !(Double.isFinite(r.population().value()) && Double.isFinite(r.distance2()))) {
                diverged = "diverged at step " + done + ": a weight or the population loss is not finite";
            }
            progress.update(done, r.population().value());
        }
        progress.finish();
        if (diverged != null) {
            err.println("idrelu train: " + diverged + "; stopped (the summary is at step " + done + "). eta " + c.eta
                    + " is too large for this setting at d = " + d + ", batch " + c.batch);
            err.flush();
        }
        Row last = rows.get(rows.size() - 1);
        ObjectNode o = json(last, rows, done, diverged, timer, refSeconds, fast != null, ref);
        if (c.trace != null) {
            AtomicFiles.write(c.trace, csv(rows));
        }
        PrintWriter out = c.spec.commandLine().getOut();
        if (c.json) {
            out.println(Json.write(o));
        } else {
            text(out, o, last, rows, diverged, done, timer, fast != null);
        }
        out.flush();
        return diverged == null ? 0 : 1;
    }

    private ObjectNode json(Row last, List<Row> rows, int done, String diverged, StepTimer timer, double refSeconds,
                            boolean hasFast, Reference ref) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("setting_label", Applicability.label(s));
        o.set("setting", SettingJson.toJson(s));
        o.put("d", s.d());
        o.put("blocks", s.architecture().blocks());
        o.put("batch", c.batch);
        o.put("steps", c.steps);
        o.put("eta", c.eta);
        o.put("eta_units", "true");
        o.put("seed", c.seed);
        o.put("init", init());
        o.put("network", s.architecture().identity() ? "identity" : "vanilla");
        o.put("path", SettingArguments.name(c.path));
        if (hasFast) {
            o.put("kernel", SettingArguments.label(kernel));
            o.put("precision", "double");
        }
        if (ref != null) {
            o.put("reference_digits", c.digits);
            o.put("reference_max_rounding_error", ref.maxRoundingError);
        }
        o.put("population_loss", last.population().value());
        o.put("population_loss_half_width", last.population().halfWidth());
        o.put("population_route", SettingArguments.name(last.population().route()));
        o.put("population_loss_meaning", "excess population loss E[(f(x,W) - f(x,W*))^2] (true units; label noise left out), "
                + "as idrelu sweep judges a trial; half-width 0 when exact (closed form or finite law)");
        o.put("initial_population_loss", rows.get(0).population().value());
        o.put("distance_squared", last.distance2());
        if (!Double.isNaN(last.potential())) {
            o.put("potential", last.potential());
        }
        if (c.path == TrainCommand.PathChoice.BOTH) {
            double maxDiv = 0;
            for (Row r : rows) {
                maxDiv = Math.max(maxDiv, r.divergence());
            }
            o.put("max_divergence_fro", maxDiv);
            o.put("final_divergence_fro", last.divergence());
            o.put("reference_seconds_per_step", c.steps == 0 ? 0 : refSeconds / c.steps);
        }
        o.put("seconds_per_step", done == 0 ? 0 : (hasFast ? timer.totalSeconds() : refSeconds) / done);
        o.put("steps_done", done);
        if (diverged != null) {
            o.put("diverged", diverged);
        }
        return o;
    }

    private void text(PrintWriter out, ObjectNode o, Row last, List<Row> rows, String diverged, int done, StepTimer timer, boolean hasFast) {
        out.printf(Locale.ROOT, "setting %s%n", Applicability.label(s));
        out.printf(Locale.ROOT, "%s network, d = %d, %d block%s, batch %d, eta %.6g (true units), %d steps, seed %d, %s%n",
                s.architecture().identity() ? "identity" : "vanilla", s.d(), s.architecture().blocks(),
                s.architecture().blocks() == 1 ? "" : "s", c.batch, c.eta, c.steps, c.seed, init());
        if (diverged != null) {
            out.println("DIVERGED: " + diverged + "; values below are at step " + done);
        }
        SettingTrial.Estimate e = last.population();
        out.printf(Locale.ROOT, "population loss    %.6e  (start %.6e)  excess loss, %s%s%n", e.value(), rows.get(0).population().value(),
                SettingArguments.name(e.route()).replace('_', ' '),
                e.halfWidth() > 0 ? String.format(Locale.ROOT, " +- %.2e (99.9 %%)", e.halfWidth()) : "");
        out.printf(Locale.ROOT, "||W - W*||_F^2     %.6e%s%n", last.distance2(), s.architecture().blocks() > 1 ? "  (summed over blocks)" : "");
        if (!Double.isNaN(last.potential())) {
            out.printf(Locale.ROOT, "potential g        %.6e%n", last.potential());
        }
        if (c.path == TrainCommand.PathChoice.BOTH) {
            out.printf(Locale.ROOT, "fast vs reference  max ||W_fast - W_ref||_F = %.3e%n", o.get("max_divergence_fro").asDouble());
        }
        out.printf(Locale.ROOT, "seconds per step   %.3e  (%s)%n", o.get("seconds_per_step").asDouble(),
                hasFast ? SettingArguments.label(kernel) + " double, 1 thread" : "reference");
        if (hasFast) {
            out.printf(Locale.ROOT, "steady state       %.3e s/step over %d steps, after a warm-up of %d steps in %.3f s%n",
                    timer.steadySecondsPerStep(), timer.steadySteps(), timer.warmupSteps(), timer.warmupSeconds());
        }
        if (c.trace != null) {
            out.println("trace: " + c.trace);
        }
    }

    private String csv(List<Row> rows) {
        boolean both = c.path == TrainCommand.PathChoice.BOTH;
        boolean oneBlock = s.architecture().blocks() == 1;
        StringBuilder b = new StringBuilder("step,batch_loss,population_loss,population_loss_half_width,distance_squared"
                + (oneBlock ? ",potential" : "") + (both ? ",divergence_fro" : "") + "\n");
        for (Row r : rows) {
            b.append(r.step()).append(',').append(r.batchLoss()).append(',').append(r.population().value()).append(',')
                    .append(r.population().halfWidth()).append(',').append(r.distance2());
            if (oneBlock) {
                b.append(',').append(r.potential());
            }
            if (both) {
                b.append(',').append(r.divergence());
            }
            b.append('\n');
        }
        return b.toString();
    }

    private String init() {
        return s.init() instanceof Init.SpectralNorm sn ? "init gamma " + Double.toString(sn.gamma())
                : "init scaled c " + Double.toString(((Init.Scaled) s.init()).c());
    }

    private Row row(int step, double batchLoss, Fast fast, Reference ref, List<double[]> ws, InputSampler sampler, Kernel k) {
        List<double[]> w = fast != null ? fast.w : ref.weights();
        double dist = 0;
        for (int b = 0; b < w.size(); b++) {
            dist += Matrices.squaredDistance(w.get(b), ws.get(b));
        }
        boolean finite = w.stream().allMatch(m -> java.util.Arrays.stream(m).allMatch(Double::isFinite));
        SettingTrial.Estimate pop = finite ? SettingTrial.excessLoss(s, k, sampler, w, ws, c.seed)
                : new SettingTrial.Estimate(Double.NaN, 0, io.idrelu.setting.PopulationRoute.of(s.withLabels(new io.idrelu.setting.LabelModel.Noiseless())));
        double potential = w.size() == 1 ? Potential.of(s.d(), s.architecture().identity(), w.get(0), ws.get(0)) : Double.NaN;
        double div = Double.NaN;
        if (fast != null && ref != null) {
            double sum = 0;
            List<double[]> r = ref.weights();
            for (int b = 0; b < w.size(); b++) {
                sum += Matrices.squaredDistance(fast.w.get(b), r.get(b));
            }
            div = Math.sqrt(sum);
        }
        return new Row(step, batchLoss, pop, dist, potential, div);
    }

    /** The fast path: {@link SettingSgd#step} on trial 0 of {@code --seed}'s stream, drawn as {@link SettingSgd#run} draws. */
    private final class Fast {
        final SettingSgd sgd;
        final List<double[]> w;
        final List<double[]> wStar;
        final InputSampler.Stream stream;
        double lastLoss = Double.NaN;

        Fast(SettingSgd sgd, SettingProblem p) {
            this.sgd = sgd;
            this.w = p.w0();
            this.wStar = p.wStar();
            this.stream = sgd.sampler().forTrial(c.seed, 0);
        }

        /** Up to {@code n} steps; stops after a step whose batch loss is not finite (as the sweep trial). */
        int advance(int n, StepTimer timer) {
            double sigma = s.labels().sigma();
            for (int i = 0; i < n; i++) {
                double[] x = stream.batch(c.batch);
                double[] noise = sigma > 0 ? stream.noise(c.batch, sigma) : null;
                FastValues v = sgd.step(w, wStar, x, c.batch, noise, c.eta);
                timer.stepDone();
                lastLoss = v.loss();
                if (!Double.isFinite(lastLoss)) {
                    return i + 1;
                }
            }
            return n;
        }
    }

    /** The reference path: {@link ReferenceSettingSgd#step} on the same samples, each update rounded to {@code --digits}. */
    private final class Reference {
        final ReferenceSettingSgd sgd;
        final InputSampler.Stream stream;
        final List<BigDecimal[][]> wStar;
        final BigDecimal eta;
        final MathContext mc;
        List<BigDecimal[][]> w;
        double lastLoss = Double.NaN;
        double maxRoundingError;

        Reference(InputSampler sampler, SettingProblem p) {
            this.sgd = new ReferenceSettingSgd(s, sampler, c.digits);
            this.stream = sampler.forTrial(c.seed, 0);
            this.w = ExactNetwork.exact(p.w0(), s.d());
            this.wStar = ExactNetwork.exact(p.wStar(), s.d());
            this.eta = ReferenceSgd.eta(c.eta);
            this.mc = new MathContext(c.digits);
        }

        int advance(int n) {
            double sigma = s.labels().sigma();
            int d = s.d();
            for (int i = 0; i < n; i++) {
                double[] x = stream.batch(c.batch);
                double[] noise = sigma > 0 ? stream.noise(c.batch, sigma) : null;
                ReferenceSettingSgd.Step st = sgd.step(w, wStar, ExactNetwork.exact(x, c.batch, d), ReferenceSettingSgd.exact(noise), eta, mc);
                lastLoss = st.values().loss(MathContext.DECIMAL64).doubleValue(); // beyond double range: Infinity
                maxRoundingError = Math.max(maxRoundingError, st.maxRoundingError().doubleValue());
                w = st.next();
                if (!Double.isFinite(lastLoss)) {
                    return i + 1;
                }
            }
            return n;
        }

        List<double[]> weights() {
            int d = s.d();
            List<double[]> out = new ArrayList<>();
            for (BigDecimal[][] m : w) {
                double[] a = new double[d * d];
                for (int r = 0; r < d; r++) {
                    for (int j = 0; j < d; j++) {
                        a[r * d + j] = m[r][j].doubleValue();
                    }
                }
                out.add(a);
            }
            return out;
        }
    }
}
