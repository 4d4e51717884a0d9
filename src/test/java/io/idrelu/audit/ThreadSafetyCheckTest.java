package io.idrelu.audit;

import io.idrelu.audit.ConformanceBattery.Check;
import io.idrelu.kernel.ScalarFloatKernel;
import io.idrelu.kernel.ScalarKernel;
import io.idrelu.kitmiss.StaticScratchFloatKernel;
import io.idrelu.kitmiss.StaticScratchKernel;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The thread-safety case of the battery (issue 12): a static scratch buffer in {@code lossAndGradient}, with no
 * sleep to widen the race, must be caught every time (20 runs in a row; the former check caught it in 2 of 20),
 * and a correct kernel must never be flagged (20 runs).
 */
class ThreadSafetyCheckTest {
    static final String CASE = "thread safety d=13";

    static Check run(io.idrelu.kernel.Kernel k, io.idrelu.kernel.FloatKernel fk) {
        return ConformanceBatteryTest.only(k, fk, CASE);
    }

    @Test
    void aStaticScratchBufferIsCaughtInTwentyRunsOutOfTwenty() {
        List<String> missed = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Check c = run(new StaticScratchKernel(), null);
            if (c.passed()) {
                missed.add("run " + i + ": " + c.message());
            } else {
                assertThat(c.message()).startsWith("concurrent calls to lossAndGradient on one instance differ from the "
                        + "single-threaded reference").contains("overlapped calls): ").contains(", concurrent ");
            }
        }
        assertThat(missed).as("runs that missed the static scratch buffer").isEmpty();
    }

    @Test
    void theFloatKernelsMethodsAreHammeredToo() {
        for (int i = 0; i < 5; i++) {
            Check c = run(null, new StaticScratchFloatKernel());
            assertThat(c.passed()).as("run %d: %s", i, c.message()).isFalse();
            assertThat(c.precision()).isEqualTo("float");
            assertThat(c.message()).contains("lossAndGradient");
        }
    }

    /**
     * 20 runs of the check's machinery on our scalar kernel's {@code lossAndGradient} (the method the fixture breaks;
     * the whole case on five methods runs in {@link ConformanceBatteryTest} and the kit's positive control), then the
     * whole case once per precision.
     */
    @Test
    void aCorrectKernelIsNeverFlagged() {
        List<ThreadSafetyCheck.Method> lossAndGradient = methods(new ConformanceBattery.DoubleTarget(new ScalarKernel()))
                .stream().filter(m -> m.name().equals("lossAndGradient")).toList();
        for (int i = 0; i < 20; i++) {
            ThreadSafetyCheck.Outcome o = ThreadSafetyCheck.run(lossAndGradient);
            assertThat(o.passed()).as("run %d: %s", i, o.message()).isTrue();
            assertThat(o.minOverlapped()).as("run %d: calls overlapped", i).isPositive();
        }
        Check c = run(new ScalarKernel(), null);
        assertThat(c.passed()).as(c.message()).isTrue();
        assertThat(c.message()).contains("16 threads per method").contains("lossAndGradient, sgdStep, preActivations, "
                + "forward, populationLossAndGradient").contains("bit-identical to the single-threaded reference");
        Check f = run(null, new ScalarFloatKernel());
        assertThat(f.passed()).as(f.message()).isTrue();
    }

    /** The battery's inputs of the case (d = 13, batches of 7 and 256 rows). */
    static List<ThreadSafetyCheck.Method> methods(ConformanceBattery.Target t) {
        int d = 13;
        long seed = ConformanceBatteryTest.seed(500);
        io.idrelu.model.Problem pr = Auditor.quickProblem(d, 0.5, seed, true);
        double[][] xs = new double[ThreadSafetyCheck.INPUTS][];
        int[] batches = new int[xs.length];
        for (int i = 0; i < xs.length; i++) {
            batches[i] = i % 2 == 0 ? 7 : ConformanceBattery.THREAD_SAFETY_LONG_BATCH;
            xs[i] = io.idrelu.model.GaussianSampler.forTrial(seed, i).batch(batches[i], d);
        }
        return t.methods(d, true, pr.w0(), pr.wStar(), xs, batches);
    }

    @Test
    void theRunLengthFollowsCoverage() {
        long ms = 1_000_000;
        // minimum calls and time first, whatever the overlaps
        assertThat(ThreadSafetyCheck.more(1, 100 * ms, 1_000)).isTrue();
        assertThat(ThreadSafetyCheck.more(10, 19 * ms, 1_000)).isTrue();
        // then until enough overlapped calls...
        assertThat(ThreadSafetyCheck.more(10, 30 * ms, ThreadSafetyCheck.OVERLAPPED_CALLS - 1)).isTrue();
        assertThat(ThreadSafetyCheck.more(10, 30 * ms, ThreadSafetyCheck.OVERLAPPED_CALLS)).isFalse();
        // ...but never past the cap
        assertThat(ThreadSafetyCheck.more(10, 500 * ms, 0)).isFalse();
    }

    @Test
    void theFirstDifferenceNamesThePartAndBothValues() {
        List<ThreadSafetyCheck.Part> parts = List.of(new ThreadSafetyCheck.Part("residuals", 2),
                new ThreadSafetyCheck.Part("loss", 1));
        assertThat(ThreadSafetyCheck.firstDifference(parts, new double[] {1, 2, 3}, new double[] {1, 2, 3})).isNull();
        assertThat(ThreadSafetyCheck.firstDifference(parts, new double[] {1, 2, 3}, new double[] {1, 2.5, 3}))
                .isEqualTo("residuals[1]: reference 2.0, concurrent 2.5");
        assertThat(ThreadSafetyCheck.firstDifference(parts, new double[] {1, 2, 3}, new double[] {1, 2, -3}))
                .isEqualTo("loss: reference 3.0, concurrent -3.0");
        // bit for bit: -0.0 is not 0.0
        assertThat(ThreadSafetyCheck.firstDifference(parts, new double[] {0.0, 2, 3}, new double[] {-0.0, 2, 3}))
                .isNotNull();
    }
}
