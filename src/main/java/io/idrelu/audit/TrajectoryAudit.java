package io.idrelu.audit;

import io.idrelu.kernel.FloatKernel;
import io.idrelu.kernel.Kernel;
import io.idrelu.model.GaussianSampler;
import io.idrelu.model.Matrices;
import io.idrelu.reference.ReferenceSgd;
import io.idrelu.reference.SgdStep;
import io.idrelu.reference.PopulationReference;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Claim A3: the fast online-SGD trajectory and the reference trajectory (BigDecimal, rounded to
 * {@code refDigits} after each step) on the same samples stay within a derived envelope, and reach the
 * same outcome. Derivation in proofs-notes/A3.md; in short, with {@code e_t} a bound on
 * {@code ||W_fast - W_ref||_F}:
 * <pre>
 *   e_{t+1} = max(1, eta lambda_t - 1) e_t + eta (G_t + J_t) + rho_fast + rho_ref
 * </pre>
 * where {@code lambda_t} is the largest eigenvalue of the batch Gauss-Newton matrix
 * {@code (2/B) sum_b vec(x_b m_b^T) vec(x_b m_b^T)^T} over samples whose activation pattern cannot change
 * between the two iterates (so the step map is affine there and its Jacobian {@code I - eta J} has norm
 * {@code max(1, eta lambda - 1)}), {@code G_t} is the Frobenius norm of the A1 bound at the fast iterate,
 * {@code J_t} bounds the jump from samples where a flip is possible
 * ({@code |h_bj| <= e_t |x_b| + E_h}), and {@code rho} are the rounding errors of the two updates.
 * Every term is rigorous given the A1 bound; {@code lambda_t} comes from a backward-stable symmetric
 * eigensolver and is inflated by {@code 1e-8} relative to cover its own error.
 */
final class TrajectoryAudit {
    private TrajectoryAudit() { }

    /** Largest d for which the final population losses are evaluated with the BigDecimal reference. */
    static final int MAX_D_POPULATION = 16;

    /** A fast SGD path seen through doubles. */
    interface FastPath {
        Precision precision();

        String name();

        /** Rounds sample data to the path's precision (float: nearest float), as the kernel will see it. */
        double[] samples(double[] x);

        /** Runs the A1 quantities at the current iterate on the given (already rounded) samples. */
        FastBatch measure(double[] x);

        /** One in-place step on the same samples. */
        void step(double[] x);

        double[] w();

        /** The step size as the kernel uses it. */
        double eta();
    }

    static FastPath of(Kernel k, int d, boolean identity, double[] w0, double[] wStar, double eta, int batch) {
        double[] w = w0.clone();
        Kernel.Scratch scratch = k.newScratch(d, batch);
        return new FastPath() {
            public Precision precision() { return Precision.DOUBLE; }
            public String name() { return k.name(); }
            public double[] samples(double[] x) { return x.clone(); }
            public FastBatch measure(double[] x) { return FastBatch.run(k, d, identity, w, wStar, x, batch); }
            public void step(double[] x) { k.sgdStep(d, identity, w, wStar.clone(), x.clone(), batch, eta, scratch); }
            public double[] w() { return w.clone(); }
            public double eta() { return eta; }
        };
    }

    static FastPath of(FloatKernel k, int d, boolean identity, double[] w0, double[] wStar, double eta, int batch) {
        float[] w = Matrices.toFloat(w0);
        float[] ws = Matrices.toFloat(wStar);
        float etaF = (float) eta;
        FloatKernel.Scratch scratch = k.newScratch(d, batch);
        return new FastPath() {
            public Precision precision() { return Precision.FLOAT; }
            public String name() { return k.name(); }
            public double[] samples(double[] x) { return Matrices.toDouble(Matrices.toFloat(x)); }
            public FastBatch measure(double[] x) {
                return FastBatch.run(k, d, identity, w, ws, Matrices.toFloat(x), batch);
            }
            public void step(double[] x) { k.sgdStep(d, identity, w, ws.clone(), Matrices.toFloat(x), batch, etaF, scratch); }
            public double[] w() { return Matrices.toDouble(w); }
            public double eta() { return etaF; }
        };
    }

