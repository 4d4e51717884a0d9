package io.idrelu.claims;

import io.idrelu.kernel.Kernel;
import io.idrelu.kernel.KernelProvider;

/** Test-only: the kernel and closed form the claim tests run on. */
final class Deps {
    private Deps() { }

    static Kernel kernel() {
        try {
            return KernelProvider.doubleKernel(KernelProvider.Choice.SCALAR);
        } catch (UnsupportedOperationException notYet) {
            return new TestOnlyDoubleKernel();
        }
    }

    static ClosedForm closedForm(int digits) {
        ClosedForm ref = ClosedForm.reference(digits);
        try {
            ref.loss(true, new java.math.BigDecimal[][] {{java.math.BigDecimal.ZERO}},
                    new java.math.BigDecimal[][] {{java.math.BigDecimal.ZERO}});
            return ref;
        } catch (UnsupportedOperationException notYet) {
            return new TestOnlyClosedForm(digits);
        }
    }

    static ClaimContext context(long seed, Preset preset) {
        return ClaimContext.of(kernel(), null, seed, preset);
    }
}
