package io.idrelu.report;

import io.idrelu.audit.PopulationLossBound;
import io.idrelu.audit.Precision;
import io.idrelu.claims.PaperConstants;
import io.idrelu.kernel.Kernel;
import io.idrelu.model.Matrices;
import io.idrelu.model.Potential;
import io.idrelu.model.Problem;
import io.idrelu.sgd.OnlineSgd;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The trajectory figures of the report when no claim supplies them ([LY17] Theorem 3.1, two phases;
 * section 5 identity vs vanilla; claims C7, C10, C12, C13 describe the same quantities): a small seeded
 * problem ({@code d = 8}, {@code ||W*||_2 = gamma = 0.1}) trained by online SGD on the fast kernel,
 * <ol>
 *   <li>from a Phase I start {@code W0 = -0.6 I} (so {@code g(W0)} is above {@code 197 gamma^2}):
 *       population loss and {@code ||W - W*||_F^2} over steps (log scale) with the Phase I / II boundary
 *       (first recorded step where {@code g < 197 gamma^2}) marked, and {@code g} against {@code 197 gamma^2};</li>
 *   <li>from the same small random start {@code ||W0||_2 = gamma}: identity-mapped vs vanilla population loss.</li>
 * </ol>
 * The runs are {@link OnlineSgd} (fresh batch from {@code GaussianSampler(seed)} per step, the kernel's
 * fused {@code sgdStep}), so a figure is a function of {@code (seed, kernel)}.
 * About 10^4 small steps: well under a second.
 */
public final class FigureRun {
    static final int D = 8;
    static final double GAMMA = 0.1;
    static final double PHASE1_START = 0.6;
    static final int BATCH = 32;
    static final double ETA = 0.02;
    static final int STEPS = 3000;
    static final int EVERY = 10;
    /**
     * The figures' own seed: they illustrate the dynamics and are not evidence for a verdict, so they do
     * not change with {@code --seed} (and are computed and rendered once per process).
     */
    public static final long FIGURE_SEED = 20170524L;

    /** Caption note for the loss curves, which are drawn through {@link PopulationLossBound#forLogPlot}. */
    static final String BOUND_NOTE = " Where the computed L falls below the rounding bound of its closed form (A2; of order 1e-12 at d = 8;"
            + " the exact L is then between 0 and twice the bound), the curve is drawn at that bound.";

    private FigureRun() { }

    /** A recorded trajectory: step, population loss (true units of L), squared distance to W*, potential g. */
    public record Trajectory(double[] step, double[] loss, double[] distance, double[] potential) {
        /** First recorded step with {@code g < threshold}, or NaN if none. */
        public double firstBelow(double threshold) {
            for (int i = 0; i < step.length; i++) {
                if (potential[i] < threshold) {
                    return step[i];
                }
            }
            return Double.NaN;
        }
    }

    /** Steps below this are all recorded, so that the short Phase I is visible on a log step axis. */
    static final int DENSE = 100;

    /** Online SGD from {@code problem}'s start, recording steps {@code 0..99} and then every {@code every} steps. */
    public static Trajectory trajectory(Kernel kernel, Problem problem, int batch, double eta, long seed, int steps, int every) {
        int d = problem.d();
        boolean id = problem.identity();
        double[] ws = problem.wStar();
        int n = 0;
        for (int s = 0; s <= steps; s++) {
            n += recorded(s, every) ? 1 : 0;
        }
        double[] t = new double[n];
        double[] loss = new double[n];
        double[] dist = new double[n];
        double[] g = new double[n];
        int[] k = {0};
        double[] w = problem.w0();
        java.util.function.IntConsumer record = s -> {
            t[k[0]] = s;
            // drawn on log axes: a value below the closed form's rounding bound (A2) is drawn at the bound, never <= 0
            loss[k[0]] = PopulationLossBound.forLogPlot(kernel.populationLossAndGradient(d, id, w, ws, null),
                    PopulationLossBound.of(Precision.DOUBLE, d, id, w, ws));
            dist[k[0]] = Matrices.squaredDistance(w, ws);
            g[k[0]] = Potential.of(d, id, w, ws);
            k[0]++;
        };
        record.accept(0);
        OnlineSgd sgd = new OnlineSgd(kernel, problem, batch, eta, seed);
        sgd.run(steps, (step, batchLoss, view) -> {
            if (recorded(step, every)) {
                view.get(0, w);
                record.accept(step);
            }
            return true;
        });
        return new Trajectory(t, loss, dist, g);
    }

    private static boolean recorded(int s, int every) {
        return s < DENSE || s % every == 0;
    }

