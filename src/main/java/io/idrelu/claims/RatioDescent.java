package io.idrelu.claims;

import io.idrelu.kernel.Kernel;
import io.idrelu.model.GaussianSampler;
import io.idrelu.model.Potential;

/**
 * A stronger adversarial search for small one-point ratios (claim C8, [LY17] Phase II; issue 11): projected
 * descent along the finite-difference gradient of the ratio in all {@code 2 d^2} coordinates of {@code (W, W*)},
 * with a backtracking step. Every accepted point is projected into both spectral balls ({@code ||.||_2 <= gamma},
 * rescaled to land {@link OnePoint#BOUNDARY_INSET} inside) and must satisfy the potential condition
 * {@code g(W) <= potentialLimit}; the region test that classifies the result ({@link OnePoint#locate}) is the
 * same SVD norm and potential, so the end point is inside the region by the check's own test.
 *
 * <p>The random-direction search ({@link RatioSearch}) explores only near its start in {@code d^2} dimensions;
 * following the gradient reaches the negative ratios at gamma = 0.3 that it missed. Meant for small {@code d}
 * (the cost of one step is {@code 4 d^2} ratio evaluations); larger {@code d} is reached by embedding a small
 * witness block-diagonally ({@link #blockDiagonal}).
 */
public final class RatioDescent {
    private RatioDescent() { }

    /** Relative finite-difference step, in units of gamma. */
    static final double FD_STEP = 1e-6;

    /**
     * Descends from {@code (w0, wStar0)} (projected first) for at most {@code iterations} accepted steps.
     * Deterministic. Returns the best in-region point found.
     */
    static RatioSearch.Best minimise(Kernel kernel, int d, double[] w0, double[] wStar0, double gamma,
                                     double potentialLimit, int iterations) {
        return minimise(OnePoint.of(kernel), d, w0, wStar0, gamma, potentialLimit, iterations);
    }

    /** As above, descending any ratio function (a setting's population gradient, issue 11). */
    static RatioSearch.Best minimise(OnePoint.RatioFunction ratio, int d, double[] w0, double[] wStar0, double gamma,
                                     double potentialLimit, int iterations) {
        int n = d * d;
        double[] w = w0.clone();
        double[] ws = wStar0.clone();
        OnePoint.projectToSpectralBall(w, d, gamma);
        OnePoint.projectToSpectralBall(ws, d, gamma);
        if (!(Potential.of(d, true, w, ws) <= potentialLimit)) {
            return new RatioSearch.Best(Double.NaN, w, ws, 0, 0);
        }
        double best = ratio.ratio(d, w, ws);
        int evaluations = 1;
        int accepted = 0;
        double step = 0.2 * gamma;
        double h = FD_STEP * gamma;
        double[] g = new double[2 * n];
        for (int it = 0; it < iterations && step > 1e-9 * gamma; it++) {
            double norm2 = 0;
            for (int k = 0; k < 2 * n; k++) {
                double[] m = k < n ? w : ws;
                int i = k < n ? k : k - n;
                double keep = m[i];
                m[i] = keep + h;
                double up = ratio.ratio(d, w, ws);
                m[i] = keep - h;
                double down = ratio.ratio(d, w, ws);
                m[i] = keep;
                g[k] = (up - down) / (2 * h);
                norm2 += g[k] * g[k];
                evaluations += 2;
            }
            double norm = Math.sqrt(norm2);
            if (!(norm > 0) || !Double.isFinite(norm)) {
                break;
            }
            boolean moved = false;
            while (step > 1e-9 * gamma) {
                double[] w2 = w.clone();
                double[] ws2 = ws.clone();
                for (int k = 0; k < 2 * n; k++) {
                    double delta = -step * g[k] / norm;
                    if (k < n) {
                        w2[k] += delta;
                    } else {
                        ws2[k - n] += delta;
                    }
                }
                OnePoint.projectToSpectralBall(w2, d, gamma);
                OnePoint.projectToSpectralBall(ws2, d, gamma);
                double r = Potential.of(d, true, w2, ws2) <= potentialLimit
                        ? ratio.ratio(d, w2, ws2) : Double.NaN;
                evaluations++;
                if (r < best) {
                    best = r;
                    w = w2;
                    ws = ws2;
                    accepted++;
                    step *= 1.5;
                    moved = true;
                    break;
                }
                step *= 0.5;
            }
            if (!moved) {
                break;
            }
        }
        return new RatioSearch.Best(best, w, ws, evaluations, accepted);
    }

    /** A start for the descent: independent Gaussian matrices at spectral norms drawn in (0, gamma]. */
    static double[][] randomStart(GaussianSampler s, int d, double gamma) {
        double a = Math.min(1, 0.3 + Math.abs(s.next()) / 2);
        double b = Math.min(1, 0.3 + Math.abs(s.next()) / 2);
        return new double[][] {OnePoint.randomWithSpectralNorm(s, d, gamma * a),
            OnePoint.randomWithSpectralNorm(s, d, gamma * b)};
    }

    /**
     * The {@code bigD x bigD} matrix with {@code floor(bigD / k)} copies of the {@code k x k} block {@code m} on
     * the diagonal and zeros elsewhere (row-major). Spectral norm: that of the block (a block-diagonal matrix's
     * singular values are its blocks'); the potential of a pair of such matrices is {@code copies} times the
     * block's (the leftover units have {@code u_i = v_i = e_i}).
     */
    public static double[] blockDiagonal(double[] m, int k, int bigD) {
        double[] out = new double[bigD * bigD];
        for (int c = 0; c + k <= bigD; c += k) {
            for (int r = 0; r < k; r++) {
                for (int j = 0; j < k; j++) {
                    out[(c + r) * bigD + (c + j)] = m[r * k + j];
                }
            }
        }
        return out;
    }

    /** Number of copies {@link #blockDiagonal} places. */
    static int copies(int k, int bigD) {
        return bigD / k;
    }
}
