package io.idrelu.kernel;

/**
 * Picks the kernel implementation (Lucene's VectorizationProvider pattern): the Vector API kernel is
 * loaded reflectively from {@code io.idrelu.kernel.vector} when {@code jdk.incubator.vector} is
 * readable; otherwise {@code auto} falls back to scalar with one stderr line saying why and how to
 * enable it, and an explicit {@code vector} request fails with {@link KernelUnavailableException}.
 */
public final class KernelProvider {
    private KernelProvider() { }

    /** What the user asked for ({@code --kernel auto|scalar|vector}). */
    public enum Choice { AUTO, SCALAR, VECTOR }

    public static Kernel doubleKernel(Choice choice) {
        throw new UnsupportedOperationException("TODO kernel helper");
    }

    public static FloatKernel floatKernel(Choice choice) {
        throw new UnsupportedOperationException("TODO kernel helper");
    }

    /** Whether the vector kernels can be used in this JVM. */
    public static boolean vectorAvailable() {
        throw new UnsupportedOperationException("TODO kernel helper");
    }

    /** Why the vector kernels cannot be used, with the fix; {@code null} when they can. */
    public static String unavailableReason() {
        throw new UnsupportedOperationException("TODO kernel helper");
    }
}
