package io.idrelu.bench;

import io.idrelu.kernel.FloatKernel;
import io.idrelu.kernel.Kernel;
import io.idrelu.kernel.KernelProvider;
import io.idrelu.kernel.Parallel;
import io.idrelu.model.Problem;
import io.idrelu.sgd.OnlineSgd;
import io.idrelu.sgd.OnlineSgdFloat;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * One step of a trajectory as {@code idrelu train} runs it ({@link OnlineSgd} / {@link OnlineSgdFloat}: sampling
 * inside the step; [LY17] Theorem 3.1): {@code variant = fused} is the default path (at batch 1 the fused online step
 * of {@code OnlineFusion}, W read and written once per step), {@code unfused} the plain kernel step (the same kernel
 * hidden behind a wrapper without the fused capability), {@code threads2} the multi-core step on two threads.
 * {@code @Setup} runs all three variants for a few steps from the same problem and refuses to measure unless their
 * weights agree bit for bit.
 *
 * <p>Run: {@code benchmarks/run-jmh.sh TrajectoryBench -p d=256 -p batch=1}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx1g"})
public class TrajectoryBench {
    @Param({"fused", "unfused", "threads2"})
    public String variant;

    @Param({"double", "float"})
    public String precision;

    @Param({"100", "256"})
    public int d;

    @Param({"1", "200", "256"})
    public int batch;

    private Parallel parallel;
    private OnlineSgd sgd;
    private OnlineSgdFloat sgdFloat;

    @Setup(Level.Trial)
    public void setUp() {
        Problem p = Problem.random(d, Workload.GAMMA, Workload.SEED, true);
        int check = batch == 1 ? 130 : 3;   // batch 1: cross two blocks of drawn-ahead samples
        if (precision.equals("double")) {
            double[] ref = null;
            for (String v : new String[] {"fused", "unfused", "threads2"}) {
                try (Parallel par = new Parallel(v.equals("threads2") ? 2 : 1)) {
                    OnlineSgd s = new OnlineSgd(kernel(v), p, batch, Workload.ETA, 1, par);
                    s.run(check, null);
                    if (ref == null) {
                        ref = s.weights();
                    } else if (!Arrays.equals(ref, s.weights())) {
                        throw new IllegalStateException(v + " disagrees with fused at d=" + d + " B=" + batch);
                    }
                }
            }
        } else {
            float[] ref = null;
            for (String v : new String[] {"fused", "unfused", "threads2"}) {
                try (Parallel par = new Parallel(v.equals("threads2") ? 2 : 1)) {
                    OnlineSgdFloat s = new OnlineSgdFloat(floatKernel(v), p, batch, Workload.ETA, 1, par);
                    s.run(check, null);
                    if (ref == null) {
                        ref = s.weights();
                    } else if (!Arrays.equals(ref, s.weights())) {
                        throw new IllegalStateException(v + " disagrees with fused at d=" + d + " B=" + batch);
                    }
                }
            }
        }
        parallel = new Parallel(variant.equals("threads2") ? 2 : 1);
        if (precision.equals("double")) {
            sgd = new OnlineSgd(kernel(variant), p, batch, Workload.ETA, 1, parallel);
        } else {
            sgdFloat = new OnlineSgdFloat(floatKernel(variant), p, batch, Workload.ETA, 1, parallel);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        parallel.close();
    }

    private static Kernel kernel(String variant) {
        Kernel k = KernelProvider.doubleKernel(KernelProvider.Choice.VECTOR);
        return variant.equals("unfused") ? new Plain(k) : k;
    }

    private static FloatKernel floatKernel(String variant) {
        FloatKernel k = KernelProvider.floatKernel(KernelProvider.Choice.VECTOR);
        return variant.equals("unfused") ? new PlainFloat(k) : k;
    }

    @Benchmark
    public int step() {
        return sgd != null ? sgd.run(1, null) : sgdFloat.run(1, null);
    }

    /** The kernel without its fused batch-1 capability. */
    private record Plain(Kernel k) implements Kernel {
        @Override public String name() { return k.name(); }
        @Override public void preActivations(int d, boolean id, double[] w, double[] x, int b, double[] h) { k.preActivations(d, id, w, x, b, h); }
        @Override public void forward(int d, boolean id, double[] w, double[] x, int b, double[] out) { k.forward(d, id, w, x, b, out); }
        @Override public double lossAndGradient(int d, boolean id, double[] w, double[] ws, double[] x, int b, double[] r, double[] g) {
            return k.lossAndGradient(d, id, w, ws, x, b, r, g);
        }
        @Override public double sgdStep(int d, boolean id, double[] w, double[] ws, double[] x, int b, double eta, Scratch s) {
            return k.sgdStep(d, id, w, ws, x, b, eta, s);
        }
        @Override public Scratch newScratch(int d, int b) { return k.newScratch(d, b); }
        @Override public Scratch newScratch(int d, int b, Parallel p) { return k.newScratch(d, b, p); }
        @Override public double populationLossAndGradient(int d, boolean id, double[] w, double[] ws, double[] g) {
            return k.populationLossAndGradient(d, id, w, ws, g);
        }
    }

    private record PlainFloat(FloatKernel k) implements FloatKernel {
        @Override public String name() { return k.name(); }
        @Override public void preActivations(int d, boolean id, float[] w, float[] x, int b, float[] h) { k.preActivations(d, id, w, x, b, h); }
        @Override public void forward(int d, boolean id, float[] w, float[] x, int b, float[] out) { k.forward(d, id, w, x, b, out); }
        @Override public float lossAndGradient(int d, boolean id, float[] w, float[] ws, float[] x, int b, float[] r, float[] g) {
            return k.lossAndGradient(d, id, w, ws, x, b, r, g);
        }
        @Override public float sgdStep(int d, boolean id, float[] w, float[] ws, float[] x, int b, float eta, Scratch s) {
            return k.sgdStep(d, id, w, ws, x, b, eta, s);
        }
        @Override public Scratch newScratch(int d, int b) { return k.newScratch(d, b); }
        @Override public Scratch newScratch(int d, int b, Parallel p) { return k.newScratch(d, b, p); }
        @Override public float populationLossAndGradient(int d, boolean id, float[] w, float[] ws, float[] g) {
            return k.populationLossAndGradient(d, id, w, ws, g);
        }
    }
}
