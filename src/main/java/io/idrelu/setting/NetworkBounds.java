package io.idrelu.setting;

import io.idrelu.audit.Precision;

import java.util.ArrayList;
import java.util.List;

/**
 * Running (a-posteriori) forward-error bounds for {@link NetworkKernel} at any depth and activation
 * (proofs-notes/settings.md section 5; the K = 1 ReLU case is the A1 bound of {@code io.idrelu.audit.BatchBounds}).
 * Every bound is evaluated from the fast path's own computed values ({@link FastValues}: {@code z~, h~, delta~})
 * and the weights, with Higham's {@code gamma_n = n u / (1 - n u)} ({@link Precision}); it holds for any kernel that
 * follows {@link NetworkKernel}'s operation counts in double (the order of the sums may differ). Per block:
 * <ul>
 *   <li>pre-activation {@code E_h[j] = gamma_{d+1} (|z~[j]| + sum_r |W_rj||z~_r|) + E_z[j] + sum_r |W_rj| E_z[r]}
 *       (identity terms only for identity units);</li>
 *   <li>activation {@code E_z'[j] = L_j E_h[j] + m u (|z~'[j]| + |h~[j]|)} with {@code m = act.evaluationUlps()} and
 *       {@code L_j = act.lipschitz()}, except on a known piece of a piecewise-linear activation ({@link #pieceKnown}:
 *       {@code h} and {@code h~} on the same side of the kink), where the activation is linear between them and
 *       {@code L_j = |act'(h~)|} (0 or 1 for ReLU, {@code |a|} or 1 for leaky; the teacher, whose {@code h~} is not
 *       kept, always takes {@code L});</li>
 *   <li>output {@code E_f = sum_j E_z[j] + gamma_{d-1} sum_j |z~_K[j]|}; residual
 *       {@code E_r = E_f + E_f* + gamma_2 (|f~| + |f~*| + |noise|)};</li>
 *   <li>loss {@code E_l = (sum_b E_r(2|r~| + E_r) + gamma_{B+1} sum_b r~^2) / B};</li>
 *   <li>backward: {@code E_delta[j] = D[j] |g~[j]| + L_j E_g[j] + u |delta~[j]|} ({@code L_j} as above), where
 *       {@code D[j]} bounds {@code |act'(h~) - act'(h)| + (derivative evaluation error)}: for piecewise-linear
 *       activations {@code |1 - a|} when the piece is not known, else 0; for smooth ones
 *       {@code sup|act''| E_h + m u (|act'(h~)| + 1)}; then
 *       {@code E_g'[r] = gamma_{d+1}(|delta~_r| + sum_j |W_rj||delta~_j|) + E_delta[r] + sum_j |W_rj| E_delta[j]};</li>
 *   <li>gradient, with {@code c~_b = 2 r~_b / B}, {@code E_c = 2 E_r / B + 2u|c~|}:
 *       {@code E_G[r][j] = sum_b [E_c |z~||delta~| + (|c~| + E_c)(E_z |delta~| + (|z~| + E_z) E_delta)]
 *       + gamma_{B+1} sum_b |c~ z~ delta~|}.</li>
 * </ul>
 * Each stage's bound is itself evaluated in double (sums of non-negative terms) and multiplied by
 * {@code INFLATE = 1 + 2 gamma_{4(d+B)+16}} so its own rounding cannot make it too small. Overflow and subnormal
 * ranges are excluded.
 */
public final class NetworkBounds {
    private static final Precision P = Precision.DOUBLE;

    private final double[] outputBound;
    private final double[] residualBound;
    private final double lossBound;
    private final List<double[]> gradientBound;
    private final List<double[]> preActivationBound;
    private final int d;

