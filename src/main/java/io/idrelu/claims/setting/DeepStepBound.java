package io.idrelu.claims.setting;

import io.idrelu.audit.Precision;
import io.idrelu.setting.Activation;
import io.idrelu.setting.FastValues;
import io.idrelu.setting.NetworkBounds;

import java.util.List;

/**
 * The deep-net terms of A3's envelope (proofs-notes/A3.md, "Deep nets (K > 1)"): the activation pattern on the ball,
 * decided block by block ({@link #certainUnits}); the cost of a sample whose pattern may change ({@link #jumpCost}); and
 * the Hessian term for a deep piecewise-linear network ({@code K > 1}, ReLU or leaky ReLU) from the
 * realised blocks (proofs-notes/A3.md, "Deep nets (K > 1)"): a bound {@code H_b >= ||Hess_W f_b(W)||_2} for every
 * {@code W} on the segment {@code [R, A]} of a sample whose activation pattern is fixed on that segment (every unit
 * certain; an uncertain unit makes the sample a jump, which never reaches this class). It replaces the a-priori
 * {@link SettingTrajectoryAudit.Ball#g2}, a product of worst-case norms, by the actual backward vectors
 * {@code delta_k} and activations {@code z_k} of the fast path, their running error bounds ({@link NetworkBounds}),
 * and their variation on the ball; the caller takes the smaller of the two, both being upper bounds.
 *
 * <p>With the pattern fixed, {@code z_k = D_k h_k}, {@code h_k = U_k(W)^T z_{k-1}} ({@code D_k} the diagonal of
 * slopes, 0/1 or {@code a}/1, all pieces through 0), so along a direction {@code Delta} (blocks {@code Delta_k},
 * {@code sum_k ||Delta_k||_F^2 = 1}, {@code a_k = ||Delta_k||_F}):
 * <pre>
 *   z'_k = D_k (U_k^T z'_{k-1} + Delta_k^T z_{k-1}),  z'_0 = 0,
 *   f''  = sum_{k >= 2} 2 delta_k^T Delta_k^T z'_{k-1},  delta_K = D_K 1, delta_k = D_k U_{k+1} delta_{k+1},
 * </pre>
 * hence {@code |z'_{k-1}| <= sum_{i <= k-1} (prod_{l=i+1}^{k-1} N_l) a_i Z_{i-1}} and
 * {@code |f''| <= 2 sum_{k > i} a_k a_i M_ki} with {@code M_ki = Dl_k (prod_{l=i+1}^{k-1} N_l) Z_{i-1}}, so
 * {@code ||Hess f|| <= 2 ||M||_F} ({@code a^T M a <= ||M||_2 <= ||M||_F}). The sup bounds on the segment:
 * {@code N_k >= ||U_k(W)||_2} (the caller's block norms, already {@code + e});
 * {@code Z_i = |z~_i| + |E_z,i| + e L p_i} ({@code z_0 = x} exact; {@code p_i} the ball's Lipschitz constant of
 * {@code h_i} in W); {@code Dl_k = min(sqrt(d) prod_{l>k} N_l, |delta~_k| + |E_delta,k| + e sqrt(d) sum_{l>k}
 * prod_{m>k, m != l} N_m)} (the a-priori size of {@code delta_k}, or the fast value, its A1 error and its variation
 * on the ball: {@code d delta_k / dW} has one {@code Delta_l} factor per later block).
 */
final class DeepStepBound {
    private DeepStepBound() { }

    private static final double INFLATE = 1 + 1e-12;

