package io.idrelu.audit;

import io.idrelu.model.Matrices;
import io.idrelu.reference.PopulationReference;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Claim A2: fast population loss and gradient (closed form, MATH.md section 2) against
 * {@link PopulationReference} at {@code refDigits} digits. The bound is first order in {@code u} and
 * follows the algorithm class given by {@link AngleModel} (derivation in proofs-notes/A2.md):
 * <ul>
 *   <li>{@code kappa(a,b) = |a||b| k(theta) / (2 pi)}, {@code k = sin theta + (pi - theta) cos theta in [0, pi]},
 *       {@code |dk/dtheta| = (pi - theta) sin theta}; error
 *       {@code |a||b|/(2pi) [pi (2 en + 2u) + (pi - theta) sin theta dtheta + F]},
 *       {@code F = (6 + 10 pi) u} for sin, cos (3u each), pi - theta, the product, the sum and the 1/(2pi);</li>
 *   <li>loss: sum of the weighted kappa errors plus {@code gamma_{2d+3}} times the weighted kappa sum (the kernel's
 *       row-by-row order: 2 roundings per pair, d per row sum, d for the total);</li>
 *   <li>gradient term {@code T = ((pi - theta) c_k[r] + |c_k| sin theta u_j[r]/|u_j|)/pi}, error
 *       {@code (|c_k[r]| (dtheta + 4 pi u) + |c_k| |uhat_j[r]| (|cos theta| dtheta + 2u + sin theta (2 en + 5u)))/pi},
 *       plus {@code gamma_{2d+3}} (2d fma terms, the c_j term, the rounded 1/pi and its product) times the sum of {@code |T|}.</li>
 * </ul>
 * The reference's own error ({@code 10^(1-p)} times the summed magnitudes) is added.
 */
final class PopulationAudit {
    private PopulationAudit() { }

    /**
     * {@code F / u} of the kappa bound: {@code sin} and {@code cos} of the computed angle within {@code 3u} each
     * (relative, absolute: both kernels' routes get them by a division by a computed radius, about 2.5u; see
     * proofs-notes/A2.md), weighted {@code 1} and {@code pi}: {@code 3(1 + pi)}; {@code pi - theta} ({@code 2 pi}),
     * the product with {@code cos}, the sum, the product with {@code |a||b|} and with {@code 1/(2 pi)}
     * ({@code 4 pi + 3}; as before). {@code (6 + 10 pi)}: it was {@code (4 + 8 pi)} with 1 ulp each for sin, cos.
     */
    static final double KAPPA_ROUNDING = 6 + 10 * Math.PI;

    /** At most this many angle pairs get their function ulps measured (big-math is slow). */
    static final int MAX_ULP_SAMPLES = 64;

    static List<AuditReport> audit(String kernel, Precision p, AngleModel model, int d, boolean identity,
                                   double[] w, double[] wStar, double fastLoss, double[] fastGrad, int refDigits) {
        double u = p.u();
        double en = p.gamma(d) / 2 + u;
        double[][] cu = columns(w, d, identity);
        double[][] cv = columns(wStar, d, true);
        double[] nu = norms(cu);
        double[] nv = norms(cv);
        FunctionUlps ulps = new FunctionUlps();
        int[] samples = {0};
        double refRel = Math.pow(10, 1 - refDigits);
        double inflate = 1 + 2 * Precision.DOUBLE.gamma(8L * d + 16);

        // loss
        double[] terms = lossTerms(p, model, d, cu, nu, cv, nv, en, ulps, samples);
        double eSum = terms[0];
        double mag = terms[1];
        double refMag = terms[2];
        // the reference is within 10^-p of the magnitude sum with |cos| (proofs-notes/reference-error-bound.md)
        // PopulationClosedForm's fixed order (never overridden): per (i,k) (kuu - 2 kuv) + kvv, 2 roundings,
        // then a row sum of d terms and a sum of d rows: 2d + 2 roundings deep, gamma_{2d+3}
        double lossBound = (eSum + p.gamma(2L * d + 3) * mag + refRel * refMag) * inflate;
        PopulationReference ref = new PopulationReference(refDigits);
        BigDecimal[][] we = Matrices.exact(w, d);
        BigDecimal[][] wse = Matrices.exact(wStar, d);
        BigDecimal lossRef = ref.loss(identity, we, wse);
        ErrorStats ls = new ErrorStats(p);
        ls.add("", fastLoss, lossRef, lossBound);
        Map<String, Object> ln = new LinkedHashMap<>();
        ln.put("rigour", "first-order model bound for angle method " + model + " (see proofs-notes/A2.md)");
        ln.put("angleModel", model.name());
        ln.put("refDigits", refDigits);
        ln.put("sumOfKappaTerms", mag);
        ln.putAll(ulps.summary());
        List<AuditReport> out = new ArrayList<>();
        out.add(AuditReport.of("A2", "populationLoss", kernel, p, d, 0, "none", ls, 0, 0,
                "sum w |a||b|/(2pi)[pi(2en+2u) + (pi-th) sin th dth + F] + gamma_{2d+3} sum w kappa", ln));

        // gradient
        BigDecimal[][] gRef = ref.gradient(identity, we, wse);
        ErrorStats gs = new ErrorStats(p);
        double[] gBound = gradientBound(p, model, d, cu, nu, cv, nv, en, refRel, inflate);
        for (int j = 0; j < d; j++) {
            for (int r = 0; r < d; r++) {
                gs.add("[" + r + "][" + j + "]", fastGrad[r * d + j], gRef[r][j], gBound[r * d + j]);
            }
        }
        Map<String, Object> gn = new LinkedHashMap<>(ln);
        gn.remove("sumOfKappaTerms");
        out.add(AuditReport.of("A2", "populationGradient", kernel, p, d, 0, "true", gs, 0, 0,
                "sum_k (|c_k[r]|(dth+4pi u) + |c_k||uhat_j[r]|(|cos th| dth + 2u + sin th(2en+5u)))/pi + gamma_{2d+3} sum|T|",
                gn));
        return out;
    }

