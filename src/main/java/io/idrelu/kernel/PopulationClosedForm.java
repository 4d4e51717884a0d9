package io.idrelu.kernel;

/**
 * Closed-form population loss and gradient for Gaussian input (MATH.md section 2, [LY17] section 2)
 * in double precision, {@code O(d^3)}, claim A2.
 *
 * <p><b>Angles: Gram route with a Kahan fallback.</b> The three Gram matrices {@code U^T U}, {@code V^T U},
 * {@code V^T V} are formed first ({@link #gram}, the {@code O(d^3)} part, a plain fma chain per entry so a
 * subclass can block it into register tiles). For each pair with Gram entry {@code g = <a,b>} and squared norms
 * {@code |a|^2}, {@code |b|^2} (the Gram diagonals): {@code s = sqrt(fma(-g, g, |a|^2 |b|^2))} (that is
 * {@code |a||b| sin theta}), {@code theta = atan2(s, g)}, {@code sin = s/r}, {@code cos = g/r} with
 * {@code r = sqrt(s^2 + g^2)} ({@link #gramAngles}). That route loses accuracy only where {@code sin theta}
 * is small: its radicand carries an absolute error of a few {@code gamma_d |a|^2|b|^2}, so the angle error is
 * about {@code gamma_d / sin theta} (proofs-notes/A2.md, {@code AngleModel.GRAM_KAHAN}). So it is taken only when
 * the computed {@code sin theta >= }{@link #GRAM_MIN_SIN}; every other pair (nearly parallel or antiparallel,
 * a zero vector, which is exactly the near-optimum region {@code u_j ~ v_j} of the Phase II claims C4, C8, C11)
 * is recomputed with Kahan's formula {@code theta = 2 atan2(| |b|a - |a|b |, | |b|a + |a|b |)} (Kahan,
 * "Mindless", 2006, section 12), accurate to a few ulps at every angle, in {@code O(d)} per pair
 * ({@link #kahanPairs}, never overridden). At a random point almost no pair falls back; at {@code W = W*} the
 * {@code d} pairs {@code (u_j, v_j)} do. The diagonal of the symmetric sets is {@code 0} exactly.
 *
 * <p><b>Order and bit-identity.</b> The Gram entries, the gradient products ({@link #gradientProduct}) and the
 * per-pair angle arithmetic are defined here as scalar loops with a fixed per-element operation sequence: each
 * Gram entry is one fma chain over {@code r = 0..d-1} starting from {@code 0}, each gradient entry one fma chain
 * over {@code k} (first the {@code U} terms, then the {@code -V} terms), each angle the sequence above with
 * {@link StrictMath#atan2} (fdlibm). A subclass may block, pack and vectorise them but must produce the same bits
 * (the vector kernel tiles the products across output elements, never along one chain, and evaluates
 * {@code atan2} by a lane-wise transcription of fdlibm's algorithm, checked bit for bit against
 * {@link StrictMath#atan2}). Reductions (the loss sum, the per-unit {@code sin} sums) are scalar loops here
 * and are never overridden, except that {@link #lossRows} and {@link #sinSums} may run their {@code d}
 * independent chains in vector lanes (each lane one chain, in order).
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
    /** {@code 1/pi}, the gradient's factor. */
    protected static final double INV_PI = 1 / Math.PI;
    /** {@code 1/(2 pi)}, the factor of {@link #kappa}. */
    protected static final double INV_TWO_PI = 1 / (2 * Math.PI);

    /**
     * Pairs whose Gram-route {@code sin theta} is below this are recomputed with Kahan's formula. At
     * {@code sin theta >= 1/2} (so the exact {@code sin theta > 1/4}) the Gram route's angle error is at most
     * {@code 4 rho + gamma_d + 4 pi u}, {@code rho = 4 gamma_d + 3u}, the same order as Kahan's (proofs-notes/A2.md).
     */
    public static final double GRAM_MIN_SIN = 0.5;

    /** Population loss {@code L(W)}; the gradient goes to {@code grad} unless it is {@code null}. */
    public final double lossAndGradient(int d, boolean identity, double[] w, double[] wStar, double[] grad) {
        return lossAndGradient(d, identity, w, wStar, grad, Parallel.SERIAL);
    }

    /**
     * {@link #lossAndGradient(int, boolean, double[], double[], double[])} with the {@code O(d^3)} products and the
     * angle rows spread over the threads of {@code parallel}: the same bits for every thread count, because every
     * task owns its output elements and computes each with the single-threaded operation chain (no reduction is
     * split; the loss and {@code c_j} sums stay on the caller), see {@link Parallel}.
     */
    public final double lossAndGradient(int d, boolean identity, double[] w, double[] wStar, double[] grad,
                                        Parallel parallel) {
        assert w.length == d * d && wStar.length == d * d && (grad == null || grad.length == d * d);
        java.lang.ref.SoftReference<Scratch> held = spare.getAndSet(null);
        Scratch scratch = held == null ? null : held.get();
        if (scratch == null) {
            scratch = new Scratch();
        }
        scratch.rewind();
        double loss = lossAndGradient(d, identity, w, wStar, grad, parallel, scratch);
        spare.set(new java.lang.ref.SoftReference<>(scratch));
        return loss;
    }

    /**
     * The work arrays of the last evaluation, for the next (see {@link Scratch}). An evaluation takes them (a
     * concurrent one finds none and allocates its own) and puts them back when done; softly held, so a large
     * {@code d}'s arrays do not outlive memory pressure.
     */
    private final java.util.concurrent.atomic.AtomicReference<java.lang.ref.SoftReference<Scratch>> spare =
            new java.util.concurrent.atomic.AtomicReference<>();

    private double lossAndGradient(int d, boolean identity, double[] w, double[] wStar, double[] grad,
                                   Parallel parallel, Scratch scratch) {
        double[] u = scratch.doubles(d * d);   // every element copied
        double[] v = scratch.doubles(d * d);
        System.arraycopy(w, 0, u, 0, d * d);
        System.arraycopy(wStar, 0, v, 0, d * d);
        for (int i = 0; i < d; i++) {
            if (identity) {
                u[i * d + i] += 1.0;
            }
            v[i * d + i] += 1.0;
        }
        double[] guu = scratch.doubles(d * d);   // gram writes every element it defines (symmetric: k >= i)
        double[] gvu = scratch.doubles(d * d);   // gvu[k*d + j] = <v_k, u_j>
        double[] gvv = scratch.doubles(d * d);
        gram(d, u, u, true, guu, parallel, scratch);
        gram(d, v, u, false, gvu, parallel, scratch);
        gram(d, v, v, true, gvv, parallel, scratch);
        double[] n2u = new double[d];
        double[] n2v = new double[d];
        double[] nu = new double[d];
        double[] nv = new double[d];
        for (int i = 0; i < d; i++) {
            n2u[i] = guu[i * d + i];
            n2v[i] = gvv[i * d + i];
            nu[i] = Math.sqrt(n2u[i]);
            nv[i] = Math.sqrt(n2v[i]);
        }
        Angles uu = angles(d, u, nu, n2u, u, nu, n2u, guu, true, parallel, scratch);
        Angles vu = angles(d, v, nv, n2v, u, nu, n2u, gvu, false, parallel, scratch);  // vu.th[k*d + j] = theta(v_k, u_j)
        Angles vv = angles(d, v, nv, n2v, v, nv, n2v, gvv, true, parallel, scratch);

        double[] rows = new double[d];
        lossRows(d, nu, nv, uu.th, uu.sin, uu.cos, vu.th, vu.sin, vu.cos, vv.th, vv.sin, vv.cos, rows);
        double loss = 0.0;
        for (int i = 0; i < d; i++) {
            loss += rows[i];
        }
        if (grad != null) {
            gradient(d, u, v, nu, nv, uu, vu, grad, parallel, scratch);
        }
        return loss;
    }

    /**
     * {@code rows[i] += (kappa(u_i,u_k) - 2 kappa(u_i,v_k)) + kappa(v_i,v_k)} for {@code k = 0..d-1} in increasing
     * order (row {@code i}'s chain of the loss, class javadoc), {@code rows} from {@code 0}. All rows advance together
     * ({@code k} outer, {@code i} inner) so every array is read contiguously: entry {@code (i, k)} of the symmetric
     * sets is read at {@code k*d + i}, its mirror, which holds the same bits ({@link #angles} copies it), and
     * {@code vuTh[k*d + i] = theta(v_k, u_i)}. A subclass may vectorise across {@code i} (each lane one row's chain,
     * the same operations per term, {@link #kappa}), never along a chain.
     */
    protected void lossRows(int d, double[] nu, double[] nv, double[] uuTh, double[] uuSin, double[] uuCos,
                            double[] vuTh, double[] vuSin, double[] vuCos, double[] vvTh, double[] vvSin,
                            double[] vvCos, double[] rows) {
        for (int k = 0; k < d; k++) {
            lossTerms(d, k, 0, d, nu, nv, uuTh, uuSin, uuCos, vuTh, vuSin, vuCos, vvTh, vvSin, vvCos, rows);
        }
    }

    /** Term {@code k} of {@link #lossRows} for rows {@code i0..i1-1}; subclasses use it for their tails. */
    protected static void lossTerms(int d, int k, int i0, int i1, double[] nu, double[] nv, double[] uuTh,
                                    double[] uuSin, double[] uuCos, double[] vuTh, double[] vuSin, double[] vuCos,
                                    double[] vvTh, double[] vvSin, double[] vvCos, double[] rows) {
        int ko = k * d;
        for (int i = i0; i < i1; i++) {
            int ki = ko + i;
            double kuu = kappa(nu[i], nu[k], uuTh[ki], uuSin[ki], uuCos[ki]);
            double kuv = kappa(nu[i], nv[k], vuTh[ki], vuSin[ki], vuCos[ki]);
            double kvv = kappa(nv[i], nv[k], vvTh[ki], vvSin[ki], vvCos[ki]);
            rows[i] += (kuu - 2 * kuv) + kvv;
        }
    }

    /**
     * {@code kappa(a,b) = |a||b| (sin theta + (pi - theta) cos theta) / (2 pi)} evaluated as
     * {@code ((na nb) (sin + ((pi - theta) cos))) * INV_TWO_PI} (the vector loss rows repeat these operations); {@code 0}
     * for a zero-norm vector.
     */
    static double kappa(double na, double nb, double theta, double sin, double cos) {
        if (na == 0 || nb == 0) {
            return 0.0;
        }
        return na * nb * (sin + (Math.PI - theta) * cos) * INV_TWO_PI;
    }

    private void gradient(int d, double[] u, double[] v, double[] nu, double[] nv,
                          Angles uu, Angles vu, double[] grad, Parallel parallel, Scratch scratch) {
        double[] c = new double[d];
        double[] s = new double[d];
        sinSums(d, nu, nv, uu.sin, vu.sin, s);
        for (int j = 0; j < d; j++) {
            c[j] = nu[j] == 0 ? 0.0 : s[j] / nu[j];
        }
        coefficientProduct(d, u, uu.th, v, vu.th, grad, parallel, scratch);
        finishGradient(d, nu, c, u, grad);
    }

    /**
     * {@code s[j] += nu[k] uuSin[k*d + j] - nv[k] vuSin[k*d + j]} for {@code k = 0..d-1} in increasing order, one
     * chain per {@code j} from {@code s[j] = 0} ({@code k} outer: contiguous rows). A subclass may run the {@code d}
     * chains in vector lanes (the same operations per term), never split one.
     */
    protected void sinSums(int d, double[] nu, double[] nv, double[] uuSin, double[] vuSin, double[] s) {
        for (int k = 0; k < d; k++) {
            sinTerms(d, k, 0, d, nu, nv, uuSin, vuSin, s);
        }
    }

    /** Term {@code k} of {@link #sinSums} for {@code j0 <= j < j1}; subclasses use it for their tails. */
    protected static void sinTerms(int d, int k, int j0, int j1, double[] nu, double[] nv, double[] uuSin,
                                   double[] vuSin, double[] s) {
        int ko = k * d;
        for (int j = j0; j < j1; j++) {
            s[j] += nu[k] * uuSin[ko + j] - nv[k] * vuSin[ko + j];
        }
    }

    /**
     * {@code grad[r][j] = (fma(c[j], u[r][j], grad[r][j])) * (1/pi)}, or {@code 0} for a zero-norm unit {@code j}
     * (class javadoc); element-wise, so a subclass may vectorise it with the same operations.
     */
    protected void finishGradient(int d, double[] nu, double[] c, double[] u, double[] grad) {
        for (int r = 0; r < d; r++) {
            finishGradientRow(d, r, 0, d, nu, c, u, grad);
        }
    }

    /** Row {@code r} of {@link #finishGradient} for {@code j0 <= j < j1}; subclasses use it for their tails. */
    protected static void finishGradientRow(int d, int r, int j0, int j1, double[] nu, double[] c, double[] u,
                                            double[] grad) {
        int ro = r * d;
        for (int j = j0; j < j1; j++) {
            grad[ro + j] = nu[j] == 0 ? 0.0 : Math.fma(c[j], u[ro + j], grad[ro + j]) * INV_PI;
        }
    }

    /** Angles of all pairs with their sine and cosine, row-major {@code [i*d + k]}. */
    protected static final class Angles {
        final double[] th;
        final double[] sin;
        final double[] cos;

        Angles(int d) {
            this(new double[d * d], new double[d * d], new double[d * d]);
        }

        private Angles(double[] th, double[] sin, double[] cos) {
            this.th = th;
            this.sin = sin;
            this.cos = cos;
        }

        /**
         * From {@code scratch}: {@link #angles} writes every element (each row's pairs from the Gram route or
         * Kahan's formula, the diagonal, the mirrored half).
         */
        static Angles of(int d, Scratch scratch) {
            return new Angles(scratch.doubles(d * d), scratch.doubles(d * d), scratch.doubles(d * d));
        }
    }

    /**
     * {@code th[i*d + k] = theta(a_i, b_k)} with {@code sin} and {@code cos} of it (columns of the row-major
     * {@code a}, {@code b}; {@code g[i*d + k] = <a_i, b_k>}): Gram route where its {@code sin >= GRAM_MIN_SIN},
     * Kahan's formula elsewhere (class javadoc): first every row's Gram route ({@link #gramAngles}), which leaves
     * {@code NaN} at the pairs it does not take, then those pairs by {@link #kahanPairs}. When {@code symmetric} only
     * {@code k > i} is computed and mirrored after the rows (the Gram matrix is symmetric bit for bit, and so is
     * Kahan's formula, see {@link #kahanPairs}); the diagonal is {@code 0}.
     */
    private Angles angles(int d, double[] a, double[] na, double[] n2a, double[] b, double[] nb, double[] n2b,
                          double[] g, boolean symmetric, Parallel parallel, Scratch scratch) {
        Angles out = Angles.of(d, scratch);
        int tasks = (d + ANGLE_ROWS - 1) / ANGLE_ROWS;
        int[][] fallback = new int[tasks][];   // per task, the pairs i*d + k its rows left to Kahan's formula
        parallel.forEach(tasks, (task, p) -> fallback[task] = angleRows(d, n2a, n2b, g, symmetric, out,
                task * ANGLE_ROWS, Math.min(d, (task + 1) * ANGLE_ROWS)));
        int[] pairs = java.util.Arrays.stream(fallback).flatMapToInt(java.util.Arrays::stream).toArray();
        parallel.forEach((pairs.length + KAHAN_PAIRS - 1) / KAHAN_PAIRS, (task, p) -> kahanPairs(d, a, na, b, nb,
                pairs, task * KAHAN_PAIRS, Math.min(pairs.length, (task + 1) * KAHAN_PAIRS), out));
        if (symmetric) {
            parallel.forEach((d + TB - 1) / TB, (task, p) -> {
                mirrorUpper(out.th, d, task * TB);
                mirrorUpper(out.sin, d, task * TB);
                mirrorUpper(out.cos, d, task * TB);
            });
        }
        return out;
    }

    /** Rows per task of {@link #angles} (each row's pairs are independent of every other row's). */
    private static final int ANGLE_ROWS = 16;
    /** Pairs per task of {@link #kahanPairs}: their running sums ({@code 2 x 8 KiB}) stay in L1. */
    static final int KAHAN_PAIRS = 512;

    /** Gram-route angles of rows {@code i0..i1-1}; returns the pairs {@code i*d + k} left to Kahan's formula. */
    private int[] angleRows(int d, double[] n2a, double[] n2b, double[] g, boolean symmetric, Angles out,
                            int i0, int i1) {
        int[] found = new int[16];
        int n = 0;
        for (int i = i0; i < i1; i++) {
            int from = symmetric ? i + 1 : 0;
            int io = i * d;
            gramAngles(g, io, n2a[i], n2b, from, d, out.th, out.sin, out.cos);
            for (int ik = io + from; ik < io + d; ik++) {
                if (Double.isNaN(out.th[ik])) {
                    if (n == found.length) {
                        found = java.util.Arrays.copyOf(found, 2 * n);
                    }
                    found[n++] = ik;
                }
            }
            if (symmetric) {
                out.th[io + i] = 0.0;
                out.sin[io + i] = 0.0;
                out.cos[io + i] = 1.0;
            }
        }
        return java.util.Arrays.copyOf(found, n);
    }

    /** Square blocks of {@link #mirrorUpper}: a block's {@code TB} rows and {@code TB} columns stay in L1. */
    static final int TB = 8;

    /**
     * {@code m[k*d + i] = m[i*d + k]} for every {@code k > i} with {@code i0 <= i < i0 + TB}, block by block (plain
     * copies: the same bits; the blocks of different {@code i0} write disjoint elements). {@code TB = 8}: a block
     * writes {@code 8} whole cache lines {@code d} doubles apart. (With 32, at d = 256 the 32 lines lay 2 KiB apart,
     * in two of L1's sets: more than their 16 ways, so every write missed; mirroring was 8 % of an evaluation.)
     */
    private static void mirrorUpper(double[] m, int d, int i0) {
        for (int k0 = i0; k0 < d; k0 += TB) {
            for (int i = i0; i < Math.min(d, i0 + TB); i++) {
                for (int k = Math.max(k0, i + 1); k < Math.min(d, k0 + TB); k++) {
                    m[k * d + i] = m[i * d + k];
                }
            }
        }
    }

    /**
     * Kahan's angle of the pairs {@code (a_i, b_k)}, {@code pairs[from..to-1] = i*d + k} (columns of the row-major
     * {@code a}, {@code b}), accurate at every angle. Per pair, with {@code p = nb[k]*a[r][i]},
     * {@code q = na[i]*b[r][k]} (each rounded), {@code minus = sum (p - q)^2}, {@code plus = sum (p + q)^2} (fma
     * chains over {@code r = 0..d-1} from 0), {@code t- = sqrt(minus)}, {@code t+ = sqrt(plus)}:
     * {@code theta = 2 atan2(t-, t+)}, {@code sin theta = 2 t- t+ / (minus + plus)},
     * {@code cos theta = (plus - minus) / (minus + plus)} (double-angle formulas, a few ulps). Swapping {@code a_i}
     * and {@code b_k} swaps {@code p} and {@code q}, negating {@code p - q} exactly: the symmetric sets stay
     * symmetric bit for bit. {@code minus + plus = 0} only for a zero vector: {@code theta = 0}, sin 0, cos 1.
     * The pairs' chains advance together, row {@code r} outer, so {@code a} and {@code b} are read row by row (a
     * column is {@code d} doubles apart); each chain is still the one above, in order.
     */
    static void kahanPairs(int d, double[] a, double[] na, double[] b, double[] nb, int[] pairs, int from, int to,
                           Angles out) {
        int n = to - from;
        double[] minus = new double[n];
        double[] plus = new double[n];
        int[] is = new int[n];
        int[] ks = new int[n];
        for (int q = 0; q < n; q++) {
            is[q] = pairs[from + q] / d;
            ks[q] = pairs[from + q] - is[q] * d;
        }
        for (int r = 0; r < d; r++) {
            int ro = r * d;
            for (int q = 0; q < n; q++) {
                int i = is[q];
                int k = ks[q];
                double pa = nb[k] * a[ro + i];
                double qb = na[i] * b[ro + k];
                double tm = pa - qb;
                double tp = pa + qb;
                minus[q] = Math.fma(tm, tm, minus[q]);
                plus[q] = Math.fma(tp, tp, plus[q]);
            }
        }
        for (int q = 0; q < n; q++) {
            int o = pairs[from + q];
            double tm = Math.sqrt(minus[q]);
            double tp = Math.sqrt(plus[q]);
            double s = minus[q] + plus[q];
            out.th[o] = 2 * StrictMath.atan2(tm, tp);
            out.sin[o] = s == 0 ? 0.0 : (2 * (tm * tp)) / s;
            out.cos[o] = s == 0 ? 1.0 : (plus[q] - minus[q]) / s;
        }
    }

    /**
     * {@code out[i*d + k] = sum_r a[r*d + i] * b[r*d + k]} (columns' dot products), each entry one fma chain
     * {@code acc = fma(a[r][i], b[r][k], acc)} over {@code r = 0..d-1} from {@code acc = 0}. When
     * {@code symmetric} ({@code a == b}) only {@code k >= i} needs to be right (the rest is never read). {@code out}
     * comes with arbitrary contents; {@code scratch} lends an override work arrays.
     */
    protected void gram(int d, double[] a, double[] b, boolean symmetric, double[] out, Parallel parallel,
                        Scratch scratch) {
        double[] acc = new double[d];
        for (int i = 0; i < d; i++) {
            int from = symmetric ? i : 0;
            java.util.Arrays.fill(acc, 0.0);
            for (int r = 0; r < d; r++) {
                double ai = a[r * d + i];
                int ro = r * d;
                for (int k = from; k < d; k++) {
                    acc[k] = Math.fma(ai, b[ro + k], acc[k]);
                }
            }
            System.arraycopy(acc, from, out, i * d + from, d - from);
        }
    }

    /**
     * {@link #gradientProduct} with the coefficient matrices {@code A = pi - thU}, {@code B = pi - thV} (row {@code k}
     * contiguous in {@code j}: {@code G = U A - V B}, class javadoc), each entry one rounded subtraction. Here they are
     * formed ({@code scratch} lends them, every element set) and passed on; a subclass may form them while packing
     * its operands instead (the same subtraction per entry, the same chains).
     */
    protected void coefficientProduct(int d, double[] u, double[] thU, double[] v, double[] thV, double[] grad,
                                      Parallel parallel, Scratch scratch) {
        double[] a = scratch.doubles(d * d);
        double[] b = scratch.doubles(d * d);
        for (int kj = 0; kj < d * d; kj++) {
            a[kj] = Math.PI - thU[kj];
            b[kj] = Math.PI - thV[kj];
        }
        gradientProduct(d, u, a, v, b, grad, parallel, scratch);
    }

    /**
     * {@code grad[r][j] = sum_k u[r][k] a[k][j] + sum_k (-v[r][k]) b[k][j]}, one fma chain per entry from
     * {@code 0}: first the {@code d} terms of {@code u}, then the {@code d} terms of {@code -v}, in {@code k} order.
     */
    protected void gradientProduct(int d, double[] u, double[] a, double[] v, double[] b, double[] grad,
                                   Parallel parallel, Scratch scratch) {
        for (int r = 0; r < d; r++) {
            int ro = r * d;
            java.util.Arrays.fill(grad, ro, ro + d, 0.0);
            for (int k = 0; k < d; k++) {
                double s = u[ro + k];
                int ko = k * d;
                for (int j = 0; j < d; j++) {
                    grad[ro + j] = Math.fma(s, a[ko + j], grad[ro + j]);
                }
            }
            for (int k = 0; k < d; k++) {
                double s = -v[ro + k];
                int ko = k * d;
                for (int j = 0; j < d; j++) {
                    grad[ro + j] = Math.fma(s, b[ko + j], grad[ro + j]);
                }
            }
        }
    }

    /**
     * Gram-route angles of one row, {@code from <= k < to}: {@code x = g[go + k]}, {@code p = n2a * n2b[k]},
     * {@code s = sqrt(max(fma(-x, x, p), 0))}, {@code r = sqrt(fma(s, s, x * x))}, {@code sn = s / r}; if
     * {@code sn >= GRAM_MIN_SIN}: {@code th = StrictMath.atan2(s, x)}, {@code sin = sn}, {@code cos = x / r};
     * otherwise (including {@code NaN} from a zero vector) {@code th = NaN}, which asks for Kahan's formula.
     * Outputs at {@code go + k}.
     */
    protected void gramAngles(double[] g, int go, double n2a, double[] n2b, int from, int to,
                              double[] th, double[] sin, double[] cos) {
        for (int k = from; k < to; k++) {
            gramAngle(g, go + k, n2a, n2b[k], th, sin, cos);
        }
    }

    /** One pair of {@link #gramAngles}; subclasses use it for their tails so every element has the same bits. */
    protected static void gramAngle(double[] g, int o, double n2a, double n2b, double[] th, double[] sin, double[] cos) {
        double x = g[o];
        double s = Math.sqrt(Math.max(Math.fma(-x, x, n2a * n2b), 0.0));
        double r = Math.sqrt(Math.fma(s, s, x * x));
        double sn = s / r;
        if (sn >= GRAM_MIN_SIN) {
            th[o] = StrictMath.atan2(s, x);
            sin[o] = sn;
            cos[o] = x / r;
        } else {
            th[o] = Double.NaN;
        }
    }
}
