package io.idrelu.kernel;

import io.idrelu.kit.KernelConformanceTest;

/** The kit on our own scalar kernels, both precisions: every check must pass (the kit's positive control). */
class ScalarKernelConformanceTest extends KernelConformanceTest {
    @Override
    protected Kernel kernel() {
        return new ScalarKernel();
    }

    @Override
    protected FloatKernel floatKernel() {
        return new ScalarFloatKernel();
    }
}