    /**
     * The gradient bound of {@link #audit} per entry {@code [r*d + j]} (true units), with the reference's relative
     * error {@code refRel} ({@code 0}: the bound on {@code |G_fast - G|} alone).
     */
    private static double[] gradientBound(Precision p, AngleModel model, int d, double[][] cu, double[] nu, double[][] cv,
                                          double[] nv, double en, double refRel, double inflate) {
        double u = p.u();
        double[] out = new double[d * d];
        double[][] thU = new double[d][d];
        double[][] thV = new double[d][d];
        for (int j = 0; j < d; j++) {
            for (int k = 0; k < d; k++) {
                thU[j][k] = angle(cu[j], nu[j], cu[k], nu[k]);
                thV[j][k] = angle(cu[j], nu[j], cv[k], nv[k]);
            }
        }
        for (int j = 0; j < d; j++) {
            double[] err = new double[d];
            double[] absT = new double[d];
            for (int k = 0; k < d; k++) {
                for (int side = 0; side < 2; side++) {
                    double[] ck = side == 0 ? cu[k] : cv[k];
                    double nk = side == 0 ? nu[k] : nv[k];
                    double th = side == 0 ? thU[j][k] : thV[j][k];
                    double s = Math.sin(th);
                    double c = Math.cos(th);
                    double dth = model.thetaError(p, d, s);
                    for (int r = 0; r < d; r++) {
                        double uh = nu[j] > 0 ? Math.abs(cu[j][r]) / nu[j] : 0;
                        double t = (Math.abs((Math.PI - th) * ck[r]) + nk * s * uh) / Math.PI;
                        absT[r] += t;
                        err[r] += (Math.abs(ck[r]) * (dth + 4 * Math.PI * u)
                                + nk * uh * (Math.abs(c) * dth + 2 * u + s * (2 * en + 5 * u))) / Math.PI;
                    }
                }
            }
            for (int r = 0; r < d; r++) {
                out[r * d + j] = (err[r] + p.gamma(2L * d + 3) * absT[r] + refRel * absT[r]) * inflate;
            }
        }
        return out;
    }

    /**
     * The A2 a-priori bound on {@code |G_fast - G|} per gradient entry {@code [r*d + j]} (true units) of a closed form of
     * angle method {@code model} in precision {@code p} at {@code (W, W*)}: the gradient bound of {@link #audit}
     * without the reference's term.
     */
    static double[] gradientBound(Precision p, AngleModel model, int d, boolean identity, double[] w, double[] wStar) {
        double[][] cu = columns(w, d, identity);
        double[][] cv = columns(wStar, d, true);
        double inflate = 1 + 2 * Precision.DOUBLE.gamma(8L * d + 16);
        return gradientBound(p, model, d, cu, norms(cu), cv, norms(cv), p.gamma(d) / 2 + p.u(), 0, inflate);
    }

