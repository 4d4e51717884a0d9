package io.idrelu.claims;

import io.idrelu.kernel.Kernel;

/** Test-only plain double kernel following the {@link Kernel} contract (fallback until the real one lands). */
final class TestOnlyDoubleKernel implements Kernel {
    @Override
    public String name() {
        return "test-only";
    }

    @Override
    public void preActivations(int d, boolean identity, double[] w, double[] x, int batch, double[] h) {
        for (int b = 0; b < batch; b++) {
            for (int j = 0; j < d; j++) {
                double s = 0;
                for (int r = 0; r < d; r++) {
                    s = Math.fma(x[b * d + r], w[r * d + j], s);
                }
                h[b * d + j] = identity ? s + x[b * d + j] : s;
            }
        }
    }

    @Override
    public void forward(int d, boolean identity, double[] w, double[] x, int batch, double[] out) {
        double[] h = new double[batch * d];
        preActivations(d, identity, w, x, batch, h);
        for (int b = 0; b < batch; b++) {
            double s = 0;
            for (int j = 0; j < d; j++) {
                s += Math.max(0, h[b * d + j]);
            }
            out[b] = s;
        }
    }

    @Override
    public double lossAndGradient(int d, boolean identity, double[] w, double[] wStar, double[] x, int batch,
                                  double[] residuals, double[] grad) {
        double[] h = new double[batch * d];
        double[] f = new double[batch];
        double[] ft = new double[batch];
        preActivations(d, identity, w, x, batch, h);
        forward(d, identity, w, x, batch, f);
        forward(d, true, wStar, x, batch, ft);
        java.util.Arrays.fill(grad, 0);
        double loss = 0;
        for (int b = 0; b < batch; b++) {
            double r = f[b] - ft[b];
            if (residuals != null) {
                residuals[b] = r;
            }
            loss += r * r;
            for (int j = 0; j < d; j++) {
                if (h[b * d + j] > 0) {
                    for (int row = 0; row < d; row++) {
                        grad[row * d + j] += 2.0 / batch * r * x[b * d + row];
                    }
                }
            }
        }
        return loss / batch;
    }

    @Override
    public double sgdStep(int d, boolean identity, double[] w, double[] wStar, double[] x, int batch, double eta,
                          Scratch scratch) {
        double[] g = new double[d * d];
        double l = lossAndGradient(d, identity, w, wStar, x, batch, null, g);
        for (int i = 0; i < g.length; i++) {
            w[i] -= eta * g[i];
        }
        return l;
    }

    @Override
    public Scratch newScratch(int d, int batch) {
        return new Scratch() { };
    }

    private static double[] col(double[] w, int d, int j, boolean identity) {
        double[] c = new double[d];
        for (int r = 0; r < d; r++) {
            c[r] = w[r * d + j] + (identity && r == j ? 1 : 0);
        }
        return c;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static double cross(double[] a, double[] b) {
        double ab = dot(a, b);
        return Math.sqrt(Math.max(0, dot(a, a) * dot(b, b) - ab * ab));
    }

    private static double kappa2pi(double[] a, double[] b) {
        double c = cross(a, b);
        double ab = dot(a, b);
        return c + (Math.PI - Math.atan2(c, ab)) * ab;
    }

    @Override
    public double populationLossAndGradient(int d, boolean identity, double[] w, double[] wStar, double[] grad) {
        double s = 0;
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                s += kappa2pi(col(w, d, i, identity), col(w, d, j, identity))
                        - 2 * kappa2pi(col(w, d, i, identity), col(wStar, d, j, true))
                        + kappa2pi(col(wStar, d, i, true), col(wStar, d, j, true));
            }
        }
        if (grad != null) {
            for (int j = 0; j < d; j++) {
                double[] uj = col(w, d, j, identity);
                double uj2 = dot(uj, uj);
                double[] acc = new double[d];
                double radial = 0;
                for (int k = 0; k < d; k++) {
                    double[] uk = col(w, d, k, identity);
                    double[] vk = col(wStar, d, k, true);
                    double cu = Math.PI - Math.atan2(cross(uj, uk), dot(uj, uk));
                    double cv = Math.PI - Math.atan2(cross(uj, vk), dot(uj, vk));
                    for (int r = 0; r < d; r++) {
                        acc[r] += cu * uk[r] - cv * vk[r];
                    }
                    radial += cross(uj, uk) - cross(uj, vk);
                }
                for (int r = 0; r < d; r++) {
                    grad[r * d + j] = (acc[r] + radial / uj2 * uj[r]) / Math.PI;
                }
            }
        }
        return s / (2 * Math.PI);
    }
}
