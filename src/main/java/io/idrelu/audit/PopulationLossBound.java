package io.idrelu.audit;

/**
 * How far a fast closed-form population loss may be from the exact {@code L(W) >= 0}: the a-priori bound of
 * claim A2 (proofs-notes/A2.md) for idrelu's closed forms, with the angle model they use
 * ({@link Auditor#DEFAULT_ANGLE_MODEL}: Gram route where {@code sin theta >= 1/2}, Kahan's formula elsewhere).
 * Near {@code W*} the loss is a difference of nearly equal sums, so its rounding error can push it below zero
 * ({@code -1.1e-16}); {@link #reported} turns such a value into {@code 0}, which is within the bound of it,
 * and leaves a value further below zero visible (that would be an A2 violation, a bug to see, not to hide).
 */
public final class PopulationLossBound {
    private PopulationLossBound() { }

    /** The bound {@code b} with {@code |L_fast - L| <= b} (true units) at {@code (W, W*)} in precision {@code p}. */
    public static double of(Precision p, int d, boolean identity, double[] w, double[] wStar) {
        return PopulationAudit.lossBound(p, Auditor.DEFAULT_ANGLE_MODEL, d, identity, w, wStar);
    }

    /**
     * The bound {@code b[r*d + j]} with {@code |G_fast[r][j] - G[r][j]| <= b[r*d + j]} (true units) of the closed-form
     * population gradient at {@code (W, W*)} in precision {@code p} (claim A2's gradient bound without the reference).
     */
    public static double[] gradient(Precision p, int d, boolean identity, double[] w, double[] wStar) {
        return PopulationAudit.gradientBound(p, Auditor.DEFAULT_ANGLE_MODEL, d, identity, w, wStar);
    }

    /** {@code 0} for {@code -bound <= loss < 0} (the exact loss is {@code >= 0} and within the bound); else {@code loss}. */
    public static double reported(double loss, double bound) {
        return loss < 0 && loss >= -bound ? 0.0 : loss;
    }

    /**
     * The value drawn on a log axis: the reported loss, or the bound where the loss is below it (there the
     * computed value only says {@code 0 <= L <= 2 bound}); never zero or negative while the bound is positive.
     */
    public static double forLogPlot(double loss, double bound) {
        return Math.max(reported(loss, bound), bound);
    }
}
