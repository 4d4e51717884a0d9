package io.idrelu.bench;

import io.idrelu.model.Matrices;
import io.idrelu.model.Problem;
import io.idrelu.reference.PopulationReference;
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

import java.math.BigDecimal;
import java.util.concurrent.TimeUnit;

/**
 * The exact-arithmetic reference: {@link PopulationReference#evaluate} (loss and gradient, MATH.md section 2)
 * at {@code digits} significant digits; the numpy side of {@code benchmarks/compare.sh} runs the same
 * closed form in mpmath at {@code mp.dps = 50}, {@code d = 16}.
 *
 * <p>How to run: {@code benchmarks/run-jmh.sh ReferenceBench} or
 * {@code benchmarks/run-jmh.sh ReferenceBench -p d=16 -p digits=50}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
public class ReferenceBench {
    @Param({"4", "8", "16"})
    public int d;

    @Param({"50"})
    public int digits;

    private PopulationReference reference;
    private BigDecimal[][] w;
    private BigDecimal[][] wStar;

    @Setup(Level.Trial)
    public void setUp() {
        Problem p = Problem.random(d, Workload.GAMMA, Workload.SEED, true);
        w = Matrices.exact(p.w0(), d);
        wStar = Matrices.exact(p.wStar(), d);
        reference = new PopulationReference(digits);
        // Agreement check: the reference loss must match the double closed form to double accuracy
        // (relative 1e-9 is far looser than the reference's 10^-digits and the double form's
        // O(d eps) and far tighter than any wrong formula).
        double exact = reference.loss(true, w, wStar).doubleValue();
        double fast = new io.idrelu.kernel.ScalarKernel().populationLossAndGradient(d, true, p.w0(), p.wStar(), null);
        if (!(Math.abs(exact - fast) <= 1e-9 * Math.abs(exact))) {
            throw new IllegalStateException("reference loss " + exact + " != double closed form " + fast + " at d=" + d);
        }
    }

    @Benchmark
    public void lossAndGradient(Blackhole bh) {
        // evaluate = loss and gradient (and the potential) sharing one set of pair angles.
        bh.consume(reference.evaluate(true, w, wStar));
    }
}
