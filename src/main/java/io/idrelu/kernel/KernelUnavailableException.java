package io.idrelu.kernel;

/** An explicit kernel request that this JVM cannot honour; the message says why and how to fix it. */
public final class KernelUnavailableException extends RuntimeException {
    public KernelUnavailableException(String message) {
        super(message);
    }
}