    /**
     * {@code H_b} for sample {@code b} (class comment).
     *
     * @param uNorm {@code N_k}, k = 1..K (index k-1), sup of {@code ||U_k||_2} on the ball of radius {@code e}
     * @param ball  the a-priori bounds of the sample (its {@code p} gives the Lipschitz constants of {@code h_k})
     * @param xNorm {@code |x_b|} (rounded up)
     */
    static double hessian(Activation act, int d, int k, FastValues v, NetworkBounds nb, double[] uNorm,
                          SettingTrajectoryAudit.Ball ball, double xNorm, int b, double e) {
        assert act.piecewiseLinear() && act.lipschitz() <= 1 : "slopes of at most 1 in absolute value (|D_k| <= 1)";
        double lip = act.lipschitz();
        double sd = Math.sqrt(d) * INFLATE;
        // Z_{i}, i = 0..K-1: sup |z_i(W)| on the segment
        double[] z = new double[k];
        z[0] = xNorm;
        for (int i = 1; i < k; i++) {
            z[i] = (norm(v.z().get(i), b, d) + boundNorm(nb, true, i, b, d) + e * lip * ball.p()[i - 1]) * INFLATE;
        }
        // Dl_k, k = 1..K (index k-1): sup |delta_k(W)| on the segment
        double[] dl = new double[k];
        for (int kk = 1; kk <= k; kk++) {
            double prior = sd;
            for (int l = kk + 1; l <= k; l++) {
                prior *= uNorm[l - 1];
            }
            double lipDelta = 0;
            for (int l = kk + 1; l <= k; l++) {
                double prod = sd;
                for (int m = kk + 1; m <= k; m++) {
                    prod *= m == l ? 1 : uNorm[m - 1];
                }
                lipDelta += prod;
            }
            double realised = norm(v.delta().get(kk - 1), b, d) + boundNorm(nb, false, kk, b, d) + e * lipDelta;
            dl[kk - 1] = SettingTrajectoryAudit.tighter(prior * INFLATE, realised * INFLATE);
        }
        // ||M||_F over k > i
        double m2 = 0;
        for (int kk = 2; kk <= k; kk++) {
            for (int i = 1; i < kk; i++) {
                double prod = 1;
                for (int l = i + 1; l <= kk - 1; l++) {
                    prod *= uNorm[l - 1];
                }
                double mki = dl[kk - 1] * prod * z[i - 1] * INFLATE;
                m2 += mki * mki;
            }
        }
        return 2 * Math.sqrt(m2) * INFLATE * INFLATE;
    }

    /**
     * Decides the activation pattern of sample {@code b} on the segment {@code [R, A]} block by block and returns the
     * number of units whose piece is not certain there (0: the pattern is fixed on the segment). The decision holds on
     * the whole ball {@code ||W - A||_F <= e}, which contains the segment. With
     * {@code Delta = W - A} ({@code ||Delta||_F <= e}, {@code a_k = ||Delta_k||_F},
     * {@code sum_k a_k^2 <= e^2}) and exact values {@code dh_k = h_k(W) - h_k(A)}, {@code dz_k = z_k(W) - z_k(A)}:
     * <pre>
     *   dh_k = U_k(A)^T dz_{k-1} + Delta_k^T (z_{k-1}(A) + dz_{k-1}),   |dz_k[j]| <= s_kj |dh_k[j]|,
     * </pre>
     * {@code s_kj} the unit's slope {@code |act'(h~)|} when its piece is certain on the segment (the activation is then
     * linear between {@code h(A)} and {@code h(W)}), else the Lipschitz constant (the envelope). By induction
     * {@code |dh_k[j]| <= sum_{i <= k} a_i C_ki[j]} with
     * {@code C_ki[j] = sum_r |U_k[r][j]| s_{k-1,r} C_{k-1,i}[r]} ({@code i < k}) and
     * {@code C_kk[j] = |z~_{k-1}| + |E_z,k-1| + |dzT_{k-1}|} ({@code z_0 = x} exact, {@code dzT} the per-unit bounds
     * {@code s T} of the block below), so by Cauchy-Schwarz {@code |dh_k[j]| <= T_k[j] = e ||C_k.[j]||_2}, also
     * {@code <= e p_k} (the ball's a-priori bound; the smaller is used). The unit is certain when
     * {@link NetworkBounds#pieceKnown} holds with the error {@code E_h + T_k[j]}: then {@code h_k[j](W)} lies on the
     * piece of {@code h~_k[j]} for every {@code W} on the segment (A1 bounds {@code |h_k(A) - h~_k|} by {@code E_h}).
     * {@code |U_k[r][j]| <= |W_k[r][j]| + [identity, r = j]}. A dead ReLU layer needs no special case: its units are
     * certain with slope 0, so the next block's {@code C} and {@code E_h} vanish and {@code h = h~ = 0} is certain.
     *
     * @param w    the fast iterate {@code A} (per block, row-major {@code W_k[r][j]})
     * @param ball the a-priori bounds of the sample ({@code p_k}: Lipschitz constant of {@code h_k} on the ball)
     */
    static int uncertainUnits(Activation act, boolean identity, int d, int k, List<double[]> w, FastValues v,
                              NetworkBounds nb, SettingTrajectoryAudit.Ball ball, double xNorm, int b, double e) {
        int n = 0;
        for (boolean[] block : certainUnits(act, identity, d, k, w, v, nb, ball, xNorm, b, e)) {
            for (boolean c : block) {
                n += c ? 0 : 1;
            }
        }
        return n;
    }

