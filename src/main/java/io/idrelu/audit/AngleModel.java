package io.idrelu.audit;

/**
 * How a fast path computes the angle {@code theta = angle(a, b)} of the closed form (MATH.md section 2),
 * and the resulting first-order bound on its absolute error (claim A2, proofs-notes/A2.md). {@code en}
 * is the relative error bound of a computed norm, {@code gamma_d/2 + u}.
 */
public enum AngleModel {
    /** {@code acos(<a,b> / (|a| |b|))}: loses half the digits near 0 and pi. */
    ACOS,
    /** {@code atan2(sqrt(|a|^2 |b|^2 - <a,b>^2), <a,b>)} with the radicand in floating point. */
    ATAN2_RADICAND,
    /** Kahan: {@code 2 atan2(| |b|a - |a|b |, | |b|a + |a|b |)}: accurate for every angle. */
    KAHAN,
    /**
     * What {@code PopulationClosedForm} does: the Gram route ({@code ATAN2_RADICAND} from the Gram matrix's
     * entries) where its computed {@code sin theta >= 1/2}, Kahan's formula for every other pair. The kernel's
     * choice depends on rounded values, so the bound covers both: {@code max(KAHAN, ATAN2_RADICAND at
     * max(sin theta, 1/4))}. The floor {@code 1/4}: a pair on the Gram route has computed {@code sin >= 1/2}, and the
     * computed sine is within {@code sqrt(rho) + 3u} (below {@code 1e-4} for every {@code d < 10^6} in double)
     * of the exact one, so its exact {@code sin theta > 1/4}. Uniform in {@code theta}: no loss near 0 or pi.
     */
    GRAM_KAHAN;

    /** Smallest exact {@code sin theta} of a pair that {@link #GRAM_KAHAN}'s kernel puts on the Gram route. */
    public static final double GRAM_SIN_FLOOR = 0.25;

    /**
     * Bound on {@code |theta_fast - theta|}, first order in {@code u}.
     *
     * @param sinTheta {@code sin theta} of the exact angle (from an accurate evaluation)
     */
    public double thetaError(Precision p, int d, double sinTheta) {
        double u = p.u();
        double gd = p.gamma(d);
        double en = gd / 2 + u;
        switch (this) {
            case KAHAN: {
                // V = |b|a -+ |a|b: error vector norm <= 2(en + 2u)|a||b|; its norm adds en N <= 2 en |a||b|,
                // so dN, dD <= 2(2en + 2u)|a||b|. N^2 + D^2 = 4|a|^2|b|^2 gives
                // |d phi| <= (dN + dD) / (2|a||b|) = 2(2en + 2u), doubled for theta = 2 phi;
                // atan2 within 2 ulps of phi <= pi/2 (ulp <= 2u * pi/2 = pi u), doubled: 4 pi u.
                return 4 * (2 * en + 2 * u) + 4 * Math.PI * u;
            }
            case GRAM_KAHAN:
                return Math.max(KAHAN.thetaError(p, d, sinTheta),
                        ATAN2_RADICAND.thetaError(p, d, Math.max(Math.abs(sinTheta), GRAM_SIN_FLOOR)));
            case ATAN2_RADICAND: {
                double rho = 4 * gd + 3 * u;
                double ds = sinTheta > 0 ? Math.min(rho / sinTheta, Math.sqrt(rho)) : Math.sqrt(rho);
                return ds + gd + 4 * Math.PI * u;
            }
            case ACOS:
            default: {
                // computed cosine within dc of the exact one; mean value theorem with
                // 1 - xi^2 >= sin^2 theta - 3 dc, else the Hoelder bound |acos x - acos y| <= (pi/sqrt 2) sqrt|x-y|
                double dc = gd + 2 * en + 3 * u;
                double s2 = sinTheta * sinTheta;
                double mvt = s2 > 6 * dc ? dc * Math.sqrt(2) / sinTheta : Double.POSITIVE_INFINITY;
                double holder = Math.PI / Math.sqrt(2) * Math.sqrt(dc);
                return Math.min(mvt, holder) + 2 * Math.PI * u * FunctionUlps.SPEC_ACOS;
            }
        }
    }
}
