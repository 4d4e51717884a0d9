package io.idrelu.kernel;

import java.util.Arrays;

/**
 * A deliberately broken double kernel for negative controls: the scalar contract's order re-implemented
 * plainly, with one injected bug. {@link Bug#NONE} must agree with {@link ScalarKernel} bit for bit
 * (so a failing mutant fails because of its bug, not because of the re-implementation).
 */
final class MutantKernel implements Kernel {
    enum Bug {
        NONE,
        /** the last unit's pre-activation drops its last term, as a vector loop that forgets the tail */
        DROPPED_TAIL,
        /** mask {@code h >= 0}: the kink counts as active */
        GE_MASK,
        /** pre-activations accumulated in float, then widened */
        FLOAT_ACCUMULATION
    }

    private final Bug bug;

    MutantKernel(Bug bug) {
        this.bug = bug;
    }

    @Override
    public String name() {
        return "mutant-" + bug;
    }

    @Override
    public void preActivations(int d, boolean identity, double[] w, double[] x, int batch, double[] h) {
        for (int b = 0; b < batch; b++) {
            for (int j = 0; j < d; j++) {
                int terms = bug == Bug.DROPPED_TAIL && j == d - 1 ? d - 1 : d;
                double acc = 0.0;
                float facc = 0.0f;
                for (int r = 0; r < terms; r++) {
                    acc = Math.fma(x[b * d + r], w[r * d + j], acc);
                    facc = Math.fma((float) x[b * d + r], (float) w[r * d + j], facc);
                }
                if (bug == Bug.FLOAT_ACCUMULATION) {
                    acc = facc;
                }
                h[b * d + j] = identity ? acc + x[b * d + j] : acc;
            }
        }
    }

    @Override
    public void forward(int d, boolean identity, double[] w, double[] x, int batch, double[] out) {
        double[] h = new double[batch * d];
        preActivations(d, identity, w, x, batch, h);
        ScalarKernel.reluSums(h, d, batch, out);
    }

    @Override
    public double lossAndGradient(int d, boolean identity, double[] w, double[] wStar, double[] x, int batch,
                                  double[] residuals, double[] grad) {
        double[] ft = new double[batch];
        double[] fs = new double[batch];
        forward(d, true, wStar, x, batch, ft);
        double[] h = new double[batch * d];
        preActivations(d, identity, w, x, batch, h);
        ScalarKernel.reluSums(h, d, batch, fs);
        double sum = 0.0;
        Arrays.fill(grad, 0.0);
        double[] c = new double[batch];
        for (int b = 0; b < batch; b++) {
            double r = fs[b] - ft[b];
            if (residuals != null) {
                residuals[b] = r;
            }
            sum = Math.fma(r, r, sum);
            c[b] = (2.0 * r) / batch;
        }
        for (int r = 0; r < d; r++) {
            for (int j = 0; j < d; j++) {
                double g = 0.0;
                for (int b = 0; b < batch; b++) {
                    double hv = h[b * d + j];
                    boolean active = bug == Bug.GE_MASK ? hv >= 0 : hv > 0;
                    g = Math.fma(x[b * d + r], active ? c[b] : 0.0, g);
                }
                grad[r * d + j] = g;
            }
        }
        return sum / batch;
    }

    @Override
    public double sgdStep(int d, boolean identity, double[] w, double[] wStar, double[] x, int batch, double eta,
                          Scratch scratch) {
        double[] g = new double[d * d];
        double loss = lossAndGradient(d, identity, w, wStar, x, batch, null, g);
        for (int i = 0; i < g.length; i++) {
            w[i] = Math.fma(-eta, g[i], w[i]);
        }
        return loss;
    }

    @Override
    public Scratch newScratch(int d, int batch) {
        return new Scratch() { };
    }

    @Override
    public double populationLossAndGradient(int d, boolean identity, double[] w, double[] wStar, double[] grad) {
        throw new UnsupportedOperationException("batch-only mutant");
    }
}
