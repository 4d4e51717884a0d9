package io.idrelu.kernel;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Provider behaviour in both JVM set-ups ({@code mvn verify} and {@code mvn verify -Pscalar}). */
class KernelProviderTest {
    @Test
    void scalarIsAlwaysScalar() {
        assertThat(KernelProvider.doubleKernel(KernelProvider.Choice.SCALAR).name()).isEqualTo("scalar");
        assertThat(KernelProvider.floatKernel(KernelProvider.Choice.SCALAR).name()).isEqualTo("scalar");
    }

    @Test
    void availabilityFollowsTheBootLayer() {
        boolean module = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
        assertThat(KernelProvider.vectorAvailable()).isEqualTo(module);
        if (module) {
            assertThat(KernelProvider.unavailableReason()).isNull();
            assertThat(KernelProvider.speciesDescription()).contains("DoubleVector").contains("lanes");
            assertThat(KernelProvider.doubleKernel(KernelProvider.Choice.AUTO).name()).isEqualTo("vector");
            assertThat(KernelProvider.floatKernel(KernelProvider.Choice.VECTOR).name()).isEqualTo("vector");
            assertThat(KernelProvider.fallbackMessage()).isNull();
        } else {
            assertThat(KernelProvider.unavailableReason()).contains("--add-modules=jdk.incubator.vector");
            assertThat(KernelProvider.doubleKernel(KernelProvider.Choice.AUTO).name()).isEqualTo("scalar");
            assertThat(KernelProvider.floatKernel(KernelProvider.Choice.AUTO).name()).isEqualTo("scalar");
            assertThat(KernelProvider.fallbackMessage()).doesNotContain("\n").contains("--add-modules=jdk.incubator.vector");
            assertThatThrownBy(() -> KernelProvider.doubleKernel(KernelProvider.Choice.VECTOR))
                    .isInstanceOf(KernelUnavailableException.class).hasMessageContaining("--add-modules=jdk.incubator.vector");
            assertThatThrownBy(() -> KernelProvider.floatKernel(KernelProvider.Choice.VECTOR))
                    .isInstanceOf(KernelUnavailableException.class);
        }
    }
}
