package io.idrelu.audit;

import io.idrelu.kernel.FloatKernel;
import io.idrelu.kernel.Kernel;
import io.idrelu.kernel.KernelProvider;
import io.idrelu.model.Matrices;
import io.idrelu.model.Problem;
import io.idrelu.reference.PopulationReference;
import io.idrelu.reference.ReferenceSgd;
import io.idrelu.reference.SgdStep;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

/**
 * Claim A3 (proofs-notes/A3.md): pins the divergence envelope of {@link TrajectoryAudit} step by step.
 * An independent re-evaluation of the documented recursion
 * {@code e_{t+1} = max(1, eta lambda_t - 1) e_t + eta (G_t + J_t) + rho_fast + rho_ref} (times
 * {@code 1 + 1e-12}) from what the audit's fast path saw (recorded by a wrapping {@link TrajectoryAudit.FastPath})
 * must reproduce every step's envelope and observed distance. The recursion's own inflation factors are
 * {@code 1 + 1e-12}, so values are compared at relative {@code 1e-13}: any dropped/changed term or factor
 * shows up. The A1 term uses {@link BatchBounds} (the A1 specification, pinned in its own tests) with masks
 * and flip sets computed here from exact BigDecimal pre-activations. Trajectories are tiny (d = 2..3, B <= 3,
 * a few steps) so each test takes milliseconds.
 */
class TrajectoryAuditTest {
    private static final Kernel K = KernelProvider.doubleKernel(KernelProvider.Choice.SCALAR);
    private static final FloatKernel KF = KernelProvider.floatKernel(KernelProvider.Choice.SCALAR);
    /** The audit's self-inflation of each evaluated term. */
    private static final double INFL = 1 + 1e-12;
    /** Comparison tolerance: below the 1e-12 inflation, far above the few-ulp evaluation-order noise. */
    private static final double REL = 1e-13;

    /** Hook on the samples a path sees: (step t, rounded samples, current fast W) -> samples. */
    interface SampleHook {
        double[] apply(int t, double[] x, double[] w);
    }

    /** Hook after the kernel step: (step t, samples, W after, mutable) . */
    interface StepHook {
        void apply(int t, double[] x, double[] w);
    }

    /** Wraps a path, records what the audit saw, and can replace samples (the audit passes them on as given). */
    static final class Recorder implements TrajectoryAudit.FastPath {
        final TrajectoryAudit.FastPath inner;
        final SampleHook hook;
        final List<double[]> xs = new ArrayList<>();
        final List<double[]> before = new ArrayList<>();
        final List<double[]> after = new ArrayList<>();
        final List<FastBatch> fbs = new ArrayList<>();
        int t;

        Recorder(TrajectoryAudit.FastPath inner, SampleHook hook) {
            this.inner = inner;
            this.hook = hook;
        }

        public Precision precision() { return inner.precision(); }
        public String name() { return inner.name(); }
        public double[] samples(double[] x) {
            double[] y = inner.samples(x);
            return hook == null ? y : hook.apply(t, y, inner.w());
        }
        public FastBatch measure(double[] x) {
            xs.add(x.clone());
            before.add(inner.w());
            FastBatch fb = inner.measure(x);
            fbs.add(fb);
            return fb;
        }
        public void step(double[] x) {
            inner.step(x);
            after.add(inner.w());
            t++;
        }
        public double[] w() { return inner.w(); }
        public double eta() { return inner.eta(); }
    }

    /** Replaces what the fast path reports on a batch (a kernel whose pre-activations are off). */
    interface MeasureHook {
        FastBatch apply(double[] x, double[] w, FastBatch fb);
    }

    /** Double path on the scalar kernel whose W can be altered after a step (a path that leaves the reference). */
    static final class ManualPath implements TrajectoryAudit.FastPath {
        final int d;
        final boolean identity;
        final double[] w;
        final double[] wStar;
        final double eta;
        final int batch;
        final StepHook hook;
        final boolean frozen;
        MeasureHook measureHook;
        int t;

        ManualPath(int d, boolean identity, double[] w0, double[] wStar, double eta, int batch, StepHook hook,
                   boolean frozen) {
            this.d = d;
            this.identity = identity;
            this.w = w0.clone();
            this.wStar = wStar.clone();
            this.eta = eta;
            this.batch = batch;
            this.hook = hook;
            this.frozen = frozen;
        }

        public Precision precision() { return Precision.DOUBLE; }
        public String name() { return "manual"; }
        public double[] samples(double[] x) { return x.clone(); }
        public FastBatch measure(double[] x) {
            FastBatch fb = FastBatch.run(K, d, identity, w, wStar, x, batch);
            return measureHook == null ? fb : measureHook.apply(x, w.clone(), fb);
        }
        public void step(double[] x) {
            if (!frozen) {
                K.sgdStep(d, identity, w, wStar.clone(), x.clone(), batch, eta, K.newScratch(d, batch));
            }
            if (hook != null) {
                hook.apply(t, x, w);
            }
            t++;
        }
        public double[] w() { return w.clone(); }
        public double eta() { return eta; }
    }

    /** The recursion evaluated here, from the recorded steps. */
    static final class Expected {
        final List<Double> envelope = new ArrayList<>();
        final List<Double> observed = new ArrayList<>();
        final List<Double> amp = new ArrayList<>();
        final List<Double> rhoRef = new ArrayList<>();
        final List<Double> rest = new ArrayList<>();
        final List<Double> jump = new ArrayList<>();
        long segmentFlipSamples;
        long a1Flips;
        long sameSignStraddles;
        long onKink;
        long positiveCandidates;
        int maxUnits;
        BigDecimal[][] wRef;
        Recorder last;
    }

    static BigDecimal exactH(boolean identity, BigDecimal[][] w, double[] x, int b, int d, int j) {
        BigDecimal s = identity ? new BigDecimal(x[b * d + j]) : BigDecimal.ZERO;
        for (int r = 0; r < d; r++) {
            s = s.add(new BigDecimal(x[b * d + r]).multiply(w[r][j]));
        }
        return s;
    }

    /** lambda_max of a symmetric matrix: closed form for n <= 2, Commons Math otherwise. */
    static double lambdaMax(double[][] g) {
        int n = g.length;
        if (n == 1) {
            return g[0][0];
        }
        if (n == 2) {
            double m = (g[0][0] + g[1][1]) / 2;
            double h = (g[0][0] - g[1][1]) / 2;
            return m + Math.sqrt(h * h + g[0][1] * g[0][1]);
        }
        double l = Double.NEGATIVE_INFINITY;
        for (double v : new EigenDecomposition(new Array2DRowRealMatrix(g)).getRealEigenvalues()) {
            l = Math.max(l, v);
        }
        return l;
    }

