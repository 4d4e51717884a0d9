package io.idrelu.kernel;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Picks the kernel implementation (Lucene's VectorizationProvider pattern): the Vector API kernel is
 * loaded reflectively from {@code io.idrelu.kernel.vector} when {@code jdk.incubator.vector} is
 * readable; otherwise {@code auto} falls back to scalar with one stderr line saying why and how to
 * enable it, and an explicit {@code vector} request fails with {@link KernelUnavailableException}.
 *
 * <p>Nothing in this class names a {@code jdk.incubator.vector} type, so it loads and runs without
 * the module; the vector classes are touched only through reflection after the module check.
 */
public final class KernelProvider {
    private KernelProvider() { }

    /** What the user asked for ({@code --kernel auto|scalar|vector}). */
    public enum Choice { AUTO, SCALAR, VECTOR }

    static final String MODULE = "jdk.incubator.vector";
    static final String FIX = "run java with --add-modules=" + MODULE + " to enable the vector kernel";
    private static final String VECTOR_DOUBLE = "io.idrelu.kernel.vector.VectorKernel";
    private static final String VECTOR_FLOAT = "io.idrelu.kernel.vector.VectorFloatKernel";

    private static final AtomicBoolean WARNED = new AtomicBoolean();

    /** Loaded once: the two vector kernels, or the reason they cannot be used. */
    private static final class Holder {
        static final Kernel DOUBLE;
        static final FloatKernel FLOAT;
        static final String SPECIES;
        static final String REASON;

        static {
            Kernel dk = null;
            FloatKernel fk = null;
            String species = null;
            String reason;
            if (ModuleLayer.boot().findModule(MODULE).isEmpty()) {
                reason = "module " + MODULE + " is not in the boot layer; " + FIX;
            } else {
                try {
                    Class<?> dc = Class.forName(VECTOR_DOUBLE);
                    Class<?> fc = Class.forName(VECTOR_FLOAT);
                    dk = (Kernel) dc.getConstructor().newInstance();
                    fk = (FloatKernel) fc.getConstructor().newInstance();
                    species = dc.getMethod("speciesDescription").invoke(null) + "; "
                            + fc.getMethod("speciesDescription").invoke(null);
                    reason = null;
                } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
                    dk = null;
                    fk = null;
                    reason = "loading the vector kernel failed (" + e + "); " + FIX;
                }
            }
            DOUBLE = dk;
            FLOAT = fk;
            SPECIES = species;
            REASON = reason;
        }
    }

    public static Kernel doubleKernel(Choice choice) {
        switch (choice) {
            case SCALAR: return new ScalarKernel();
            case VECTOR: requireVector(); return Holder.DOUBLE;
            default: return vectorAvailable() ? Holder.DOUBLE : fallback(new ScalarKernel());
        }
    }

    public static FloatKernel floatKernel(Choice choice) {
        switch (choice) {
            case SCALAR: return new ScalarFloatKernel();
            case VECTOR: requireVector(); return Holder.FLOAT;
            default: return vectorAvailable() ? Holder.FLOAT : fallback(new ScalarFloatKernel());
        }
    }

    /** Whether the vector kernels can be used in this JVM. */
    public static boolean vectorAvailable() {
        return Holder.REASON == null;
    }

    /** Why the vector kernels cannot be used, with the fix; {@code null} when they can. */
    public static String unavailableReason() {
        return Holder.REASON;
    }

    /**
     * The preferred species for reports, e.g. {@code DoubleVector 256-bit, 4 lanes; FloatVector
     * 256-bit, 8 lanes}, or {@code "unavailable: <reason>"}.
     */
    public static String speciesDescription() {
        return vectorAvailable() ? Holder.SPECIES : "unavailable: " + Holder.REASON;
    }

    /** The one stderr line of an AUTO fallback (without printing it); {@code null} when not falling back. */
    public static String fallbackMessage() {
        return vectorAvailable() ? null : "idrelu: using the scalar kernel: " + Holder.REASON;
    }

    private static void requireVector() {
        if (!vectorAvailable()) {
            throw new KernelUnavailableException("--kernel vector cannot be honoured: " + Holder.REASON);
        }
    }

    private static <K> K fallback(K scalar) {
        if (WARNED.compareAndSet(false, true)) {
            System.err.println(fallbackMessage());
        }
        return scalar;
    }
}
