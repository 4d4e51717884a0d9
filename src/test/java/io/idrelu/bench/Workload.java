package io.idrelu.bench;

import io.idrelu.kernel.FloatKernel;
import io.idrelu.kernel.Kernel;
import io.idrelu.kernel.KernelProvider;
import io.idrelu.model.GaussianSampler;
import io.idrelu.model.Matrices;
import io.idrelu.model.Problem;

import java.util.Arrays;

/**
 * The measured workloads, shared by the JMH benchmarks and {@link SideBySide} so both time exactly
 * the same code: one online-SGD step ([LY17] Theorem 3.1, MATH.md section 1) with the Gaussian batch
 * drawn inside the step (as {@link io.idrelu.sgd.OnlineSgd} does), in double or float, and the
 * closed-form population loss and gradient (MATH.md section 2). The numpy side
 * ({@code benchmarks/compare_numpy.py}) implements the same algorithm.
 */
final class Workload {
    /** Learning rate well below the stability limit (about 1/d^2 for B = 1), so {@code W} stays bounded. */
    static final double ETA = 1e-6;
    static final double GAMMA = 0.5;
    static final long SEED = 20170101L;

    private Workload() { }

    static Kernel kernel(String choice) {
        return KernelProvider.doubleKernel(KernelProvider.Choice.valueOf(choice.toUpperCase()));
    }

    static FloatKernel floatKernel(String choice) {
        return KernelProvider.floatKernel(KernelProvider.Choice.valueOf(choice.toUpperCase()));
    }

    /** A double SGD trajectory: state plus {@link #step()}. */
    static final class DoubleSgd {
        final Kernel kernel;
        final int d;
        final int batch;
        final double[] w;
        final double[] wStar;
        final double[] x;
        final GaussianSampler sampler;
        final Kernel.Scratch scratch;

        DoubleSgd(Kernel kernel, int d, int batch) {
            this.kernel = kernel;
            this.d = d;
            this.batch = batch;
            Problem p = Problem.random(d, GAMMA, SEED, true);
            this.w = p.w0();
            this.wStar = p.wStar();
            this.x = new double[batch * d];
            this.sampler = new GaussianSampler(SEED + 1);
            this.scratch = kernel.newScratch(d, batch);
        }

        /** Draw {@code B*d} normals, then one fused step; returns the batch loss. */
        double step() {
            sampler.fill(x);
            return kernel.sgdStep(d, true, w, wStar, x, batch, ETA, scratch);
        }
    }

    /** A float SGD trajectory; the normals are drawn in double and rounded, as in OnlineSgdFloat. */
    static final class FloatSgd {
        final FloatKernel kernel;
        final int d;
        final int batch;
        final float[] w;
        final float[] wStar;
        final float[] x;
        final double[] xd;
        final GaussianSampler sampler;
        final FloatKernel.Scratch scratch;

        FloatSgd(FloatKernel kernel, int d, int batch) {
            this.kernel = kernel;
            this.d = d;
            this.batch = batch;
            Problem p = Problem.random(d, GAMMA, SEED, true);
            this.w = Matrices.toFloat(p.w0());
            this.wStar = Matrices.toFloat(p.wStar());
            this.x = new float[batch * d];
            this.xd = new double[batch * d];
            this.sampler = new GaussianSampler(SEED + 1);
            this.scratch = kernel.newScratch(d, batch);
        }

        float step() {
            sampler.fill(xd);
            for (int k = 0; k < x.length; k++) {
                x[k] = (float) xd[k];
            }
            return kernel.sgdStep(d, true, w, wStar, x, batch, (float) ETA, scratch);
        }
    }

    /** Population loss + gradient at a fixed random problem. */
    static final class Population {
        final Kernel kernel;
        final int d;
        final double[] w;
        final double[] wStar;
        final double[] grad;

        Population(Kernel kernel, int d) {
            this.kernel = kernel;
            this.d = d;
            Problem p = Problem.random(d, GAMMA, SEED, true);
            this.w = p.w0();
            this.wStar = p.wStar();
            this.grad = new double[d * d];
        }

        double evaluate() {
            return kernel.populationLossAndGradient(d, true, w, wStar, grad);
        }
    }

    /**
     * Runs {@code steps} steps of scalar and vector double SGD from the same state and throws unless
     * weights and losses agree bit for bit (the contract of ScalarKernel); used by every @Setup.
     */
    static void checkDoubleAgreement(int d, int batch, int steps) {
        DoubleSgd s = new DoubleSgd(kernel("scalar"), d, batch);
        DoubleSgd v = new DoubleSgd(kernel("auto"), d, batch);
        for (int i = 0; i < steps; i++) {
            double ls = s.step();
            double lv = v.step();
            if (Double.doubleToRawLongBits(ls) != Double.doubleToRawLongBits(lv) || !Arrays.equals(s.w, v.w)) {
                throw new IllegalStateException("scalar and " + v.kernel.name() + " double kernels disagree at step "
                        + i + " (d=" + d + ", B=" + batch + "): loss " + ls + " vs " + lv);
            }
        }
    }

    static void checkFloatAgreement(int d, int batch, int steps) {
        FloatSgd s = new FloatSgd(floatKernel("scalar"), d, batch);
        FloatSgd v = new FloatSgd(floatKernel("auto"), d, batch);
        for (int i = 0; i < steps; i++) {
            float ls = s.step();
            float lv = v.step();
            if (Float.floatToRawIntBits(ls) != Float.floatToRawIntBits(lv) || !Arrays.equals(s.w, v.w)) {
                throw new IllegalStateException("scalar and " + v.kernel.name() + " float kernels disagree at step "
                        + i + " (d=" + d + ", B=" + batch + "): loss " + ls + " vs " + lv);
            }
        }
    }

    static void checkPopulationAgreement(int d) {
        Population s = new Population(kernel("scalar"), d);
        Population v = new Population(kernel("auto"), d);
        double ls = s.evaluate();
        double lv = v.evaluate();
        if (Double.doubleToRawLongBits(ls) != Double.doubleToRawLongBits(lv) || !Arrays.equals(s.grad, v.grad)) {
            throw new IllegalStateException("scalar and " + v.kernel.name() + " population disagree (d=" + d + ")");
        }
    }
}