    static Expected expect(Recorder rec, int d, boolean identity, double[] w0, double[] wStar, int batch,
                           int refDigits) {
        Precision p = rec.precision();
        double eta = rec.eta();
        Expected ex = new Expected();
        BigDecimal[][] wr = Matrices.exact(w0, d);
        BigDecimal[][] ws = Matrices.exact(wStar, d);
        double e = 0;
        for (int t = 0; t < rec.xs.size(); t++) {
            double[] x = rec.xs.get(t);
            double[] wf = rec.before.get(t);
            FastBatch fb = rec.fbs.get(t);
            BigDecimal[][] wfx = Matrices.exact(wf, d);
            BatchBounds bb = new BatchBounds(p, d, identity, wf, wStar, x, batch, new double[batch]);
            double[] absR = new double[batch];
            double[] xn = new double[batch];
            for (int b = 0; b < batch; b++) {
                absR[b] = Math.abs(fb.residuals()[b]) + bb.residual(b);
                double s = 0;
                for (int r = 0; r < d; r++) {
                    s += x[b * d + r] * x[b * d + r];
                }
                xn[b] = Math.sqrt(s) * INFL;
            }
            boolean[][] mask = new boolean[batch][d];
            boolean[][] flip = new boolean[batch][d];
            boolean[] excluded = new boolean[batch];
            int[] units = new int[batch];
            for (int b = 0; b < batch; b++) {
                for (int j = 0; j < d; j++) {
                    double hf = fb.h()[b * d + j];
                    double eh = bb.preActivation(b, j);
                    boolean seg = Math.abs(hf) <= e * xn[b] + eh;
                    boolean a1 = Math.abs(hf) <= 2 * eh;
                    if (!seg && !a1) {
                        mask[b][j] = hf > 0;
                        continue;
                    }
                    int sa = exactH(identity, wfx, x, b, d, j).signum();
                    int sr = exactH(identity, wr, x, b, d, j).signum();
                    mask[b][j] = sa > 0;
                    flip[b][j] = (sa > 0) != (hf > 0);
                    ex.positiveCandidates += sa > 0 && sa == sr ? 1 : 0;
                    ex.a1Flips += flip[b][j] ? 1 : 0;
                    if (seg && (sa == 0 || sa != sr)) {
                        excluded[b] = true;
                        units[b]++;
                        ex.onKink += sa == 0 ? 1 : 0;
                        ex.sameSignStraddles += sa != 0 ? 1 : 0;
                    }
                }
                ex.segmentFlipSamples += excluded[b] ? 1 : 0;
                ex.maxUnits = Math.max(ex.maxUnits, units[b]);
            }
            // G_t: Frobenius norm of the A1 bound, active = exact mask or flipped, flip term where flipped
            double g2 = 0;
            for (int j = 0; j < d; j++) {
                boolean[] active = new boolean[batch];
                boolean[] fl = new boolean[batch];
                for (int b = 0; b < batch; b++) {
                    fl[b] = flip[b][j];
                    active[b] = mask[b][j] || flip[b][j];
                }
                for (int r = 0; r < d; r++) {
                    double v = bb.gradient(r, x, absR, active, fl);
                    g2 += v * v;
                }
            }
            double g = Math.sqrt(g2) * INFL;
            // lambda_t: (2/B) Gram over kept samples, + 64 n u ||Gram||_F, times 1 + 1e-8
            List<Integer> kept = new ArrayList<>();
            for (int b = 0; b < batch; b++) {
                if (!excluded[b]) {
                    kept.add(b);
                }
            }
            double lambda = 0;
            if (!kept.isEmpty()) {
                int n = kept.size();
                double[][] gram = new double[n][n];
                double fro = 0;
                for (int i = 0; i < n; i++) {
                    for (int k = 0; k < n; k++) {
                        int b = kept.get(i);
                        int c = kept.get(k);
                        double xx = 0;
                        int common = 0;
                        for (int r = 0; r < d; r++) {
                            xx += x[b * d + r] * x[c * d + r];
                            common += mask[b][r] && mask[c][r] ? 1 : 0;
                        }
                        gram[i][k] = 2.0 * xx * common / batch;
                        fro += gram[i][k] * gram[i][k];
                    }
                }
                lambda = lambdaMax(gram) + 64.0 * n * 0x1.0p-53 * Math.sqrt(fro);
            }
            lambda *= 1 + 1e-8;
            double amp = Math.max(1, eta * lambda - 1);
            // J_t: (2/B) sum_flip |x_b| [d |x_b| e + (|r_b| + sqrt(d) |x_b| e) sqrt(k_b)]
            double jump = 0;
            for (int b = 0; b < batch; b++) {
                if (excluded[b]) {
                    jump += xn[b] * (d * xn[b] * e + (absR[b] + Math.sqrt(d) * xn[b] * e) * Math.sqrt(units[b]));
                }
            }
            jump = 2 * jump / batch * INFL;
            double[] wNext = rec.after.get(t);
            double rhoF = p.gamma(2) * (Matrices.frobeniusNorm(wNext)
                    + eta * (Matrices.frobeniusNorm(fb.grad()) + 2 * g)) * INFL;
            SgdStep rs = ReferenceSgd.step(identity, wr, ws, Matrices.exactRows(x, batch, d), new BigDecimal(eta),
                    new MathContext(refDigits));
            wr = rs.next();
            double rhoR = Math.nextUp(rs.maxRoundingError().doubleValue()) * d * INFL;
            e = (amp * e + eta * (g + jump) + rhoF + rhoR) * INFL;
            double o2 = 0;
            for (int r = 0; r < d; r++) {
                for (int c = 0; c < d; c++) {
                    double diff = new BigDecimal(wNext[r * d + c]).subtract(wr[r][c]).doubleValue();
                    o2 += diff * diff;
                }
            }
            ex.envelope.add(e);
            ex.observed.add(Math.sqrt(o2));
            ex.amp.add(amp);
            ex.rhoRef.add(rhoR);
            ex.rest.add(eta * g + rhoF);
            ex.jump.add(jump);
        }
        ex.wRef = wr;
        return ex;
    }

    @SuppressWarnings("unchecked")
    static List<Double> list(AuditReport r, String key) {
        return (List<Double>) r.notes().get(key);
    }

    static double num(AuditReport r, String key) {
        return ((Number) r.notes().get(key)).doubleValue();
    }

