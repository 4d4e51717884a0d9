package io.idrelu.claims;

import io.idrelu.kernel.FloatKernel;
import io.idrelu.kernel.Kernel;

/**
 * Negative controls for A1..A3: wrappers of a correct kernel with one injected bug each. The same
 * audit checks that pass on the real kernels must fail on these (asserted in the claim tests).
 * The wrappers' {@code sgdStep} goes through their own {@code lossAndGradient}, so a gradient bug
 * also reaches the trajectory.
 */
public final class InjectedBugs {
    private InjectedBugs() { }

    /** Base: delegates everything; sgdStep = lossAndGradient + plain update (so overrides propagate). */
    public static class Wrapper implements Kernel {
        final Kernel k;
        final String label;

        Wrapper(Kernel k, String label) {
            this.k = k;
            this.label = label;
        }

        @Override public String name() { return label; }

        @Override public void preActivations(int d, boolean id, double[] w, double[] x, int batch, double[] h) {
            k.preActivations(d, id, w, x, batch, h);
        }

        @Override public void forward(int d, boolean id, double[] w, double[] x, int batch, double[] out) {
            k.forward(d, id, w, x, batch, out);
        }

        @Override public double lossAndGradient(int d, boolean id, double[] w, double[] ws, double[] x, int batch,
                                                double[] residuals, double[] grad) {
            return k.lossAndGradient(d, id, w, ws, x, batch, residuals, grad);
        }

        @Override public double sgdStep(int d, boolean id, double[] w, double[] ws, double[] x, int batch, double eta,
                                        Scratch scratch) {
            double[] g = new double[d * d];
            double l = lossAndGradient(d, id, w, ws, x, batch, null, g);
            for (int i = 0; i < g.length; i++) {
                w[i] -= eta * g[i];
            }
            return l;
        }

        @Override public Scratch newScratch(int d, int batch) {
            return k.newScratch(d, batch);
        }

        @Override public double populationLossAndGradient(int d, boolean id, double[] w, double[] ws, double[] grad) {
            return k.populationLossAndGradient(d, id, w, ws, grad);
        }
    }

    /**
     * The population closed form with every Gram-route angle {@code theta} (pairs with {@code sin theta >= 1/2}, see
     * {@code PopulationClosedForm.GRAM_MIN_SIN}) multiplied by {@code 1 + 1e-9}: an angle evaluation far worse
     * than the {@code atan2} the A2 bound assumes (1 ulp, about {@code 1e-16} relative), as a cheaper vectorised
     * arccos or atan2 with an unaccounted error would be. Kahan-route angles are left exact.
     */
    public static Kernel perturbedAngle(Kernel k) {
        io.idrelu.kernel.PopulationClosedForm broken = new io.idrelu.kernel.PopulationClosedForm() {
            @Override
            protected void gramAngles(double[] g, int go, double n2a, double[] n2b, int from, int to,
                                      double[] th, double[] sin, double[] cos) {
                super.gramAngles(g, go, n2a, n2b, from, to, th, sin, cos);
                for (int o = go + from; o < go + to; o++) {
                    th[o] *= 1 + 1e-9;   // NaN (Kahan's pairs) stays NaN
                }
            }
        };
        return new Wrapper(k, "bug:perturbedAngle") {
            @Override public double populationLossAndGradient(int d, boolean id, double[] w, double[] ws, double[] grad) {
                return broken.lossAndGradient(d, id, w, ws, grad);
            }
        };
    }

    /** The last gradient element (batch and population) is dropped (left 0). */
    public static Kernel droppedLastElement(Kernel k) {
        return new Wrapper(k, "bug:droppedLast") {
            @Override public double lossAndGradient(int d, boolean id, double[] w, double[] ws, double[] x, int batch,
                                                    double[] residuals, double[] grad) {
                double l = k.lossAndGradient(d, id, w, ws, x, batch, residuals, grad);
                grad[d * d - 1] = 0;
                return l;
            }

            @Override public double populationLossAndGradient(int d, boolean id, double[] w, double[] ws, double[] grad) {
                double l = k.populationLossAndGradient(d, id, w, ws, grad);
                if (grad != null) {
                    grad[d * d - 1] = 0;
                }
                return l;
            }
        };
    }

    /** Mask {@code h >= 0} instead of {@code h > 0} in the gradient (the kink counted as active). */
    public static Kernel geqMask(Kernel k) {
        return new Wrapper(k, "bug:geqMask") {
            @Override public double lossAndGradient(int d, boolean id, double[] w, double[] ws, double[] x, int batch,
                                                    double[] residuals, double[] grad) {
                double[] res = new double[batch];
                double l = k.lossAndGradient(d, id, w, ws, x, batch, res, grad);
                double[] h = new double[batch * d];
                k.preActivations(d, id, w, x, batch, h);
                java.util.Arrays.fill(grad, 0);
                for (int b = 0; b < batch; b++) {
                    double c = 2 * res[b] / batch;
                    for (int r = 0; r < d; r++) {
                        for (int j = 0; j < d; j++) {
                            if (h[b * d + j] >= 0) {
                                grad[r * d + j] = Math.fma(c, x[b * d + r], grad[r * d + j]);
                            }
                        }
                    }
                }
                if (residuals != null) {
                    System.arraycopy(res, 0, residuals, 0, batch);
                }
                return l;
            }
        };
    }

