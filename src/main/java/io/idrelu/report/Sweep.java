package io.idrelu.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.idrelu.audit.PopulationLossBound;
import io.idrelu.audit.Precision;
import io.idrelu.cli.Json;
import io.idrelu.cli.SettingArguments;
import io.idrelu.kernel.FloatKernel;
import io.idrelu.kernel.Kernel;
import io.idrelu.model.GaussianSampler;
import io.idrelu.model.Matrices;
import io.idrelu.model.Potential;
import io.idrelu.model.Problem;
import io.idrelu.sgd.OnlineSgd;
import io.idrelu.sgd.OnlineSgdFloat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Phase diagram of online SGD beyond the assumptions of [LY17] Theorem 3.1 (small {@code gamma0},
 * {@code d >= 100}, small {@code eta}; identity mapping): for every cell {@code (gamma, d)} of a grid,
 * {@code K} seeded trials from {@code Problem.random(d, gamma, trialSeed, identity)} (both
 * {@code ||W0||_2} and {@code ||W*||_2} equal to {@code gamma}), each recording
 * <ul>
 *   <li><b>success</b>: the final iterate is finite and its closed-form population loss
 *       {@code L(W_T) <= eps} (true units). Loss, not distance, decides, because the vanilla net also
 *       reaches zero loss at column permutations of the teacher (claim C4), which is a success too;</li>
 *   <li><b>Phase I length</b>: the first step {@code t} with {@code g(W_t) < 197 gamma^2} ({@code 0}
 *       when {@code g(W_0)} is already below; absent when never reached within {@code T});</li>
 *   <li><b>final error</b> {@code ||U_T - V||_F^2} with {@code U = I + W} (identity) or {@code W}
 *       (vanilla) and {@code V = I + W*}: for the identity net this is {@code ||W_T - W*||_F^2}; and the same
 *       up to relabelling the hidden units, {@code min_P ||U_T - V P||_F^2}, because every column permutation
 *       of {@code V} is a global minimum of both nets;</li>
 *   <li><b>diverged</b>: a batch loss or the final weights became non-finite (the run stops there).</li>
 * </ul>
 * A trial uses one seed for the problem and the samples, exactly as {@code idrelu train --seed}, so
 * {@code idrelu train --d D --gamma G --eta E --batch B --steps T --seed S [--vanilla]} replays it.
 * Cells run in parallel; each cell's result is a function of the configuration only.
 */
public final class Sweep {

    /** One seeded trial. {@code phase1Steps} is -1 when Phase I did not end within {@code T}. */
    public record Trial(int k, long seed, boolean success, boolean diverged, int phase1Steps, int stepsRun,
                        double initialLoss, double finalLoss, double finalError, double finalErrorPermuted,
                        double initialPotential, boolean undecided, String route, double finalLossHalfWidth) {

        /** An [LY17] trial (closed form: never undecided). */
        public Trial(int k, long seed, boolean success, boolean diverged, int phase1Steps, int stepsRun, double initialLoss,
                     double finalLoss, double finalError, double finalErrorPermuted, double initialPotential) {
            this(k, seed, success, diverged, phase1Steps, stepsRun, initialLoss, finalLoss, finalError, finalErrorPermuted,
                    initialPotential, false, null, Double.NaN);
        }

        public ObjectNode toJson(SweepConfig cfg, double gamma, int d, double eta) {
            ObjectNode o = Json.MAPPER.createObjectNode();
            o.put("k", k);
            o.put("seed", seed);
            o.put("success", success);
            o.put("diverged", diverged);
            if (phase1Steps < 0) {
                o.putNull("phase1_steps");
            } else {
                o.put("phase1_steps", phase1Steps);
            }
            o.put("steps_run", stepsRun);
            number(o, "initial_loss", initialLoss);
            number(o, "final_loss", finalLoss);
            number(o, "final_error", finalError);
            number(o, "final_error_permuted", finalErrorPermuted);
            number(o, "initial_potential", initialPotential);
            if (route != null) { // under a setting only: [LY17] trials keep today's keys
                o.put("undecided", undecided);
                o.put("population_route", route);
                number(o, "final_loss_half_width", finalLossHalfWidth);
            }
            o.put("replay", replayCommand(cfg, gamma, d, eta, seed));
            return o;
        }
    }

    /** One {@code (gamma, d)} cell with its trials in seed order. */
    public record Cell(int index, double gamma, int d, double eta, List<Trial> trials, double seconds) {
        public int successes() {
            return (int) trials.stream().filter(Trial::success).count();
        }

        public double successRate() {
            return trials.isEmpty() ? Double.NaN : (double) successes() / trials.size();
        }

        /** Trials whose Phase I ended within T. */
        public int phase1Reached() {
            return (int) trials.stream().filter(t -> t.phase1Steps() >= 0).count();
        }