    /** Every step's envelope and observed distance, and the report's summary fields, against {@code ex}. */
    static void assertPinned(AuditReport r, Expected ex, int d, int batch, int steps) {
        List<Double> env = list(r, "envelopePerStep");
        List<Double> obs = list(r, "observedPerStep");
        assertThat(env).hasSize(steps);
        assertThat(obs).hasSize(steps);
        for (int t = 0; t < steps; t++) {
            assertThat(env.get(t)).as("envelope after step %d", t + 1).isCloseTo(ex.envelope.get(t),
                    within(REL * ex.envelope.get(t)));
            assertThat(obs.get(t)).as("observed after step %d", t + 1).isCloseTo(ex.observed.get(t),
                    within(REL * ex.observed.get(t)));
        }
        double eT = ex.envelope.get(steps - 1);
        assertThat(num(r, "finalEnvelope")).isCloseTo(eT, within(REL * eT));
        assertThat(num(r, "finalObserved")).isEqualTo(obs.get(steps - 1));
        assertThat(num(r, "sqrtLossBand")).isCloseTo(Math.sqrt(d) * eT, within(REL * eT * Math.sqrt(d)));
        assertThat(num(r, "maxAmplification")).isCloseTo(Math.max(1, ex.amp.stream().mapToDouble(v -> v).max()
                .orElse(1)), within(1e-12));
        assertThat(((Number) r.notes().get("segmentFlipSamples")).longValue()).isEqualTo(ex.segmentFlipSamples);
        assertThat(r.flips()).isEqualTo(ex.segmentFlipSamples);
        // worst step: the first step with the largest observed/envelope
        int worst = 0;
        long viol = 0;
        for (int t = 0; t < steps; t++) {
            if (ex.observed.get(t) / ex.envelope.get(t) > ex.observed.get(worst) / ex.envelope.get(worst)) {
                worst = t;
            }
            viol += ex.observed.get(t) > ex.envelope.get(t) ? 1 : 0;
        }
        assertThat(r.worstIndex()).isEqualTo("step " + (worst + 1));
        assertThat(r.worstError()).isEqualTo(obs.get(worst));
        assertThat(r.maxAbsError()).isEqualTo(obs.get(worst));
        assertThat(r.worstFast()).isEqualTo(obs.get(worst));
        assertThat(r.worstBound()).isEqualTo(env.get(worst));
        assertThat(r.maxRatio()).isCloseTo(obs.get(worst) / env.get(worst), within(1e-15));
        assertThat(r.violations()).isEqualTo(viol);
        assertThat(r.claimId()).isEqualTo("A3");
        assertThat(r.quantity()).isEqualTo("trajectory");
        assertThat(r.d()).isEqualTo(d);
        assertThat(r.batch()).isEqualTo(batch);
        assertThat(r.elements()).isEqualTo(steps);
        assertThat(r.units()).isEqualTo("none");
        List<Double> stepIdx = list(r, "stepPerStep");
        assertThat(stepIdx).hasSize(steps);
        for (int t = 0; t < steps; t++) {
            assertThat(stepIdx.get(t)).isEqualTo(t + 1.0);
        }
    }

    /** Population losses and outcome notes recomputed with PopulationReference(30). */
    static void assertOutcome(AuditReport r, boolean identity, int d, double[] w0, double[] wStar, double[] wFast,
                              BigDecimal[][] wRef, double fraction) {
        PopulationReference pr = new PopulationReference(30);
        BigDecimal[][] ws = Matrices.exact(wStar, d);
        double l0 = pr.loss(identity, Matrices.exact(w0, d), ws).doubleValue();
        double lf = pr.loss(identity, Matrices.exact(wFast, d), ws).doubleValue();
        double lr = pr.loss(identity, wRef, ws).doubleValue();
        assertThat(num(r, "populationLoss0")).isEqualTo(l0);
        assertThat(num(r, "populationLossFast")).isEqualTo(lf);
        assertThat(num(r, "populationLossReference")).isEqualTo(lr);
        assertThat(r.notes().get("convergedFast")).isEqualTo(lf <= fraction * l0);
        assertThat(r.notes().get("convergedReference")).isEqualTo(lr <= fraction * l0);
        double gap = Math.abs(Math.sqrt(lf) - Math.sqrt(lr));
        assertThat(num(r, "sqrtLossGap")).isEqualTo(gap);
        assertThat(num(r, "convergedFraction")).isEqualTo(fraction);
        // proofs-notes/A3.md, outcome: 1.5u per square root of a rounded loss, u |gap| for the subtraction, 1e-25 for the reference
        double u = 0x1p-53;
        double slack = 1.5 * u * (Math.sqrt(lf) + Math.sqrt(lr)) + u * gap + 1e-25 * Math.max(1, Math.sqrt(Math.max(lf, lr)));
        assertThat(num(r, "sqrtLossGapSlack")).isCloseTo(slack, within(1e-12 * slack));
    }

    @Test
    void doublePathEnvelopeIsTheDocumentedRecursionAtEveryStep() {
        // catches: any changed factor/term of e_{t+1}, of the observed distance, of the summary fields
        int d = 3;
        int batch = 2;
        int steps = 4;
        Problem pr = Problem.random(d, 0.6, 7, true);
        Recorder rec = new Recorder(TrajectoryAudit.of(K, d, true, pr.w0(), pr.wStar(), 0.05, batch), null);
        AuditReport r = TrajectoryAudit.audit(rec, d, true, pr.w0(), pr.wStar(), batch, steps, 11, 34, 0.1);
        Expected ex = expect(rec, d, true, pr.w0(), pr.wStar(), batch, 34);
        assertPinned(r, ex, d, batch, steps);
        assertOutcome(r, true, d, pr.w0(), pr.wStar(), rec.w(), ex.wRef, 0.1);
        assertThat(r.kernel()).isEqualTo("scalar");
        assertThat(r.precision()).isEqualTo("double");
        assertThat(r.passed()).isTrue();
        assertThat(r.violations()).isZero();
        assertThat(num(r, "eta")).isEqualTo(0.05);
        assertThat(r.notes().get("steps")).isEqualTo(steps);
        assertThat(r.notes().get("seed")).isEqualTo(11L);
        assertThat(r.notes().get("refDigits")).isEqualTo(34);
        // the fast path really moved along the samples the audit drew (not a frozen W)
        assertThat(rec.w()).isNotEqualTo(pr.w0());
        assertThat(ex.observed.get(steps - 1)).isPositive();
    }

