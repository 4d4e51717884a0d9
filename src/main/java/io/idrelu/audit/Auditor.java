package io.idrelu.audit;

import io.idrelu.kernel.FloatKernel;
import io.idrelu.kernel.Kernel;
import io.idrelu.model.GaussianSampler;
import io.idrelu.model.Matrices;
import io.idrelu.model.Problem;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Entry point of the accuracy audit (claims A1, A2, A3; MATH.md section 4): the fast path (double
 * {@link Kernel}, float {@link FloatKernel}; scalar or vector) against the exact BigDecimal reference
 * at the same inputs. The float path's inputs are floats (the Gaussian doubles rounded to nearest);
 * those floats, taken exactly, are the reference's inputs. Used by {@code idrelu audit} and by the
 * claim classes; never prints.
 */
public final class Auditor {
    private Auditor() { }

    /**
     * Batch sizes every audit also runs (A1 on the first 1, 2, 3 rows of its batch; A3 with batches of 1, 2, 3):
     * online SGD with one sample is the commonest use, and a kernel may special-case small batches (a kernel
     * that drops the factor 2 of the gradient only at batch 1 passed every case of batch 13 and more).
     */
    public static final int[] SMALL_BATCHES = {1, 2, 3};

    /**
     * Angle method assumed by the A2 bound: {@code PopulationClosedForm} (every double kernel) takes the Gram route
     * where {@code sin theta >= 1/2} and Kahan's formula elsewhere; {@code PopulationClosedFormFloat} uses Kahan's
     * formula everywhere, whose bound {@code GRAM_KAHAN} contains.
     */
    public static final AngleModel DEFAULT_ANGLE_MODEL = AngleModel.GRAM_KAHAN;

    /**
     * Sizes of one audit run. Derived per d by {@link #forD(int)} so the BigDecimal work stays near
     * {@code 2e5} multiply-adds per batch.
     *
     * @param batch       batch size for A1 and A3
     * @param steps       SGD steps for A3
     * @param eta         step size for A3 (true units)
     * @param gamma       spectral norm of random W0, W* ({@link Problem#random})
     * @param refDigits   digits of the population reference (A2)
     * @param sgdDigits   digits the reference SGD keeps after each step (A3)
     * @param angleModel  angle method assumed by the A2 bound
     * @param convergedFraction A3 outcome: converged iff {@code L(W_T) <= convergedFraction * L(W_0)}
     */
    public record Options(int batch, int steps, double eta, double gamma, int refDigits, int sgdDigits,
                          AngleModel angleModel, double convergedFraction) {
        public static Options forD(int d) {
            int batch = (int) Math.max(1, Math.min(64, 200_000L / ((long) d * d)));
            int steps = (int) Math.max(2, Math.min(40, 200_000L / ((long) batch * d * d)));
            return new Options(batch, steps, Math.min(0.05, 0.5 / d), 0.5, 40, 34, DEFAULT_ANGLE_MODEL, 0.1);
        }

        public Options withBatch(int b) {
            return new Options(b, steps, eta, gamma, refDigits, sgdDigits, angleModel, convergedFraction);
        }

        public Options withSteps(int s) {
            return new Options(batch, s, eta, gamma, refDigits, sgdDigits, angleModel, convergedFraction);
        }

        public Options withEta(double e) {
            return new Options(batch, steps, e, gamma, refDigits, sgdDigits, angleModel, convergedFraction);
        }
    }

    /**
     * A1 on one batch, double path: pre-activations, outputs, residuals, loss, gradient (two references), then
     * {@link Repeatability} (the same calls again into the dirty outputs and into fresh ones: same bits).
     */
    public static List<AuditReport> auditBatch(Kernel k, int d, boolean identity, double[] w, double[] wStar,
                                               double[] x, int batch) {
        check(d, w, wStar, x, batch);
        FastBatch f = FastBatch.run(k, d, identity, w, wStar, x, batch);
        List<AuditReport> r = new ArrayList<>(BatchAudit.audit(f, d, identity, batch));
        r.add(Repeatability.check(k, d, identity, w, wStar, x, batch, f));
        return r;
    }

    /** A1 on one batch, float path; the reference is given exactly these floats. */
    public static List<AuditReport> auditBatch(FloatKernel k, int d, boolean identity, float[] w, float[] wStar,
                                               float[] x, int batch) {
        check(d, Matrices.toDouble(w), Matrices.toDouble(wStar), Matrices.toDouble(x), batch);
        FastBatch f = FastBatch.run(k, d, identity, w, wStar, x, batch);
        List<AuditReport> r = new ArrayList<>(BatchAudit.audit(f, d, identity, batch));
        r.add(Repeatability.check(k, d, identity, w, wStar, x, batch, f));
        return r;
    }

