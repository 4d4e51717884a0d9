package io.idrelu.setting;

import io.idrelu.kernel.Kernel;
import io.idrelu.kernel.KernelProvider;
import io.idrelu.kernel.KernelUnavailableException;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Picks the generic fast path of a setting ({@link NetworkKernel}) as {@link KernelProvider} picks the fused [LY17]
 * kernels: {@code io.idrelu.kernel.vector.VectorNetworkKernel} is loaded reflectively when {@code jdk.incubator.vector}
 * is readable; otherwise {@code auto} falls back to the scalar kernel with one stderr line saying why, and an explicit
 * {@code vector} request fails with {@link KernelUnavailableException}. Both kernels give the same bits
 * ({@code VectorNetworkKernelTest}), so the choice changes speed only.
 *
 * <p>Claims, sweep trials and estimators receive the fused kernel that {@code --kernel} chose; {@link #matching} gives
 * the generic kernel of the same choice, so one option selects both. Nothing here names a {@code jdk.incubator.vector}
 * type.
 */
public final class NetworkKernels {
    private NetworkKernels() { }

    static final String VECTOR = "io.idrelu.kernel.vector.VectorNetworkKernel";
    private static final AtomicBoolean WARNED = new AtomicBoolean();

    /** Loaded once: the (stateless, shared) vector kernel, or why it cannot be used. */
    private static final class Holder {
        static final NetworkKernel VECTOR_KERNEL;
        static final String REASON;

        static {
            NetworkKernel k = null;
            String reason = KernelProvider.unavailableReason();
            if (reason == null) {
                try {
                    k = (NetworkKernel) Class.forName(VECTOR).getConstructor().newInstance();
                } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
                    reason = "loading the vector network kernel failed (" + e + ")";
                }
            }
            VECTOR_KERNEL = k;
            REASON = reason;
        }
    }

    /** The generic kernel for {@code --kernel auto|scalar|vector}. */
    public static NetworkKernel of(KernelProvider.Choice choice) {
        switch (choice) {
            case SCALAR:
                return new NetworkKernel();
            case VECTOR:
                if (!vectorAvailable()) {
                    throw new KernelUnavailableException("--kernel vector cannot be honoured for the generic setting kernel: "
                            + Holder.REASON);
                }
                return Holder.VECTOR_KERNEL;
            default:
                if (vectorAvailable()) {
                    return Holder.VECTOR_KERNEL;
                }
                if (WARNED.compareAndSet(false, true)) {
                    System.err.println("idrelu: using the scalar setting kernel: " + Holder.REASON);
                }
                return new NetworkKernel();
        }
    }

    /**
     * The generic kernel of the same choice as the fused {@code kernel} a run was given ({@code --kernel}): vector for
     * the vector kernel (an error if it cannot be loaded, as an explicit {@code --kernel vector}), scalar for the scalar
     * kernel and for any user or test kernel.
     */
    public static NetworkKernel matching(Kernel kernel) {
        return "vector".equals(kernel.name()) ? of(KernelProvider.Choice.VECTOR) : new NetworkKernel();
    }

    /** Whether the vector generic kernel can be used in this JVM. */
    public static boolean vectorAvailable() {
        return Holder.REASON == null;
    }

    /** Why it cannot, with the fix; {@code null} when it can. */
    public static String unavailableReason() {
        return Holder.REASON;
    }
}