        /** Median Phase I length, trials that never ended Phase I counted as +infinity. */
        public double medianPhase1() {
            return median(trials.stream().mapToDouble(t -> t.phase1Steps() < 0 ? Double.POSITIVE_INFINITY : t.phase1Steps()).toArray());
        }

        /** Median final error, diverged trials counted as +infinity. */
        public double medianFinalError() {
            return median(trials.stream().mapToDouble(t -> t.diverged() || !Double.isFinite(t.finalError()) ? Double.POSITIVE_INFINITY : t.finalError()).toArray());
        }

        public double medianFinalErrorPermuted() {
            return median(trials.stream().mapToDouble(t -> t.diverged() || !Double.isFinite(t.finalErrorPermuted()) ? Double.POSITIVE_INFINITY : t.finalErrorPermuted()).toArray());
        }

        /**
         * Median of {@code g(W_0) / (threshold gamma^2)}: below 1 the trial starts inside Phase II and its Phase I
         * length is 0 by definition, so this says how far below the threshold the start lies.
         */
        public double medianInitialPotentialOverThreshold(double threshold) {
            return median(trials.stream().mapToDouble(t -> t.initialPotential() / (threshold * gamma * gamma)).toArray());
        }

        public double medianFinalLoss() {
            return median(trials.stream().mapToDouble(t -> t.diverged() || !Double.isFinite(t.finalLoss()) ? Double.POSITIVE_INFINITY : t.finalLoss()).toArray());
        }

        public int diverged() {
            return (int) trials.stream().filter(Trial::diverged).count();
        }

        /** Trials whose Monte Carlo interval straddles eps (under a setting without closed form or finite law). */
        public int undecided() {
            return (int) trials.stream().filter(Trial::undecided).count();
        }

        /**
         * Wilson score interval (95 %) of the success probability: the success rate of K trials is a
         * binomial proportion, and Wilson's interval stays inside [0, 1] and is sensible at 0/K and K/K.
         */
        public double[] wilson95() {
            return wilson(successes(), trials.size(), 1.959963984540054);
        }

        public ObjectNode toJson(SweepConfig cfg) {
            ObjectNode o = Json.MAPPER.createObjectNode();
            o.put("cell", index);
            o.put("gamma", gamma);
            o.put("d", d);
            o.put("eta", eta);
            o.put("trials", trials.size());
            o.put("successes", successes());
            o.put("success_rate", successRate());
            double[] w = wilson95();
            ArrayNode ci = o.putArray("success_rate_wilson95");
            ci.add(w[0]);
            ci.add(w[1]);
            o.put("diverged", diverged());
            if (!cfg.isLy17()) {
                o.put("undecided", undecided());
            }
            o.put("phase1_reached", phase1Reached());
            number(o, "phase1_steps_median", medianPhase1());
            number(o, "final_error_median", medianFinalError());
            number(o, "final_error_permuted_median", medianFinalErrorPermuted());
            number(o, "final_loss_median", medianFinalLoss());
            o.put("phase1_threshold_value", cfg.phase1Threshold() * gamma * gamma);
            number(o, "initial_potential_over_threshold_median", medianInitialPotentialOverThreshold(cfg.phase1Threshold()));
            o.put("seconds", seconds);
            ArrayNode t = o.putArray("per_trial");
            trials.forEach(x -> t.add(x.toJson(cfg, gamma, d, eta)));
            return o;
        }
    }

    /** Called once per finished cell, from the worker thread that finished it. */
    public interface Listener {
        void cellDone(Cell cell, int done, int total);
    }

    private Sweep() { }

    /** Runs every cell on {@code threads} workers; returns cells in index order (rows gamma, columns d). */
    public static List<Cell> run(SweepConfig cfg, Kernel kernel, FloatKernel floatKernel, int threads, Listener listener) {
        double[] gammas = cfg.gammas();
        int[] ds = cfg.ds();
        int total = cfg.cells();
        int[] done = {0};
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(threads, total)), r -> {
            Thread t = new Thread(r, "idrelu-sweep");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<Cell>> futures = new ArrayList<>();
            for (int gi = 0; gi < gammas.length; gi++) {
                for (int di = 0; di < ds.length; di++) {
                    int index = cfg.cellIndex(gi, di);
                    double gamma = gammas[gi];
                    int d = ds[di];
                    futures.add(pool.submit(() -> {
                        Cell c = cell(cfg, kernel, floatKernel, index, gamma, d);
                        if (listener != null) {
                            int n;
                            synchronized (done) {
                                n = ++done[0];
                            }
                            listener.cellDone(c, n, total);
                        }
                        return c;
                    }));
                }
            }
            List<Cell> cells = new ArrayList<>();
            for (Future<Cell> f : futures) {
                cells.add(f.get());
            }
            return cells;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("sweep interrupted", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException("sweep cell failed: " + c, c);
        } finally {
            pool.shutdownNow();
        }
    }

