package io.idrelu.claims.setting;

import io.idrelu.audit.Precision;
import io.idrelu.model.GaussianSampler;
import io.idrelu.model.Matrices;
import io.idrelu.setting.Activation;
import io.idrelu.setting.Architecture;
import io.idrelu.setting.FastValues;
import io.idrelu.setting.InputSampler;
import io.idrelu.setting.NetworkBounds;
import io.idrelu.setting.NetworkKernel;
import io.idrelu.setting.Setting;
import io.idrelu.setting.SettingProblem;
import io.idrelu.setting.SettingSgd;
import io.idrelu.setting.reference.ExactNetwork;
import io.idrelu.setting.reference.NetworkValues;
import io.idrelu.setting.reference.ReferenceSettingSgd;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Claim A3 under a setting (proofs-notes/A3.md, "Under other settings"): the fast SGD ({@link SettingSgd} on
 * {@link NetworkKernel}) and the reference SGD ({@link ReferenceSettingSgd}: exact gradient for ReLU/leaky ReLU,
 * {@code 10^-p (1 + |S|)} for smooth activations, update rounded to 34 digits) on the same rows and noise, held to
 * the envelope ({@code A = W_fast}, {@code R = W_ref}, all blocks stacked, Frobenius norm, {@code e_0 = 0})
 * <pre>
 *   e_{t+1} = [amp_t e_t + eta (G_t + J_t) + rho_fast + rho_ref + eta rho_p] (1 + 1e-12),
 *   amp_t = max(1, eta Lambda_t - 1) + eta (2/B) sum_b R_b H_b
 * </pre>
 * derived like the [LY17] version ({@code io.idrelu.audit.TrajectoryAudit}) from
 * {@code A' - R' = (A - R) - eta (g(A) - g(R)) - eta (g_fast(A) - g(A)) + rho_f - rho_r}: {@code G_t} is the
 * Frobenius norm of the running A1 bound ({@link NetworkBounds}) at {@code A}; on samples whose activation pattern
 * cannot change on the segment {@code [R, A]} the mean-value form {@code g(A) - g(R) = Hbar (A - R)} holds with
 * {@code Hbar} an average of Hessians on the ball of radius {@code e_t} around {@code A}, each a PSD Gauss-Newton
 * part ({@code Lambda_t} bounds its largest eigenvalue: {@code ||I - eta GN|| <= max(1, eta Lambda - 1)}) plus
 * {@code (2/B) sum_b r_b Hess f_b} ({@code R_b} bounds {@code |r_b|}, {@code H_b} the operator norm of
 * {@code Hess f_b} on the ball); other samples are a jump {@code J_t}. Every sup over the ball comes from the
 * a-priori recursion {@link #ball}. {@code rho_p} is the smooth reference's own gradient error.
 */
public final class SettingTrajectoryAudit {
    private SettingTrajectoryAudit() { }

    /** Digits {@code p} of the smooth reference (as the A1 audit under a setting, {@code NetworkAudit}). */
    public static final int REF_DIGITS = 30;
    /** Digits of the reference update, as [LY17]'s A3 ({@code Auditor.Options.sgdDigits}). */
    public static final int SGD_DIGITS = 34;
    /** Outcome "converged": held-out loss {@code <= 0.1 x} its start, as [LY17]'s A3. */
    public static final double CONVERGED_FRACTION = 0.1;
    /** Rows of the held-out set the outcome is judged on (exact reference loss). */
    public static final int HELD_OUT_ROWS = 32;

    private static final double U = Precision.DOUBLE.u();
    private static final double INFLATE = 1 + 1e-12;

    /**
     * What one trajectory measured.
     *
     * @param maxRatio      {@code max_t ||A_t - R_t||_F / e_t}
     * @param violations    steps with {@code ||A_t - R_t||_F > e_t}
     * @param flipSamples   samples charged as a jump (a pattern change on the segment could not be excluded)
     * @param outcomeOk     same "converged" on both and the held-out {@code sqrt L} gap within its band
     */
    public record Report(int d, int blocks, int batch, int steps, double eta, double maxRatio, int worstStep,
                         double worstObserved, double worstEnvelope, long violations, long candidates,
                         long flipSamples, double maxAmplification, double finalObserved, double finalEnvelope,
                         boolean outcomeOk, Map<String, Object> notes, List<Double> observed, List<Double> envelope) {
        public boolean passed() {
            return violations == 0 && outcomeOk;
        }
    }

    /**
     * Runs trial {@code trial} of {@code steps} steps from {@code p}'s start. The fast path uses {@code kernel} and
     * the activation {@code fastAct} (a negative control passes a wrong one); envelope and reference use the setting's.
     */
    public static Report run(Setting setting, InputSampler sampler, NetworkKernel kernel, Activation fastAct,
                             SettingProblem p, long seed, long trial, int batch, int steps, double eta) {
        Architecture arch = setting.architecture();
        Activation act = setting.activation();
        int d = arch.d();
        int k = arch.blocks();
        Setting fastSetting = fastAct.equals(act) ? setting : setting.withActivation(fastAct);
        SettingSgd sgd = new SettingSgd(fastSetting, kernel, sampler);
        ReferenceSettingSgd ref = new ReferenceSettingSgd(setting, sampler, REF_DIGITS);
        MathContext mc = new MathContext(SGD_DIGITS, RoundingMode.HALF_EVEN);
        BigDecimal etaB = new BigDecimal(eta);
        List<double[]> a = p.w0();
        List<double[]> wStar = p.wStar();
        List<BigDecimal[][]> r = ExactNetwork.exact(a, d);
        List<BigDecimal[][]> ws = ExactNetwork.exact(wStar, d);
        InputSampler.Stream stream = sampler.forTrial(seed, trial);
        double sigma = setting.labels().sigma();
        double refRel = act.piecewiseLinear() ? 0 : Math.pow(10, -REF_DIGITS);
        double e = 0;
        double maxRatio = 0;
        int worstStep = -1;
        double worstObs = 0;
        double worstEnv = 0;
        long violations = 0;
        long candidates = 0;
        long flips = 0;
        double maxAmp = 1;
        List<Double> observed = new ArrayList<>();
        List<Double> envelope = new ArrayList<>();
        for (int t = 0; t < steps; t++) {
            double[] x = stream.batch(batch);
            double[] noise = sigma > 0 ? stream.noise(batch, sigma) : null;
            List<double[]> before = copy(a);
            FastValues v = sgd.step(a, wStar, x, batch, noise, eta);
            NetworkBounds nb = new NetworkBounds(arch, act, before, wStar, v, noise);
            BigDecimal[][] xe = ExactNetwork.exact(x, batch, d);
            ReferenceSettingSgd.Step rs = ref.step(r, ws, xe, ReferenceSettingSgd.exact(noise), etaB, mc);
            NetworkValues rv = rs.values();

            StepBound sb = stepBound(arch, act, before, a, v, nb, x, batch, eta, e,
                    (b, j) -> rv.preActivations().get(0)[b][j].signum());
            candidates += sb.candidates();
            flips += sb.jumpSamples();
            double amp = sb.amp();
            maxAmp = Math.max(maxAmp, amp);
            double a1 = sb.a1();
            double jumpSum = sb.jump();
            double rhoF = sb.rhoF();
            double rhoR = Math.nextUp(rs.maxRoundingError().doubleValue()) * Math.sqrt(k) * d * INFLATE;
            double rhoP = 0;
            if (refRel > 0) {
                double s = 0;
                for (BigDecimal[][] sk : rv.gradientSums()) {
                    for (BigDecimal[] row : sk) {
                        for (BigDecimal q : row) {
                            double m = refRel * (1 + Math.abs(q.doubleValue()));
                            s += m * m;
                        }
                    }
                }
                rhoP = eta * 2.0 / batch * Math.sqrt(s) * INFLATE;
            }
            e = (amp * e + eta * (a1 + jumpSum) + rhoF + rhoR + rhoP) * INFLATE;
            r = rs.next();
            double obs = distance(a, r, d);
            observed.add(obs);
            envelope.add(e);
            double ratio = e > 0 ? obs / e : (obs == 0 ? 0 : Double.POSITIVE_INFINITY);
            if (!(obs <= e)) {
                violations++;
            }
            if (!(ratio <= maxRatio) || worstStep < 0) {
                maxRatio = ratio;
                worstStep = t + 1;
                worstObs = obs;
                worstEnv = e;
            }
        }
        Map<String, Object> notes = new LinkedHashMap<>();
        boolean outcomeOk = outcome(setting, sampler, p, a, r, seed, trial, e, notes);
        notes.put("referenceDigits", act.piecewiseLinear() ? "exact gradient" : REF_DIGITS + " digits (10^-p (1 + |S|))");
        notes.put("updateDigits", SGD_DIGITS);
        notes.put("finalWeightNorm", frobenius(a));
        return new Report(d, k, batch, steps, eta, maxRatio, worstStep, worstObs, worstEnv, violations, candidates, flips,
                maxAmp, observed.isEmpty() ? 0 : observed.get(observed.size() - 1), e, outcomeOk, notes, observed, envelope);
    }

    /** The exact sign of {@code h_1[b][j]} (K = 1) at the other end of the segment (the reference, or the other run). */
    @FunctionalInterface
    public interface OtherEnd {
        int sign(int b, int j);
    }

    /**
     * One step's terms of the envelope at the fast iterate {@code before} (ball radius {@code e}): {@code amp}
     * (amplification), {@code a1} ({@code G_t}), {@code jump} ({@code J_t}), {@code rhoF} (the fast update's rounding),
     * the pattern candidates and the samples charged as a jump.
     */
    public record StepBound(double amp, double a1, double jump, double rhoF, long candidates, long jumpSamples) { }

    /**
     * The terms of one step of the envelope (class comment), shared by A3 (fast against the reference) and C13 (identity
     * against vanilla from I + W0) under a setting. {@code v}, {@code nb}: the fast values and their running bound at
     * {@code before}; {@code after}: the fast iterate after the step; {@code otherEnd}: exact signs of {@code h_1} at the
     * segment's other end (asked only for K = 1 piecewise-linear candidates).
     */
    public static StepBound stepBound(Architecture arch, Activation act, List<double[]> before, List<double[]> after,
                                      FastValues v, NetworkBounds nb, double[] x, int batch, double eta, double e,
                                      OtherEnd otherEnd) {
        int d = arch.d();
        int k = arch.blocks();
        double[] uNorm = blockNorms(arch, before, e);
        double[] xn = new double[batch];
        Ball[] ball = new Ball[batch];
        double[] resSup = new double[batch];
        boolean[] jump = new boolean[batch];
        // exact masks of K = 1 piecewise-linear samples whose candidates were decided (m_bj = act'(h_bj))
        double[][] mask = new double[batch][d];
        // K > 1 piecewise-linear: per sample, block and unit, whether the piece is certain on the ball (DeepStepBound)
        boolean[][][] certain = new boolean[batch][][];
        List<BigDecimal[][]> aExact = null;
        BigDecimal[][] xe = null;
        long candidates = 0;
        long flips = 0;
        for (int b = 0; b < batch; b++) {
            xn[b] = rowNorm(x, b, d);
            ball[b] = ball(arch, act, uNorm, xn[b]);
            resSup[b] = (Math.abs(v.residuals()[b]) + nb.residual(b) + e * ball[b].g1) * INFLATE;
            double[] h1 = v.h().get(0);
            for (int j = 0; j < d; j++) {
                mask[b][j] = act.derivative(h1[b * d + j]);
            }
            if (!act.piecewiseLinear()) {
                continue;
            }
            if (k > 1) {
                // h_k is not linear in W along the segment for k > 1: the pattern is decided block by block from the
                // realised blocks (DeepStepBound); a sample with any uncertain unit is charged as a jump
                if (!Double.isFinite(e)) { // a void envelope: nothing is certain (the realised terms would be NaN)
                    candidates += (long) k * d;
                    jump[b] = true;
                    flips++;
                    continue;
                }
                certain[b] = DeepStepBound.certainUnits(act, arch.identity(), d, k, before, v, nb, ball[b], xn[b], b, e);
                int uncertain = 0;
                for (boolean[] block : certain[b]) {
                    for (boolean c : block) {
                        uncertain += c ? 0 : 1;
                    }
                }
                candidates += uncertain;
                jump[b] = uncertain > 0;
            } else {
                double[] h = v.h().get(0);
                for (int j = 0; j < d; j++) {
                    if (Math.abs(h[b * d + j]) > nb.preActivation(1, b, j) + e * ball[b].p[0] * INFLATE) {
                        continue;
                    }
                    candidates++;
                    // K = 1: h_bj is linear in W, so its sign is constant on [R, A] iff the exact signs at both
                    // ends agree and are non-zero (decided exactly, as the [LY17] version)
                    if (aExact == null) {
                        aExact = ExactNetwork.exact(before, d);
                        xe = ExactNetwork.exact(x, batch, d);
                    }
                    int sa = exactPre(arch.identity(), aExact.get(0), xe[b], j).signum();
                    int sr = otherEnd.sign(b, j);
                    if (sa == 0 || sa != sr) {
                        jump[b] = true;
                    } else {
                        mask[b][j] = act.derivative(sa);
                    }
                }
            }
            if (jump[b]) {
                flips++;
            }
        }
        // H_b: the a-priori Hessian bound, or for K > 1 piecewise-linear the realised one of DeepStepBound when smaller
        // (both bound ||Hess f_b|| on the segment of a sample whose pattern is fixed there: the non-jump samples)
        double[] hb = new double[batch];
        for (int b = 0; b < batch; b++) {
            hb[b] = ball[b].g2;
            if (k > 1 && act.piecewiseLinear() && !jump[b]) {
                hb[b] = tighter(hb[b], DeepStepBound.hessian(act, d, k, v, nb, uNorm, ball[b], xn[b], b, e));
            }
        }
        double lambda = k == 1 ? gramLambda(act, d, batch, x, xn, v.h().get(0), nb, mask, jump, e)
                : blockGramLambda(d, k, batch, v, nb, ball, hb, jump, e);
        double hess = 0;
        double jumpSum = 0;
        for (int b = 0; b < batch; b++) {
            if (jump[b]) {
                double cost = 2 * resSup[b] * ball[b].g1; // |g_b(A)| + |g_b(R)|, each <= R_b G1_b
                if (certain[b] != null) { // K > 1: or the realised sizes, when smaller
                    cost = tighter(cost, DeepStepBound.jumpCost(act, arch.identity(), d, k, before, v, nb, ball[b],
                            xn[b], b, e, certain[b], resSup[b]));
                }
                jumpSum += cost;
            } else {
                hess += resSup[b] * hb[b];
            }
        }
        hess = 2 * hess / batch * INFLATE;
        jumpSum = 2 * jumpSum / batch * INFLATE;
        double amp = (Math.max(1, eta * lambda - 1) + eta * hess) * INFLATE;
            double g2 = 0;
        double gNorm2 = 0;
        for (int kk = 1; kk <= k; kk++) {
            double[] gf = v.gradients().get(kk - 1);
            for (int i = 0; i < d * d; i++) {
                double eg = nb.gradient(kk, i / d, i % d);
                g2 += eg * eg;
                gNorm2 += gf[i] * gf[i];
            }
        }
        double a1 = Math.sqrt(g2) * INFLATE;
        double rhoF = Precision.DOUBLE.gamma(2) * (frobenius(after) + eta * (Math.sqrt(gNorm2) + 2 * a1)) * INFLATE;
        return new StepBound(amp, a1, jumpSum, rhoF, candidates, flips);
    }

    /**
     * Outcome: the noiseless held-out loss {@code L_h(W) = (1/n) sum (f(x, W) - f(x, W*))^2} on {@link #HELD_OUT_ROWS}
     * rows of an independent stream, exact (ReLU/leaky) or to {@code 10^-p} (smooth), at {@code W_0}, {@code A_T},
     * {@code R_T}; "converged" ({@code L_h <= 0.1 L_h(W_0)}) must agree unless the threshold lies within the band of
     * the fast loss (then the envelope allows either side), and
     * {@code |sqrt L_h(A) - sqrt L_h(R)| <= e_T sqrt(mean_b G1_b^2)} ({@code |r_b(A) - r_b(R)| <= G1_b e_T}, Minkowski).
     */
    private static boolean outcome(Setting setting, InputSampler sampler, SettingProblem p, List<double[]> a,
                                   List<BigDecimal[][]> r, long seed, long trial, double e, Map<String, Object> notes) {
        int d = setting.d();
        int n = HELD_OUT_ROWS;
        double[] x = sampler.stream(GaussianSampler.trialSeed(seed, (1L << 42) + trial)).batch(n);
        BigDecimal[][] xe = ExactNetwork.exact(x, n, d);
        ExactNetwork net = new ExactNetwork(setting.architecture(), setting.activation(), REF_DIGITS);
        List<BigDecimal[][]> ws = ExactNetwork.exact(p.wStar(), d);
        MathContext mc = new MathContext(40);
        double l0 = net.evaluate(ExactNetwork.exact(p.w0(), d), ws, xe, null).loss(mc).doubleValue();
        double lf = net.evaluate(ExactNetwork.exact(a, d), ws, xe, null).loss(mc).doubleValue();
        double lr = net.evaluate(r, ws, xe, null).loss(mc).doubleValue();
        double[] uNorm = blockNorms(setting.architecture(), a, e);
        double g = 0;
        for (int b = 0; b < n; b++) {
            double g1 = ball(setting.architecture(), setting.activation(), uNorm, rowNorm(x, b, d)).g1;
            g += g1 * g1;
        }
        double band = e * Math.sqrt(g / n) * INFLATE;
        boolean cf = lf <= CONVERGED_FRACTION * l0;
        boolean cr = lr <= CONVERGED_FRACTION * l0;
        double gap = Math.abs(Math.sqrt(lf) - Math.sqrt(lr));
        // as the [LY17] version: losses rounded to double (sqrt within 1.5u), the subtraction (u |gap|), and 1e-25
        // for the reference's own error (smooth: 10^-30 (1 + L))
        double slack = 1.5 * U * (Math.sqrt(lf) + Math.sqrt(lr)) + U * gap + 1e-25 * Math.max(1, Math.sqrt(Math.max(lf, lr)));
        // The envelope implies the same side of the threshold only when the threshold is farther than the band from
        // the fast loss: |sqrt L_ref - sqrt L_fast| <= band. Closer, both outcomes are consistent with it (e.g. d = 1,
        // W0 = W*: L0 = 0, the fast path stays at W* exactly, the 34-digit reference moves by 1e-35 and "L <= 0.1 L0"
        // fails by 5e-72), so agreement is required only outside the band.
        double threshold = Math.sqrt(CONVERGED_FRACTION * l0);
        boolean atThreshold = Math.abs(Math.sqrt(lf) - threshold) <= band + slack;
        notes.put("outcomeAtThreshold", atThreshold);
        notes.put("heldOutRows", n);
        notes.put("heldOutLoss0", l0);
        notes.put("heldOutLossFast", lf);
        notes.put("heldOutLossReference", lr);
        notes.put("convergedFast", cf);
        notes.put("convergedReference", cr);
        notes.put("sqrtLossGap", gap);
        notes.put("sqrtLossBand", band + slack);
        return (cf == cr || atThreshold) && gap <= band + slack;
    }

    /**
     * Sup bounds on the ball of radius {@code e} around the fast iterate, for one row (unit perturbation direction
     * {@code Delta}, {@code sum_k ||Delta_k||_F^2 = 1}, so {@code ||Delta_k|| <= 1}).
     *
     * @param p  per block {@code sup |dh_k/dW [Delta]|} (also the Lipschitz constant of {@code h_k} in W)
     * @param g1 {@code sup ||grad_W f||_F}
     * @param g2 {@code sup ||Hess_W f||_2} where the pattern is fixed (piecewise-linear) or everywhere (smooth)
     */
    record Ball(double[] p, double g1, double g2) { }

    /**
     * The a-priori recursion (L = Lipschitz constant of the activation, S = sup|act''|, {@code N_k >= sup ||U_k||_2},
     * {@code c0 = |act(0)| sqrt d}): {@code Z_0 = |x|}, {@code Z'_0 = Z''_0 = 0};
     * {@code P_k = Z_{k-1} + N_k Z'_{k-1}} ({@code |h_k'|}), {@code Q_k = 2 Z'_{k-1} + N_k Z''_{k-1}} ({@code |h_k''|}),
     * {@code Z_k = L N_k Z_{k-1} + c0}, {@code Z'_k = L P_k}, {@code Z''_k = S P_k^2 + L Q_k};
     * {@code g1^2 = sum_k Z_{k-1}^2 D_k^2} with {@code D_K = L sqrt d}, {@code D_{k-1} = L N_k D_k} (the backward
     * vectors); {@code g2 = S P_K^2 + L sqrt(d) Q_K} ({@code f'' = sum_j act''(h)(h')^2 + act'(h) h''}).
     */
    static Ball ball(Architecture arch, Activation act, double[] uNorm, double xNorm) {
        int k = arch.blocks();
        double lip = act.lipschitz();
        double s = act.secondDerivativeBound();
        double sd = Math.sqrt(arch.d());
        double c0 = Math.abs(act.value(0)) * sd * INFLATE;
        double[] p = new double[k];
        double[] z = new double[k + 1];
        double zp = 0;
        double zpp = 0;
        double q = 0;
        z[0] = xNorm;
        for (int i = 0; i < k; i++) {
            p[i] = (z[i] + uNorm[i] * zp) * INFLATE;
            q = (2 * zp + uNorm[i] * zpp) * INFLATE;
            z[i + 1] = (lip * uNorm[i] * z[i] + c0) * INFLATE;
            zp = lip * p[i] * INFLATE;
            zpp = (s * p[i] * p[i] + lip * q) * INFLATE;
        }
        double dk = lip * sd;
        double g1 = 0;
        for (int i = k - 1; i >= 0; i--) {
            g1 += z[i] * z[i] * dk * dk;
            dk = lip * uNorm[i] * dk;
        }
        double g2 = (s * p[k - 1] * p[k - 1] + lip * sd * q) * INFLATE;
        return new Ball(p, Math.sqrt(g1) * INFLATE, g2);
    }

    /**
     * {@code N_k >= sup ||U_k(W)||_2} on the ball ({@code U = I + W} identity-mapped, else {@code W}): the spectral norm
     * from Commons Math's SVD (backward stable: exact for {@code U + E}, {@code ||E||_2 <= c d u ||U||_F}, taken
     * {@code c = 64} as for the eigensolver; Weyl), never above the Frobenius norm, plus {@code e}.
     */
    static double[] blockNorms(Architecture arch, List<double[]> w, double e) {
        int d = arch.d();
        double[] out = new double[w.size()];
        for (int k = 0; k < w.size(); k++) {
            double s = 0;
            double[] u = w.get(k).clone();
            for (int i = 0; i < d * d; i++) {
                u[i] += arch.identity() && i / d == i % d ? 1 : 0;
                s += u[i] * u[i];
            }
            double frob = Math.sqrt(s) * (1 + Precision.DOUBLE.gamma(d * d + 4L));
            double spectral = io.idrelu.model.Matrices.spectralNorm(u, d) + 64.0 * d * U * frob;
            out[k] = (Math.min(frob, spectral) + e) * INFLATE;
        }
        return out;
    }

    /**
     * K = 1: {@code Lambda = (2/B) (sigma_max(V~) + ||V - V~||_F)^2} (Weyl), {@code V~} the rows
     * {@code x_b (x) m~_b} over samples without a jump, {@code m~_bj = act'(h~_bj)} (piecewise-linear: exact, the
     * pattern being fixed on the ball or decided exactly), {@code sigma_max(V~)^2} the largest eigenvalue of the
     * {@code B x B} Gram {@code <x_b, x_c><m~_b, m~_c>} (Commons Math, plus {@code 64 n u ||Gram||_F} backward error and
     * {@code (2 gamma_d + 2u) (sum_b |x_b||m~_b|)^2} for the entries' rounding); smooth:
     * {@code |m_bj(W) - m~_bj| <= S (E_h + e |x_b|) + m u (|act'(h~)| + 1)}.
     */
    static double gramLambda(Activation act, int d, int batch, double[] x, double[] xn, double[] h, NetworkBounds nb,
                             double[][] mask, boolean[] jump, double e) {
        int[] idx = rowsWithoutJump(jump, batch);
        int n = idx.length;
        if (n == 0) {
            return 0;
        }
        double[][] g = new double[n][n];
        double frob = 0;
        double sumXm = 0;
        double pert = 0;
        for (int i = 0; i < n; i++) {
            int b = idx[i];
            double m2 = 0;
            double eps2 = 0;
            for (int j = 0; j < d; j++) {
                m2 += mask[b][j] * mask[b][j];
                if (!act.piecewiseLinear()) {
                    double ej = act.secondDerivativeBound() * (nb.preActivation(1, b, j) + e * xn[b])
                            + act.evaluationUlps() * U * (Math.abs(mask[b][j]) + 1);
                    eps2 += ej * ej;
                }
            }
            sumXm += xn[b] * Math.sqrt(m2);
            pert += xn[b] * xn[b] * eps2;
            for (int c = 0; c <= i; c++) {
                int bc = idx[c];
                double xx = 0;
                double mm = 0;
                for (int r = 0; r < d; r++) {
                    xx += x[b * d + r] * x[bc * d + r];
                    mm += mask[b][r] * mask[bc][r];
                }
                g[i][c] = g[c][i] = xx * mm;
                frob += (i == c ? 1 : 2) * g[i][c] * g[i][c];
            }
        }
        double lmax = Matrices.largestEigenvalue(g);
        lmax += 64.0 * n * U * Math.sqrt(frob) + (2 * Precision.DOUBLE.gamma(d) + 2 * U) * sumXm * sumXm;
        double sigma = Math.sqrt(Math.max(0, lmax)) + Math.sqrt(pert) * INFLATE;
        return 2.0 / batch * sigma * sigma * (1 + 1e-8);
    }

    /**
     * K > 1: the Gram route for the rows {@code J_b = grad f_b = (z_{k-1,b} delta_{k,b}^T)_k}:
     * {@code Lambda = (2/B) (sigma_max(V~) + sqrt(sum_b eps_b^2))^2} (Weyl), {@code V~} the rows from the fast values,
     * {@code Gram~_bc = sum_k <z~_{k-1,b}, z~_{k-1,c}><delta~_{k,b}, delta~_{k,c}>} (Commons Math, plus
     * {@code 64 n u ||Gram||_F} and {@code (2 gamma_d + gamma_K + 3u)(sum_b |J~_b|)^2} for the entries' rounding),
     * {@code eps_b = ||J_b(A) - J~_b|| + e H_b}: the fast values' error from {@link NetworkBounds} ({@code E_z}, {@code
     * E_delta}: {@code ||z delta^T - z~ delta~^T||_F <= |E_z||delta~| + (|z~| + |E_z|)|E_delta|} per block) and the
     * variation on the segment ({@code hb[b] = H_b} bounds the Hessian, i.e. the Lipschitz constant of {@code J_b},
     * where the pattern is fixed: the ball's {@code g2} or {@link DeepStepBound}'s realised bound). Capped by the trace bound {@code (2/B) sum_b G1_b^2}.
     */
    static double blockGramLambda(int d, int k, int batch, FastValues v, NetworkBounds nb, Ball[] ball, double[] hb,
                                  boolean[] jump, double e) {
        int[] idx = rowsWithoutJump(jump, batch);
        int n = idx.length;
        if (n == 0) {
            return 0;
        }
        double[][] g = new double[n][n];
        double frob = 0;
        double sumJ = 0;
        double pert = 0;
        for (int i = 0; i < n; i++) {
            int b = idx[i];
            double j2 = 0;
            double eps2 = 0;
            for (int kk = 1; kk <= k; kk++) {
                double[] z = v.z().get(kk - 1);
                double[] dl = v.delta().get(kk - 1);
                double zn = 0, dn = 0, ezn = 0, edn = 0;
                for (int r = 0; r < d; r++) {
                    zn += z[b * d + r] * z[b * d + r];
                    dn += dl[b * d + r] * dl[b * d + r];
                    double ez = nb.activation(kk - 1, b, r);
                    double ed = nb.delta(kk, b, r);
                    ezn += ez * ez;
                    edn += ed * ed;
                }
                zn = Math.sqrt(zn);
                dn = Math.sqrt(dn);
                ezn = Math.sqrt(ezn);
                edn = Math.sqrt(edn);
                j2 += zn * zn * dn * dn;
                double eb = ezn * dn + (zn + ezn) * edn;
                eps2 += eb * eb;
            }
            sumJ += Math.sqrt(j2);
            double epsB = (Math.sqrt(eps2) * Math.sqrt(k) + e * hb[b]) * INFLATE; // sqrt(K): sum of K block norms
            pert += epsB * epsB;
            for (int c = 0; c <= i; c++) {
                int bc = idx[c];
                double acc = 0;
                for (int kk = 1; kk <= k; kk++) {
                    double[] z = v.z().get(kk - 1);
                    double[] dl = v.delta().get(kk - 1);
                    double zz = 0, dd = 0;
                    for (int r = 0; r < d; r++) {
                        zz += z[b * d + r] * z[bc * d + r];
                        dd += dl[b * d + r] * dl[bc * d + r];
                    }
                    acc += zz * dd;
                }
                g[i][c] = g[c][i] = acc;
                frob += (i == c ? 1 : 2) * acc * acc;
            }
        }
        double lmax = Matrices.largestEigenvalue(g);
        lmax += 64.0 * n * U * Math.sqrt(frob) + (2 * Precision.DOUBLE.gamma(d) + Precision.DOUBLE.gamma(k) + 3 * U) * sumJ * sumJ;
        double sigma = Math.sqrt(Math.max(0, lmax)) + Math.sqrt(pert) * INFLATE;
        double gram = 2.0 / batch * sigma * sigma * (1 + 1e-8);
        return Math.min(gram, traceLambda(batch, ball, jump));
    }

    /** K > 1: {@code Lambda = (2/B) sum_b sup ||grad f_b||^2} (the trace of the Gauss-Newton matrix bounds its top eigenvalue). */
    static double traceLambda(int batch, Ball[] ball, boolean[] jump) {
        double s = 0;
        for (int b = 0; b < batch; b++) {
            if (!jump[b]) {
                s += ball[b].g1 * ball[b].g1;
            }
        }
        return 2.0 / batch * s * INFLATE;
    }

    /**
     * The smaller of an a-priori bound and a realised one of the same quantity (both upper bounds); a realised bound that
     * is NaN (an overflowed {@code inf * 0} once the envelope is astronomically large) is no bound and is ignored.
     */
    static double tighter(double apriori, double realised) {
        return realised <= apriori ? realised : apriori;
    }

    static BigDecimal exactPre(boolean identity, BigDecimal[][] w, BigDecimal[] x, int j) {
        BigDecimal s = identity ? x[j] : BigDecimal.ZERO;
        for (int r = 0; r < w.length; r++) {
            s = s.add(x[r].multiply(w[r][j]));
        }
        return s;
    }

    static double rowNorm(double[] x, int b, int d) {
        double s = 0;
        for (int r = 0; r < d; r++) {
            s += x[b * d + r] * x[b * d + r];
        }
        return Math.sqrt(s) * (1 + Precision.DOUBLE.gamma(d + 2L));
    }

    static double frobenius(List<double[]> w) {
        double s = 0;
        for (double[] m : w) {
            for (double v : m) {
                s += v * v;
            }
        }
        return Math.sqrt(s);
    }

    /** {@code ||A - R||_F} over all blocks, each entry's difference exact then rounded once. */
    static double distance(List<double[]> a, List<BigDecimal[][]> r, int d) {
        double s = 0;
        for (int k = 0; k < a.size(); k++) {
            for (int i = 0; i < d * d; i++) {
                double diff = new BigDecimal(a.get(k)[i]).subtract(r.get(k)[i / d][i % d]).doubleValue();
                s += diff * diff;
            }
        }
        return Math.sqrt(s);
    }

    static List<double[]> copy(List<double[]> w) {
        List<double[]> out = new ArrayList<>();
        for (double[] m : w) {
            out.add(m.clone());
        }
        return out;
    }

    /** The sample rows {@code b < batch} that are not charged as a jump, in order (the rows the Gram route covers). */
    private static int[] rowsWithoutJump(boolean[] jump, int batch) {
        int[] idx = new int[batch];
        int n = 0;
        for (int b = 0; b < batch; b++) {
            if (!jump[b]) {
                idx[n++] = b;
            }
        }
        return java.util.Arrays.copyOf(idx, n);
    }
}