    @Test
    void floatPathEnvelopeUsesFloatRoundingAndFloatStep() {
        // catches: float path reporting double precision/eta, wrong name, unrounded samples
        int d = 2;
        int batch = 2;
        int steps = 3;
        Problem pr = Problem.random(d, 0.5, 3, false);
        double[] w0 = Matrices.toDouble(Matrices.toFloat(pr.w0()));
        double[] ws = Matrices.toDouble(Matrices.toFloat(pr.wStar()));
        double eta = 0.1;
        Recorder rec = new Recorder(TrajectoryAudit.of(KF, d, false, w0, ws, eta, batch), null);
        AuditReport r = TrajectoryAudit.audit(rec, d, false, w0, ws, batch, steps, 5, 34, 0.1);
        Expected ex = expect(rec, d, false, w0, ws, batch, 34);
        assertPinned(r, ex, d, batch, steps);
        assertOutcome(r, false, d, w0, ws, rec.w(), ex.wRef, 0.1);
        assertThat(r.kernel()).isEqualTo("scalar");
        assertThat(r.precision()).isEqualTo("float");
        assertThat(num(r, "eta")).isEqualTo((double) (float) eta).isNotEqualTo(eta);
        for (double[] x : rec.xs) {
            for (double v : x) {
                assertThat((double) (float) v).isEqualTo(v);
            }
        }
        assertThat(r.passed()).isTrue();
        // float: envelope at float scale (>= gamma_2 ||W||), far above any double-only envelope
        assertThat(ex.envelope.get(0)).isGreaterThan(Precision.FLOAT.gamma(2) * Matrices.frobeniusNorm(rec.after.get(0)));
    }

    @Test
    void expansiveStepsMultiplyTheEnvelope() {
        // large eta: eta lambda - 1 > 1, the fixed-mask step expands; catches a changed amplification
        int d = 2;
        int batch = 1;
        int steps = 3;
        Problem pr = Problem.random(d, 0.3, 1, true);
        Recorder rec = new Recorder(TrajectoryAudit.of(K, d, true, pr.w0(), pr.wStar(), 0.5, batch), null);
        AuditReport r = TrajectoryAudit.audit(rec, d, true, pr.w0(), pr.wStar(), batch, steps, 1, 34, 0.1);
        Expected ex = expect(rec, d, true, pr.w0(), pr.wStar(), batch, 34);
        assertThat(ex.amp.subList(1, steps)).as("coverage: expansive steps after the first").allMatch(a -> a > 1.5);
        assertPinned(r, ex, d, batch, steps);
    }

    @Test
    void expansiveStepsWithThreeSamplesUseTheGramEigenvalue() {
        // B = 3 with all samples kept: the eigenvalue of the 3 x 3 Gram matrix (off-diagonal <x_b,x_c><m_b,m_c>)
        int d = 2;
        int batch = 3;
        int steps = 3;
        Problem pr = Problem.random(d, 0.3, 3, true);
        Recorder rec = new Recorder(TrajectoryAudit.of(K, d, true, pr.w0(), pr.wStar(), 0.5, batch), null);
        AuditReport r = TrajectoryAudit.audit(rec, d, true, pr.w0(), pr.wStar(), batch, steps, 3, 34, 0.1);
        Expected ex = expect(rec, d, true, pr.w0(), pr.wStar(), batch, 34);
        assertThat(ex.amp.subList(1, steps)).as("coverage: expansive steps after the first").anyMatch(a -> a > 1.5);
        assertPinned(r, ex, d, batch, steps);
    }

    @Test
    void coarseReferenceRoundingIsCharged() {
        // refDigits = 9: rho_ref dominates the envelope; catches rho_ref scaled by 1/d or dropped
        int d = 2;
        int batch = 2;
        int steps = 3;
        Problem pr = Problem.random(d, 0.5, 13, true);
        Recorder rec = new Recorder(TrajectoryAudit.of(K, d, true, pr.w0(), pr.wStar(), 0.05, batch), null);
        AuditReport r = TrajectoryAudit.audit(rec, d, true, pr.w0(), pr.wStar(), batch, steps, 2, 9, 0.1);
        Expected ex = expect(rec, d, true, pr.w0(), pr.wStar(), batch, 9);
        for (int t = 0; t < steps; t++) {
            assertThat(ex.rhoRef.get(t)).as("coverage: rho_ref dominates").isGreaterThan(10 * ex.rest.get(t));
        }
        assertPinned(r, ex, d, batch, steps);
        assertThat(r.notes().get("refDigits")).isEqualTo(9);
        // the observed distance is the reference's rounding, and it stays inside the envelope
        assertThat(ex.observed.get(steps - 1)).isGreaterThan(1e-12);
        assertThat(r.passed()).isTrue();
    }

    /**
     * Samples on and next to the kink of the fast iterate, after the fast path was pushed off the reference:
     * exercises the exact sign decision (sign 0 at the fast end; strict signs differing between the ends),
     * the jump term J_t, the exclusion of those samples from the Gram matrix and the A1 flip allowance.
     */
    @Test
    void segmentFlipsAreDecidedExactlyAndCharged() {
        int d = 3;
        int batch = 3;
        int steps = 3;
        boolean identity = true;
        Problem pr = Problem.random(d, 0.5, 17, identity);
        double[] w0 = pr.w0();
        double[] ws = pr.wStar();
        double push = 1e-9;
        // after step 1 the fast W[1][0] is moved by +push (the fast path leaves the reference: observed > envelope)
        StepHook hook = (t, x, w) -> {
            if (t == 0) {
                w[1 * d + 0] += push;
            }
        };
        SampleHook samples = (t, x, w) -> {
            if (t == 0) {
                return x;
            }
            double[] y = x.clone();
            // row 0: on the kink of unit 0 at the fast W (p = 1, q = 2; x_0 = 0): exact <u_0, x> = 0
            y[0] = 0;
            y[1] = w[2 * d + 0];
            y[2] = -w[1 * d + 0];
            // row 1: unit 0, x_q one ulp off the kink towards the sign that differs from the reference end:
            // <u_0, x>(W_fast) - <u_0, x>(W_ref) = x_1 * push, so the two ends have opposite strict signs
            y[d] = 0;
            y[d + 1] = w[2 * d + 0];
            double xq = -w[1 * d + 0];
            // exact h at fast = x_1 W10 + xq W20 = W20 (W10 + xq): choose xq so W10 + xq has sign of x_1 * W20... see check
            y[d + 2] = Math.signum(w[2 * d + 0]) * Math.signum(y[d + 1]) > 0 ? Math.nextUp(xq) : Math.nextDown(xq);
            return y;
        };
        Recorder rec = new Recorder(new ManualPath(d, identity, w0, ws, 0.05, batch, hook, false), samples);
        AuditReport r = TrajectoryAudit.audit(rec, d, identity, w0, ws, batch, steps, 29, 34, 0.1);
        Expected ex = expect(rec, d, identity, w0, ws, batch, 34);
        assertThat(ex.onKink).as("coverage: exact pre-activation 0 at the fast end").isPositive();
        assertThat(ex.sameSignStraddles).as("coverage: strict signs differ between the ends").isPositive();
        assertThat(ex.jump.subList(1, steps)).as("coverage: jump charged").allMatch(j -> j > 0);
        assertThat(ex.segmentFlipSamples).isEqualTo(2L * (steps - 1));
        assertPinned(r, ex, d, batch, steps);
        assertThat(r.kernel()).isEqualTo("manual");
        // pushed off by 1e-9 >> envelope: step 1 violates. At step 2 row 1 really is active at the fast end and
        // inactive at the reference end, so the two gradients differ by O(eta |r| |x|) (observed ~1e-3); the jump
        // term (2/B) |x_b| |r_b| sqrt(k_b) charges exactly that and the envelope covers it (validity)
        assertThat(r.violations()).isEqualTo(1);
        assertThat(ex.observed.get(1)).isGreaterThan(1e-6);
        assertThat(ex.envelope.get(1)).isGreaterThan(ex.observed.get(1));
        assertThat(r.worstIndex()).isEqualTo("step 1");
        assertThat(r.passed()).isFalse();
    }

