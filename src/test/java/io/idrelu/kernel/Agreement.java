package io.idrelu.kernel;

import io.idrelu.model.Matrices;

/**
 * The bit-identity check shared by the agreement tests and their negative controls: every batch
 * quantity and one fused SGD step, compared by raw bits (so {@code -0.0 != 0.0} and a one-ulp
 * difference are both failures). Returns {@code null} when identical, else what differed first.
 */
final class Agreement {
    private Agreement() { }

    static String firstDifference(Kernel a, Kernel b, Cases.Case c) {
        int d = c.d;
        int n = c.batch;
        double[] ha = new double[n * d];
        double[] hb = new double[n * d];
        a.preActivations(d, c.identity, c.w, c.x, n, ha);
        b.preActivations(d, c.identity, c.w, c.x, n, hb);
        String s = diff("preActivations", ha, hb);
        if (s != null) {
            return s;
        }
        double[] fa = new double[n];
        double[] fb = new double[n];
        a.forward(d, c.identity, c.w, c.x, n, fa);
        b.forward(d, c.identity, c.w, c.x, n, fb);
        if ((s = diff("forward", fa, fb)) != null) {
            return s;
        }
        double[] ra = new double[n];
        double[] rb = new double[n];
        double[] ga = new double[d * d];
        double[] gb = new double[d * d];
        double la = a.lossAndGradient(d, c.identity, c.w, c.wStar, c.x, n, ra, ga);
        double lb = b.lossAndGradient(d, c.identity, c.w, c.wStar, c.x, n, rb, gb);
        if ((s = diff("loss", new double[] {la}, new double[] {lb})) != null
                || (s = diff("residuals", ra, rb)) != null || (s = diff("gradient", ga, gb)) != null) {
            return s;
        }
        double[] wa = c.w.clone();
        double[] wb = c.w.clone();
        double sa = a.sgdStep(d, c.identity, wa, c.wStar, c.x, n, c.eta, a.newScratch(d, n));
        double sb = b.sgdStep(d, c.identity, wb, c.wStar, c.x, n, c.eta, b.newScratch(d, n));
        if ((s = diff("sgdStep loss", new double[] {sa}, new double[] {sb})) != null || (s = diff("sgdStep W", wa, wb)) != null) {
            return s;
        }
        return null;
    }

    static String firstDifference(FloatKernel a, FloatKernel b, Cases.Case c) {
        int d = c.d;
        int n = c.batch;
        float[] w = Matrices.toFloat(c.w);
        float[] ws = Matrices.toFloat(c.wStar);
        float[] x = Matrices.toFloat(c.x);
        float eta = (float) c.eta;
        float[] ha = new float[n * d];
        float[] hb = new float[n * d];
        a.preActivations(d, c.identity, w, x, n, ha);
        b.preActivations(d, c.identity, w, x, n, hb);
        String s = diff("preActivations", ha, hb);
        if (s != null) {
            return s;
        }
        float[] fa = new float[n];
        float[] fb = new float[n];
        a.forward(d, c.identity, w, x, n, fa);
        b.forward(d, c.identity, w, x, n, fb);
        if ((s = diff("forward", fa, fb)) != null) {
            return s;
        }
        float[] ra = new float[n];
        float[] rb = new float[n];
        float[] ga = new float[d * d];
        float[] gb = new float[d * d];
        float la = a.lossAndGradient(d, c.identity, w, ws, x, n, ra, ga);
        float lb = b.lossAndGradient(d, c.identity, w, ws, x, n, rb, gb);
        if ((s = diff("loss", new float[] {la}, new float[] {lb})) != null
                || (s = diff("residuals", ra, rb)) != null || (s = diff("gradient", ga, gb)) != null) {
            return s;
        }
        float[] wa = w.clone();
        float[] wb = w.clone();
        float sa = a.sgdStep(d, c.identity, wa, ws, x, n, eta, a.newScratch(d, n));
        float sb = b.sgdStep(d, c.identity, wb, ws, x, n, eta, b.newScratch(d, n));
        if ((s = diff("sgdStep loss", new float[] {sa}, new float[] {sb})) != null || (s = diff("sgdStep W", wa, wb)) != null) {
            return s;
        }
        return null;
    }

    static String diff(String what, double[] p, double[] q) {
        for (int i = 0; i < p.length; i++) {
            if (Double.doubleToRawLongBits(p[i]) != Double.doubleToRawLongBits(q[i])) {
                return what + "[" + i + "]: " + p[i] + " != " + q[i];
            }
        }
        return null;
    }

    static String diff(String what, float[] p, float[] q) {
        for (int i = 0; i < p.length; i++) {
            if (Float.floatToRawIntBits(p[i]) != Float.floatToRawIntBits(q[i])) {
                return what + "[" + i + "]: " + p[i] + " != " + q[i];
            }
        }
        return null;
    }
}
