package io.idrelu.claims;

import io.idrelu.kernel.Kernel;
import io.idrelu.kernel.KernelProvider;

/** Test-only: the kernel and closed form the claim tests run on (the real ones). */
final class Deps {
    private Deps() { }

    static Kernel kernel() {
        return KernelProvider.doubleKernel(KernelProvider.Choice.SCALAR);
    }

    static ClosedForm closedForm(int digits) {
        return ClosedForm.reference(digits);
    }

    static ClaimContext context(long seed, Preset preset) {
        return ClaimContext.of(kernel(), null, seed, preset);
    }
}