    public NetworkBounds(Architecture arch, Activation act, List<double[]> w, List<double[]> wStar, FastValues v,
                         double[] noise) {
        int d = arch.d();
        this.d = d;
        int k = arch.blocks();
        int batch = v.batch();
        double u = P.u();
        double inflate = 1 + 2 * P.gamma(4L * (d + batch) + 16);
        double gd1 = P.gamma(d + 1L);
        double lip = act.lipschitz();
        double m = act.evaluationUlps();
        // forward error of student and teacher
        List<double[]> ehStudent = new ArrayList<>();
        double[] ezS = forwardBounds(d, k, arch.identity(), act, w, v.z(), v.h(), ehStudent, inflate, gd1, lip, m, u, batch);
        double[] ezT = forwardBounds(d, k, true, act, wStar, v.teacherZ(), null, null, inflate, gd1, lip, m, u, batch);
        outputBound = new double[batch];
        residualBound = new double[batch];
        double gdm1 = P.gamma(d - 1L);
        double g2 = P.gamma(2);
        double[] zK = v.z().get(k);
        double[] zKT = v.teacherZ().get(k);
        double prop = 0;
        double mag = 0;
        for (int b = 0; b < batch; b++) {
            double es = 0, as = 0, et = 0, at = 0;
            for (int j = 0; j < d; j++) {
                es += ezS[b * d + j];
                as += Math.abs(zK[b * d + j]);
                et += ezT[b * d + j];
                at += Math.abs(zKT[b * d + j]);
            }
            outputBound[b] = (es + gdm1 * as) * inflate;
            double ef = (et + gdm1 * at) * inflate;
            double nz = noise == null ? 0 : Math.abs(noise[b]);
            residualBound[b] = (outputBound[b] + ef + g2 * (Math.abs(v.outputs()[b]) + Math.abs(v.teacherOutputs()[b]) + nz)) * inflate;
            double r = Math.abs(v.residuals()[b]);
            prop += residualBound[b] * (2 * r + residualBound[b]);
            mag += r * r;
        }
        lossBound = (prop + P.gamma(batch + 1L) * mag) / batch * inflate * inflate;
        this.preActivationBound = ehStudent;
        // backward
        double[] ec = new double[batch];
        double[] cAbs = new double[batch];
        for (int b = 0; b < batch; b++) {
            cAbs[b] = Math.abs((2.0 * v.residuals()[b]) / batch);
            ec[b] = (2 * residualBound[b] / batch + 2 * u * cAbs[b]) * inflate;
        }
        double gB1 = P.gamma(batch + 1L);
        gradientBound = new ArrayList<>();
        deltaBound = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            gradientBound.add(null);
            deltaBound.add(null);
        }
        double[] gAbs = new double[batch * d];
        java.util.Arrays.fill(gAbs, 1.0); // g_K = 1 exactly
        double[] eg = new double[batch * d];
        List<double[]> ez = zBoundsPerBlock;
        double jump = act instanceof Activation.LeakyRelu l ? Math.abs(1 - l.a()) : 1.0;
        for (int i = k - 1; i >= 0; i--) {
            double[] h = v.h().get(i);
            double[] eh = ehStudent.get(i);
            double[] delta = v.delta().get(i);
            double[] ed = new double[batch * d];
            for (int e = 0; e < batch * d; e++) {
                double dj;
                if (act.piecewiseLinear()) {
                    dj = pieceKnown(h[e], eh[e]) ? 0 : jump;
                } else {
                    dj = act.secondDerivativeBound() * eh[e] + m * u * (Math.abs(act.derivative(h[e])) + 1);
                }
                ed[e] = (dj * gAbs[e] + slope(act, h[e], eh[e], lip) * eg[e] + u * Math.abs(delta[e])) * inflate;
            }
            double[] zin = v.z().get(i);
            double[] ezin = ez.get(i);
            double[] gb = new double[d * d];
            for (int r = 0; r < d; r++) {
                for (int j = 0; j < d; j++) {
                    double s = 0;
                    double mg = 0;
                    for (int b = 0; b < batch; b++) {
                        double za = Math.abs(zin[b * d + r]);
                        double da = Math.abs(delta[b * d + j]);
                        double ezr = ezin[b * d + r];
                        double edj = ed[b * d + j];
                        s += ec[b] * za * da + (cAbs[b] + ec[b]) * (ezr * da + (za + ezr) * edj);
                        mg += cAbs[b] * za * da;
                    }
                    gb[r * d + j] = (s + gB1 * mg) * inflate * inflate;
                }
            }
            gradientBound.set(i, gb);
            deltaBound.set(i, ed);
            if (i > 0) {
                double[] wi = w.get(i);
                double[] ng = new double[batch * d];
                double[] neg = new double[batch * d];
                for (int b = 0; b < batch; b++) {
                    int o = b * d;
                    for (int r = 0; r < d; r++) {
                        double a = arch.identity() ? Math.abs(delta[o + r]) : 0;
                        double e = arch.identity() ? ed[o + r] : 0;
                        for (int j = 0; j < d; j++) {
                            double wa = Math.abs(wi[r * d + j]);
                            a += wa * Math.abs(delta[o + j]);
                            e += wa * ed[o + j];
                        }
                        ng[o + r] = a * inflate;
                        neg[o + r] = (gd1 * a + e) * inflate;
                    }
                }
                gAbs = ng;
                eg = neg;
            }
        }
    }

    /**
     * Whether the exact pre-activation {@code h}, with {@code |h - h~| <= E_h}, lies on the same piece of a
     * piecewise-linear activation as the fast {@code h~} (pieces {@code h > 0} and {@code h <= 0}, the convention of
     * {@code Activation.derivative} and {@code ExactActivation.derivative}): {@code h~ > E_h} gives {@code h > 0},
     * {@code -h~ >= E_h} gives {@code h <= 0}. Both comparisons are exact in double, so no rounding enters; {@code E_h = 0}
     * ({@code h = h~}, e.g. behind a dead ReLU layer) always decides it.
     */
    public static boolean pieceKnown(double hFast, double errorBound) {
        return hFast > errorBound || -hFast >= errorBound;
    }

    /**
     * The Lipschitz constant of the activation between {@code h} and {@code h~}: on a known piece of a piecewise-linear
     * activation its slope {@code |act'(h~)|} (0 or 1 for ReLU, {@code |a|} or 1 for leaky), else {@code lip} (the
     * envelope: every uncertain unit keeps it). Smooth activations: {@code lip}.
     */
    static double slope(Activation act, double hFast, double errorBound, double lip) {
        return act.piecewiseLinear() && pieceKnown(hFast, errorBound) ? Math.abs(act.derivative(hFast)) : lip;
    }

    /** Student's {@code E_z} per block {@code 0..K}, kept by the last {@link #forwardBounds} call with a sink. */
    private List<double[]> zBoundsPerBlock;

    /** Per block: the bound {@code E_delta} on the student's backward values (kept for the A3 envelope under a setting). */
    private final List<double[]> deltaBound;

    private double[] forwardBounds(int d, int k, boolean identity, Activation act, List<double[]> w, List<double[]> z,
                                   List<double[]> h, List<double[]> ehSink, double inflate, double gd1, double lip,
                                   double m, double u, int batch) {
        double[] ezPrev = new double[batch * d]; // x is exact
        List<double[]> zb = new ArrayList<>();
        zb.add(ezPrev);
        for (int i = 0; i < k; i++) {
            double[] wi = w.get(i);
            double[] zin = z.get(i);
            double[] zout = z.get(i + 1);
            double[] hi = h == null ? null : h.get(i);
            double[] eh = new double[batch * d];
            double[] ez = new double[batch * d];
            for (int b = 0; b < batch; b++) {
                int o = b * d;
                for (int j = 0; j < d; j++) {
                    double a = identity ? Math.abs(zin[o + j]) : 0;
                    double e = identity ? ezPrev[o + j] : 0;
                    for (int r = 0; r < d; r++) {
                        double wa = Math.abs(wi[r * d + j]);
                        a += wa * Math.abs(zin[o + r]);
                        e += wa * ezPrev[o + r];
                    }
                    eh[o + j] = (gd1 * a + e) * inflate;
                    // |h~| <= a (1 + gamma) bounds the argument of the activation for the evaluation term
                    double hAbs = a * (1 + gd1) * inflate;
                    // on a known piece the activation is linear between h and h~: its slope replaces L
                    double slope = hi == null ? lip : slope(act, hi[o + j], eh[o + j], lip);
                    ez[o + j] = (slope * eh[o + j] + m * u * (Math.abs(zout[o + j]) + hAbs)) * inflate;
                }
            }
            if (ehSink != null) {
                ehSink.add(eh);
            }
            zb.add(ez);
            ezPrev = ez;
        }
        if (ehSink != null) {
            zBoundsPerBlock = zb;
        }
        return ezPrev;
    }

    public double output(int b) {
        return outputBound[b];
    }

    public double residual(int b) {
        return residualBound[b];
    }

    public double loss() {
        return lossBound;
    }

    /** Bound on {@code dl/dW_k[r][j]} (true units), k = 1..K. */
    public double gradient(int k, int r, int j) {
        return gradientBound.get(k - 1)[r * d + j];
    }

    /** Bound on the student's activation {@code z_k[b][j]}, k = 0..K ({@code z_0 = x}: 0). */
    public double activation(int k, int b, int j) {
        return zBoundsPerBlock.get(k)[b * d + j];
    }

    /** Bound on the student's backward value {@code delta_k[b][j]}, k = 1..K. */
    public double delta(int k, int b, int j) {
        return deltaBound.get(k - 1)[b * d + j];
    }

    /** Bound on the student's pre-activation {@code h_k[b][j]}, k = 1..K. */
    public double preActivation(int k, int b, int j) {
        return preActivationBound.get(k - 1)[b * d + j];
    }
}
