package io.idrelu.claims;

/**
 * One executable claim of MATH.md section 4. Implementations are stateless; the same instance serves
 * the property tests and {@code idrelu check}. A claim never prints to stdout.
 */
public interface Claim {
    /** Stable ID: C1..C14 or A1..A3. */
    String id();

    /** The claim in a few words, for the verdict table. */
    String statement();

    /** Runs the check at the context's preset and returns its verdict with margins and witness. */
    ClaimResult run(ClaimContext context);
}
