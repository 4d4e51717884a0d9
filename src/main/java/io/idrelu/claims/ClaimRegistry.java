package io.idrelu.claims;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Every claim of MATH.md section 4 by ID, in catalogue order (C1..C14, then A1..A3). The CLI and the
 * report find claims only through here.
 */
public final class ClaimRegistry {
    private static final Map<String, Supplier<Claim>> CLAIMS = new LinkedHashMap<>();

    static {
        CLAIMS.put("C1", C1PopulationLossMatchesMonteCarlo::new);
        CLAIMS.put("C2", C2GradientIsDerivativeOfLoss::new);
        CLAIMS.put("C3", C3GradientMatchesMonteCarlo::new);
        CLAIMS.put("C4", C4ZeroLossOnlyAtTeacher::new);
        CLAIMS.put("C5", C5PaperGradientForm::new);
        CLAIMS.put("C6", C6GradientNormBounds::new);
        CLAIMS.put("C7", C7PhaseOnePotentialDecrease::new);
        CLAIMS.put("C8", C8OnePointStrongConvexity::new);
        CLAIMS.put("C9", C9NegativeInnerProductOutsideRegion::new);
        CLAIMS.put("C10", C10IteratesStayInRegion::new);
        CLAIMS.put("C11", C11SgdContractionInExpectation::new);
        CLAIMS.put("C12", C12PolynomialConvergence::new);
        CLAIMS.put("C13", C13IdentityVersusVanilla::new);
        CLAIMS.put("C14", C14HessianAtOrigin::new);
        CLAIMS.put("A1", A1BatchGradientAgreement::new);
        CLAIMS.put("A2", A2PopulationAgreement::new);
        CLAIMS.put("A3", A3TrajectoryAgreement::new);
    }

    private ClaimRegistry() { }

    /** IDs in catalogue order. */
    public static List<String> ids() {
        return Collections.unmodifiableList(new ArrayList<>(CLAIMS.keySet()));
    }

    /** A fresh instance of claim {@code id}; an unknown ID is a usage error naming the known ones. */
    public static Claim get(String id) {
        Supplier<Claim> s = CLAIMS.get(id.toUpperCase(java.util.Locale.ROOT));
        if (s == null) {
            throw new IllegalArgumentException("unknown claim '" + id + "': expected one of " + String.join(",", CLAIMS.keySet()));
        }
        return s.get();
    }

    /** All claims, fresh instances, in catalogue order. */
    public static List<Claim> all() {
        List<Claim> out = new ArrayList<>();
        for (Supplier<Claim> s : CLAIMS.values()) {
            out.add(s.get());
        }
        return out;
    }
}