    /** Every row exactly on the kink of its unit b (x_b = 0, x_p = W[q][b], x_q = -W[p][b]), d = 3, B = 3. */
    private static Expected kinkRows(double[] w0, double[] ws, int steps, boolean identity) {
        int d = 3;
        int batch = 3;
        SampleHook samples = (t, x, w) -> {
            double[] y = new double[x.length];
            for (int b = 0; b < batch; b++) {
                int p = (b + 1) % d;
                int q = (b + 2) % d;
                y[b * d + p] = w[q * d + b];
                y[b * d + q] = -w[p * d + b];
            }
            return y;
        };
        Recorder rec = new Recorder(TrajectoryAudit.of(K, d, identity, w0, ws, 0.05, batch), samples);
        AuditReport r = TrajectoryAudit.audit(rec, d, identity, w0, ws, batch, steps, 1, 34, 0.1);
        Expected ex = expect(rec, d, identity, w0, ws, batch, 34);
        assertThat(ex.onKink).isEqualTo((long) steps * batch);
        assertPinned(r, ex, d, batch, steps);
        assertThat(r.flips()).isEqualTo((long) steps * batch);
        ex.last = rec;
        return ex;
    }

    @Test
    void a1FlipAllowanceUsesTheExactSignAtTheFastIterate() {
        // rows on the kink: the fast h is a rounding residue of either sign; where it is > 0 the exact sign (0)
        // disagrees and the A1 term must carry the flip term for that row. All rows are also possible segment
        // flips (exact h = 0) and charge the jump.
        Problem pr = Problem.random(3, 0.5, 1, false);
        Expected ex = kinkRows(pr.w0(), pr.wStar(), 2, false);
        assertThat(ex.a1Flips).as("coverage: a fast sign that differs from the exact one").isPositive();
        // W* = W0 with the identity (the teacher always has it, MATH.md section 1): zero residuals, so the flip
        // term |r| |x| no longer hides the "active" term of the A1 bound (catches an unflipped-but-active sample
        // dropped, or a flipped one not counted as active). x_b = 0, so the identity term keeps the kink.
        Expected same = kinkRows(pr.w0(), pr.w0(), 2, true);
        assertThat(same.a1Flips).as("coverage: flips with zero residual").isPositive();
        for (FastBatch fb : same.last.fbs) {
            assertThat(fb.residuals()).containsOnly(0.0);
        }
    }

    @Test
    void exactZeroFastPreActivationIsNotAFlipOfAZeroExactOne() {
        // 12-bit columns: the products are exact, so the fast h is exactly 0 on the kink, like the exact one:
        // no flip (fast indicator h > 0 is false, exact one too). Catches h >= 0 as the fast indicator.
        Problem pr = Problem.random(3, 0.5, 2, false);
        double[] w = pr.w0();
        for (int j = 0; j < 3; j++) {
            w = NearKink.roundColumn(w, 3, j, NearKink.SHORT_BITS);
        }
        Expected ex = kinkRows(w, pr.wStar(), 1, false);
        for (int b = 0; b < 3; b++) {
            assertThat(ex.last.fbs.get(0).h()[b * 3 + b]).as("coverage: fast h exactly 0").isZero();
        }
        assertThat(ex.a1Flips).isZero();
    }

    @Test
    void aSampleOnTwoKinksCountsTwoPossibleFlips() {
        // x = (0, 0.75, 0.25) is on the kink of unit 0 and of unit 1 (their rows 1..2 are parallel): k_b = 2,
        // so the jump carries sqrt(2) (catches / sqrt(k) and a count that stops at 1)
        int d = 3;
        int batch = 1;
        double[] w0 = {0.5, 0.3, 0.2, 0.25, 0.5, -0.4, -0.75, -1.5, 0.1};
        double[] ws = {0.25, -0.5, 0.5, 0.75, 0.125, -0.25, 0.5, 0.25, 1.0};
        Recorder rec = new Recorder(TrajectoryAudit.of(K, d, false, w0, ws, 0.05, batch),
                (t, x, w) -> new double[] {0, 0.75, 0.25});
        AuditReport r = TrajectoryAudit.audit(rec, d, false, w0, ws, batch, 1, 1, 34, 0.1);
        Expected ex = expect(rec, d, false, w0, ws, batch, 34);
        assertThat(ex.maxUnits).as("coverage: two units on the kink").isEqualTo(2);
        assertThat(ex.jump.get(0)).isPositive();
        assertPinned(r, ex, d, batch, 1);
        assertThat(r.flips()).isEqualTo(1);
    }

    @Test
    void zeroStepsReportTheStart() {
        // no step: nothing observed, envelope 0, worst step unset, outcome compares W0 with itself
        int d = 2;
        Problem pr = Problem.random(d, 0.5, 3, true);
        Recorder rec = new Recorder(TrajectoryAudit.of(K, d, true, pr.w0(), pr.wStar(), 0.05, 1), null);
        AuditReport r = TrajectoryAudit.audit(rec, d, true, pr.w0(), pr.wStar(), 1, 0, 1, 34, 0.1);
        assertThat(num(r, "finalObserved")).isZero();
        assertThat(num(r, "finalEnvelope")).isZero();
        assertThat(num(r, "sqrtLossBand")).isZero();
        assertThat(list(r, "observedPerStep")).isEmpty();
        assertThat(r.worstIndex()).isEqualTo("step -1");
        assertThat(r.maxRatio()).isZero();
        assertThat(r.elements()).isZero();
        assertThat(num(r, "sqrtLossGap")).isZero();
        assertThat(r.passed()).isTrue();
    }

