package io.idrelu.audit;

/**
 * A-priori forward-error bounds for the fast batch quantities (claim A1; derivation in proofs-notes/A1.md),
 * computed at run time from the data: absolute sums {@code |x||W|}, the exact residuals {@code |r_b|}
 * and the exact activation pattern. They hold for any kernel that follows the {@code Kernel} /
 * {@code FloatKernel} contract in precision {@code u}, whatever the order of the sums after the
 * pre-activation (the contract fixes only that one):
 * <ul>
 *   <li>pre-activation, {@code d} products and, for identity units, {@code + x[j]}:
 *       {@code E_h = gamma_{d+1} A_h}, {@code A_h = sum_r |x_r||W_rj| + [identity]|x_j|};</li>
 *   <li>residual, a sum of {@code 2d} relu values with signs (relu is 1-Lipschitz, so flips need no
 *       special case here): {@code E_r = sum_j (E_h + E_v) + gamma_{2d} sum_j (A_h + E_h + A_v + E_v)};</li>
 *   <li>loss {@code (1/B) sum r_b^2}: {@code E_l = (1/B) sum E_r(2|r| + E_r) + gamma_{B+2} (1/B) sum (|r| + E_r)^2};</li>
 *   <li>gradient {@code (2/B) sum_b r_b x_b[r] m_bj} (at most 3 roundings to form a term, B-1 additions):
 *       against the reference evaluated with the fast mask,
 *       {@code E_g' = (2/B) sum_b |x_br| m'_bj [E_r + gamma_{B+2}(|r| + E_r)]};
 *       against the true exact gradient, {@code E_g} adds {@code (2/B)|r_b||x_br|} for every {@code b}
 *       whose pre-activation may flip ({@code |h_bj| <= E_h}) and uses {@code m or possibleFlip} for m'.</li>
 * </ul>
 * Subnormal and overflow ranges are excluded (Gaussian data). The bounds are themselves evaluated in
 * double (sums of non-negative terms, chains shorter than {@code 4(d + B) + 16} operations) and then
 * inflated by {@code 1 + 2 gamma_{4(d+B)+16}} in double precision so their own rounding cannot make them too small.
 */
public final class BatchBounds {
    private final Precision p;
    private final int d;
    private final int batch;
    /** {@code E_h[b*d+j]} for the student and {@code E_v} for the teacher. */
    final double[] eh;
    final double[] ev;
    final double[] ah;
    final double[] av;
    /** {@code E_r[b]}. */
    final double[] er;
    final double inflate;

    /**
     * @param x        batch, row-major {@code x[b*d+r]} (float data widened exactly)
     * @param absResidual exact {@code |r_b|} (from the reference)
     */
    public BatchBounds(Precision p, int d, boolean identity, double[] w, double[] wStar, double[] x, int batch,
                       double[] absResidual) {
        this.p = p;
        this.d = d;
        this.batch = batch;
        this.inflate = 1 + 2 * Precision.DOUBLE.gamma(4L * (d + batch) + 16);
        double g1 = p.gamma(d + 1);
        double g2d = p.gamma(2L * d);
        eh = new double[batch * d];
        ev = new double[batch * d];
        ah = new double[batch * d];
        av = new double[batch * d];
        er = new double[batch];
        for (int b = 0; b < batch; b++) {
            double s = 0;
            double sumE = 0;
            for (int j = 0; j < d; j++) {
                double a = identity ? Math.abs(x[b * d + j]) : 0;
                double as = Math.abs(x[b * d + j]);
                for (int r = 0; r < d; r++) {
                    double xr = Math.abs(x[b * d + r]);
                    a += xr * Math.abs(w[r * d + j]);
                    as += xr * Math.abs(wStar[r * d + j]);
                }
                ah[b * d + j] = a * inflate;
                av[b * d + j] = as * inflate;
                eh[b * d + j] = g1 * a * inflate;
                ev[b * d + j] = g1 * as * inflate;
                sumE += eh[b * d + j] + ev[b * d + j];
                s += ah[b * d + j] + eh[b * d + j] + av[b * d + j] + ev[b * d + j];
            }
            er[b] = (sumE + g2d * s) * inflate;
        }
        assert absResidual.length >= batch;
    }

    /** Bound on the pre-activation {@code h[b*d+j]} of the student. */
    public double preActivation(int b, int j) {
        return eh[b * d + j];
    }

    /** Bound on the output {@code f(x_b, W)}: {@code sum_j E_h + gamma_{d-1} sum_j (A_h + E_h)}. */
    public double output(int b) {
        double s = 0;
        double e = 0;
        for (int j = 0; j < d; j++) {
            e += eh[b * d + j];
            s += ah[b * d + j] + eh[b * d + j];
        }
        return (e + p.gamma(d - 1) * s) * inflate;
    }

    /** Bound on the residual {@code r_b}. */
    public double residual(int b) {
        return er[b];
    }

    /** Bound on the batch loss given the exact {@code |r_b|}. */
    public double loss(double[] absResidual) {
        double prop = 0;
        double mag = 0;
        for (int b = 0; b < batch; b++) {
            prop += er[b] * (2 * absResidual[b] + er[b]);
            double t = absResidual[b] + er[b];
            mag += t * t;
        }
        return (prop + p.gamma(batch + 2L) * mag) / batch * inflate * inflate;
    }

    /**
     * Bound on the gradient element {@code [r][j]} (true units).
     *
     * @param active   {@code active[b]}: indicator the fast path may use for {@code (b, j)} (the fast mask,
     *                 or exact-or-possibly-flipped for the a-priori bound)
     * @param flipTerm {@code flipTerm[b]}: whether to add {@code |r_b x_br|} for a possible flip
     */
    public double gradient(int r, double[] x, double[] absResidual, boolean[] active, boolean[] flipTerm) {
        double gB = p.gamma(batch + 2L);
        double s = 0;
        for (int b = 0; b < batch; b++) {
            double xr = Math.abs(x[b * d + r]);
            if (active[b]) {
                s += xr * (er[b] + gB * (absResidual[b] + er[b]));
            }
            if (flipTerm[b]) {
                s += xr * absResidual[b];
            }
        }
        return 2.0 * s / batch * inflate * inflate;
    }

    public int d() {
        return d;
    }

    public int batch() {
        return batch;
    }
}