    /**
     * @param wStar       teacher as the fast path sees it (float path: its floats)
     * @param w0          start as the fast path sees it
     * @param convergedFraction the outcome "converged" means {@code L(W_T) <= convergedFraction * L(W_0)}
     */
    static AuditReport audit(FastPath fp, int d, boolean identity, double[] w0, double[] wStar, int batch,
                             int steps, long seed, int refDigits, double convergedFraction) {
        Precision p = fp.precision();
        double eta = fp.eta();
        BigDecimal etaB = new BigDecimal(eta);
        MathContext refMc = new MathContext(refDigits);
        BigDecimal[][] ws = Matrices.exact(wStar, d);
        BigDecimal[][] wr = Matrices.exact(w0, d);
        GaussianSampler sampler = new GaussianSampler(seed);
        double inflate = 1 + 1e-12;
        double e = 0;
        double maxRatio = 0;
        int worstStep = -1;
        double worstObserved = 0;
        double worstEnvelope = 0;
        long segmentFlipSamples = 0;
        long violations = 0;
        double maxAmp = 1;
        List<Double> observed = new ArrayList<>();
        List<Double> envelope = new ArrayList<>();
        for (int t = 0; t < steps; t++) {
            double[] x = fp.samples(sampler.batch(batch, d));
            FastBatch fb = fp.measure(x);
            double[] wf = fp.w();
            double[] absRf = new double[batch];
            BatchBounds bb = new BatchBounds(p, d, identity, wf, wStar, x, batch, absRf);
            for (int b = 0; b < batch; b++) {
                absRf[b] = Math.abs(fb.residuals()[b]) + bb.residual(b);
            }
            double[] xNorm = new double[batch];
            for (int b = 0; b < batch; b++) {
                double s = 0;
                for (int r = 0; r < d; r++) {
                    s += x[b * d + r] * x[b * d + r];
                }
                xNorm[b] = Math.sqrt(s) * inflate;
            }
            // Samples where some unit may change sign on the segment [W_ref, W_fast]: candidates have
            // |h_fast| <= e |x_b| + E_h. h is linear in W, so the sign is constant on the segment iff the
            // exact pre-activations at both ends have the same strict sign: decide candidates exactly.
            BigDecimal[][] wfExact = null;
            BigDecimal[][] xExact = null;
            boolean[][] maskA = new boolean[batch][d];
            boolean[] segFlip = new boolean[batch];
            int[] segFlipUnits = new int[batch];
            boolean[][] a1Flip = new boolean[batch][d];
            for (int b = 0; b < batch; b++) {
                for (int j = 0; j < d; j++) {
                    double hf = fb.h()[b * d + j];
                    maskA[b][j] = hf > 0;
                    boolean segCandidate = Math.abs(hf) <= e * xNorm[b] + bb.preActivation(b, j);
                    boolean a1Candidate = Math.abs(hf) <= 2 * bb.preActivation(b, j);
                    if (!segCandidate && !a1Candidate) {
                        continue;
                    }
                    if (wfExact == null) {
                        wfExact = Matrices.exact(wf, d);
                        xExact = Matrices.exactRows(x, batch, d);
                    }
                    int sa = exactPreActivation(identity, wfExact, xExact[b], j).signum();
                    maskA[b][j] = sa > 0;
                    a1Flip[b][j] = (sa > 0) != (hf > 0);
                    if (segCandidate) {
                        int sr = exactPreActivation(identity, wr, xExact[b], j).signum();
                        if (sa == 0 || sr != sa) {
                            segFlip[b] = true;
                            segFlipUnits[b]++;
                        }
                    }
                }
                if (segFlip[b]) {
                    segmentFlipSamples++;
                }
            }
            // A1 bound at the fast iterate, with the exact mask known: flip terms only where a flip happened
            double g2 = 0;
            boolean[] active = new boolean[batch];
            boolean[] flipTerm = new boolean[batch];
            for (int j = 0; j < d; j++) {
                for (int b = 0; b < batch; b++) {
                    flipTerm[b] = a1Flip[b][j];
                    active[b] = maskA[b][j] || a1Flip[b][j];
                }
                for (int r = 0; r < d; r++) {
                    double eg = bb.gradient(r, x, absRf, active, flipTerm);
                    g2 += eg * eg;
                }
            }
            double a1 = Math.sqrt(g2) * inflate;
            // Gauss-Newton spectral radius over samples with a fixed pattern (B x B Gram matrix)
            double lambda = gaussNewtonLambda(d, batch, x, maskA, segFlip) * (1 + 1e-8);
            double amp = Math.max(1, eta * lambda - 1);
            maxAmp = Math.max(maxAmp, amp);
            double jump = 0;
            for (int b = 0; b < batch; b++) {
                if (segFlip[b]) {
                    jump += xNorm[b] * (d * xNorm[b] * e
                            + (absRf[b] + Math.sqrt(d) * xNorm[b] * e) * Math.sqrt(segFlipUnits[b]));
                }
            }
            jump = 2 * jump / batch * inflate;
            double gNorm = Matrices.frobeniusNorm(fb.grad());

            fp.step(x);
            double[] wfNext = fp.w();
            double rhoF = p.gamma(2) * (Matrices.frobeniusNorm(wfNext) + eta * (gNorm + 2 * a1)) * inflate;

            SgdStep rs = ReferenceSgd.step(identity, wr, ws, Matrices.exactRows(x, batch, d), etaB, refMc);
            wr = rs.next();
            // entry-wise rounding error of the reference update, exact (or rounded up); Frobenius <= d * max
            double rhoR = Math.nextUp(rs.maxRoundingError().doubleValue()) * d * inflate;
            e = (amp * e + eta * (a1 + jump) + rhoF + rhoR) * inflate;

            double obs2 = 0;
            for (int r = 0; r < d; r++) {
                for (int c = 0; c < d; c++) {
                    double diff = new BigDecimal(wfNext[r * d + c]).subtract(wr[r][c]).doubleValue();
                    obs2 += diff * diff;
                }
            }
            double obs = Math.sqrt(obs2);
            observed.add(obs);
            envelope.add(e);
            double ratio = e > 0 ? obs / e : (obs == 0 ? 0 : Double.POSITIVE_INFINITY);
            if (obs > e) {
                violations++;
            }
            if (ratio > maxRatio || worstStep < 0) {
                maxRatio = ratio;
                worstStep = t + 1;
                worstObserved = obs;
                worstEnvelope = e;
            }
        }

        Map<String, Object> notes = new LinkedHashMap<>();
        notes.put("rigour", "rigorous given the A1 bound (Gauss-Newton eigenvalue from a backward-stable solver, inflated 1e-8)");
        notes.put("eta", eta);
        notes.put("steps", steps);
        notes.put("seed", seed);
        notes.put("refDigits", refDigits);
        notes.put("finalObserved", observed.isEmpty() ? 0.0 : observed.get(observed.size() - 1));
        notes.put("finalEnvelope", e);
        notes.put("maxAmplification", maxAmp);
        notes.put("segmentFlipSamples", segmentFlipSamples);
        notes.put("observedPerStep", thin(observed));
        notes.put("envelopePerStep", thin(envelope));
        // the step t (1-based: the value after t updates) of each entry of the two thinned lists above
        List<Double> stepIndex = new ArrayList<>();
        for (int t = 1; t <= observed.size(); t++) {
            stepIndex.add((double) t);
        }
        notes.put("stepPerStep", thin(stepIndex));
        // outcome: |sqrt L(A) - sqrt L(B)| <= sqrt(d) ||A - B||_F (relu 1-Lipschitz, Cauchy-Schwarz, E x x^T = I)
        double band = Math.sqrt(d) * e;
        notes.put("sqrtLossBand", band);
        boolean outcomeOk = true;
        if (d <= MAX_D_POPULATION) {
            PopulationReference pr = new PopulationReference(30);
            double l0 = pr.loss(identity, Matrices.exact(w0, d), ws).doubleValue();
            double lf = pr.loss(identity, Matrices.exact(fp.w(), d), ws).doubleValue();
            double lr = pr.loss(identity, wr, ws).doubleValue();
            boolean cf = lf <= convergedFraction * l0;
            boolean cr = lr <= convergedFraction * l0;
            double gap = Math.abs(Math.sqrt(lf) - Math.sqrt(lr));
            // the gap is computed in double from losses rounded to double: each loss is within u relative, so
            // its square root within u/2 + u (the sqrt's own rounding), and the subtraction adds u |gap|;
            // the 30-digit reference's own error is covered by the 1e-25 term (first order, like every bound here)
            double u = Precision.DOUBLE.u();
            double slack = 1.5 * u * (Math.sqrt(lf) + Math.sqrt(lr)) + u * gap
                    + 1e-25 * Math.max(1, Math.sqrt(Math.max(lf, lr)));
            boolean within = gap <= band + slack;
            notes.put("sqrtLossGapSlack", slack);
            notes.put("populationLoss0", l0);
            notes.put("populationLossFast", lf);
            notes.put("populationLossReference", lr);
            notes.put("convergedFast", cf);
            notes.put("convergedReference", cr);
            notes.put("convergedFraction", convergedFraction);
            notes.put("sqrtLossGap", gap);
            outcomeOk = cf == cr && within;
        } else {
            notes.put("outcome", "population losses not evaluated for d > " + MAX_D_POPULATION
                    + " (O(d^3) BigDecimal); the envelope bounds |sqrt L_fast - sqrt L_ref| by sqrtLossBand");
        }
        AuditReport rep = new AuditReport("A3", "trajectory", fp.name(), p.name().toLowerCase(java.util.Locale.ROOT),
                d, batch, "none", steps, worstObserved, Double.NaN, 0, Double.NaN, "step " + worstStep,
                worstObserved, "", worstObserved, worstEnvelope, maxRatio, violations, segmentFlipSamples, 0, 0,
                violations == 0 && outcomeOk,
                "e_{t+1} = max(1, eta lambda_t - 1) e_t + eta (G_t + J_t) + rho_fast + rho_ref", notes);
        return outcomeOk ? rep : rep.failed("outcome differs or final losses outside the band");
    }

