package io.idrelu.kit;

import io.idrelu.kernel.FloatKernel;
import io.idrelu.kernel.Kernel;
import io.idrelu.kernel.ScalarFloatKernel;
import io.idrelu.kernel.ScalarKernel;

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