    /** {@code {sum of weighted kappa error bounds, sum of weighted kappas, reference magnitude}} over all pairs of the loss. */
    private static double[] lossTerms(Precision p, AngleModel model, int d, double[][] cu, double[] nu, double[][] cv, double[] nv,
                                      double en, FunctionUlps ulps, int[] samples) {
        double eSum = 0;
        double mag = 0;
        double refMag = 0;
        for (int i = 0; i < d; i++) {
            for (int k = 0; k < d; k++) {
                double[] a = kappaAndError(cu[i], nu[i], cu[k], nu[k], p, model, d, en, ulps, samples);
                double[] b = kappaAndError(cu[i], nu[i], cv[k], nv[k], p, model, d, en, ulps, samples);
                double[] c = kappaAndError(cv[i], nv[i], cv[k], nv[k], p, model, d, en, ulps, samples);
                eSum += a[1] + 2 * b[1] + c[1];
                mag += a[0] + 2 * b[0] + c[0];
                refMag += a[2] + 2 * b[2] + c[2];
            }
        }
        return new double[] {eSum, mag, refMag};
    }

    /**
     * The A2 a-priori bound on {@code |L_fast - L|} of a closed form of angle method {@code model} in precision
     * {@code p} at {@code (W, W*)}: the loss bound of {@link #audit} without the reference's term (no reference is
     * computed; no function ulps are sampled).
     */
    static double lossBound(Precision p, AngleModel model, int d, boolean identity, double[] w, double[] wStar) {
        double en = p.gamma(d) / 2 + p.u();
        double[][] cu = columns(w, d, identity);
        double[][] cv = columns(wStar, d, true);
        int[] noSamples = {MAX_ULP_SAMPLES};
        double[] t = lossTerms(p, model, d, cu, norms(cu), cv, norms(cv), en, new FunctionUlps(), noSamples);
        double inflate = 1 + 2 * Precision.DOUBLE.gamma(8L * d + 16);
        return (t[0] + p.gamma(2L * d + 3) * t[1]) * inflate;
    }

    /** {@code {kappa, error bound, reference magnitude}} for one pair; measures the function ulps on the first pairs. */
    private static double[] kappaAndError(double[] a, double na, double[] b, double nb, Precision p, AngleModel model,
                                          int d, double en, FunctionUlps ulps, int[] samples) {
        double u = p.u();
        double th = angle(a, na, b, nb);
        double s = Math.sin(th);
        double c = Math.cos(th);
        double k = s + (Math.PI - th) * c;
        double kappa = na * nb * Math.max(0, k) / (2 * Math.PI);
        double dth = model.thetaError(p, d, s);
        double f = KAPPA_ROUNDING * u;
        double err = na * nb / (2 * Math.PI) * (Math.PI * (2 * en + 2 * u) + (Math.PI - th) * s * dth + f);
        if (samples[0] < MAX_ULP_SAMPLES && na > 0 && nb > 0) {
            samples[0]++;
            ulps.sin(th);
            ulps.cos(th);
            double dot = 0;
            for (int r = 0; r < a.length; r++) {
                dot += a[r] * b[r];
            }
            ulps.acos(Math.max(-1, Math.min(1, dot / (na * nb))));
            ulps.atan2(s, c);
            ulps.sqrt(na * na);
        }
        double m = na * nb * (s + (Math.PI - th) * Math.abs(c)) / (2 * Math.PI);
        return new double[] {kappa, err, m};
    }

    /** Kahan's angle in double (accurate for every angle), used only to evaluate the bound. */
    static double angle(double[] a, double na, double[] b, double nb) {
        if (na == 0 || nb == 0) {
            return Math.PI / 2;
        }
        double sm = 0;
        double sp = 0;
        for (int r = 0; r < a.length; r++) {
            double m = nb * a[r] - na * b[r];
            double q = nb * a[r] + na * b[r];
            sm += m * m;
            sp += q * q;
        }
        return 2 * Math.atan2(Math.sqrt(sm), Math.sqrt(sp));
    }

    /** Columns {@code c_j[r]} of {@code (identity ? I : 0) + W}. */
    static double[][] columns(double[] w, int d, boolean identity) {
        double[][] c = new double[d][d];
        for (int j = 0; j < d; j++) {
            for (int r = 0; r < d; r++) {
                c[j][r] = w[r * d + j] + (identity && r == j ? 1 : 0);
            }
        }
        return c;
    }

    static double[] norms(double[][] c) {
        double[] n = new double[c.length];
        for (int j = 0; j < c.length; j++) {
            double s = 0;
            for (double v : c[j]) {
                s += v * v;
            }
            n[j] = Math.sqrt(s);
        }
        return n;
    }
}
