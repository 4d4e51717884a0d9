package io.idrelu.audit;

import io.idrelu.kernel.FloatKernel;
import io.idrelu.kernel.Kernel;
import io.idrelu.model.Matrices;

/**
 * What the fast path computes on one batch, widened exactly to double (claim A1): pre-activations,
 * outputs, residuals, loss and gradient (true units). The float kernel's inputs are floats; those floats
 * (widened) are what the reference is given.
 */
record FastBatch(String kernel, Precision precision, double[] w, double[] wStar, double[] x,
                 double[] h, double[] out, double[] residuals, double loss, double[] grad) {

    static FastBatch run(Kernel k, int d, boolean identity, double[] w, double[] wStar, double[] x, int batch) {
        double[] h = new double[batch * d];
        double[] out = new double[batch];
        double[] res = new double[batch];
        double[] grad = new double[d * d];
        k.preActivations(d, identity, w.clone(), x.clone(), batch, h);
        k.forward(d, identity, w.clone(), x.clone(), batch, out);
        double loss = k.lossAndGradient(d, identity, w.clone(), wStar.clone(), x.clone(), batch, res, grad);
        return new FastBatch(k.name(), Precision.DOUBLE, w.clone(), wStar.clone(), x.clone(), h, out, res, loss, grad);
    }

    static FastBatch run(FloatKernel k, int d, boolean identity, float[] w, float[] wStar, float[] x, int batch) {
        float[] h = new float[batch * d];
        float[] out = new float[batch];
        float[] res = new float[batch];
        float[] grad = new float[d * d];
        k.preActivations(d, identity, w.clone(), x.clone(), batch, h);
        k.forward(d, identity, w.clone(), x.clone(), batch, out);
        float loss = k.lossAndGradient(d, identity, w.clone(), wStar.clone(), x.clone(), batch, res, grad);
        return new FastBatch(k.name(), Precision.FLOAT, Matrices.toDouble(w), Matrices.toDouble(wStar),
                Matrices.toDouble(x), Matrices.toDouble(h), Matrices.toDouble(out), Matrices.toDouble(res), loss,
                Matrices.toDouble(grad));
    }
}
