package io.idrelu.kernel;

/**
 * Closed-form population loss and gradient for Gaussian input (MATH.md section 2, [LY17] section 2)
 * in double precision, {@code O(d^3)}.
 *
 * <p><b>Angles.</b> Kahan's formula {@code theta(a,b) = 2 atan2(| |b|a - |a|b |, | |b|a + |a|b |)} is
 * used for every pair. The cheaper Gram form {@code atan2(sqrt(|a|^2|b|^2 - <a,b>^2), <a,b>)} computes
 * its radicand with an absolute error of a few {@code eps |a|^2 |b|^2}, so for nearly parallel
 * vectors ({@code theta ~ sqrt(eps) ~ 1e-8}) {@code theta} and {@code sin theta} carry errors of order
 * {@code 1e-8}; the gradient term {@code (pi - theta) u_k + |u_k| sin theta u_j/|u_j|} inherits them
 * absolutely. Near the optimum ({@code u_j -> v_j}, exactly the Phase II region of Theorem 3.1 and the
 * claims C4, C8, C11) that error is as large as the gradient itself. Kahan's form is accurate to a few
 * ulps at every angle (Kahan, "Mindless", 2006, section 12) and gives {@code theta = 0} exactly when the
 * computed vectors are parallel with equal rounding, e.g. on the diagonal and at {@code W = W*}. Its
 * cost is about 8 flops per (pair, coordinate), three pair sets (two of them symmetric, so computed
 * for {@code k > i} only): still {@code O(d^3)}. The diagonal is additionally set to {@code 0} explicitly.
 * {@code sin theta} and {@code cos theta} come from the two Kahan norms by the double-angle formulas
 * (see {@code angles}), so only {@code atan2} is a transcendental call.
 *
 * <p><b>Order.</b> All {@code O(d^3)} work is expressed through three lane-wise row primitives
 * ({@link #squareRow}, {@link #kahanRow}, {@link #fmaRow}) that accumulate along a row of length
 * {@code n} with the same per-element fma chain; a subclass may vectorise them across the row and is
 * then bit-identical to this class. Transcendentals use {@link StrictMath} (fdlibm) so that every
 * kernel, interpreted or compiled, on every platform, gets the same bits. Reductions (the loss sum, the
 * per-unit {@code sin} sums) are scalar loops here and are never overridden. The transcendental
 * {@code atan2} uses {@link StrictMath}.
 *
 * <p><b>Formulas</b> (true units): with {@code U = I + W} (or {@code W} for vanilla), {@code V = I + W*},
 * {@code kappa(a,b) = |a||b| (sin theta + (pi - theta) cos theta) / (2 pi)},
 * {@code L = sum_{i,k} [(kappa(u_i,u_k) - 2 kappa(u_i,v_k)) + kappa(v_i,v_k)]} summed row by row, and
 * {@code G[r][j] = ( sum_k U[r][k] (pi - th(u_j,u_k)) - sum_k V[r][k] (pi - th(u_j,v_k))
 *  + c_j U[r][j]/|u_j| ) * (1/pi)} with {@code c_j = sum_k (|u_k| sin th(u_j,u_k) - |v_k| sin th(u_j,v_k))};
 * the two sums are one fma chain over {@code k} (first the {@code U} terms, then the {@code -V} terms).
 *
 * <p><b>Zero-norm units</b> ({@code |u_j| = 0}, convention of the reference): {@code kappa = 0} and
 * gradient column {@code j} is {@code 0}.
 */
public class PopulationClosedForm {
    private static final double INV_PI = 1 / Math.PI;
    private static final double INV_TWO_PI = 1 / (2 * Math.PI);

