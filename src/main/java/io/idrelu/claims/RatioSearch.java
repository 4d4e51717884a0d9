package io.idrelu.claims;

import io.idrelu.kernel.Kernel;
import io.idrelu.model.GaussianSampler;
import io.idrelu.model.Matrices;
import io.idrelu.model.Potential;

import java.util.function.DoublePredicate;

/**
 * Adversarial search for small one-point ratios (claims C8 and C9, [LY17] Phase II): projected
 * random-direction local search on {@code (W, W*)}. A proposal adds a Gaussian direction of Frobenius
 * length {@code sigma * radius} to {@code W} (and, every other step, to {@code W*}), projects each back
 * into its spectral ball by rescaling, rejects it when the potential condition fails, and is accepted
 * only when the ratio decreases. The step length adapts (grow on accept, shrink on reject), a
 * (1+1)-evolution strategy. Deterministic given the sampler's seed.
 */
final class RatioSearch {
    private RatioSearch() { }

    /** Best point found: the ratio in paper units and the pair that gives it. */
    record Best(double ratio, double[] w, double[] wStar, int evaluations, int accepted) { }

    /**
     * @param wMax         spectral-norm radius for {@code W}
     * @param wStarMax     spectral-norm radius for {@code W*}
     * @param potentialOk  which values of {@code g(W)} are admissible
     * @param moveTeacher  whether {@code W*} moves too
     */
    static Best minimise(Kernel kernel, int d, double[] w0, double[] wStar0, double wMax, double wStarMax,
                         DoublePredicate potentialOk, boolean moveTeacher, int steps, GaussianSampler s) {
        return minimise(OnePoint.of(kernel), d, w0, wStar0, wMax, wStarMax, potentialOk, moveTeacher, steps, s);
    }

    /** As above, minimising any ratio function (a setting's population gradient, issue 11). */
    static Best minimise(OnePoint.RatioFunction ratio, int d, double[] w0, double[] wStar0, double wMax, double wStarMax,
                         DoublePredicate potentialOk, boolean moveTeacher, int steps, GaussianSampler s) {
        double[] w = w0.clone();
        double[] ws = wStar0.clone();
        double best = ratio.ratio(d, w, ws);
        int evaluations = 1;
        int accepted = 0;
        double sigma = 0.3;
        for (int it = 0; it < steps; it++) {
            double[] w2 = w.clone();
            double[] ws2 = ws.clone();
            addDirection(w2, s, sigma * wMax);
            if (moveTeacher && it % 2 == 0) {
                addDirection(ws2, s, sigma * wStarMax);
            }
            OnePoint.projectToSpectralBall(w2, d, wMax);
            OnePoint.projectToSpectralBall(ws2, d, wStarMax);
            if (!potentialOk.test(Potential.of(d, true, w2, ws2))) {
                sigma = Math.max(1e-4, sigma * 0.8);
                continue;
            }
            double r = ratio.ratio(d, w2, ws2);
            evaluations++;
            if (r < best) {
                best = r;
                w = w2;
                ws = ws2;
                accepted++;
                sigma = Math.min(1.0, sigma * 1.5);
            } else {
                sigma = Math.max(1e-4, sigma * 0.85);
            }
        }
        return new Best(best, w, ws, evaluations, accepted);
    }

    private static void addDirection(double[] m, GaussianSampler s, double length) {
        double[] z = s.batch(1, m.length);
        double n = Matrices.frobeniusNorm(z);
        for (int i = 0; i < m.length; i++) {
            m[i] += length * z[i] / n;
        }
    }
}
