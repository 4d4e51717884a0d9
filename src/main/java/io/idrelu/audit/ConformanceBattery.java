package io.idrelu.audit;

import io.idrelu.kernel.FloatKernel;
import io.idrelu.kernel.Kernel;
import io.idrelu.kernel.ScalarKernel;
import io.idrelu.model.GaussianSampler;
import io.idrelu.model.Matrices;
import io.idrelu.model.Problem;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The conformance battery for any {@link Kernel} / {@link FloatKernel} implementation, ours or a user's
 * (claims A1, A2, A3 of MATH.md section 4, applied to a kernel that need not be bit-identical to
 * {@link ScalarKernel}): the same checks back the JUnit kit {@code io.idrelu.kit.KernelConformanceTest}
 * and {@code idrelu audit --kernel-class}. Never prints; every check returns a {@link Check} whose
 * {@link Check#message()} names the worst element, both values, the bound and the replay line.
 *
 * <p>Cases (double and float path alike):
 * <ul>
 *   <li>A1 batch agreement at odd sizes {@code d = 1, 3, 7, 13} (13 Gaussian rows) and {@code d = 100} (3 rows),
 *       identity and vanilla, each with near-kink rows ({@link NearKink}, {@code d >= 3}) on a {@code W0} whose
 *       column 0 is shortened to 12 bits, so exact zeros pre-activations are exact in the kernel too
 *       (catches a {@code >=} mask);</li>
 *   <li>A2 population loss and gradient at {@code W0}, {@code W*} and next to {@code W*}, {@code d = 1, 3, 7, 13},
 *       bound for the {@link AngleModel} the kernel declares (default {@link Auditor#DEFAULT_ANGLE_MODEL}, what {@code PopulationClosedForm} does);</li>
 *   <li>A1 with batches of 1, 2 and 3 Gaussian rows at {@code d = 7, 67} (a kernel may special-case small batches;
 *       online SGD uses one sample);</li>
 *   <li>A3 SGD trajectory against the reference SGD within the divergence envelope, {@code d = 3, 7}, and at
 *       {@code d = 3} with batches of 1, 2, 3;</li>
 *   <li>determinism: every method twice on fresh copies of the same input gives the same bits, a reused
 *       scratch gives the same step as a fresh one, outputs pre-filled with NaN are overwritten (not accumulated
 *       into), and inputs other than {@code w} of {@code sgdStep} are left unchanged;</li>
 *   <li>thread safety ({@link ThreadSafetyCheck}): each method hammered by many threads started at a barrier on one
 *       instance (distinct arrays and scratch) gives the single-threaded bits;</li>
 *   <li>convergence: online SGD with the kernel's {@code sgdStep} from a small start reduces the population loss
 *       (evaluated by our audited {@link ScalarKernel}) by the factor {@link #CONVERGENCE_FACTOR}.</li>
 * </ul>
 * The bounds are the a-priori ones of the audit (Higham {@code gamma_n}, any summation order), so a kernel
 * with a different summation order, blocking or fma use passes as long as it computes the contract's
 * quantities in the contract's precision; a mask, indexing or update bug does not.
 */
public final class ConformanceBattery {
    private ConformanceBattery() { }

    /** Default seed of the battery (any seed is valid; a failure's replay line names the one used). */
    public static final long DEFAULT_SEED = 20171204L;

    /** Convergence check: {@code L(W_T) <= L(W_0) / CONVERGENCE_FACTOR} after {@link #CONVERGENCE_STEPS} steps. */
    public static final double CONVERGENCE_FACTOR = 10;
    public static final int CONVERGENCE_D = 5;
    public static final int CONVERGENCE_BATCH = 8;
    public static final int CONVERGENCE_STEPS = 400;
    public static final double CONVERGENCE_ETA = 0.05;

    /** Dimensions of the A1 cases (odd on purpose: tails of blocked or vectorised loops). */
    static final int[] A1_DIMS = {1, 3, 7, 13, 100};
    static final int[] A2_DIMS = {1, 3, 7, 13};
    static final int[] A3_DIMS = {3, 7};
    /** Dimensions of the A1 cases with batches of 1, 2, 3 rows ({@link Auditor#SMALL_BATCHES}): odd, one past 64. */
    static final int[] SMALL_BATCH_A1_DIMS = {7, 67};
    /** Dimension of the A3 cases with batches of 1, 2, 3 rows. */
    static final int SMALL_BATCH_A3_D = 3;
    static final int REF_DIGITS = 40;

    /**
     * Options of a battery run.
     *
     * @param seed       base seed; case seeds are {@code GaussianSampler.trialSeed(seed, caseIndex)}
     * @param angleModel angle method the kernel's population closed form uses (A2 bound)
     */
    public record Options(long seed, AngleModel angleModel) {
        public static Options defaults() {
            return new Options(DEFAULT_SEED, Auditor.DEFAULT_ANGLE_MODEL);
        }
    }

    /**
     * Outcome of one check.
     *
     * @param name      case name, e.g. {@code A1 batch d=7 identity}
     * @param precision {@code double} or {@code float}
     * @param passed    whether every quantity was within its bound (or the property held)
     * @param message   one line when passed; on failure the worst element, both values, the bound
     * @param replay    {@code d, seed, size} of the case and the call that repeats it
     * @param reports   the audit reports behind an A1-A3 check (empty for the others)
     */
    public record Check(String name, String precision, boolean passed, String message, String replay,
                        List<AuditReport> reports) {
        public Check {
            reports = List.copyOf(reports);
        }

        /** Multi-line text for a failure (or a success): name, message and replay line. */
        public String describe() {
            return (passed ? "PASS " : "FAIL ") + name + " [" + precision + "]: " + message + System.lineSeparator()
                    + "  replay: " + replay;
        }
    }

    /** A named check, run when {@link #run()} is called (JUnit makes one dynamic test of each). */
    public record Case(String name, String precision, Supplier<Check> body) {
        public Check run() {
            try {
                return body.get();
            } catch (RuntimeException | AssertionError e) {
                return new Check(name, precision, false, "the kernel threw " + e, "case '" + name + "'", List.of());
            }
        }
    }

    /** Every case for the given kernels (either may be null: that precision is skipped). */
    public static List<Case> plan(Kernel k, FloatKernel fk, Options o) {
        List<Case> out = new ArrayList<>();
        if (k != null) {
            out.addAll(plan(new DoubleTarget(k), o));
        }
        if (fk != null) {
            out.addAll(plan(new FloatTarget(fk), o));
        }
        return out;
    }

    /** Runs {@link #plan} and returns the checks in order. */
    public static List<Check> run(Kernel k, FloatKernel fk, Options o) {
        List<Check> out = new ArrayList<>();
        for (Case c : plan(k, fk, o)) {
            out.add(c.run());
        }
        return out;
    }

    public static boolean allPassed(List<Check> checks) {
        return checks.stream().allMatch(Check::passed);
    }

    private static List<Case> plan(Target t, Options o) {
        List<Case> out = new ArrayList<>();
        String p = t.precision().name().toLowerCase(Locale.ROOT);
        int idx = 0;
        for (int d : A1_DIMS) {
            for (boolean identity : d == 3 || d == 7 ? new boolean[] {true, false} : new boolean[] {true}) {
                long seed = GaussianSampler.trialSeed(o.seed(), 100 + idx++);
                int g = d <= 13 ? 13 : 3;
                int kr = d < 3 ? 0 : (d <= 13 ? 3 * d : 3);
                String name = "A1 batch d=" + d + (identity ? " identity" : " vanilla");
                out.add(new Case(name, p, () -> batch(t, name, d, identity, g, kr, seed)));
            }
        }
        for (int b : Auditor.SMALL_BATCHES) {
            // Gaussian rows only: with near-kink rows no batch would be smaller than 4
            for (int d : SMALL_BATCH_A1_DIMS) {
                long seed = GaussianSampler.trialSeed(o.seed(), 700 + 10 * b + (d > 64 ? 1 : 0));
                String name = "A1 batch d=" + d + " B=" + b + " identity";
                out.add(new Case(name, p, () -> batch(t, name, d, true, b, 0, seed)));
            }
        }
        for (int d : A2_DIMS) {
            long seed = GaussianSampler.trialSeed(o.seed(), 200 + d);
            String name = "A2 population d=" + d;
            out.add(new Case(name, p, () -> population(t, name, d, seed, o.angleModel())));
        }
        for (int d : A3_DIMS) {
            long seed = GaussianSampler.trialSeed(o.seed(), 300 + d);
            String name = "A3 trajectory d=" + d;
            out.add(new Case(name, p, () -> trajectory(t, name, d, Math.max(1, Math.min(16, 20_000 / (d * d))), seed)));
        }
        for (int b : Auditor.SMALL_BATCHES) {
            long seed = GaussianSampler.trialSeed(o.seed(), 800 + b);
            String name = "A3 trajectory d=" + SMALL_BATCH_A3_D + " B=" + b;
            out.add(new Case(name, p, () -> trajectory(t, name, SMALL_BATCH_A3_D, b, seed)));
        }
        long detSeed = GaussianSampler.trialSeed(o.seed(), 400);
        out.add(new Case("determinism d=7", p, () -> determinism(t, "determinism d=7", 7, 13, detSeed)));
        out.add(new Case("determinism d=13 vanilla", p,
                () -> determinism(t, "determinism d=13 vanilla", 13, 3, GaussianSampler.trialSeed(o.seed(), 401))));
        out.add(new Case("thread safety d=13", p,
                () -> threadSafety(t, "thread safety d=13", 13, 7, GaussianSampler.trialSeed(o.seed(), 500))));
        String conv = "convergence d=" + CONVERGENCE_D;
        out.add(new Case(conv, p, () -> convergence(t, conv, GaussianSampler.trialSeed(o.seed(), 600))));
        return out;
    }

    // ---------------------------------------------------------------- A1-A3

    private static Check batch(Target t, String name, int d, boolean identity, int gaussianRows, int kinkRows, long seed) {
        Problem pr = Auditor.quickProblem(d, 0.5, seed, identity);
        double[] w = d >= 3 ? NearKink.roundColumn(pr.w0(), d, 0, NearKink.SHORT_BITS) : pr.w0();
        double[] xg = GaussianSampler.forTrial(seed, 0).batch(gaussianRows, d);
        double[] wSeen = t.round(w);
        double[] x = kinkRows > 0 ? NearKink.concat(xg, NearKink.batch(wSeen, d, kinkRows, seed, t.precision())) : xg;
        List<AuditReport> r = t.auditBatch(d, identity, w, pr.wStar(), x, gaussianRows + kinkRows);
        String replay = String.format(Locale.ROOT, "d=%d, identity=%s, seed=%d, size=%d (%d Gaussian rows from "
                        + "GaussianSampler.forTrial(seed, 0) + %d near-kink rows, W0, W* = Auditor.quickProblem(d, 0.5, seed, identity), "
                        + "column 0 of W0 rounded to 12 bits)", d, identity, seed, gaussianRows + kinkRows, gaussianRows,
                kinkRows);
        return fromReports(name, t, r, replay);
    }

    private static Check population(Target t, String name, int d, long seed, AngleModel model) {
        Problem pr = Auditor.quickProblem(d, 0.5, seed, true);
        double[] w0 = pr.w0();
        double[] ws = pr.wStar();
        double[] near = new double[d * d];
        for (int i = 0; i < near.length; i++) {
            near[i] = ws[i] + 1e-3 * (w0[i] - ws[i]);
        }
        List<AuditReport> r = new ArrayList<>();
        String[] where = {"W0", "W*", "W* + 1e-3 (W0 - W*)"};
        int i = 0;
        for (double[] w : new double[][] {w0, ws, near}) {
            for (AuditReport a : t.auditPopulation(d, w, ws, model)) {
                r.add(withNote(a, "point", where[i]));
            }
            i++;
        }
        String replay = String.format(Locale.ROOT, "d=%d, identity=true, seed=%d, size=0 (points W0, W*, W* + 1e-3 (W0 - W*) of "
                + "Auditor.quickProblem(d, 0.5, seed, true); angle model %s)", d, seed, model);
        return fromReports(name, t, r, replay);
    }

    private static Check trajectory(Target t, String name, int d, int batch, long seed) {
        Auditor.Options o = Auditor.Options.forD(d);
        o = o.withBatch(batch).withSteps(30).withEta(Math.min(0.05, 0.1 / d));
        Problem pr = Auditor.quickProblem(d, 0.5, seed, true);
        long sgdSeed = GaussianSampler.trialSeed(seed, 1);
        List<AuditReport> r = List.of(t.auditTrajectory(pr, o, sgdSeed));
        String replay = String.format(Locale.ROOT, "d=%d, identity=true, seed=%d, size=%d (batch %d x %d steps, eta %s, samples "
                        + "new GaussianSampler(%d), start Auditor.quickProblem(d, 0.5, seed, true))", d, seed, o.batch(),
                o.batch(), o.steps(), o.eta(), sgdSeed);
        return fromReports(name, t, r, replay);
    }

    private static AuditReport withNote(AuditReport a, String key, Object value) {
        java.util.Map<String, Object> n = new java.util.LinkedHashMap<>(a.notes());
        n.put(key, value);
        return new AuditReport(a.claimId(), a.quantity(), a.kernel(), a.precision(), a.d(), a.batch(), a.units(),
                a.elements(), a.maxAbsError(), a.maxRelError(), a.maxUlp(), a.minBitsCorrect(), a.worstIndex(),
                a.worstFast(), a.worstExact(), a.worstError(), a.worstBound(), a.maxRatio(), a.violations(), a.flips(),
                a.allowedFlips(), a.disallowedFlips(), a.passed(), a.bound(), n);
    }

    /** Pass iff every report passed; the message comes from the worst failing report (largest ratio). */
    static Check fromReports(String name, Target t, List<AuditReport> reports, String replay) {
        String p = t.precision().name().toLowerCase(Locale.ROOT);
        List<AuditReport> failed = reports.stream().filter(r -> !r.passed()).toList();
        if (failed.isEmpty()) {
            // gradientExactMask's bound is dominated by the flip allowance (an allowed flip uses it fully, ratio ~1):
            // the margin is read from the other quantities, as in the A1 claim (proofs-notes/A1.md)
            AuditReport top = reports.stream().filter(r -> !r.quantity().equals("gradientExactMask"))
                    .max(Comparator.comparingDouble(AuditReport::maxRatio)).orElse(reports.get(0));
            return new Check(name, p, true, String.format(Locale.ROOT, "%d quantities within their bounds; largest "
                    + "error/bound %.3g (%s %s)%s", reports.size(), top.maxRatio(), top.claimId(), top.quantity(),
                    top.claimId().equals("A1") ? String.format(Locale.ROOT, "; %d allowed activation flips at the kink",
                            reports.stream().filter(r -> r.quantity().equals("preActivation"))
                                    .mapToLong(AuditReport::allowedFlips).sum()) : ""), replay, reports);
        }
        AuditReport w = failed.stream().max(Comparator.comparingDouble(
                (AuditReport r) -> r.violations() > 0 ? r.maxRatio() : 0).thenComparingLong(AuditReport::disallowedFlips))
                .orElseThrow();
        StringBuilder m = new StringBuilder();
        m.append(String.format(Locale.ROOT, "%s %s (units %s) exceeds its bound: worst element %s%s: kernel %s, exact %s, "
                        + "|error| %.4g > bound %.4g (ratio %.4g); %d of %d elements over the bound",
                w.claimId(), w.quantity(), w.units(), w.worstIndex(),
                w.notes().containsKey("point") ? " at " + w.notes().get("point") : "",
                Double.toString(w.worstFast()), w.worstExact().isEmpty() ? "(reference trajectory; kernel value = "
                        + "observed distance)" : w.worstExact(), w.worstError(), w.worstBound(), w.maxRatio(),
                w.violations(), w.elements()));
        if (w.disallowedFlips() > 0) {
            m.append(String.format(Locale.ROOT, "; %d activation flips away from the kink (%s)", w.disallowedFlips(),
                    w.notes().getOrDefault("disallowedFlipWitness", "see preActivation")));
        }
        if (w.notes().containsKey("failure")) {
            m.append("; ").append(w.notes().get("failure"));
        }
        m.append("; bound ").append(w.bound());
        if (failed.size() > 1) {
            m.append("; also failing: ");
            m.append(String.join(", ", failed.stream().filter(r -> r != w).map(r -> r.claimId() + " " + r.quantity()
                    + (r.notes().containsKey("point") ? " at " + r.notes().get("point") : "")).toList()));
        }
        return new Check(name, p, false, m.toString(), replay, reports);
    }

    // ---------------------------------------------------------------- determinism, thread safety

    private static Check determinism(Target t, String name, int d, int batch, long seed) {
        boolean identity = d % 2 == 1 && !name.contains("vanilla");
        Problem pr = Auditor.quickProblem(d, 0.5, seed, identity);
        double[] x = GaussianSampler.forTrial(seed, 0).batch(batch, d);
        String replay = String.format(Locale.ROOT, "d=%d, identity=%s, seed=%d, size=%d (batch GaussianSampler.forTrial(seed, 0), "
                + "W0, W* = Auditor.quickProblem(d, 0.5, seed, identity), eta 0.05)", d, identity, seed, batch);
        Outputs a = t.outputs(d, identity, pr.w0(), pr.wStar(), x, batch, false);
        Outputs b = t.outputs(d, identity, pr.w0(), pr.wStar(), x, batch, true);
        String diff = a.firstDifference(b);
        if (diff != null) {
            return new Check(name, t.precisionName(), false, "same input twice, different bits: " + diff, replay, List.of());
        }
        if (a.inputsChanged() != null) {
            return new Check(name, t.precisionName(), false, "the kernel modified its input: " + a.inputsChanged(), replay, List.of());
        }
        return new Check(name, t.precisionName(), true, "every method gives the same bits twice (fresh and reused scratch, "
                + "zeroed and NaN-filled outputs); inputs unchanged", replay, List.of());
    }

    /** Rows of the long thread-safety inputs (the odd ones; the even ones have the case's batch). */
    static final int THREAD_SAFETY_LONG_BATCH = 256;

    private static Check threadSafety(Target t, String name, int d, int batch, long seed) {
        Problem pr = Auditor.quickProblem(d, 0.5, seed, true);
        double[][] xs = new double[ThreadSafetyCheck.INPUTS][];
        int[] batches = new int[xs.length];
        for (int i = 0; i < xs.length; i++) {
            // long calls keep a thread inside the kernel for most of its time, so a preemption (a busy machine) or
            // the other core (an idle one) lands inside a shared buffer's live window; short calls vary the sizes
            batches[i] = i % 2 == 0 ? batch : THREAD_SAFETY_LONG_BATCH;
            xs[i] = GaussianSampler.forTrial(seed, i).batch(batches[i], d);
        }
        String replay = String.format(Locale.ROOT, "d=%d, identity=true, seed=%d, size=%d (%d batches GaussianSampler.forTrial(seed, i) "
                        + "of %d rows (even i) or %d rows (odd i), W0, W* = Auditor.quickProblem(d, 0.5, seed, true); per "
                        + "method %d threads started at a barrier on one kernel instance until %d overlapped calls, %d to "
                        + "%d ms)", d, seed, batch, xs.length, batch, THREAD_SAFETY_LONG_BATCH, ThreadSafetyCheck.THREADS,
                ThreadSafetyCheck.OVERLAPPED_CALLS, TimeUnit.NANOSECONDS.toMillis(ThreadSafetyCheck.MIN_NANOS_PER_METHOD),
                TimeUnit.NANOSECONDS.toMillis(ThreadSafetyCheck.MAX_NANOS_PER_METHOD));
        ThreadSafetyCheck.Outcome o = ThreadSafetyCheck.run(t.methods(d, true, pr.w0(), pr.wStar(), xs, batches));
        return new Check(name, t.precisionName(), o.passed(), o.message(), replay, List.of());
    }

    // ---------------------------------------------------------------- convergence

    private static Check convergence(Target t, String name, long seed) {
        int d = CONVERGENCE_D;
        Problem pr = Auditor.quickProblem(d, 0.5, seed, true);
        double[] w0 = new double[d * d];
        for (int i = 0; i < w0.length; i++) {
            w0[i] = 0.2 * pr.w0()[i];
        }
        double[] ws = t.round(pr.wStar());
        double[] start = t.round(w0);
        ScalarKernel judge = new ScalarKernel();
        double l0 = judge.populationLossAndGradient(d, true, start, ws, null);
        double[] end = t.sgd(d, start, ws, CONVERGENCE_BATCH, CONVERGENCE_STEPS, CONVERGENCE_ETA, new GaussianSampler(seed));
        double lT = judge.populationLossAndGradient(d, true, end, ws, null);
        String replay = String.format(Locale.ROOT, "d=%d, identity=true, seed=%d, size=%d (W0 = 0.2 x quickProblem(d, 0.5, seed, "
                        + "true).w0(), W* its wStar(), %d sgdStep calls, eta %s, samples new GaussianSampler(seed))",
                d, seed, CONVERGENCE_BATCH, CONVERGENCE_STEPS, CONVERGENCE_ETA);
        boolean ok = Double.isFinite(lT) && lT <= l0 / CONVERGENCE_FACTOR;
        String msg = String.format(Locale.ROOT, "population loss (our ScalarKernel at the kernel's iterates) %.4g -> %.4g after %d "
                        + "steps (factor %.3g; required >= %s)", l0, lT, CONVERGENCE_STEPS, l0 / lT, CONVERGENCE_FACTOR);
        return new Check(name, t.precisionName(), ok, ok ? msg : "SGD does not converge: " + msg, replay, List.of());
    }

    // ---------------------------------------------------------------- precision adapters

    /** Everything a kernel returns on one input, as doubles, plus what it did to its inputs. */
    record Outputs(double[] h, double[] out, double[] res, double loss, double[] grad, double stepLoss, double[] stepW,
                   double stepLoss2, double[] stepW2, double popLoss, double[] popGrad, String inputsChanged) {
        String firstDifference(Outputs o) {
            String[] names = {"preActivations", "forward", "residuals", "lossAndGradient gradient", "sgdStep w",
                    "sgdStep w (second call, same scratch)", "populationLossAndGradient gradient"};
            double[][] mine = {h, out, res, grad, stepW, stepW2, popGrad};
            double[][] theirs = {o.h, o.out, o.res, o.grad, o.stepW, o.stepW2, o.popGrad};
            for (int k = 0; k < mine.length; k++) {
                for (int i = 0; i < mine[k].length; i++) {
                    if (Double.doubleToLongBits(mine[k][i]) != Double.doubleToLongBits(theirs[k][i])) {
                        return names[k] + "[" + i + "]: " + mine[k][i] + " then " + theirs[k][i];
                    }
                }
            }
            double[][] scalars = {{loss, o.loss}, {stepLoss, o.stepLoss}, {stepLoss2, o.stepLoss2}, {popLoss, o.popLoss}};
            String[] sn = {"lossAndGradient loss", "sgdStep loss", "sgdStep loss (second call)", "populationLossAndGradient loss"};
            for (int k = 0; k < scalars.length; k++) {
                if (Double.doubleToLongBits(scalars[k][0]) != Double.doubleToLongBits(scalars[k][1])) {
                    return sn[k] + ": " + scalars[k][0] + " then " + scalars[k][1];
                }
            }
            return null;
        }
    }

    /** One precision's view of the kernel, through doubles. */
    interface Target {
        Precision precision();

        default String precisionName() {
            return precision().name().toLowerCase(Locale.ROOT);
        }

        /** {@code v} as the kernel sees it (float path: rounded to nearest float), widened. */
        double[] round(double[] v);

        List<AuditReport> auditBatch(int d, boolean identity, double[] w, double[] ws, double[] x, int batch);

        List<AuditReport> auditPopulation(int d, double[] w, double[] ws, AngleModel model);

        AuditReport auditTrajectory(Problem p, Auditor.Options o, long sgdSeed);

        /**
         * All methods on fresh copies; {@code reuseScratch}: the step scratch is used once before (warm) and the
         * output arrays are pre-filled with NaN.
         */
        Outputs outputs(int d, boolean identity, double[] w, double[] ws, double[] x, int batch, boolean reuseScratch);

        /**
         * Every kernel method as a {@link ThreadSafetyCheck.Method} on input {@code i} = batch {@code xs[i]} of
         * {@code batches[i]} rows:
         * fresh input copies, fresh outputs and scratch per call.
         */
        List<ThreadSafetyCheck.Method> methods(int d, boolean identity, double[] w, double[] ws, double[][] xs, int[] batches);

        /** {@code steps} sgdStep calls from {@code w0} with fresh batches from {@code sampler}; the end point. */
        double[] sgd(int d, double[] w0, double[] ws, int batch, int steps, double eta, GaussianSampler sampler);
    }

    static final class DoubleTarget implements Target {
        final Kernel k;

        DoubleTarget(Kernel k) {
            this.k = k;
        }

        public Precision precision() { return Precision.DOUBLE; }

        public double[] round(double[] v) { return v.clone(); }

        public List<AuditReport> auditBatch(int d, boolean identity, double[] w, double[] ws, double[] x, int batch) {
            return Auditor.auditBatch(k, d, identity, w, ws, x, batch);
        }

        public List<AuditReport> auditPopulation(int d, double[] w, double[] ws, AngleModel model) {
            return Auditor.auditPopulation(k, d, true, w, ws, model, REF_DIGITS);
        }

        public AuditReport auditTrajectory(Problem p, Auditor.Options o, long sgdSeed) {
            return Auditor.auditTrajectory(k, p, o, sgdSeed);
        }

        public Outputs outputs(int d, boolean identity, double[] w, double[] ws, double[] x, int batch, boolean reuse) {
            double[] wc = w.clone();
            double[] wsc = ws.clone();
            double[] xc = x.clone();
            double[] h = new double[batch * d];
            double[] out = new double[batch];
            double[] res = new double[batch];
            double[] grad = new double[d * d];
            double[] popGrad = new double[d * d];
            if (reuse) {
                // outputs are overwritten, never accumulated into: garbage in them must not matter
                for (double[] a : new double[][] {h, out, res, grad, popGrad}) {
                    Arrays.fill(a, Double.NaN);
                }
            }
            k.preActivations(d, identity, wc, xc, batch, h);
            k.forward(d, identity, wc, xc, batch, out);
            double loss = k.lossAndGradient(d, identity, wc, wsc, xc, batch, res, grad);
            double popLoss = k.populationLossAndGradient(d, identity, wc, wsc, popGrad);
            String changed = changed(w, wc, ws, wsc, x, xc, "");
            Kernel.Scratch s = k.newScratch(d, batch);
            if (reuse) {
                k.sgdStep(d, identity, w.clone(), ws.clone(), x.clone(), batch, 0.05, s);
            }
            double[] step = w.clone();
            double l1 = k.sgdStep(d, identity, step, wsc, xc, batch, 0.05, s);
            double[] step2 = w.clone();
            double l2 = k.sgdStep(d, identity, step2, wsc, xc, batch, 0.05, s);
            if (changed == null) {
                changed = changed(w, w, ws, wsc, x, xc, " by sgdStep");
            }
            return new Outputs(h, out, res, loss, grad, l1, step, l2, step2, popLoss, popGrad, changed);
        }

        public List<ThreadSafetyCheck.Method> methods(int d, boolean id, double[] w, double[] ws, double[][] xs, int[] batches) {
            int dd = d * d;
            // the methods most likely to use scratch buffers first: a failing check stops at the first difference
            return List.of(
                    new ThreadSafetyCheck.Method("lossAndGradient", i -> List.of(part("residuals", batches[i]),
                            part("gradient", dd), part("loss", 1)), i -> {
                        double[] res = new double[batches[i]];
                        double[] g = new double[dd];
                        double l = k.lossAndGradient(d, id, w.clone(), ws.clone(), xs[i].clone(), batches[i], res, g);
                        return concat(res, g, l);
                    }),
                    new ThreadSafetyCheck.Method("sgdStep", i -> List.of(part("w", dd), part("loss", 1)), i -> {
                        double[] step = w.clone();
                        double l = k.sgdStep(d, id, step, ws.clone(), xs[i].clone(), batches[i], 0.05,
                                k.newScratch(d, batches[i]));
                        return concat(step, new double[0], l);
                    }),
                    new ThreadSafetyCheck.Method("preActivations", i -> List.of(part("h", batches[i] * d)), i -> {
                        double[] h = new double[batches[i] * d];
                        k.preActivations(d, id, w.clone(), xs[i].clone(), batches[i], h);
                        return h;
                    }),
                    new ThreadSafetyCheck.Method("forward", i -> List.of(part("out", batches[i])), i -> {
                        double[] out = new double[batches[i]];
                        k.forward(d, id, w.clone(), xs[i].clone(), batches[i], out);
                        return out;
                    }),
                    // the closed form has no batch: input i is the point between(W0, W*, i), so threads differ
                    new ThreadSafetyCheck.Method("populationLossAndGradient", i -> List.of(part("gradient", dd),
                            part("loss", 1)), i -> {
                        double[] g = new double[dd];
                        double l = k.populationLossAndGradient(d, id, between(w, ws, i), ws.clone(), g);
                        return concat(g, new double[0], l);
                    }));
        }

        public double[] sgd(int d, double[] w0, double[] ws, int batch, int steps, double eta, GaussianSampler sampler) {
            double[] w = w0.clone();
            Kernel.Scratch s = k.newScratch(d, batch);
            for (int t = 0; t < steps; t++) {
                k.sgdStep(d, true, w, ws.clone(), sampler.batch(batch, d), batch, eta, s);
            }
            return w;
        }
    }

    static final class FloatTarget implements Target {
        final FloatKernel k;

        FloatTarget(FloatKernel k) {
            this.k = k;
        }

        public Precision precision() { return Precision.FLOAT; }

        public double[] round(double[] v) { return Matrices.toDouble(Matrices.toFloat(v)); }

        public List<AuditReport> auditBatch(int d, boolean identity, double[] w, double[] ws, double[] x, int batch) {
            return Auditor.auditBatch(k, d, identity, Matrices.toFloat(w), Matrices.toFloat(ws), Matrices.toFloat(x), batch);
        }

        public List<AuditReport> auditPopulation(int d, double[] w, double[] ws, AngleModel model) {
            return Auditor.auditPopulation(k, d, true, Matrices.toFloat(w), Matrices.toFloat(ws), model, REF_DIGITS);
        }

        public AuditReport auditTrajectory(Problem p, Auditor.Options o, long sgdSeed) {
            return Auditor.auditTrajectory(k, p, o, sgdSeed);
        }

        public Outputs outputs(int d, boolean identity, double[] wd, double[] wsd, double[] xd, int batch, boolean reuse) {
            float[] w = Matrices.toFloat(wd);
            float[] ws = Matrices.toFloat(wsd);
            float[] x = Matrices.toFloat(xd);
            float[] wc = w.clone();
            float[] wsc = ws.clone();
            float[] xc = x.clone();
            float[] h = new float[batch * d];
            float[] out = new float[batch];
            float[] res = new float[batch];
            float[] grad = new float[d * d];
            float[] popGrad = new float[d * d];
            if (reuse) {
                for (float[] a : new float[][] {h, out, res, grad, popGrad}) {
                    Arrays.fill(a, Float.NaN);
                }
            }
            k.preActivations(d, identity, wc, xc, batch, h);
            k.forward(d, identity, wc, xc, batch, out);
            float loss = k.lossAndGradient(d, identity, wc, wsc, xc, batch, res, grad);
            float popLoss = k.populationLossAndGradient(d, identity, wc, wsc, popGrad);
            String changed = changed(Matrices.toDouble(w), Matrices.toDouble(wc), Matrices.toDouble(ws),
                    Matrices.toDouble(wsc), Matrices.toDouble(x), Matrices.toDouble(xc), "");
            FloatKernel.Scratch s = k.newScratch(d, batch);
            if (reuse) {
                k.sgdStep(d, identity, w.clone(), ws.clone(), x.clone(), batch, 0.05f, s);
            }
            float[] step = w.clone();
            float l1 = k.sgdStep(d, identity, step, wsc, xc, batch, 0.05f, s);
            float[] step2 = w.clone();
            float l2 = k.sgdStep(d, identity, step2, wsc, xc, batch, 0.05f, s);
            if (changed == null) {
                changed = changed(wd, wd, Matrices.toDouble(ws), Matrices.toDouble(wsc), Matrices.toDouble(x),
                        Matrices.toDouble(xc), " by sgdStep");
            }
            return new Outputs(Matrices.toDouble(h), Matrices.toDouble(out), Matrices.toDouble(res), loss,
                    Matrices.toDouble(grad), l1, Matrices.toDouble(step), l2, Matrices.toDouble(step2), popLoss,
                    Matrices.toDouble(popGrad), changed);
        }

        public List<ThreadSafetyCheck.Method> methods(int d, boolean id, double[] wd, double[] wsd, double[][] xsd, int[] batches) {
            int dd = d * d;
            float[] w = Matrices.toFloat(wd);
            float[] ws = Matrices.toFloat(wsd);
            float[][] xs = new float[xsd.length][];
            float[][] points = new float[xsd.length][];
            for (int i = 0; i < xs.length; i++) {
                xs[i] = Matrices.toFloat(xsd[i]);
                points[i] = Matrices.toFloat(between(wd, wsd, i));
            }
            // the methods most likely to use scratch buffers first: a failing check stops at the first difference
            return List.of(
                    new ThreadSafetyCheck.Method("lossAndGradient", i -> List.of(part("residuals", batches[i]),
                            part("gradient", dd), part("loss", 1)), i -> {
                        float[] res = new float[batches[i]];
                        float[] g = new float[dd];
                        float l = k.lossAndGradient(d, id, w.clone(), ws.clone(), xs[i].clone(), batches[i], res, g);
                        return concat(Matrices.toDouble(res), Matrices.toDouble(g), l);
                    }),
                    new ThreadSafetyCheck.Method("sgdStep", i -> List.of(part("w", dd), part("loss", 1)), i -> {
                        float[] step = w.clone();
                        float l = k.sgdStep(d, id, step, ws.clone(), xs[i].clone(), batches[i], 0.05f,
                                k.newScratch(d, batches[i]));
                        return concat(Matrices.toDouble(step), new double[0], l);
                    }),
                    new ThreadSafetyCheck.Method("preActivations", i -> List.of(part("h", batches[i] * d)), i -> {
                        float[] h = new float[batches[i] * d];
                        k.preActivations(d, id, w.clone(), xs[i].clone(), batches[i], h);
                        return Matrices.toDouble(h);
                    }),
                    new ThreadSafetyCheck.Method("forward", i -> List.of(part("out", batches[i])), i -> {
                        float[] out = new float[batches[i]];
                        k.forward(d, id, w.clone(), xs[i].clone(), batches[i], out);
                        return Matrices.toDouble(out);
                    }),
                    new ThreadSafetyCheck.Method("populationLossAndGradient", i -> List.of(part("gradient", dd),
                            part("loss", 1)), i -> {
                        float[] g = new float[dd];
                        float l = k.populationLossAndGradient(d, id, points[i].clone(), ws.clone(), g);
                        return concat(Matrices.toDouble(g), new double[0], l);
                    }));
        }

        public double[] sgd(int d, double[] w0, double[] ws, int batch, int steps, double eta, GaussianSampler sampler) {
            float[] w = Matrices.toFloat(w0);
            float[] wsf = Matrices.toFloat(ws);
            FloatKernel.Scratch s = k.newScratch(d, batch);
            for (int t = 0; t < steps; t++) {
                k.sgdStep(d, true, w, wsf.clone(), Matrices.toFloat(sampler.batch(batch, d)), batch, (float) eta, s);
            }
            return Matrices.toDouble(w);
        }
    }

    private static ThreadSafetyCheck.Part part(String name, int length) {
        return new ThreadSafetyCheck.Part(name, length);
    }

    private static double[] concat(double[] a, double[] b, double last) {
        double[] r = Arrays.copyOf(a, a.length + b.length + 1);
        System.arraycopy(b, 0, r, a.length, b.length);
        r[r.length - 1] = last;
        return r;
    }

    /** {@code W0 + (i / INPUTS) (W* - W0)}: distinct population points per thread-safety input. */
    private static double[] between(double[] w0, double[] ws, int i) {
        double[] p = new double[w0.length];
        double f = i / (double) ThreadSafetyCheck.INPUTS;
        for (int k = 0; k < p.length; k++) {
            p[k] = w0[k] + f * (ws[k] - w0[k]);
        }
        return p;
    }

    static String changed(double[] w, double[] wc, double[] ws, double[] wsc, double[] x, double[] xc, String how) {
        if (!Arrays.equals(w, wc)) {
            return "w changed" + how;
        }
        if (!Arrays.equals(ws, wsc)) {
            return "wStar changed" + how;
        }
        if (!Arrays.equals(x, xc)) {
            return "x changed" + how;
        }
        return null;
    }
}