    /** {@code lambda_max((2/B) G)}, {@code G_bc = <x_b, x_c> <m_b, m_c>} over samples without a possible flip. */
    static double gaussNewtonLambda(int d, int batch, double[] x, boolean[][] mask, boolean[] excluded) {
        int[] idx = new int[batch];
        int n = 0;
        for (int b = 0; b < batch; b++) {
            if (!excluded[b]) {
                idx[n++] = b;
            }
        }
        if (n == 0) {
            return 0;
        }
        double[][] g = new double[n][n];
        double frob = 0;
        for (int i = 0; i < n; i++) {
            for (int k = 0; k <= i; k++) {
                int b = idx[i];
                int c = idx[k];
                double xx = 0;
                int mm = 0;
                for (int r = 0; r < d; r++) {
                    xx += x[b * d + r] * x[c * d + r];
                    if (mask[b][r] && mask[c][r]) {
                        mm++;
                    }
                }
                g[i][k] = g[k][i] = 2.0 * xx * mm / batch;
                frob += (i == k ? 1 : 2) * g[i][k] * g[i][k];
            }
        }
        // backward-stable solver: eigenvalues exact for G + E, ||E||_2 <= c n u ||G||_F; take c = 64
        return Matrices.largestEigenvalue(g) + 64.0 * n * 0x1.0p-53 * Math.sqrt(frob);
    }

    /** Exact {@code <u_j, x>} (BigDecimal, no rounding). */
    static BigDecimal exactPreActivation(boolean identity, BigDecimal[][] w, BigDecimal[] x, int j) {
        BigDecimal s = identity ? x[j] : BigDecimal.ZERO;
        for (int r = 0; r < w.length; r++) {
            s = s.add(x[r].multiply(w[r][j]));
        }
        return s;
    }

    private static List<Double> thin(List<Double> v) {
        if (v.size() <= 50) {
            return v;
        }
        List<Double> out = new ArrayList<>();
        int stride = (v.size() + 49) / 50;
        for (int i = 0; i < v.size(); i += stride) {
            out.add(v.get(i));
        }
        out.add(v.get(v.size() - 1));
        return out;
    }
}