    /**
     * Per block {@code k = 1..K} (index k-1) and unit: whether its piece is certain for every {@code W} with
     * {@code ||W - A||_F <= e} ({@link #uncertainUnits}).
     */
    static boolean[][] certainUnits(Activation act, boolean identity, int d, int k, List<double[]> w, FastValues v,
                                    NetworkBounds nb, SettingTrajectoryAudit.Ball ball, double xNorm, int b, double e) {
        boolean[][] out = new boolean[k][d];
        double lip = act.lipschitz();
        // the stage's own rounding: sums of at most 2d + 4 non-negative terms, a product and a square root
        double up = 1 + 2 * Precision.DOUBLE.gamma(2L * d + 8);
        double[][] cPrev = null; // C_{k-1,i}[r], i = 1..k-1 (index i-1)
        double[] sPrev = null;   // s_{k-1,r}
        double[] tPrev = null;   // T_{k-1}[r]
        for (int kk = 1; kk <= k; kk++) {
            // |z_{kk-1}(A)| + |dzT_{kk-1}|
            double zSize;
            if (kk == 1) {
                zSize = xNorm;
            } else {
                double dz = 0;
                for (int r = 0; r < d; r++) {
                    double q = sPrev[r] * tPrev[r];
                    dz += q * q;
                }
                zSize = (norm(v.z().get(kk - 1), b, d) + boundNorm(nb, true, kk - 1, b, d) + Math.sqrt(dz) * up) * up;
            }
            double[] wk = w.get(kk - 1);
            double[] h = v.h().get(kk - 1);
            double[][] c = new double[kk][d];
            double[] s = new double[d];
            double[] t = new double[d];
            for (int j = 0; j < d; j++) {
                double sq = 0;
                for (int i = 0; i < kk - 1; i++) {
                    double acc = 0;
                    for (int r = 0; r < d; r++) {
                        double u = Math.abs(wk[r * d + j]) + (identity && r == j ? 1 : 0);
                        acc += u * sPrev[r] * cPrev[i][r];
                    }
                    c[i][j] = acc * up;
                    sq += c[i][j] * c[i][j];
                }
                c[kk - 1][j] = zSize;
                sq += zSize * zSize;
                t[j] = SettingTrajectoryAudit.tighter(e * ball.p()[kk - 1] * INFLATE, e * Math.sqrt(sq) * up) * INFLATE;
                double hj = h[b * d + j];
                boolean certain = NetworkBounds.pieceKnown(hj, (nb.preActivation(kk, b, j) + t[j]) * INFLATE);
                s[j] = certain ? Math.abs(act.derivative(hj)) : lip;
                out[kk - 1][j] = certain;
            }
            cPrev = c;
            sPrev = s;
            tPrev = t;
        }
        return out;
    }

