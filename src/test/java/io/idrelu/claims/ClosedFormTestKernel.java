package io.idrelu.claims;

import io.idrelu.kernel.Kernel;

/**
 * Test-only minimal double kernel (MATH.md sections 1-2), written so the C6/C8/C9 tests can run before
 * the real kernels land and as an independent cross-check after: population loss and gradient from the
 * closed forms with Kahan's angle formula, batch loss and gradient by plain loops. Never used from
 * src/main.
 */
final class ClosedFormTestKernel implements Kernel {

    @Override
    public String name() {
        return "closed-form-test";
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
        double[] out = new double[batch];
        double[] teacher = new double[batch];
        preActivations(d, identity, w, x, batch, h);
        forward(d, identity, w, x, batch, out);
        forward(d, true, wStar, x, batch, teacher);
        java.util.Arrays.fill(grad, 0);
        double loss = 0;
        for (int b = 0; b < batch; b++) {
            double r = out[b] - teacher[b];
            if (residuals != null) {
                residuals[b] = r;
            }
            loss += r * r;
            for (int j = 0; j < d; j++) {
                if (h[b * d + j] > 0) {
                    for (int rr = 0; rr < d; rr++) {
                        grad[rr * d + j] += 2.0 * r * x[b * d + rr] / batch;
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
        double loss = lossAndGradient(d, identity, w, wStar, x, batch, null, g);
        for (int i = 0; i < g.length; i++) {
            w[i] -= eta * g[i];
        }
        return loss;
    }

    @Override
    public Scratch newScratch(int d, int batch) {
        return new Scratch() { };
    }

    @Override
    public double populationLossAndGradient(int d, boolean identity, double[] w, double[] wStar, double[] grad) {
        double[][] u = new double[d][d];
        double[][] v = new double[d][d];
        for (int j = 0; j < d; j++) {
            for (int r = 0; r < d; r++) {
                u[j][r] = w[r * d + j] + (identity && r == j ? 1 : 0);
                v[j][r] = wStar[r * d + j] + (r == j ? 1 : 0);
            }
        }
        double loss = 0;
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                loss += kappa(u[i], u[j]) - 2 * kappa(u[i], v[j]) + kappa(v[i], v[j]);
            }
        }
        if (grad != null) {
            for (int j = 0; j < d; j++) {
                double nj = norm(u[j]);
                double[] gj = new double[d];
                for (int k = 0; k < d; k++) {
                    addTerm(gj, u[j], nj, u[k], 1.0);
                    addTerm(gj, u[j], nj, v[k], -1.0);
                }
                for (int r = 0; r < d; r++) {
                    grad[r * d + j] = gj[r] / Math.PI;
                }
            }
        }
        return loss;
    }

    private static void addTerm(double[] acc, double[] a, double na, double[] b, double sign) {
        double nb = norm(b);
        double th = angle(a, na, b, nb);
        for (int r = 0; r < acc.length; r++) {
            acc[r] += sign * ((Math.PI - th) * b[r] + (na == 0 ? 0 : nb * Math.sin(th) * a[r] / na));
        }
    }

    static double kappa(double[] a, double[] b) {
        double na = norm(a);
        double nb = norm(b);
        double th = angle(a, na, b, nb);
        return na * nb * (Math.sin(th) + (Math.PI - th) * Math.cos(th)) / (2 * Math.PI);
    }

    static double angle(double[] a, double na, double[] b, double nb) {
        if (na == 0 || nb == 0) {
            return Math.PI / 2;
        }
        double m = 0;
        double p = 0;
        for (int r = 0; r < a.length; r++) {
            double s = nb * a[r] - na * b[r];
            double t = nb * a[r] + na * b[r];
            m += s * s;
            p += t * t;
        }
        return 2 * Math.atan2(Math.sqrt(m), Math.sqrt(p));
    }

    static double norm(double[] a) {
        double s = 0;
        for (double x : a) {
            s += x * x;
        }
        return Math.sqrt(s);
    }
}
