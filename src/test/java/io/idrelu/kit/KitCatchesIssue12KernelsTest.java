package io.idrelu.kit;

import io.idrelu.kernel.Kernel;
import io.idrelu.kernel.ScalarKernel;
import io.idrelu.kitmiss.HalfGradientAtBatchOneKernel;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JUnit kit itself (what a kernel author runs) fails on the batch-1 fixture of issue 12: its dynamic tests for
 * the batch-1 cases throw, and pass for our scalar kernel. Only the small-batch tests are executed (cheap).
 */
class KitCatchesIssue12KernelsTest {
    static List<String> failingSmallBatchTests(Kernel k) throws Throwable {
        KernelConformanceTest kit = new KernelConformanceTest() {
            @Override protected Kernel kernel() { return k; }
        };
        List<String> failed = new ArrayList<>();
        List<DynamicTest> tests = kit.doublePath().filter(t -> t.getDisplayName().contains(" B=")).toList();
        assertThat(tests).hasSize(9);
        for (DynamicTest t : tests) {
            try {
                t.getExecutable().execute();
            } catch (AssertionError e) {
                failed.add(t.getDisplayName());
                assertThat(e.getMessage()).startsWith("FAIL " + t.getDisplayName().replace(" [double]", ""));
            }
        }
        return failed;
    }

    @Test
    void theKitFailsTheBatchOneCasesOfTheHalfGradientKernel() throws Throwable {
        assertThat(failingSmallBatchTests(new HalfGradientAtBatchOneKernel())).containsExactly(
                "A1 batch d=7 B=1 identity [double]", "A1 batch d=67 B=1 identity [double]", "A3 trajectory d=3 B=1 [double]");
        assertThat(failingSmallBatchTests(new ScalarKernel())).isEmpty();
    }
}
