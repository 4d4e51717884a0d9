package io.idrelu.claims;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything needed to re-run one trial alone: the claim, its configuration (plain JSON-able values)
 * and the trial's seed. {@code idrelu replay} reads this and gives the same numbers bit for bit.
 */
public record Replay(String claimId, Map<String, Object> config, long seed) {
    public Replay {
        config = Collections.unmodifiableMap(new LinkedHashMap<>(config));
    }

    /** One-line human replay hint, e.g. for failure messages. */
    public String line() {
        return "claim=" + claimId + " seed=" + seed + " config=" + config;
    }
}
