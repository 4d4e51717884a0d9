package com.example.kernels;

import io.idrelu.kernel.Kernel;
import io.idrelu.kit.KernelConformanceTest;

/**
 * The battery on the blocked kernel, which has a tail bug: this test FAILS, on purpose. It is excluded from the
 * default build (pom.xml); run it with {@code mvn test -Dtest=BlockedKernelConformanceTest} to see the messages.
 */
class BlockedKernelConformanceTest extends KernelConformanceTest {
    @Override
    protected Kernel kernel() {
        return new BlockedKernel();
    }
}
