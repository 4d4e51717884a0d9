package io.idrelu.claims;

/**
 * How much work a claim may spend. Each claim maps a preset to its own sizes (dimensions, trials,
 * steps, samples) in its {@code Config.forPreset}; the mapping is documented in the claim's note.
 */
public enum Preset {
    /** Seconds: smoke sizes for end-to-end tests. */
    QUICK,
    /** About a minute for all claims on 2 cores: small but meaningful sizes. */
    DEFAULT,
    /** [LY17] section 5.2 scale where the claim concerns the experiment (d = 100, batch 200, step 0.001). */
    PAPER,
    /** The overnight tier. */
    DEEP
}