    @Test
    void a1PossibleFlipSetIncludesItsBoundary() {
        // proofs-notes/A3.md: the A1 term takes the possible-flip set |h_fast| <= 2 E_h. A kernel reporting h = +2 E_h exactly
        // where the exact pre-activation is clearly negative: the audit must decide the sign exactly (inactive,
        // flipped: flip term charged). Catches "< 2 E_h" (the sample would count as active and unflipped).
        int d = 2;
        int batch = 2;
        boolean identity = true;
        double[] w0 = {-0.5, 0.25, 0.125, 0.5};
        double[] ws = {0.25, -0.5, 0.5, 0.25};
        ManualPath fp = new ManualPath(d, identity, w0, ws, 0.05, batch, null, false);
        // unit 0 of sample 0: h = x_0 (1 - 0.5) + x_1 0.125 = -0.4375 for x_0 = -1, x_1 = 0.5; same for sample 1,
        // reported as 4 E_h: outside the set, so the fast indicator (active, no flip term) is used there
        // (catches every pair treated as a candidate)
        fp.measureHook = (x, w, fb) -> {
            double[] h = fb.h().clone();
            BatchBounds bb = new BatchBounds(Precision.DOUBLE, d, identity, w, ws, x, batch, new double[batch]);
            h[0] = 2 * bb.preActivation(0, 0);
            h[d] = 4 * bb.preActivation(1, 0);
            return new FastBatch(fb.kernel(), fb.precision(), fb.w(), fb.wStar(), fb.x(), h, fb.out(),
                    fb.residuals(), fb.loss(), fb.grad());
        };
        Recorder rec = new Recorder(fp, (t, x, w) -> {
            double[] y = x.clone();
            y[0] = -1;
            y[1] = 0.5;
            y[d] = -1;
            y[d + 1] = 0.5;
            return y;
        });
        AuditReport r = TrajectoryAudit.audit(rec, d, identity, w0, ws, batch, 1, 3, 34, 0.1);
        Expected ex = expect(rec, d, identity, w0, ws, batch, 34);
        assertThat(ex.a1Flips).as("coverage: the boundary sample is a decided flip").isEqualTo(1);
        assertThat(ex.segmentFlipSamples).isZero();
        assertPinned(r, ex, d, batch, 1);
    }

    @Test
    void candidateWithATinyPositiveExactPreActivationStaysActive() {
        // row 0 is 1 ulp off the kink of unit 0 on the positive side: a candidate (|h| <= E_h), exact sign > 0 at
        // both ends (step 1: W_fast = W_ref), so no segment flip; the kernel reports the correctly rounded h > 0.
        // The exact mask must keep it active (catches the exact decision setting the mask to false).
        int d = 3;
        int batch = 2;
        boolean identity = false;
        double[] w0 = {0.5, 0.3, 0.2, 0.25, 0.5, -0.4, -0.75, -1.5, 0.1};
        double[] ws = {0.25, -0.5, 0.5, 0.75, 0.125, -0.25, 0.5, 0.25, 1.0};
        ManualPath fp = new ManualPath(d, identity, w0, ws, 0.05, batch, null, false);
        fp.measureHook = (x, w, fb) -> {
            double[] h = fb.h().clone();
            h[0] = exactH(identity, Matrices.exact(w, d), x, 0, d, 0).doubleValue();
            return new FastBatch(fb.kernel(), fb.precision(), fb.w(), fb.wStar(), fb.x(), h, fb.out(),
                    fb.residuals(), fb.loss(), fb.grad());
        };
        // x_1 W10 + x_2 W20 with x_1 = W20 = -0.75, x_2 = nextDown(-W10) = nextDown(-0.25): W20 (W10 + x_2) > 0
        Recorder rec = new Recorder(fp, (t, x, w) -> {
            double[] y = x.clone();
            y[0] = 0;
            y[1] = w[2 * d + 0];
            y[2] = Math.nextDown(-w[1 * d + 0]);
            return y;
        });
        AuditReport r = TrajectoryAudit.audit(rec, d, identity, w0, ws, batch, 1, 3, 34, 0.1);
        Expected ex = expect(rec, d, identity, w0, ws, batch, 34);
        assertThat(rec.fbs.get(0).h()[0]).as("coverage: tiny positive fast h").isPositive().isLessThan(1e-15);
        assertThat(ex.positiveCandidates).as("coverage: candidate with the same positive sign at both ends").isPositive();
        assertThat(ex.segmentFlipSamples).isZero();
        assertPinned(r, ex, d, batch, 1);
    }

    @Test
    void allZeroTrajectoryHasZeroEnvelopeRatioAndPasses() {
        // W0 = W* = 0 and zero samples: every term is 0 but rho_ref; catches a later step chosen as worst among
        // equal ratios, "converged" decided with < (0 < 0.1 * 0), and the sign of the band's 1e-25 slack
        int d = 2;
        int batch = 2;
        int steps = 3;
        double[] z = new double[d * d];
        Recorder rec = new Recorder(TrajectoryAudit.of(K, d, true, z, z, 0.05, batch),
                (t, x, w) -> new double[x.length]);
        AuditReport r = TrajectoryAudit.audit(rec, d, true, z, z, batch, steps, 1, 34, 0.1);
        Expected ex = expect(rec, d, true, z, z, batch, 34);
        assertPinned(r, ex, d, batch, steps);
        // all terms vanish except rho_ref = nextUp(0) * d per step (the exact reference error rounded up)
        assertThat(list(r, "envelopePerStep")).containsExactly(2 * Double.MIN_VALUE, 4 * Double.MIN_VALUE,
                6 * Double.MIN_VALUE);
        assertThat(list(r, "observedPerStep")).containsExactly(0.0, 0.0, 0.0);
        assertThat(r.maxRatio()).isZero();
        assertThat(r.worstIndex()).isEqualTo("step 1");
        assertThat(r.violations()).isZero();
        assertThat(num(r, "populationLoss0")).isZero();
        assertThat(r.notes().get("convergedFast")).isEqualTo(true);
        assertThat(r.notes().get("convergedReference")).isEqualTo(true);
        assertThat(r.notes()).doesNotContainKey("failure");
        assertThat(r.passed()).isTrue();
        // zero rows: every unit is exactly on the kink, so every sample is a possible segment flip
        assertThat(r.flips()).isEqualTo((long) steps * batch);
    }

