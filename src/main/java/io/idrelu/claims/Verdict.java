package io.idrelu.claims;

/** Outcome of one claim check (MATH.md section 4). */
public enum Verdict {
    /** The evidence lies on the claim's side of the bound with the stated confidence or margin. */
    HOLDS,
    /** The evidence lies on the wrong side: the result carries the witness. */
    VIOLATED,
    /** The evidence does not decide (interval straddles the bound, budget too small). */
    INCONCLUSIVE;

    /** The worse of two verdicts: VIOLATED over INCONCLUSIVE over HOLDS. */
    public Verdict worst(Verdict other) {
        return this.severity() >= other.severity() ? this : other;
    }

    /** 0 for HOLDS, 1 for INCONCLUSIVE, 2 for VIOLATED (declaration order is not severity order). */
    private int severity() {
        return switch (this) {
            case HOLDS -> 0;
            case INCONCLUSIVE -> 1;
            case VIOLATED -> 2;
        };
    }
}
