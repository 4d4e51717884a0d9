package io.idrelu.claims;

import io.idrelu.kernel.Kernel;

/** Test-only: forwards everything to a real kernel; negative controls override one method to break it. */
public class DelegatingKernel implements Kernel {
    final Kernel inner;

    protected DelegatingKernel(Kernel inner) {
        this.inner = inner;
    }

    @Override
    public String name() {
        return "broken(" + inner.name() + ")";
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
        return inner.lossAndGradient(d, identity, w, wStar, x, batch, residuals, grad);
    }

    @Override
    public double sgdStep(int d, boolean identity, double[] w, double[] wStar, double[] x, int batch, double eta,
                          Scratch scratch) {
        return inner.sgdStep(d, identity, w, wStar, x, batch, eta, scratch);
    }

    @Override
    public Scratch newScratch(int d, int batch) {
        return inner.newScratch(d, batch);
    }

    @Override
    public double populationLossAndGradient(int d, boolean identity, double[] w, double[] wStar, double[] grad) {
        return inner.populationLossAndGradient(d, identity, w, wStar, grad);
    }
}
