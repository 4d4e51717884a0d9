package com.example.kernels;

import io.idrelu.kernel.Kernel;
import io.idrelu.kernel.PopulationClosedForm;

/**
 * A user's kernel written from the contract alone: plain loops, no fma, and a different summation order from
 * idrelu's ScalarKernel (the identity term first, then the coordinates from last to first; the gradient summed
 * over the batch from last row to first). Not bit-identical to idrelu's kernels, and it does not have to be:
 * the conformance kit only asks for the derived accuracy bounds.
 */
public class NaiveKernel implements Kernel {
    /** The population closed form is delegated (Kahan angles, the kit's default A2 angle model). */
    private final PopulationClosedForm population = new PopulationClosedForm();

    /** Buffers for sgdStep: the kernel itself keeps no mutable state (thread safety). */
    static final class Buffers implements Scratch {
        final double[] grad;

        Buffers(int d) {
            grad = new double[d * d];
        }
    }

    @Override
    public String name() {
        return "naive";
    }

    @Override
    public void preActivations(int d, boolean identity, double[] w, double[] x, int batch, double[] h) {
        for (int b = 0; b < batch; b++) {
            for (int j = 0; j < d; j++) {
                double s = identity ? x[b * d + j] : 0.0;
                for (int r = d - 1; r >= 0; r--) {
                    s += x[b * d + r] * w[r * d + j];
                }
                h[b * d + j] = s;
            }
        }
    }

    @Override
    public void forward(int d, boolean identity, double[] w, double[] x, int batch, double[] out) {
        double[] h = new double[batch * d];
        preActivations(d, identity, w, x, batch, h);
        for (int b = 0; b < batch; b++) {
            double s = 0.0;
            for (int j = 0; j < d; j++) {
                s += Math.max(0.0, h[b * d + j]);
            }
            out[b] = s;
        }
    }

    @Override
    public double lossAndGradient(int d, boolean identity, double[] w, double[] wStar, double[] x, int batch,
                                  double[] residuals, double[] grad) {
        double[] h = new double[batch * d];
        preActivations(d, identity, w, x, batch, h);
        double[] student = new double[batch];
        double[] teacher = new double[batch];
        forward(d, identity, w, x, batch, student);
        forward(d, true, wStar, x, batch, teacher);
        double loss = 0.0;
        double[] c = new double[batch];
        for (int b = 0; b < batch; b++) {
            double r = student[b] - teacher[b];
            if (residuals != null) {
                residuals[b] = r;
            }
            loss += r * r;
            c[b] = 2.0 * r / batch;
        }
        for (int r = 0; r < d; r++) {
            for (int j = 0; j < d; j++) {
                double s = 0.0;
                for (int b = batch - 1; b >= 0; b--) {
                    if (h[b * d + j] > 0) {
                        s += c[b] * x[b * d + r];
                    }
                }
                grad[r * d + j] = s;
            }
        }
        return loss / batch;
    }

    @Override
    public double sgdStep(int d, boolean identity, double[] w, double[] wStar, double[] x, int batch, double eta,
                          Scratch scratch) {
        double[] g = ((Buffers) scratch).grad;
        double loss = lossAndGradient(d, identity, w, wStar, x, batch, null, g);
        for (int i = 0; i < d * d; i++) {
            w[i] -= eta * g[i];
        }
        return loss;
    }

    @Override
    public Scratch newScratch(int d, int batch) {
        return new Buffers(d);
    }

    @Override
    public double populationLossAndGradient(int d, boolean identity, double[] w, double[] wStar, double[] grad) {
        return population.lossAndGradient(d, identity, w, wStar, grad);
    }
}
