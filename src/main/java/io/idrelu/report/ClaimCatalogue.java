package io.idrelu.report;

import io.idrelu.claims.Claim;
import io.idrelu.claims.ClaimRegistry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Where a check finds its claims: {@link #REGISTRY} ({@link ClaimRegistry}) for the CLI, or a fixed list
 * (tests pass fake claims this way).
 */
public interface ClaimCatalogue {
    /** IDs in catalogue order. */
    List<String> ids();

    /** A fresh instance of claim {@code id}. */
    Claim get(String id);

    /** The claims registered in {@link ClaimRegistry}. */
    ClaimCatalogue REGISTRY = new ClaimCatalogue() {
        @Override
        public List<String> ids() {
            return ClaimRegistry.ids();
        }

        @Override
        public Claim get(String id) {
            return ClaimRegistry.get(id);
        }
    };

    /** A catalogue of the given claim factories, in the given order. */
    static ClaimCatalogue of(List<Supplier<Claim>> claims) {
        Map<String, Supplier<Claim>> m = new LinkedHashMap<>();
        for (Supplier<Claim> s : claims) {
            m.put(s.get().id(), s);
        }
        return new ClaimCatalogue() {
            @Override
            public List<String> ids() {
                return new ArrayList<>(m.keySet());
            }

            @Override
            public Claim get(String id) {
                Supplier<Claim> s = m.get(id.toUpperCase(Locale.ROOT));
                if (s == null) {
                    throw new IllegalArgumentException("unknown claim '" + id + "': expected one of " + String.join(",", m.keySet()));
                }
                return s.get();
            }
        };
    }

    /**
     * The selected IDs in catalogue order (duplicates dropped); {@code null} or empty selects all. An
     * unknown ID is a usage error naming the known ones.
     */
    default List<String> select(List<String> requested) {
        List<String> known = ids();
        if (requested == null || requested.isEmpty()) {
            return known;
        }
        java.util.Set<String> want = new java.util.HashSet<>();
        for (String r : requested) {
            String id = r.trim().toUpperCase(Locale.ROOT);
            if (id.isEmpty()) {
                continue;
            }
            if (!known.contains(id)) {
                throw new IllegalArgumentException("--claims: unknown claim '" + r.trim() + "': expected one of "
                        + (known.isEmpty() ? "(none registered yet)" : String.join(",", known)));
            }
            want.add(id);
        }
        List<String> out = new ArrayList<>();
        for (String k : known) {
            if (want.contains(k)) {
                out.add(k);
            }
        }
        return out;
    }
}