    @Test
    void longTrajectoriesAreThinnedToAbout50Points() {
        // catches: thinning at exactly 50, wrong stride, missing last point
        int d = 2;
        double[] z = new double[d * d];
        for (int steps : new int[] {50, 51, 120}) {
            Recorder rec = new Recorder(TrajectoryAudit.of(K, d, true, z, z, 0.05, 1), (t, x, w) -> new double[x.length]);
            AuditReport r = TrajectoryAudit.audit(rec, d, true, z, z, 1, steps, 1, 34, 0.1);
            List<Double> expected = new ArrayList<>();
            if (steps <= 50) {
                for (int t = 1; t <= steps; t++) {
                    expected.add((double) t);
                }
            } else {
                int stride = (steps + 49) / 50; // ceil(steps / 50)
                for (int i = 0; i < steps; i += stride) {
                    expected.add(i + 1.0);
                }
                expected.add((double) steps);
            }
            assertThat(list(r, "stepPerStep")).as("steps = %d", steps).isEqualTo(expected);
            assertThat(list(r, "envelopePerStep")).hasSize(expected.size());
            assertThat(list(r, "observedPerStep")).hasSize(expected.size());
            assertThat(r.elements()).isEqualTo(steps);
        }
    }

    /** A path whose W[1][0] is kept 0 by zero samples in coordinate 1, then set to exactly {@code delta}. */
    private static AuditReport nearMiss(double delta, double[] w0, double[] ws) {
        int d = 2;
        TrajectoryAudit.FastPath fp = new ManualPath(d, true, w0, ws, 0.05, 2, (t, x, w) -> w[1 * d + 0] = delta, false);
        Recorder rec = new Recorder(fp, (t, x, w) -> {
            double[] y = x.clone();
            y[1] = 0;
            y[d + 1] = 0;
            return y;
        });
        return TrajectoryAudit.audit(rec, d, true, w0, ws, 2, 1, 37, 34, 0.1);
    }

    @Test
    void nearMissControlsPinTheDecisionRule() {
        // one step; the only extra difference is entry [1][0] (untouched by the update: its gradient is
        // x_b1 * ... = 0): observed^2 = observed_0^2 + delta^2 exactly. (1 + 1e-3) envelope must be flagged,
        // (1 - 1e-3) envelope must pass: catches loosened / tightened envelopes and the side of the comparison.
        double[] w0 = {0.4, -0.3, 0.0, 0.0};
        double[] ws = {-0.2, 0.5, 0.0, 0.0};
        AuditReport base = nearMiss(0, w0, ws);
        double e1 = num(base, "finalEnvelope");
        double o0 = num(base, "finalObserved");
        assertThat(o0).isLessThan(0.5 * e1);
        assertThat(base.passed()).isTrue();
        AuditReport over = nearMiss(Math.sqrt(Math.pow(1.001 * e1, 2) - o0 * o0), w0, ws);
        AuditReport under = nearMiss(Math.sqrt(Math.pow(0.999 * e1, 2) - o0 * o0), w0, ws);
        assertThat(num(over, "finalEnvelope")).isCloseTo(e1, within(1e-9 * e1));
        assertThat(over.maxRatio()).isCloseTo(1.001, within(1e-6));
        assertThat(over.violations()).isEqualTo(1);
        assertThat(over.passed()).isFalse();
        assertThat(under.maxRatio()).isCloseTo(0.999, within(1e-6));
        assertThat(under.violations()).isZero();
        assertThat(under.passed()).isTrue();
    }

    /** Zero samples keep W (and the exact reference) at W0 = short binary fractions; entry [1][0] becomes delta. */
    private static AuditReport atEnvelope(double delta) {
        int d = 2;
        double[] w0 = {0.5, -0.25, 0.0, 0.75};
        double[] ws = {0.25, 0.5, -0.5, 0.125};
        ManualPath fp = new ManualPath(d, true, w0, ws, 0.05, 2, (t, x, w) -> w[1 * d + 0] = delta, false);
        Recorder rec = new Recorder(fp, (t, x, w) -> new double[x.length]);
        return TrajectoryAudit.audit(rec, d, true, w0, ws, 2, 1, 5, 34, 0.1);
    }

    @Test
    void observedExactlyAtTheEnvelopeIsNotAViolation() {
        // the rule is observed <= envelope: with every other entry exact, observed = |delta| = e_1 exactly
        // (sqrt(fl(delta^2)) = |delta|); delta^2 ~ 1e-32 does not move ||W'||_F, so e_1 is unchanged.
        // catches obs >= e counted as a violation
        AuditReport base = atEnvelope(0);
        double e1 = num(base, "finalEnvelope");
        assertThat(num(base, "finalObserved")).isZero();
        AuditReport at = atEnvelope(e1);
        assertThat(num(at, "finalEnvelope")).isEqualTo(e1);
        assertThat(num(at, "finalObserved")).isEqualTo(e1);
        assertThat(at.maxRatio()).isEqualTo(1.0);
        assertThat(at.violations()).isZero();
        assertThat(at.passed()).isTrue();
        AuditReport above = atEnvelope(Math.nextUp(e1));
        assertThat(above.violations()).isEqualTo(1);
        assertThat(above.passed()).isFalse();
    }

    @Test
    void outcomeMustAgree() {
        // a path that never moves: the reference's loss drops below the threshold, the fast one does not;
        // the report fails with the outcome reason, and the gap is far outside the band
        int d = 2;
        int batch = 2;
        int steps = 3;
        boolean identity = true;
        Problem pr = Problem.random(d, 0.5, 41, identity);
        double[] w0 = pr.w0();
        double[] ws = pr.wStar();
        // reference trajectory computed here first to place the threshold between the two outcomes
        Recorder probe = new Recorder(TrajectoryAudit.of(K, d, identity, w0, ws, 0.1, batch), null);
        TrajectoryAudit.audit(probe, d, identity, w0, ws, batch, steps, 43, 34, 0.1);
        Expected pex = expect(probe, d, identity, w0, ws, batch, 34);
        PopulationReference p30 = new PopulationReference(30);
        double l0 = p30.loss(identity, Matrices.exact(w0, d), Matrices.exact(ws, d)).doubleValue();
        double lr = p30.loss(identity, pex.wRef, Matrices.exact(ws, d)).doubleValue();
        assertThat(lr).as("precondition: the reference decreases the loss").isLessThan(l0);
        double fraction = (lr / l0 + 1) / 2;

        Recorder rec = new Recorder(new ManualPath(d, identity, w0, ws, 0.1, batch, null, true), null);
        AuditReport r = TrajectoryAudit.audit(rec, d, identity, w0, ws, batch, steps, 43, 34, fraction);
        Expected ex = expect(rec, d, identity, w0, ws, batch, 34);
        assertPinned(r, ex, d, batch, steps);
        assertOutcome(r, identity, d, w0, ws, rec.w(), ex.wRef, fraction);
        assertThat(r.notes().get("convergedFast")).isEqualTo(false);
        assertThat(r.notes().get("convergedReference")).isEqualTo(true);
        assertThat(num(r, "sqrtLossGap")).isGreaterThan(num(r, "sqrtLossBand"));
        assertThat(r.passed()).isFalse();
        assertThat(r.notes().get("failure")).isEqualTo("outcome differs or final losses outside the band");
    }

