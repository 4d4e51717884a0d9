package com.example.kernels;

import io.idrelu.kernel.Kernel;
import io.idrelu.kit.KernelConformanceTest;

/** The whole idrelu conformance battery on our naive kernel (double path; no float kernel here). */
class NaiveKernelConformanceTest extends KernelConformanceTest {
    @Override
    protected Kernel kernel() {
        return new NaiveKernel();
    }
}
