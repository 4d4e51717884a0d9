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
 * Closed-form population loss and gradient (MATH.md section 2, [LY17] section 2) in double, the
 * {@code O(d^3)} Kahan-angle form of {@code io.idrelu.kernel.PopulationClosedForm}.
 *
 * <p>How to run: {@code benchmarks/run-jmh.sh PopulationBench} or
 * {@code benchmarks/run-jmh.sh PopulationBench -p d=256 -p kernel=vector}; {@code -prof stack} shows the
 * split between the Kahan rows and the StrictMath transcendentals.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx1g"})
public class PopulationBench {
    @Param({"scalar", "vector"})
    public String kernel;

    @Param({"32", "64", "128", "256"})
    public int d;

    private Workload.Population population;

    @Setup(Level.Trial)
    public void setUp() {
        Workload.checkPopulationAgreement(d);
        population = new Workload.Population(Workload.kernel(kernel), d);
    }

    @Benchmark
    public void lossAndGradient(Blackhole bh) {
        bh.consume(population.evaluate());
        bh.consume(population.grad);
    }
}
