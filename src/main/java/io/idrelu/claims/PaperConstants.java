package io.idrelu.claims;

/**
 * The constants of [LY17] that the claims test, each with its provenance. Several were recalled
 * rather than read off the paper (MATH.md section 3), so every one is a parameter, overridable from
 * the CLI ({@code --constant NAME=VALUE}) and reported next to the measured value.
 *
 * @param phase1Threshold   Phase I ends when {@code g < phase1Threshold * gamma^2} (Theorem 3.1, recalled: 197)
 * @param phase1StepFactor  Phase I lasts at most {@code phase1StepFactor / eta} steps (recalled: 1/16)
 * @param onePointConstant  one-point strong convexity constant in paper units (recalled: 0.084)
 * @param minD              Theorem 3.1 assumes {@code d >= minD} (100)
 */
public record PaperConstants(double phase1Threshold, double phase1StepFactor, double onePointConstant, int minD) {

    /** The values as recorded in MATH.md section 3, all marked (recalled) there except {@code d >= 100}. */
    public static final PaperConstants RECALLED = new PaperConstants(197.0, 1.0 / 16.0, 0.084, 100);

    /** Provenance of each constant, for reports. */
    public static String provenance(String name) {
        return switch (name) {
            case "phase1Threshold" -> "[LY17] Theorem 3.1, Phase I: g < 197 gamma^2 (recalled, docs/MATH.md section 3)";
            case "phase1StepFactor" -> "[LY17] Theorem 3.1, Phase I within 1/(16 eta) steps (recalled, docs/MATH.md section 3)";
            case "onePointConstant" -> "[LY17] one-point strong convexity 0.084 in paper units (recalled, docs/MATH.md section 3)";
            case "minD" -> "[LY17] Theorem 3.1 assumption d >= 100 (docs/MATH.md section 3)";
            default -> throw new IllegalArgumentException("unknown constant '" + name
                    + "': expected one of phase1Threshold, phase1StepFactor, onePointConstant, minD");
        };
    }

    /** Largest {@code minD} accepted: no problem may be larger ({@code model.Problem.MAX_D}). */
    public static final int MAX_MIN_D = 4096;

    /**
     * A copy with one constant overridden by name (as from {@code --constant NAME=VALUE}), checked for its type
     * and range: the three real constants must be finite and {@code > 0} (a threshold, a step factor, a
     * convexity constant: zero or a negative value makes their claim vacuous or meaningless); {@code minD} is a
     * dimension, an integer {@code 1 <= minD <= 4096}.
     */
    public PaperConstants with(String name, double value) {
        provenance(name);
        if (name.equals("minD")) {
            if (!(value >= 1 && value <= MAX_MIN_D) || value != Math.rint(value)) {
                throw new IllegalArgumentException("constant minD = " + value + ": expected an integer 1 <= minD <= " + MAX_MIN_D
                        + " (a dimension)");
            }
            return new PaperConstants(phase1Threshold, phase1StepFactor, onePointConstant, (int) value);
        }
        if (!Double.isFinite(value) || value <= 0) {
            throw new IllegalArgumentException("constant " + name + " = " + value + ": expected a finite number > 0");
        }
        return switch (name) {
            case "phase1Threshold" -> new PaperConstants(value, phase1StepFactor, onePointConstant, minD);
            case "phase1StepFactor" -> new PaperConstants(phase1Threshold, value, onePointConstant, minD);
            default -> new PaperConstants(phase1Threshold, phase1StepFactor, value, minD);
        };
    }
}