    /** Population loss {@code L(W)}; the gradient goes to {@code grad} unless it is {@code null}. */
    public final double lossAndGradient(int d, boolean identity, double[] w, double[] wStar, double[] grad) {
        assert w.length == d * d && wStar.length == d * d && (grad == null || grad.length == d * d);
        double[] u = w.clone();
        double[] v = wStar.clone();
        for (int i = 0; i < d; i++) {
            if (identity) {
                u[i * d + i] += 1.0;
            }
            v[i * d + i] += 1.0;
        }
        double[] nu = norms(d, u);
        double[] nv = norms(d, v);
        Angles uu = angles(d, u, nu, u, nu, true);
        Angles vu = angles(d, v, nv, u, nu, false);  // vu.th[k*d + j] = theta(v_k, u_j)
        Angles vv = angles(d, v, nv, v, nv, true);

        double loss = 0.0;
        for (int i = 0; i < d; i++) {
            double row = 0.0;
            for (int k = 0; k < d; k++) {
                int ik = i * d + k;
                int ki = k * d + i;
                double kuu = kappa(nu[i], nu[k], uu.th[ik], uu.sin[ik], uu.cos[ik]);
                double kuv = kappa(nu[i], nv[k], vu.th[ki], vu.sin[ki], vu.cos[ki]);
                double kvv = kappa(nv[i], nv[k], vv.th[ik], vv.sin[ik], vv.cos[ik]);
                row += (kuu - 2 * kuv) + kvv;
            }
            loss += row;
        }
        if (grad != null) {
            gradient(d, u, v, nu, nv, uu, vu, grad);
        }
        return loss;
    }

    private static double kappa(double na, double nb, double theta, double sin, double cos) {
        if (na == 0 || nb == 0) {
            return 0.0;
        }
        return na * nb * (sin + (Math.PI - theta) * cos) * INV_TWO_PI;
    }

    private void gradient(int d, double[] u, double[] v, double[] nu, double[] nv,
                          Angles uu, Angles vu, double[] grad) {
        // Coefficient matrices, row k contiguous in j so the product is a row-wise fma chain.
        double[] a = new double[d * d];
        double[] c = new double[d];
        for (int k = 0; k < d; k++) {
            for (int j = 0; j < d; j++) {
                a[k * d + j] = Math.PI - uu.th[k * d + j];
            }
        }
        double[] bvu = new double[d * d];
        for (int k = 0; k < d; k++) {
            for (int j = 0; j < d; j++) {
                bvu[k * d + j] = Math.PI - vu.th[k * d + j];
            }
        }
        for (int j = 0; j < d; j++) {
            double s = 0.0;
            for (int k = 0; k < d; k++) {
                s += nu[k] * uu.sin[k * d + j] - nv[k] * vu.sin[k * d + j];
            }
            c[j] = nu[j] == 0 ? 0.0 : s / nu[j];
        }
        java.util.Arrays.fill(grad, 0.0);
        for (int r = 0; r < d; r++) {
            int ro = r * d;
            for (int k = 0; k < d; k++) {
                fmaRow(u[ro + k], a, k * d, grad, ro, d);
            }
            for (int k = 0; k < d; k++) {
                fmaRow(-v[ro + k], bvu, k * d, grad, ro, d);
            }
            for (int j = 0; j < d; j++) {
                grad[ro + j] = nu[j] == 0 ? 0.0 : Math.fma(c[j], u[ro + j], grad[ro + j]) * INV_PI;
            }
        }
    }

    /** Column norms {@code |m_k| = sqrt(sum_r M[r][k]^2)}, fma chain over {@code r}. */
    private double[] norms(int d, double[] m) {
        double[] sq = new double[d];
        for (int r = 0; r < d; r++) {
            squareRow(m, r * d, sq, d);
        }
        for (int k = 0; k < d; k++) {
            sq[k] = Math.sqrt(sq[k]);
        }
        return sq;
    }

    /** Angles of all pairs with their sine and cosine, row-major {@code [i*d + k]}. */
    private static final class Angles {
        final double[] th;
        final double[] sin;
        final double[] cos;

        Angles(int d) {
            th = new double[d * d];
            sin = new double[d * d];
            cos = new double[d * d];
        }
    }