    /** A2, double path: population loss and gradient against {@code PopulationReference(refDigits)}. */
    public static List<AuditReport> auditPopulation(Kernel k, int d, boolean identity, double[] w, double[] wStar,
                                                    AngleModel model, int refDigits) {
        check(d, w, wStar, new double[0], 0);
        double[] g = new double[d * d];
        double l = k.populationLossAndGradient(d, identity, w.clone(), wStar.clone(), g);
        return PopulationAudit.audit(k.name(), Precision.DOUBLE, model, d, identity, w, wStar, l, g, refDigits);
    }

    /** A2, float path. */
    public static List<AuditReport> auditPopulation(FloatKernel k, int d, boolean identity, float[] w, float[] wStar,
                                                    AngleModel model, int refDigits) {
        check(d, Matrices.toDouble(w), Matrices.toDouble(wStar), new double[0], 0);
        float[] g = new float[d * d];
        float l = k.populationLossAndGradient(d, identity, w.clone(), wStar.clone(), g);
        return PopulationAudit.audit(k.name(), Precision.FLOAT, model, d, identity, Matrices.toDouble(w),
                Matrices.toDouble(wStar), l, Matrices.toDouble(g), refDigits);
    }

    /** A3, double path: SGD from {@code problem.w0()} on samples {@code new GaussianSampler(seed)}. */
    public static AuditReport auditTrajectory(Kernel k, Problem problem, Options o, long seed) {
        int d = problem.d();
        return TrajectoryAudit.audit(TrajectoryAudit.of(k, d, problem.identity(), problem.w0(), problem.wStar(),
                o.eta(), o.batch()), d, problem.identity(), problem.w0(), problem.wStar(), o.batch(), o.steps(),
                seed, o.sgdDigits(), o.convergedFraction());
    }

    /** A3, float path: start, teacher, samples and step rounded to float; the reference starts from those floats. */
    public static AuditReport auditTrajectory(FloatKernel k, Problem problem, Options o, long seed) {
        int d = problem.d();
        double[] w0 = Matrices.toDouble(Matrices.toFloat(problem.w0()));
        double[] ws = Matrices.toDouble(Matrices.toFloat(problem.wStar()));
        return TrajectoryAudit.audit(TrajectoryAudit.of(k, d, problem.identity(), w0, ws, o.eta(), o.batch()),
                d, problem.identity(), w0, ws, o.batch(), o.steps(), seed, o.sgdDigits(), o.convergedFraction());
    }

    /**
     * A1, A2 and A3 on one problem (e.g. a fixture) for both precisions: the A1 batch is {@code o.batch()}
     * Gaussian rows from {@code GaussianSampler.forTrial(seed, 0)} plus, for {@code d >= 3},
     * {@code min(3d, 39)} near-kink rows ({@link NearKink}, seed {@code trialSeed(seed, 2)}); the SGD samples
     * come from {@code trialSeed(seed, 1)}. Either kernel may be null (that precision is skipped).
     */
    public static List<AuditReport> auditProblem(Kernel k, FloatKernel fk, Problem problem, Options o, long seed) {
        int d = problem.d();
        double[] xg = GaussianSampler.forTrial(seed, 0).batch(o.batch(), d);
        // near-kink rows (d >= 3) so that flips are exercised on any instance, fixtures included
        int kink = d < 3 ? 0 : Math.min(3 * d, 39);
        long kinkSeed = GaussianSampler.trialSeed(seed, 2);
        float[] wf = Matrices.toFloat(problem.w0());
        float[] wsf = Matrices.toFloat(problem.wStar());
        double[] x = kink == 0 ? xg : NearKink.concat(xg, NearKink.batch(problem.w0(), d, kink, kinkSeed, Precision.DOUBLE));
        double[] xf = kink == 0 ? xg : NearKink.concat(xg, NearKink.batch(Matrices.toDouble(wf), d, kink, kinkSeed, Precision.FLOAT));
        return auditProblem(k, fk, problem, x, wf, wsf, Matrices.toFloat(xf), o.batch() + kink, o,
                GaussianSampler.trialSeed(seed, 1));
    }