    @Test
    void outcomeBandAloneFailsAPathThatConvergesLikeTheReference() {
        // both converge (fraction 1.5 > 1) but the fast path stayed at W0: the sqrt-loss gap exceeds the band
        int d = 2;
        int batch = 2;
        Problem pr = Problem.random(d, 0.5, 41, true);
        Recorder rec = new Recorder(new ManualPath(d, true, pr.w0(), pr.wStar(), 0.1, batch, null, true), null);
        AuditReport r = TrajectoryAudit.audit(rec, d, true, pr.w0(), pr.wStar(), batch, 2, 43, 34, 1.5);
        assertThat(r.notes().get("convergedFast")).isEqualTo(true);
        assertThat(r.notes().get("convergedReference")).isEqualTo(true);
        assertThat(num(r, "sqrtLossGap")).isGreaterThan(num(r, "sqrtLossBand"));
        assertThat(r.notes().get("failure")).isEqualTo("outcome differs or final losses outside the band");
    }

    @Test
    void populationLossesAreEvaluatedUpToD16Only() {
        // boundary of MAX_D_POPULATION: d = 16 evaluates the losses, d = 17 reports the band only
        for (int d : new int[] {16, 17}) {
            double[] w0 = new double[d * d];
            double[] ws = new double[d * d];
            w0[0] = 0.25;
            ws[1] = 0.25;
            Recorder rec = new Recorder(TrajectoryAudit.of(K, d, true, w0, ws, 0.01, 1), null);
            AuditReport r = TrajectoryAudit.audit(rec, d, true, w0, ws, 1, 1, 3, 34, 0.1);
            assertThat(r.notes().containsKey("populationLoss0")).as("d = %d", d).isEqualTo(d <= 16);
            assertThat(r.notes().containsKey("outcome")).as("d = %d", d).isEqualTo(d > 16);
            assertThat(r.passed()).isTrue();
        }
    }

    @Test
    void gaussNewtonLambdaMatchesAHandComputedGram() {
        // d = 2, B = 2, x_0 = (1, 2), x_1 = (3, -1); masks: sample 0 both units, sample 1 unit 0 only.
        // Gram_bc = (2/B) <x_b,x_c> |m_b & m_c|: [[5*2, 1*1], [1*1, 10*1]] -> [[10, 1], [1, 10]], lambda = 11
        double[] x = {1, 2, 3, -1};
        boolean[][] mask = {{true, true}, {true, false}};
        double lam = TrajectoryAudit.gaussNewtonLambda(2, 2, x, mask, new boolean[2]);
        double fro = Math.sqrt(10 * 10 + 10 * 10 + 1 + 1);
        assertThat(lam).isCloseTo(11 + 64.0 * 2 * 0x1.0p-53 * fro, within(1e-13));
        assertThat(lam).isGreaterThan(11);
        // sample 1 excluded: only [[10]] with n = 1
        double one = TrajectoryAudit.gaussNewtonLambda(2, 2, x, mask, new boolean[] {false, true});
        assertThat(one).isEqualTo(10 + 64.0 * 0x1.0p-53 * 10);
        // sample 0 excluded: [[10 * 1 / 1]]: <x_1,x_1> = 10, one common unit, (2/B) = 1
        double other = TrajectoryAudit.gaussNewtonLambda(2, 2, x, mask, new boolean[] {true, false});
        assertThat(other).isEqualTo(10 + 64.0 * 0x1.0p-53 * 10);
        // all excluded: 0
        assertThat(TrajectoryAudit.gaussNewtonLambda(2, 2, x, mask, new boolean[] {true, true})).isZero();
        // off-diagonal as large as the diagonal: the largest eigenvalue, not the first diagonal entry
        double[] y = {1, 0, 1, 0};
        boolean[][] all = {{true, true}, {true, true}};
        // Gram = (2/2) * 1 * 2 = 2 everywhere -> [[2, 2], [2, 2]], lambda = 4
        double four = TrajectoryAudit.gaussNewtonLambda(2, 2, y, all, new boolean[2]);
        assertThat(four).isCloseTo(4 + 64.0 * 2 * 0x1.0p-53 * 4, within(1e-13));
        // B = 3, all kept: Gram of three identical unit rows with 2 common units: (2/3) * 2 = 4/3 each; lambda = 4
        double[] z = {1, 0, 1, 0, 1, 0};
        boolean[][] m3 = {{true, true}, {true, true}, {true, true}};
        double l3 = TrajectoryAudit.gaussNewtonLambda(2, 3, z, m3, new boolean[3]);
        assertThat(l3).isCloseTo(4 + 64.0 * 3 * 0x1.0p-53 * 4, within(1e-13));
    }

    @Test
    void exactPreActivationIsExact() {
        // <u_j, x> with and without the identity term, no rounding: 0.1 * 3 + 0.2 * 0.7 (+ x_j)
        BigDecimal[][] w = Matrices.exact(new double[] {0.1, 0.0, 0.2, 1.0}, 2);
        BigDecimal[] x = {new BigDecimal(3.0), new BigDecimal(0.7)};
        BigDecimal plain = new BigDecimal(3.0).multiply(new BigDecimal(0.1)).add(new BigDecimal(0.7).multiply(new BigDecimal(0.2)));
        assertThat(TrajectoryAudit.exactPreActivation(false, w, x, 0)).isEqualByComparingTo(plain);
        assertThat(TrajectoryAudit.exactPreActivation(true, w, x, 0)).isEqualByComparingTo(plain.add(new BigDecimal(3.0)));
        assertThat(TrajectoryAudit.exactPreActivation(true, w, x, 1)).isEqualByComparingTo(new BigDecimal(0.7).multiply(BigDecimal.ONE).add(new BigDecimal(0.7)));
    }
}