    /**
     * A bound on {@code |r_b(A) grad f_b(A) - r_b(R) grad f_b(R)|} for a sample charged as a jump (its pattern may change
     * on the segment), from the realised blocks: {@code <= |r(A)| |grad f(A)| + |r(R)| |grad f(R)|} with
     * <ul>
     *   <li>{@code |r(A)| <= |r~| + E_r}, {@code |grad f(A)| <= sqrt(sum_k (|z~_{k-1}||delta~_k| + eps_k)^2)},
     *       {@code eps_k = |E_z||delta~| + (|z~| + |E_z|)|E_delta|} (A1 at {@code A}; {@code E_delta} already charges the
     *       derivative jump of every uncertain unit);</li>
     *   <li>{@code |r(R)| <= resSup} (the caller's {@code |r~| + E_r + e G1});</li>
     *   <li>{@code |grad f(R)| <= sqrt(sum_k Z_{k-1}^2 |db_k|^2)}, {@code grad_{W_k} f = z_{k-1} delta_k^T}: {@code Z} as in
     *       {@link #hessian}, and entrywise sup bounds of {@code delta_k} on the ball, {@code db_K[j] = s_Kj},
     *       {@code db_k[r] = s_kr (sum_j |U_{k+1}(A)[r][j]| db_{k+1}[j] + e |db_{k+1}|)} ({@code |sum_j Delta[r][j] delta[j]|
     *       <= e |delta|}), {@code s} the unit's slope if certain on the ball ({@code certain}), else {@code L}.</li>
     * </ul>
     */
    static double jumpCost(Activation act, boolean identity, int d, int k, List<double[]> w, FastValues v,
                           NetworkBounds nb, SettingTrajectoryAudit.Ball ball, double xNorm, int b, double e,
                           boolean[][] certain, double resSup) {
        double lip = act.lipschitz();
        double up = 1 + 2 * Precision.DOUBLE.gamma(2L * d + 8);
        // |grad f(A)|
        double ga2 = 0;
        for (int kk = 1; kk <= k; kk++) {
            double zn = norm(v.z().get(kk - 1), b, d);
            double ezn = kk == 1 ? 0 : boundNorm(nb, true, kk - 1, b, d);
            double dn = norm(v.delta().get(kk - 1), b, d);
            double edn = boundNorm(nb, false, kk, b, d);
            double blockA = (zn * dn + ezn * dn + (zn + ezn) * edn) * up;
            ga2 += blockA * blockA;
        }
        double ga = Math.sqrt(ga2) * up;
        // |grad f(R)|: Z_{k-1} and db_k backwards
        double[] z = new double[k];
        z[0] = xNorm;
        for (int i = 1; i < k; i++) {
            z[i] = (norm(v.z().get(i), b, d) + boundNorm(nb, true, i, b, d) + e * lip * ball.p()[i - 1]) * INFLATE;
        }
        double[] db = new double[d];
        double gr2 = 0;
        for (int kk = k; kk >= 1; kk--) {
            double[] h = v.h().get(kk - 1);
            double[] next = new double[d];
            double dbNorm = 0;
            if (kk < k) {
                for (int j = 0; j < d; j++) {
                    dbNorm += db[j] * db[j];
                }
                dbNorm = Math.sqrt(dbNorm) * up;
            }
            double[] wn = kk < k ? w.get(kk) : null;
            double n2 = 0;
            for (int r = 0; r < d; r++) {
                double sr = certain[kk - 1][r] ? Math.abs(act.derivative(h[b * d + r])) : lip;
                double g;
                if (kk == k) {
                    g = 1; // g_K = 1 exactly
                } else {
                    g = 0;
                    for (int j = 0; j < d; j++) {
                        g += (Math.abs(wn[r * d + j]) + (identity && r == j ? 1 : 0)) * db[j];
                    }
                    g = (g * up + e * dbNorm) * up;
                }
                next[r] = sr * g;
                n2 += next[r] * next[r];
            }
            db = next;
            double blockR = z[kk - 1] * Math.sqrt(n2) * up * up;
            gr2 += blockR * blockR;
        }
        double gr = Math.sqrt(gr2) * up;
        double ra = (Math.abs(v.residuals()[b]) + nb.residual(b)) * INFLATE;
        return (ra * ga + resSup * gr) * INFLATE;
    }

    /** {@code |v_b|} for one row of a per-block array, rounded up. */
    private static double norm(double[] a, int b, int d) {
        double s = 0;
        for (int j = 0; j < d; j++) {
            s += a[b * d + j] * a[b * d + j];
        }
        return Math.sqrt(s) * (1 + 4.0 * (d + 2) * 0x1p-53);
    }

    /** {@code |E_z,k|} (activation {@code z_k}) or {@code |E_delta,k|} for row {@code b}, rounded up. */
    private static double boundNorm(NetworkBounds nb, boolean activation, int k, int b, int d) {
        double s = 0;
        for (int j = 0; j < d; j++) {
            double q = activation ? nb.activation(k, b, j) : nb.delta(k, b, j);
            s += q * q;
        }
        return Math.sqrt(s) * (1 + 4.0 * (d + 2) * 0x1p-53);
    }
}
