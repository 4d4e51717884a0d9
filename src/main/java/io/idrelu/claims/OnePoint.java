package io.idrelu.claims;

import io.idrelu.kernel.Kernel;
import io.idrelu.model.GaussianSampler;
import io.idrelu.model.Matrices;
import io.idrelu.model.Potential;
import io.idrelu.reference.PopulationReference;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.OptionalDouble;

/**
 * Shared quantities of [LY17]'s Phase II analysis used by claims C8 and C9 (and C6): the one-point
 * ratio {@code <-grad L(W), W* - W> / ||W* - W||_F^2} in <b>paper units</b> (paper gradient = pi times
 * the true gradient, MATH.md section 2), the potential {@code g(W) = sum_i (|v_i| - |u_i|)}, and the
 * Phase II region {@code ||W||_2 <= gamma, ||W*||_2 <= gamma, g(W) <= phase1Threshold * gamma^2}.
 *
 * <p>The student is always identity-mapped here ({@code u_i = e_i + w_i}); the population gradient is
 * the kernel's closed form in double, true units, multiplied by pi once, at the end.
 */
public final class OnePoint {
    private OnePoint() { }

    /** Paper units per true unit of a gradient (MATH.md section 2). */
    public static final double PAPER_PER_TRUE = Math.PI;

    /**
     * A one-point ratio in paper units as a function of {@code (d, W, W*)} (NaN when undefined): the kernel's closed form
     * under [LY17] ({@link #of}), or a setting's population gradient (issue 11, {@code claims.setting.C8UnderSetting}).
     * The searches ({@link RatioSearch}, {@link RatioDescent}) minimise any such function.
     */
    @FunctionalInterface
    public interface RatioFunction {
        double ratio(int d, double[] w, double[] wStar);
    }

    /** {@link #onePointRatio} of {@code kernel}. */
    public static RatioFunction of(Kernel kernel) {
        return (d, w, ws) -> onePointRatio(kernel, d, w, ws);
    }

    /** Population gradient in true units (identity-mapped student), row-major. */
    public static double[] trueGradient(Kernel kernel, int d, double[] w, double[] wStar) {
        double[] g = new double[d * d];
        kernel.populationLossAndGradient(d, true, w, wStar, g);
        return g;
    }

    /** {@code <-grad L(W), W* - W>} in paper units. */
    public static double paperInnerProduct(Kernel kernel, int d, double[] w, double[] wStar) {
        double[] g = trueGradient(kernel, d, w, wStar);
        double s = 0;
        for (int i = 0; i < g.length; i++) {
            s += -g[i] * (wStar[i] - w[i]);
        }
        return PAPER_PER_TRUE * s;
    }

    /**
     * The one-point ratio {@code <-grad L(W), W* - W> / ||W* - W||_F^2} in paper units; NaN when
     * {@code W = W*} (the ratio is undefined there).
     */
    public static double onePointRatio(Kernel kernel, int d, double[] w, double[] wStar) {
        double dist2 = Matrices.squaredDistance(w, wStar);
        if (dist2 == 0) {
            return Double.NaN;
        }
        return paperInnerProduct(kernel, d, w, wStar) / dist2;
    }

    /**
     * Where a pair {@code (W, W*)} lies relative to the Phase II region.
     *
     * @param normW     {@code ||W||_2}
     * @param normWStar {@code ||W*||_2}
     * @param potential {@code g(W)}
     * @param gamma     the region's radius
     * @param threshold the potential bound {@code phase1Threshold * gamma^2}
     */
    public record Location(double normW, double normWStar, double potential, double gamma, double threshold) {
        public boolean normsInside() {
            return normW <= gamma && normWStar <= gamma;
        }

        public boolean potentialInside() {
            return potential <= threshold;
        }

        /** Inside the whole region: both norm conditions and the potential condition. */
        public boolean inside() {
            return normsInside() && potentialInside();
        }
    }

