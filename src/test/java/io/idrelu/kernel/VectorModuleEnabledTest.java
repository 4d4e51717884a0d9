package io.idrelu.kernel;

import io.idrelu.setting.NetworkKernels;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Vector-only tests skip without the Vector API (the {@code -Pscalar} profile). This guard makes sure a skip can
 * only mean that: when the test JVM was given {@code --add-modules=jdk.incubator.vector} (the default build), both
 * vector kernels (the fused [LY17] one and the generic setting one) must load, so their agreement tests really run.
 */
class VectorModuleEnabledTest {

    @Test
    void theDefaultBuildLoadsBothVectorKernels() {
        boolean asked = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .anyMatch(a -> a.equals("--add-modules=jdk.incubator.vector"));
        assumeTrue(asked, "the test JVM runs without the Vector API (-Pscalar)");
        assertThat(KernelProvider.vectorAvailable()).as("fused kernel: %s", KernelProvider.unavailableReason()).isTrue();
        assertThat(NetworkKernels.vectorAvailable()).as("setting kernel: %s", NetworkKernels.unavailableReason()).isTrue();
    }
}
