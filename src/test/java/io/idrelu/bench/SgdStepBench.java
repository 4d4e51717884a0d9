package io.idrelu.bench;

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
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.util.concurrent.TimeUnit;

/**
 * One online-SGD step ([LY17] Theorem 3.1, MATH.md section 1): draw a fresh Gaussian batch of
 * {@code B*d} normals, then the kernel's fused {@code sgdStep} (teacher and student forward,
 * residuals, coefficients, gradient {@code X^T M}, update). The sampling is inside the measured step,
 * as on the numpy side of {@code benchmarks/compare.sh}. Effective rate: {@code 6 B d^2} flops per step.
 *
 * <p>How to run: {@code benchmarks/run-jmh.sh SgdStepBench} (all parameters), or e.g.
 * {@code benchmarks/run-jmh.sh SgdStepBench -p kernel=vector -p d=256 -p batch=256 -p precision=double}.
 * Profilers: append {@code -prof gc} (allocation per step; the loop must allocate nothing) or
 * {@code -prof stack}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx1g"})
public class SgdStepBench {
    @Param({"scalar", "vector"})
    public String kernel;

    @Param({"double", "float"})
    public String precision;

    @Param({"64", "128", "256"})
    public int d;

    @Param({"1", "256"})
    public int batch;

    private Workload.DoubleSgd doubleSgd;
    private Workload.FloatSgd floatSgd;

    @Setup(Level.Trial)
    public void setUp() {
        // Bit-identity of scalar and vector steps is the contract; refuse to time a kernel that breaks it.
        if (precision.equals("double")) {
            Workload.checkDoubleAgreement(d, batch, 3);
            doubleSgd = new Workload.DoubleSgd(Workload.kernel(kernel), d, batch);
        } else {
            Workload.checkFloatAgreement(d, batch, 3);
            floatSgd = new Workload.FloatSgd(Workload.floatKernel(kernel), d, batch);
        }
    }

    @Benchmark
    public void step(Blackhole bh) {
        if (doubleSgd != null) {
            bh.consume(doubleSgd.step());
        } else {
            bh.consume(floatSgd.step());
        }
    }
}
