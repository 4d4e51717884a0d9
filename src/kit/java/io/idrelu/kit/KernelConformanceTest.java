package io.idrelu.kit;

import io.idrelu.audit.AngleModel;
import io.idrelu.audit.ConformanceBattery;
import io.idrelu.kernel.FloatKernel;
import io.idrelu.kernel.Kernel;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Conformance kit for your own {@link Kernel} / {@link FloatKernel} (claims A1-A3 of idrelu's MATH.md section 4):
 * extend this class in your test sources, return your kernel, run your tests. Each check of
 * {@link ConformanceBattery} becomes one dynamic test named after the case (e.g. {@code A1 batch d=7 identity});
 * a failure message names the worst element, the kernel's and the exact value, the bound and the replay line
 * ({@code d}, seed, size). Your kernel need not be bit-identical to idrelu's: it must stay within the derived
 * a-priori bounds, which hold for any summation order (docs/KIT.md).
 *
 * <pre>{@code
 * class MyKernelConformanceTest extends KernelConformanceTest {
 *     @Override protected Kernel kernel() { return new MyKernel(); }
 *     @Override protected FloatKernel floatKernel() { return new MyFloatKernel(); } // optional
 * }
 * }</pre>
 *
 * <p>The cases (README, "What the battery checks"): A1 batch agreement at {@code d = 1, 3, 7, 13, 100} with near-kink
 * rows and at {@code d = 7, 67} with batches of 1, 2 and 3 rows (online SGD uses one sample; every A1 case also checks
 * that a second call into the same, dirty outputs gives the same bits), A2 population agreement, A3 trajectories
 * (also with batches of 1, 2, 3), determinism, thread safety (each method hammered by many threads started at a
 * barrier, bit for bit against a single-threaded reference) and convergence.
 *
 * <p>Shipped as the {@code kit} classifier jar of {@code io.idrelu:idrelu}, so JUnit is not a dependency of the
 * main jar: depend on it with test scope together with {@code org.junit.jupiter:junit-jupiter}.
 */
public abstract class KernelConformanceTest {

    /** The double-precision kernel under test (a fresh or shared instance; must not be null). */
    protected abstract Kernel kernel();

    /** The float kernel under test, or {@code null} (the default) to skip the float path. */
    protected FloatKernel floatKernel() {
        return null;
    }

    /**
     * The angle method of your {@code populationLossAndGradient} (the A2 bound follows it). Default
     * {@link AngleModel#GRAM_KAHAN}, which is what you get by delegating to {@code io.idrelu.kernel.PopulationClosedForm}
     * (Gram-matrix angles where {@code sin theta >= 1/2}, Kahan's formula elsewhere; its bound contains Kahan's, so a
     * pure-Kahan closed form passes too; return {@link AngleModel#KAHAN} for its tighter bound).
     */
    protected AngleModel angleModel() {
        return AngleModel.GRAM_KAHAN;
    }

    /** Base seed of the battery; a failure's replay line names the case seed. */
    protected long seed() {
        return ConformanceBattery.DEFAULT_SEED;
    }

    @TestFactory
    Stream<DynamicTest> doublePath() {
        Kernel k = Objects.requireNonNull(kernel(), "kernel() returned null");
        return tests(ConformanceBattery.plan(k, null, options()));
    }

    @TestFactory
    Stream<DynamicTest> floatPath() {
        FloatKernel fk = floatKernel();
        Assumptions.assumeTrue(fk != null, "floatKernel() returned null: float path skipped");
        return tests(ConformanceBattery.plan(null, fk, options()));
    }

    private ConformanceBattery.Options options() {
        return new ConformanceBattery.Options(seed(), angleModel());
    }

    private static Stream<DynamicTest> tests(List<ConformanceBattery.Case> cases) {
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.name() + " [" + c.precision() + "]", () -> {
            ConformanceBattery.Check r = c.run();
            if (!r.passed()) {
                fail(r.describe());
            }
        }));
    }
}