    /** One cell: its K trials in order. */
    public static Cell cell(SweepConfig cfg, Kernel kernel, FloatKernel floatKernel, int index, double gamma, int d) {
        long t0 = System.nanoTime();
        double eta = cfg.etaFor(d);
        List<Trial> trials = new ArrayList<>();
        for (int k = 0; k < cfg.seeds(); k++) {
            long trialSeed = GaussianSampler.trialSeed(cfg.seed(), (long) index * cfg.seeds() + k);
            trials.add(trial(cfg, kernel, floatKernel, gamma, d, eta, k, trialSeed));
        }
        return new Cell(index, gamma, d, eta, List.copyOf(trials), (System.nanoTime() - t0) * 1e-9);
    }

    /** One trial (see the class comment for what is recorded). */
    public static Trial trial(SweepConfig cfg, Kernel kernel, FloatKernel floatKernel, double gamma, int d, double eta,
                              int k, long trialSeed) {
        if (!cfg.isLy17()) {
            return SettingTrial.run(cfg, kernel, gamma, d, eta, k, trialSeed);
        }
        boolean identity = !cfg.vanilla();
        Problem p = Problem.random(d, gamma, trialSeed, identity);
        double[] ws = p.wStar();
        double threshold = cfg.phase1Threshold() * gamma * gamma;
        double[] w = p.w0();
        double initialLoss = kernel.populationLossAndGradient(d, identity, w, ws, null);
        double initialPotential = Potential.of(d, identity, w, ws);
        int[] phase1 = {initialPotential < threshold ? 0 : -1};
        boolean[] diverged = {false};
        int stepsRun;
        if ("float".equals(cfg.precision())) {
            OnlineSgdFloat sgd = new OnlineSgdFloat(floatKernel, p, cfg.batch(), eta, trialSeed);
            stepsRun = sgd.run(cfg.steps(), (t, loss, view) -> {
                if (!Float.isFinite(loss)) {
                    diverged[0] = true;
                    return false;
                }
                if (phase1[0] < 0) {
                    for (int i = 0; i < w.length; i++) {
                        w[i] = view.get(i);
                    }
                    if (Potential.of(d, identity, w, ws) < threshold) {
                        phase1[0] = t;
                    }
                }
                return true;
            });
            float[] wf = sgd.weights();
            for (int i = 0; i < w.length; i++) {
                w[i] = wf[i];
            }
        } else {
            OnlineSgd sgd = new OnlineSgd(kernel, p, cfg.batch(), eta, trialSeed);
            stepsRun = sgd.run(cfg.steps(), (t, loss, view) -> {
                if (!Double.isFinite(loss)) {
                    diverged[0] = true;
                    return false;
                }
                if (phase1[0] < 0) {
                    view.get(0, w);
                    if (Potential.of(d, identity, w, ws) < threshold) {
                        phase1[0] = t;
                    }
                }
                return true;
            });
            System.arraycopy(sgd.weights(), 0, w, 0, w.length);
        }
        boolean finite = Arrays.stream(w).allMatch(Double::isFinite);
        diverged[0] |= !finite;
        double finalLoss = finite ? PopulationLossBound.reported(kernel.populationLossAndGradient(d, identity, w, ws, null),
                PopulationLossBound.of(Precision.DOUBLE, d, identity, w, ws)) : Double.POSITIVE_INFINITY; // rounding-negative -> 0
        double finalError = finite ? unitDistance(d, identity, w, ws) : Double.POSITIVE_INFINITY;
        double finalErrorPermuted = finite && !diverged[0] ? permutedUnitDistance(d, identity, w, ws) : Double.POSITIVE_INFINITY;
        boolean success = !diverged[0] && Double.isFinite(finalLoss) && finalLoss <= cfg.eps();
        return new Trial(k, trialSeed, success, diverged[0], phase1[0], stepsRun, initialLoss, finalLoss, finalError,
                finalErrorPermuted, initialPotential);
    }

    /** {@code ||U - V||_F^2} with {@code U = I + W} (identity) or {@code W} (vanilla), {@code V = I + W*}. */
    public static double unitDistance(int d, boolean identity, double[] w, double[] wStar) {
        if (identity) {
            return Matrices.squaredDistance(w, wStar);
        }
        double s = 0;
        for (int r = 0; r < d; r++) {
            for (int c = 0; c < d; c++) {
                double diff = w[r * d + c] - wStar[r * d + c] - (r == c ? 1.0 : 0.0);
                s += diff * diff;
            }
        }
        return s;
    }

