package io.idrelu.claims;

import io.idrelu.kernel.Kernel;

/**
  * Test-only kernels for the trajectory claims: the real scalar kernel, and the broken kernels of the negative
 * controls (batch gradient scaled by a factor, e.g. {@code -1} for a flipped sign).
 */
final class TrajectoryTestKernels {
    private TrajectoryTestKernels() { }

    /** The kernel the trajectory tests run on: the real scalar kernel (bit-reproducible on every JVM). */
    static Kernel fast() {
        return io.idrelu.kernel.KernelProvider.doubleKernel(io.idrelu.kernel.KernelProvider.Choice.SCALAR);
    }

    /**
     * The kernel of the deep (paper-scale) tier: the vector kernel where available. It is bit-identical to the
     * scalar kernel (VectorAgreementTest), so the results are the same; at d = 100 it is several times faster.
     */
    static Kernel paperScale() {
        return io.idrelu.kernel.KernelProvider.doubleKernel(io.idrelu.kernel.KernelProvider.Choice.AUTO);
    }

    /** A kernel whose batch gradient (and hence SGD step) is {@code factor} times the delegate's; population is untouched. */
    static Kernel scaledGradient(Kernel delegate, double factor) {
        return scaledGradient(delegate, d -> factor, "x" + factor);
    }

    /** As {@link #scaledGradient(Kernel, double)} with a factor that depends on the dimension {@code d}. */
    static Kernel scaledGradient(Kernel delegate, java.util.function.IntToDoubleFunction factorOfD, String label) {
        return new Kernel() {
            @Override
            public String name() {
                return delegate.name() + "-gradient-" + label;
            }

            @Override
            public void preActivations(int d, boolean identity, double[] w, double[] x, int batch, double[] h) {
                delegate.preActivations(d, identity, w, x, batch, h);
            }

            @Override
            public void forward(int d, boolean identity, double[] w, double[] x, int batch, double[] out) {
                delegate.forward(d, identity, w, x, batch, out);
            }

            @Override
            public double lossAndGradient(int d, boolean identity, double[] w, double[] wStar, double[] x, int batch,
                                          double[] residuals, double[] grad) {
                double l = delegate.lossAndGradient(d, identity, w, wStar, x, batch, residuals, grad);
                double factor = factorOfD.applyAsDouble(d);
                for (int i = 0; i < grad.length; i++) {
                    grad[i] *= factor;
                }
                return l;
            }

            @Override
            public double sgdStep(int d, boolean identity, double[] w, double[] wStar, double[] x, int batch, double eta,
                                  Scratch scratch) {
                double[] grad = new double[d * d];
                double l = lossAndGradient(d, identity, w, wStar, x, batch, null, grad);
                for (int i = 0; i < w.length; i++) {
                    w[i] -= eta * grad[i];
                }
                return l;
            }

            @Override
            public Scratch newScratch(int d, int batch) {
                return new Scratch() { };
            }

            @Override
            public double populationLossAndGradient(int d, boolean identity, double[] w, double[] wStar, double[] grad) {
                return delegate.populationLossAndGradient(d, identity, w, wStar, grad);
            }
        };
    }
}