    /**
     * {@code th[i*d + k] = theta(a_i, b_k)} by Kahan's formula, columns of the row-major {@code a}, {@code b},
     * with {@code sin} and {@code cos} of it.
     *
     * <p>With {@code t- = sqrt(minus)}, {@code t+ = sqrt(plus)} (the two Kahan norms) and
     * {@code theta = 2 atan2(t-, t+)}, {@code sin theta = 2 t- t+ / (minus + plus)} and
     * {@code cos theta = (plus - minus) / (minus + plus)} (double-angle formulas; a few ulps, relative for
     * {@code sin}, absolute for {@code cos}, at every angle, like {@code StrictMath.sin/cos} of the rounded
     * angle). This replaces eight of the eleven transcendental calls per pair; {@code atan2} remains for
     * {@code theta} itself. {@code minus + plus = 0} only for a zero vector: {@code theta = 0}, sin 0, cos 1.
     *
     * <p>When {@code a == b} the matrix is symmetric <em>bit for bit</em>: swapping {@code i} and {@code k}
     * swaps the two rounded products {@code p = nb[k] a_i[r]} and {@code q = na[i] b_k[r]} (same operands,
     * commutative), which negates {@code t-} exactly and leaves {@code t+}, every square and every fma chain
     * unchanged. So only {@code k > i} is computed and mirrored; the diagonal is {@code 0}.
     */
    private Angles angles(int d, double[] a, double[] na, double[] b, double[] nb, boolean symmetric) {
        Angles out = new Angles(d);
        double[] minus = new double[d];
        double[] plus = new double[d];
        for (int i = 0; i < d; i++) {
            int from = symmetric ? i + 1 : 0;
            java.util.Arrays.fill(minus, from, d, 0.0);
            java.util.Arrays.fill(plus, from, d, 0.0);
            for (int r = 0; r < d; r++) {
                kahanRow(a[r * d + i], na[i], b, r * d, nb, minus, plus, from, d);
            }
            for (int k = from; k < d; k++) {
                double tm = Math.sqrt(minus[k]);
                double tp = Math.sqrt(plus[k]);
                double s = minus[k] + plus[k];
                double th = 2 * StrictMath.atan2(tm, tp);
                double sin = s == 0 ? 0.0 : (2 * (tm * tp)) / s;
                double cos = s == 0 ? 1.0 : (plus[k] - minus[k]) / s;
                int ik = i * d + k;
                out.th[ik] = th;
                out.sin[ik] = sin;
                out.cos[ik] = cos;
                if (symmetric) {
                    int ki = k * d + i;
                    out.th[ki] = th;
                    out.sin[ki] = sin;
                    out.cos[ki] = cos;
                }
            }
            if (symmetric) {
                out.th[i * d + i] = 0.0;
                out.sin[i * d + i] = 0.0;
                out.cos[i * d + i] = 1.0;
            }
        }
        return out;
    }

    /** {@code acc[k] = fma(row[ro+k], row[ro+k], acc[k])} for {@code k < n}. */
    protected void squareRow(double[] row, int ro, double[] acc, int n) {
        for (int k = 0; k < n; k++) {
            double t = row[ro + k];
            acc[k] = Math.fma(t, t, acc[k]);
        }
    }

    /**
     * One coordinate {@code r} of Kahan's two norms for {@code from <= k < to}: with {@code ai = a_i[r]},
     * {@code t- = nb[k]*ai - na*b_k[r]}, {@code t+ = nb[k]*ai + na*b_k[r]} (each product rounded, then
     * the sum rounded), {@code minus[k] = fma(t-, t-, minus[k])}, {@code plus[k] = fma(t+, t+, plus[k])}.
     */
    protected void kahanRow(double ai, double na, double[] b, int bo, double[] nb,
                            double[] minus, double[] plus, int from, int to) {
        for (int k = from; k < to; k++) {
            double p = nb[k] * ai;
            double q = na * b[bo + k];
            double tm = p - q;
            double tp = p + q;
            minus[k] = Math.fma(tm, tm, minus[k]);
            plus[k] = Math.fma(tp, tp, plus[k]);
        }
    }

    /** {@code acc[ao+k] = fma(s, row[ro+k], acc[ao+k])} for {@code k < n}. */
    protected void fmaRow(double s, double[] row, int ro, double[] acc, int ao, int n) {
        for (int k = 0; k < n; k++) {
            acc[ao + k] = Math.fma(s, row[ro + k], acc[ao + k]);
        }
    }
}