    /** Double path that accumulates the gradient in float and rounds the population results to float. */
    public static Kernel floatAccumulation(Kernel k) {
        return new Wrapper(k, "bug:floatAcc") {
            @Override public double lossAndGradient(int d, boolean id, double[] w, double[] ws, double[] x, int batch,
                                                    double[] residuals, double[] grad) {
                double[] res = new double[batch];
                double l = k.lossAndGradient(d, id, w, ws, x, batch, res, grad);
                double[] h = new double[batch * d];
                k.preActivations(d, id, w, x, batch, h);
                float[] acc = new float[d * d];
                for (int b = 0; b < batch; b++) {
                    double c = 2 * res[b] / batch;
                    for (int r = 0; r < d; r++) {
                        for (int j = 0; j < d; j++) {
                            if (h[b * d + j] > 0) {
                                acc[r * d + j] += (float) (c * x[b * d + r]);
                            }
                        }
                    }
                }
                for (int i = 0; i < acc.length; i++) {
                    grad[i] = acc[i];
                }
                if (residuals != null) {
                    System.arraycopy(res, 0, residuals, 0, batch);
                }
                return l;
            }

            @Override public double populationLossAndGradient(int d, boolean id, double[] w, double[] ws, double[] grad) {
                double l = k.populationLossAndGradient(d, id, w, ws, grad);
                if (grad != null) {
                    for (int i = 0; i < grad.length; i++) {
                        grad[i] = (float) grad[i];
                    }
                }
                return (float) l;
            }
        };
    }

    /** Correct gradient, but the step uses {@code eta (1 + 2^-20)}: a perturbed update. */
    public static Kernel perturbedStep(Kernel k) {
        return new Wrapper(k, "bug:perturbedStep") {
            @Override public double sgdStep(int d, boolean id, double[] w, double[] ws, double[] x, int batch,
                                            double eta, Scratch scratch) {
                return k.sgdStep(d, id, w, ws, x, batch, eta * (1 + 0x1.0p-20), scratch);
            }
        };
    }

    /** Float kernel with the {@code >=} mask bug and the dropped last gradient element. */
    public static FloatKernel floatGeqMaskDroppedLast(FloatKernel k) {
        return new FloatKernel() {
            @Override public String name() { return "bug:floatGeqDropped"; }

            @Override public void preActivations(int d, boolean id, float[] w, float[] x, int batch, float[] h) {
                k.preActivations(d, id, w, x, batch, h);
            }

            @Override public void forward(int d, boolean id, float[] w, float[] x, int batch, float[] out) {
                k.forward(d, id, w, x, batch, out);
            }

            @Override public float lossAndGradient(int d, boolean id, float[] w, float[] ws, float[] x, int batch,
                                                   float[] residuals, float[] grad) {
                float[] res = new float[batch];
                float l = k.lossAndGradient(d, id, w, ws, x, batch, res, grad);
                float[] h = new float[batch * d];
                k.preActivations(d, id, w, x, batch, h);
                java.util.Arrays.fill(grad, 0);
                for (int b = 0; b < batch; b++) {
                    float c = 2 * res[b] / batch;
                    for (int r = 0; r < d; r++) {
                        for (int j = 0; j < d; j++) {
                            if (h[b * d + j] >= 0) {
                                grad[r * d + j] = Math.fma(c, x[b * d + r], grad[r * d + j]);
                            }
                        }
                    }
                }
                grad[d * d - 1] = 0;
                if (residuals != null) {
                    System.arraycopy(res, 0, residuals, 0, batch);
                }
                return l;
            }

            @Override public float sgdStep(int d, boolean id, float[] w, float[] ws, float[] x, int batch, float eta,
                                           Scratch scratch) {
                float[] g = new float[d * d];
                float l = lossAndGradient(d, id, w, ws, x, batch, null, g);
                for (int i = 0; i < g.length; i++) {
                    w[i] -= eta * g[i];
                }
                return l;
            }

            @Override public Scratch newScratch(int d, int batch) {
                return k.newScratch(d, batch);
            }

            @Override public float populationLossAndGradient(int d, boolean id, float[] w, float[] ws, float[] grad) {
                float l = k.populationLossAndGradient(d, id, w, ws, grad);
                if (grad != null) {
                    grad[d * d - 1] = 0;
                }
                return l;
            }
        };
    }
}