    /** Locates {@code (W, W*)} relative to the region of radius {@code gamma} and potential factor {@code phase1Threshold}. */
    public static Location locate(int d, double[] w, double[] wStar, double gamma, double phase1Threshold) {
        return new Location(Matrices.spectralNorm(w, d), Matrices.spectralNorm(wStar, d), Potential.of(d, true, w, wStar),
                gamma, phase1Threshold * gamma * gamma);
    }

    /** The region test of [LY17] Phase II: {@code ||W||_2, ||W*||_2 <= gamma} and {@code g(W) <= phase1Threshold gamma^2}. */
    public static boolean inRegion(int d, double[] w, double[] wStar, double gamma, double phase1Threshold) {
        return locate(d, w, wStar, gamma, phase1Threshold).inside();
    }

    /** A Gaussian {@code d x d} matrix rescaled to spectral norm exactly {@code norm}. */
    public static double[] randomWithSpectralNorm(GaussianSampler s, int d, double norm) {
        double[] m = s.batch(d, d);
        double n = Matrices.spectralNorm(m, d);
        for (int i = 0; i < m.length; i++) {
            m[i] *= norm / n;
        }
        return m;
    }

    /**
     * Rescales {@code m} in place so that {@code ||m||_2 <= gamma}; returns the norm before. A rescaled
     * matrix lands a relative {@code 1e-12} inside the ball: the SVD norm carries a relative error of a
     * few {@code d} ulps, so a point put exactly on the boundary could be classified outside by the
     * same SVD that the region test uses.
     */
    public static double projectToSpectralBall(double[] m, int d, double gamma) {
        double n = Matrices.spectralNorm(m, d);
        if (n > gamma) {
            double f = gamma / n * (1 - BOUNDARY_INSET);
            for (int i = 0; i < m.length; i++) {
                m[i] *= f;
            }
        }
        return n;
    }

    /** Relative inset of a projection onto the spectral ball (see {@link #projectToSpectralBall}). */
    public static final double BOUNDARY_INSET = 1e-12;

    /** Largest angle {@code angle(u_i, v_j)} over all pairs: coverage of the angle range seen by a sample. */
    public static double maxStudentTeacherAngle(int d, double[] w, double[] wStar) {
        double max = 0;
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                double dot = 0;
                double nu = 0;
                double nv = 0;
                for (int r = 0; r < d; r++) {
                    double a = w[r * d + i] + (r == i ? 1 : 0);
                    double b = wStar[r * d + j] + (r == j ? 1 : 0);
                    dot += a * b;
                    nu += a * a;
                    nv += b * b;
                }
                double c = dot / Math.sqrt(nu * nv);
                max = Math.max(max, Math.acos(Math.max(-1, Math.min(1, c))));
            }
        }
        return max;
    }

    /**
     * The one-point ratio recomputed with {@link PopulationReference} at {@code digits} significant
     * digits (paper units, the reference's {@code paperGradient}); empty when the reference is not
     * available in this build. The inner product and the distance are summed in BigDecimal (exact for
     * the double inputs up to the reference's own rounding).
     */
    public static OptionalDouble referenceRatio(int d, double[] w, double[] wStar, int digits) {
        BigDecimal[][] paper;
        try {
            paper = new PopulationReference(digits).paperGradient(true, Matrices.exact(w, d), Matrices.exact(wStar, d));
        } catch (UnsupportedOperationException notLanded) {
            return OptionalDouble.empty();
        }
        BigDecimal inner = BigDecimal.ZERO;
        BigDecimal dist2 = BigDecimal.ZERO;
        for (int r = 0; r < d; r++) {
            for (int c = 0; c < d; c++) {
                BigDecimal diff = new BigDecimal(wStar[r * d + c]).subtract(new BigDecimal(w[r * d + c]));
                inner = inner.add(paper[r][c].multiply(diff));
                dist2 = dist2.add(diff.multiply(diff));
            }
        }
        return OptionalDouble.of(inner.divide(dist2, new MathContext(digits)).doubleValue());
    }
}