    /**
     * {@code min over permutations pi of sum_j |u_j - v_pi(j)|^2}: the distance to the nearest global
     * minimum, since f is invariant under relabelling the hidden units and every column permutation of
     * {@code V} has zero loss (for the identity net too: {@code W = V P - I}). Exact for every d, not only
     * small d: the minimum over all d! permutations is a linear assignment problem, solved by the Hungarian
     * algorithm on the {@code d x d} cost matrix {@code |u_i - v_j|^2} in O(d^3) (tested against exhaustive
     * search over all permutations for d <= 8).
     */
    public static double permutedUnitDistance(int d, boolean identity, double[] w, double[] wStar) {
        double[][] cost = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                double s = 0;
                for (int r = 0; r < d; r++) {
                    double u = w[r * d + i] + (identity && r == i ? 1.0 : 0.0);
                    double v = wStar[r * d + j] + (r == j ? 1.0 : 0.0);
                    s += (u - v) * (u - v);
                }
                if (!Double.isFinite(s)) {
                    return Double.POSITIVE_INFINITY; // overflowed weights: no assignment to speak of (and none could terminate)
                }
                cost[i][j] = s;
            }
        }
        int[] match = assignment(cost);
        double total = 0;
        for (int i = 0; i < d; i++) {
            total += cost[i][match[i]];
        }
        return total;
    }

    /** Minimum-cost perfect assignment (Hungarian algorithm with potentials) of finite costs; returns row -> column. */
    static int[] assignment(double[][] a) {
        int n = a.length;
        double[] u = new double[n + 1];
        double[] v = new double[n + 1];
        int[] p = new int[n + 1];
        int[] way = new int[n + 1];
        for (int i = 1; i <= n; i++) {
            p[0] = i;
            int j0 = 0;
            double[] minv = new double[n + 1];
            Arrays.fill(minv, Double.POSITIVE_INFINITY);
            boolean[] used = new boolean[n + 1];
            do {
                used[j0] = true;
                int i0 = p[j0];
                int j1 = 0;
                double delta = Double.POSITIVE_INFINITY;
                for (int j = 1; j <= n; j++) {
                    if (!used[j]) {
                        double cur = a[i0 - 1][j - 1] - u[i0] - v[j];
                        if (cur < minv[j]) {
                            minv[j] = cur;
                            way[j] = j0;
                        }
                        if (minv[j] < delta) {
                            delta = minv[j];
                            j1 = j;
                        }
                    }
                }
                for (int j = 0; j <= n; j++) {
                    if (used[j]) {
                        u[p[j]] += delta;
                        v[j] -= delta;
                    } else {
                        minv[j] -= delta;
                    }
                }
                j0 = j1;
            } while (p[j0] != 0);
            do {
                int j1 = way[j0];
                p[j0] = p[j1];
                j0 = j1;
            } while (j0 != 0);
        }
        int[] rowToCol = new int[n];
        for (int j = 1; j <= n; j++) {
            rowToCol[p[j] - 1] = j - 1;
        }
        return rowToCol;
    }

    /** The {@code idrelu train} command line that replays one trial bit for bit. */
    public static String replayCommand(SweepConfig cfg, double gamma, int d, double eta, long seed) {
        if (!cfg.isLy17()) {
            // the trial's setting as train's setting options (--vanilla among them): SettingProblem.random and SettingSgd
            // on trial 0 of --seed's stream, as SettingTrial.run draws them, so the trajectory is the same bit for bit
            return String.format(Locale.ROOT, "idrelu train %s --d %d --gamma %s --eta %s --batch %d --steps %d --seed %d",
                    SettingArguments.optionsText(cfg.settingAt(gamma, d)), d, Double.toString(gamma), Double.toString(eta),
                    cfg.batch(), cfg.steps(), seed);
        }
        return String.format(Locale.ROOT, "idrelu train --d %d --gamma %s --eta %s --batch %d --steps %d --seed %d%s --precision %s",
                d, Double.toString(gamma), Double.toString(eta), cfg.batch(), cfg.steps(), seed, cfg.vanilla() ? " --vanilla" : "",
                cfg.precision());
    }

    static double median(double[] v) {
        if (v.length == 0) {
            return Double.NaN;
        }
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] == s[n / 2] ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]));
    }

    static double[] wilson(int successes, int n, double z) {
        if (n == 0) {
            return new double[] {0, 1};
        }
        double p = (double) successes / n;
        double z2 = z * z;
        double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
        double half = z / (1 + z2 / n) * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n));
        return new double[] {Math.max(0, centre - half), Math.min(1, centre + half)};
    }

    /** A finite double as a JSON number, anything else as null. */
    static void number(ObjectNode o, String key, double v) {
        if (Double.isFinite(v)) {
            o.put(key, v);
        } else {
            o.putNull(key);
        }
    }
}
