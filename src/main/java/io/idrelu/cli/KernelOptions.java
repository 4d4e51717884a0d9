package io.idrelu.cli;

import io.idrelu.kernel.FloatKernel;
import io.idrelu.kernel.Kernel;
import io.idrelu.kernel.KernelProvider;
import picocli.CommandLine.Option;

/** {@code --kernel} and {@code --precision}, shared by every command that runs the fast path. */
public final class KernelOptions {

    /** Floating-point format of the fast path. */
    public enum Precision { DOUBLE, FLOAT }

    @Option(names = "--kernel", paramLabel = "auto|scalar|vector", defaultValue = "auto",
            converter = ChoiceConverter.class,
            description = "Fast-path kernel: auto (vector when jdk.incubator.vector is enabled, else scalar with a note), "
                    + "scalar, or vector (an error if the Vector API is unavailable). Default: ${DEFAULT-VALUE}.")
    KernelProvider.Choice kernel = KernelProvider.Choice.AUTO;

    @Option(names = "--precision", paramLabel = "double|float", defaultValue = "double",
            converter = PrecisionConverter.class,
            description = "Fast-path floating-point format. Default: ${DEFAULT-VALUE}.")
    Precision precision = Precision.DOUBLE;

    public Kernel doubleKernel() {
        return KernelProvider.doubleKernel(kernel);
    }

    public FloatKernel floatKernel() {
        return KernelProvider.floatKernel(kernel);
    }

    public boolean isFloat() {
        return precision == Precision.FLOAT;
    }

    /** Name of the kernel that will actually run (after any auto fallback). */
    public String kernelName() {
        return isFloat() ? floatKernel().name() : doubleKernel().name();
    }

    public String precisionName() {
        return precision.name().toLowerCase(java.util.Locale.ROOT);
    }

    static final class ChoiceConverter implements picocli.CommandLine.ITypeConverter<KernelProvider.Choice> {
        @Override
        public KernelProvider.Choice convert(String value) {
            return switch (value.toLowerCase(java.util.Locale.ROOT)) {
                case "auto" -> KernelProvider.Choice.AUTO;
                case "scalar" -> KernelProvider.Choice.SCALAR;
                case "vector" -> KernelProvider.Choice.VECTOR;
                default -> throw new picocli.CommandLine.TypeConversionException(
                        "'" + value + "' is not a kernel: expected auto, scalar or vector");
            };
        }
    }

    static final class PrecisionConverter implements picocli.CommandLine.ITypeConverter<Precision> {
        @Override
        public Precision convert(String value) {
            return switch (value.toLowerCase(java.util.Locale.ROOT)) {
                case "double" -> Precision.DOUBLE;
                case "float" -> Precision.FLOAT;
                default -> throw new picocli.CommandLine.TypeConversionException(
                        "'" + value + "' is not a precision: expected double or float");
            };
        }
    }
}
