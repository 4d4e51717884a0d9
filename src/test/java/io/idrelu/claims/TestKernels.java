package io.idrelu.claims;

import io.idrelu.kernel.Kernel;
import io.idrelu.kernel.KernelProvider;

import java.util.function.UnaryOperator;

/**
 * Kernels for the C6/C8/C9 tests: the project's scalar kernel when it is in the build, otherwise the
 * test-only {@link ClosedFormTestKernel}; and broken decorators for the negative controls.
 */
final class TestKernels {
    private TestKernels() { }

    /** The real scalar kernel, or the test-only closed form when the kernel branch has not landed. */
    static Kernel kernel() {
        try {
            return KernelProvider.doubleKernel(KernelProvider.Choice.SCALAR);
        } catch (UnsupportedOperationException notLanded) {
            return new ClosedFormTestKernel();
        }
    }

    /** Gradient transform for a negative control: receives (d, w, wStar, trueGradient) and rewrites the gradient in place. */
    interface GradientBreak {
        void apply(int d, double[] w, double[] wStar, double[] grad);
    }

    /** A kernel whose population and batch gradients are rewritten by {@code broken}; everything else delegates. */
    static Kernel broken(Kernel inner, String name, GradientBreak broken) {
        return new Kernel() {
            @Override
            public String name() {
                return inner.name() + "+" + name;
            }

            @Override
            public void preActivations(int d, boolean identity, double[] w, double[] x, int batch, double[] h) {
                inner.preActivations(d, identity, w, x, batch, h);
            }

            @Override
            public void forward(int d, boolean identity, double[] w, double[] x, int batch, double[] out) {
                inner.forward(d, identity, w, x, batch, out);
            }

            @Override
            public double lossAndGradient(int d, boolean identity, double[] w, double[] wStar, double[] x, int batch,
                                          double[] residuals, double[] grad) {
                double l = inner.lossAndGradient(d, identity, w, wStar, x, batch, residuals, grad);
                broken.apply(d, w, wStar, grad);
                return l;
            }

            @Override
            public double sgdStep(int d, boolean identity, double[] w, double[] wStar, double[] x, int batch,
                                  double eta, Scratch scratch) {
                throw new UnsupportedOperationException("not used by C6/C8/C9");
            }

            @Override
            public Scratch newScratch(int d, int batch) {
                return inner.newScratch(d, batch);
            }

            @Override
            public double populationLossAndGradient(int d, boolean identity, double[] w, double[] wStar, double[] grad) {
                double l = inner.populationLossAndGradient(d, identity, w, wStar, grad);
                if (grad != null) {
                    broken.apply(d, w, wStar, grad);
                }
                return l;
            }
        };
    }

    /** Sign-flipped gradient: every descent direction becomes an ascent direction. */
    static Kernel signFlipped(Kernel inner) {
        return broken(inner, "sign-flipped", (d, w, ws, g) -> {
            for (int i = 0; i < g.length; i++) {
                g[i] = -g[i];
            }
        });
    }

    /** The gradient replaced by {@code W - W*}: a perfectly one-point-convex fake (ratio = pi everywhere). */
    static Kernel perfectlyConvex(Kernel inner) {
        return broken(inner, "fake-W-minus-WStar", (d, w, ws, g) -> {
            for (int i = 0; i < g.length; i++) {
                g[i] = w[i] - ws[i];
            }
        });
    }

    /** A constant offset {@code c} added to every gradient entry: the gradient no longer vanishes at W*. */
    static Kernel offset(Kernel inner, double c) {
        return broken(inner, "offset" + c, (d, w, ws, g) -> {
            for (int i = 0; i < g.length; i++) {
                g[i] += c;
            }
        });
    }

    /** The gradient multiplied by {@code ||W - W*||_F / scale}: vanishes quadratically at W*. */
    static Kernel squared(Kernel inner, double scale) {
        return broken(inner, "squared", (d, w, ws, g) -> {
            double f = Math.sqrt(io.idrelu.model.Matrices.squaredDistance(w, ws)) / scale;
            for (int i = 0; i < g.length; i++) {
                g[i] *= f;
            }
        });
    }

    static UnaryOperator<Kernel> identity() {
        return k -> k;
    }
}
