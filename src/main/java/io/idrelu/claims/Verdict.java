package io.idrelu.claims;

/** Outcome of one claim check (MATH.md section 4). */
public enum Verdict {
    /** The evidence lies on the claim's side of the bound with the stated confidence or margin. */
    HOLDS,
    /** The evidence lies on the wrong side: the result carries the witness. */
    VIOLATED,
    /** The evidence does not decide (interval straddles the bound, budget too small). */
    INCONCLUSIVE,
    /**
     * The claim is not defined under the run's setting (issue 11; proofs-notes/settings.md section 9), e.g. a
     * closed form that exists only for Gaussian inputs. Not run; the result carries the reason. Ranks below HOLDS:
     * it never makes a run fail and never hides another part's verdict.
     */
    NOT_APPLICABLE;

    /** The worse of two verdicts: VIOLATED over INCONCLUSIVE over HOLDS over NOT_APPLICABLE. */
    public Verdict worst(Verdict other) {
        return this.severity() >= other.severity() ? this : other;
    }

    /** -1 for NOT_APPLICABLE, 0 for HOLDS, 1 for INCONCLUSIVE, 2 for VIOLATED (declaration order is not severity order). */
    private int severity() {
        return switch (this) {
            case NOT_APPLICABLE -> -1;
            case HOLDS -> 0;
            case INCONCLUSIVE -> 1;
            case VIOLATED -> 2;
        };
    }
}