    /**
     * A1, A2 and A3 on one problem with a given batch (e.g. a fixture's {@code X}) for both precisions: the
     * double path sees {@code problem} and {@code x}, the float path {@code w0f}, {@code wStarF}, {@code xf} (the
     * caller's rounding to float, e.g. directly from exact decimals) and starts its trajectory from those floats;
     * the SGD samples come from {@code new GaussianSampler(sgdSeed)}. Each precision also gets A1 on the first
     * {@link #SMALL_BATCHES} rows of {@code x} (those smaller than {@code batch}) and A3 with those batch sizes
     * (other than {@code o.batch()}; samples from {@code trialSeed(sgdSeed, b)}). Either kernel may be null (that
     * precision is skipped, and its inputs are not read).
     */
    public static List<AuditReport> auditProblem(Kernel k, FloatKernel fk, Problem problem, double[] x, float[] w0f,
                                                 float[] wStarF, float[] xf, int batch, Options o, long sgdSeed) {
        int d = problem.d();
        boolean id = problem.identity();
        List<AuditReport> out = new ArrayList<>();
        if (k != null) {
            out.addAll(auditBatch(k, d, id, problem.w0(), problem.wStar(), x, batch));
            for (int b : SMALL_BATCHES) {
                if (b < batch) {
                    out.addAll(auditBatch(k, d, id, problem.w0(), problem.wStar(), Arrays.copyOf(x, b * d), b));
                }
            }
            out.addAll(auditPopulation(k, d, id, problem.w0(), problem.wStar(), o.angleModel(), o.refDigits()));
            out.add(auditTrajectory(k, problem, o, sgdSeed));
            for (int b : SMALL_BATCHES) {
                if (b != o.batch()) {
                    out.add(auditTrajectory(k, problem, o.withBatch(b), GaussianSampler.trialSeed(sgdSeed, b)));
                }
            }
        }
        if (fk != null) {
            Problem pf = new Problem(d, id, Matrices.toDouble(w0f), Matrices.toDouble(wStarF));
            out.addAll(auditBatch(fk, d, id, w0f, wStarF, xf, batch));
            for (int b : SMALL_BATCHES) {
                if (b < batch) {
                    out.addAll(auditBatch(fk, d, id, w0f, wStarF, Arrays.copyOf(xf, b * d), b));
                }
            }
            out.addAll(auditPopulation(fk, d, id, w0f, wStarF, o.angleModel(), o.refDigits()));
            out.add(auditTrajectory(fk, pf, o, sgdSeed));
            for (int b : SMALL_BATCHES) {
                if (b != o.batch()) {
                    out.add(auditTrajectory(fk, pf, o.withBatch(b), GaussianSampler.trialSeed(sgdSeed, b)));
                }
            }
        }
        return out;
    }

    /**
     * A random instance for the audit without the SVD of {@link Problem#random} (too slow at d = 257 for
     * the fast test tier): independent Gaussian {@code W0}, {@code W*} (streams {@code forTrial(seed, -2)},
     * {@code forTrial(seed, -3)}) scaled by {@code gamma / (2 sqrt d)}, so {@code ||W||_2} is close to
     * {@code gamma} (edge of the Marchenko-Pastur law) but not exactly it. The accuracy claims do not
     * depend on the norm.
     */
    public static Problem quickProblem(int d, double gamma, long seed, boolean identity) {
        double scale = gamma / (2 * Math.sqrt(d));
        double[] w0 = GaussianSampler.forTrial(seed, -2).batch(d, d);
        double[] ws = GaussianSampler.forTrial(seed, -3).batch(d, d);
        for (int i = 0; i < w0.length; i++) {
            w0[i] *= scale;
            ws[i] *= scale;
        }
        return new Problem(d, identity, w0, ws);
    }

    /** {@link #auditProblem} on {@code Problem.random(d, o.gamma(), seed, true)}. */
    public static List<AuditReport> auditRandom(Kernel k, FloatKernel fk, int d, long seed, Options o) {
        return auditProblem(k, fk, Problem.random(d, o.gamma(), seed, true), o, seed);
    }

    public static boolean allPassed(List<AuditReport> reports) {
        return reports.stream().allMatch(AuditReport::passed);
    }

    /** JSON-ready structure: {@code {"passed": bool, "reports": [ ... ]}}. */
    public static Map<String, Object> toJson(List<AuditReport> reports) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("passed", allPassed(reports));
        List<Map<String, Object>> l = new ArrayList<>();
        for (AuditReport r : reports) {
            l.add(r.toMap());
        }
        m.put("reports", l);
        return m;
    }

    /** Plain-text table (see {@link AuditTable}). */
    public static String renderTable(List<AuditReport> reports) {
        return AuditTable.render(reports);
    }

    static void check(int d, double[] w, double[] wStar, double[] x, int batch) {
        if (d < 1 || d > Problem.MAX_D) {
            throw new IllegalArgumentException("d = " + d + ": expected 1 <= d <= " + Problem.MAX_D);
        }
        if (w.length != d * d || wStar.length != d * d) {
            throw new IllegalArgumentException("W has " + w.length + " and W* " + wStar.length + " entries != " + d * d
                    + " expected for d = " + d);
        }
        if (x.length != (long) batch * d) {
            throw new IllegalArgumentException("batch has " + x.length + " entries != " + (long) batch * d
                    + " = batch " + batch + " x d " + d);
        }
        for (double[] a : new double[][] {w, wStar, x}) {
            for (double v : a) {
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException("non-finite input " + v + ": expected finite W, W*, X");
                }
            }
        }
    }
}
