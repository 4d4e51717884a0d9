package io.idrelu.kernel;

import io.idrelu.kit.KernelConformanceTest;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;

/** The kit on our Vector API kernels (deep tier: they are bit-identical to the scalar ones, VectorAgreementTest, so the
 * fast tier runs the kit on ScalarKernel only; skipped when jdk.incubator.vector is not enabled, e.g. -Pscalar). */
@org.junit.jupiter.api.Tag("deep")
class VectorKernelConformanceTest extends KernelConformanceTest {
    @BeforeAll
    static void needsVector() {
        Assumptions.assumeTrue(KernelProvider.vectorAvailable(), KernelProvider.unavailableReason());
    }

    @Override
    protected Kernel kernel() {
        return KernelProvider.doubleKernel(KernelProvider.Choice.VECTOR);
    }

    @Override
    protected FloatKernel floatKernel() {
        return KernelProvider.floatKernel(KernelProvider.Choice.VECTOR);
    }
}
