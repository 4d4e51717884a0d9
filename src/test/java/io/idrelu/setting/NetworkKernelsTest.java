package io.idrelu.setting;

import io.idrelu.kernel.KernelProvider;
import io.idrelu.kernel.KernelUnavailableException;
import io.idrelu.kernel.ScalarKernel;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Selection of the generic setting kernel in both JVM set-ups ({@code mvn verify} and {@code mvn verify -Pscalar}). */
class NetworkKernelsTest {
    @Test
    void scalarIsAlwaysScalar() {
        assertThat(NetworkKernels.of(KernelProvider.Choice.SCALAR).name()).isEqualTo("scalar");
        assertThat(NetworkKernels.matching(new ScalarKernel()).name()).isEqualTo("scalar");
    }

    @Test
    void availabilityFollowsTheFusedKernels() {
        boolean module = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
        assertThat(NetworkKernels.vectorAvailable()).isEqualTo(module).isEqualTo(KernelProvider.vectorAvailable());
        if (module) {
            assertThat(NetworkKernels.unavailableReason()).isNull();
            assertThat(NetworkKernels.of(KernelProvider.Choice.AUTO).name()).isEqualTo("vector");
            assertThat(NetworkKernels.of(KernelProvider.Choice.VECTOR).name()).isEqualTo("vector");
            // --kernel picks both: the fused vector kernel brings the generic vector kernel
            assertThat(NetworkKernels.matching(KernelProvider.doubleKernel(KernelProvider.Choice.VECTOR)).name())
                    .isEqualTo("vector");
        } else {
            assertThat(NetworkKernels.unavailableReason()).contains("--add-modules=jdk.incubator.vector");
            assertThat(NetworkKernels.of(KernelProvider.Choice.AUTO).name()).isEqualTo("scalar");
            assertThatThrownBy(() -> NetworkKernels.of(KernelProvider.Choice.VECTOR))
                    .isInstanceOf(KernelUnavailableException.class)
                    .hasMessageContaining("--kernel vector").hasMessageContaining("--add-modules=jdk.incubator.vector");
        }
    }
}
