package io.idrelu.claims;

import io.idrelu.setting.Setting;

import java.util.Optional;

/**
 * One executable claim of MATH.md section 4. Implementations are stateless; the same instance serves
 * the property tests and {@code idrelu check}. A claim never prints to stdout.
 */
public interface Claim {
    /** Stable ID: C1..C14 or A1..A3. */
    String id();

    /** The claim in a few words, for the verdict table. */
    String statement();

    /**
     * Why this claim is not defined under {@code setting}, or empty when it runs there (issue 11; the table in
     * proofs-notes/settings.md section 9). The runner reports {@link Verdict#NOT_APPLICABLE} with this reason
     * instead of running the claim. The default runs only under [LY17]'s setting: a claim that has not been
     * written for other settings must never run its [LY17] code under another setting's name.
     */
    default Optional<String> applicability(Setting setting) {
        return setting.isLy17() ? Optional.empty()
                : Optional.of(id() + " has no check under this setting yet (only under [LY17]'s)");
    }

    /** Runs the check at the context's preset and returns its verdict with margins and witness. */
    ClaimResult run(ClaimContext context);
}