    private record Key(String kernel, long seed, PaperConstants constants) { }

    private static final java.util.Map<Key, List<PlotSpec>> MEMO = new java.util.concurrent.ConcurrentHashMap<>();

    /** The three trajectory figures (memoised: they are a function of kernel, seed and constants). */
    public static List<PlotSpec> figures(Kernel kernel, long seed, PaperConstants constants) {
        return MEMO.computeIfAbsent(new Key(kernel.name(), seed, constants), k -> compute(kernel, seed, constants));
    }

    private static List<PlotSpec> compute(Kernel kernel, long seed, PaperConstants constants) {
        Problem random = Problem.random(D, GAMMA, seed, true);
        double[] start = new double[D * D];
        for (int i = 0; i < D; i++) {
            start[i * D + i] = -PHASE1_START;
        }
        Problem phase1 = random.withStart(start);
        Trajectory a = trajectory(kernel, phase1, BATCH, ETA, seed, STEPS, EVERY);
        double threshold = constants.phase1Threshold() * GAMMA * GAMMA;
        double boundary = a.firstBelow(threshold);
        String setting = String.format(Locale.ROOT, "d = %d, ||W*||_2 = gamma = %s, batch %d, eta %s, seed %d, kernel %s",
                D, GAMMA, BATCH, ETA, seed, kernel.name());
        List<PlotSpec> out = new ArrayList<>();
        PlotSpec loss = PlotSpec.of("trajectory-loss", "Two phases: population loss and ||W - W*||_F^2 along online SGD",
                        "Start W0 = -" + PHASE1_START + " I (Phase I: g above " + fmt(constants.phase1Threshold())
                                + " gamma^2); " + setting + ". The dotted line marks the first step with g < "
                                + fmt(constants.phase1Threshold()) + " gamma^2 ('Phase I / II boundary'"
                                + (Double.isNaN(boundary) ? ", never reached)." : ", step " + (long) boundary + "). Step axis logarithmic.")
                                + BOUND_NOTE,
                        "step (log scale)", "L(W) (true units) and ||W - W*||_F^2", true, true)
                .with(new PlotSpec.Series("population loss L(W_t)", a.step(), a.loss()))
                .with(new PlotSpec.Series("||W_t - W*||_F^2", a.step(), a.distance()));
        if (!Double.isNaN(boundary)) {
            loss = loss.withVLine("Phase I / II boundary", boundary);
        }
        out.add(loss);
        PlotSpec pot = PlotSpec.of("trajectory-potential", "Potential g(W_t) against the Phase I threshold",
                        "g(W) = sum_i |v_i| - |u_i| along the same run; Theorem 3.1 (recalled) ends Phase I when g < "
                                + fmt(constants.phase1Threshold()) + " gamma^2 = " + fmt(threshold) + " (dashed)."
                                + " Step axis logarithmic.",
                        "step (log scale)", "g(W_t)", true, false)
                .with(new PlotSpec.Series("g(W_t)", a.step(), a.potential()))
                .withHLine(fmt(constants.phase1Threshold()) + " gamma^2", threshold);
        if (!Double.isNaN(boundary)) {
            pot = pot.withVLine("Phase I / II boundary", boundary);
        }
        out.add(pot);
        Trajectory ident = trajectory(kernel, random, BATCH, ETA, seed, STEPS, EVERY);
        Trajectory van = trajectory(kernel, random.withIdentity(false), BATCH, ETA, seed, STEPS, EVERY);
        out.add(PlotSpec.of("identity-vs-vanilla", "Identity mapping vs vanilla from the same small start",
                        "Same W0 (||W0||_2 = gamma), same samples; the identity-mapped net trains u_i = e_i + w_i, the vanilla net u_i = w_i "
                                + "(teacher identity-mapped in both); " + setting + "." + BOUND_NOTE,
                        "step", "population loss L (true units)", false, true)
                .with(new PlotSpec.Series("identity-mapped", ident.step(), ident.loss()))
                .with(new PlotSpec.Series("vanilla", van.step(), van.loss())));
        return out;
    }

    /** {@link #figures} at {@link #FIGURE_SEED}, or none (with one stderr line saying why) when the kernel cannot run. */
    public static List<PlotSpec> figuresOrNone(Kernel kernel, PaperConstants constants, PrintWriter err) {
        try {
            return figures(kernel, FIGURE_SEED, constants);
        } catch (RuntimeException e) {
            err.println("idrelu: note: trajectory figures skipped: " + e);
            err.flush();
            return List.of();
        }
    }

    private static String fmt(double v) {
        return Table.num(v);
    }
}
