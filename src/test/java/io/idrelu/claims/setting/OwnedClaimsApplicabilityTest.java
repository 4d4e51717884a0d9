package io.idrelu.claims.setting;

import io.idrelu.claims.A1BatchGradientAgreement;
import io.idrelu.claims.C14HessianAtOrigin;
import io.idrelu.claims.C1PopulationLossMatchesMonteCarlo;
import io.idrelu.claims.C2GradientIsDerivativeOfLoss;
import io.idrelu.claims.C3GradientMatchesMonteCarlo;
import io.idrelu.claims.C4ZeroLossOnlyAtTeacher;
import io.idrelu.claims.C5PaperGradientForm;
import io.idrelu.claims.C6GradientNormBounds;
import io.idrelu.claims.C9NegativeInnerProductOutsideRegion;
import io.idrelu.claims.Claim;
import io.idrelu.setting.SettingCatalogue;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where the claims of helper {@code wire} run (proofs-notes/settings.md section 9), under the seven done-when settings:
 * every claim runs under [LY17]; A1 and C4 everywhere; C1, C2 and C3 where the population loss is exact; C6 and C9 where the
 * gradient is exact and not [LY17]'s under another name (noise: carry-over); every other answer is a
 * reason that starts with the claim's ID and names the setting, and says which part rules it out.
 */
class OwnedClaimsApplicabilityTest {

    private static final List<Claim> CLAIMS = List.of(new A1BatchGradientAgreement(), new C1PopulationLossMatchesMonteCarlo(),
            new C2GradientIsDerivativeOfLoss(), new C3GradientMatchesMonteCarlo(), new C4ZeroLossOnlyAtTeacher(),
            new C5PaperGradientForm(), new C6GradientNormBounds(), new C9NegativeInnerProductOutsideRegion(), new C14HessianAtOrigin());

    /** Claims that run under each named setting (the rest must give a reason). */
    private static final Map<String, Set<String>> RUNS = Map.of(
            "ly17", Set.of("A1", "C1", "C2", "C3", "C4", "C5", "C6", "C9", "C14"),
            "student-t", Set.of("A1", "C4"),
            "wine", Set.of("A1", "C1", "C3", "C4", "C6", "C9"),
            "leaky", Set.of("A1", "C1", "C2", "C3", "C4", "C6", "C9"),
            "gelu", Set.of("A1", "C4"),
            "blocks3", Set.of("A1", "C4"),
            "noise", Set.of("A1", "C1", "C2", "C3", "C4"));

    @Test
    void eachClaimRunsWhereTheTableSaysOrGivesItsReason() {
        for (SettingCatalogue.Named n : SettingCatalogue.doneWhen(8)) {
            for (Claim c : CLAIMS) {
                Optional<String> why = c.applicability(n.setting());
                String what = c.id() + " under " + n.name();
                if (RUNS.get(n.name()).contains(c.id())) {
                    assertThat(why).as(what).isEmpty();
                } else {
                    assertThat(why).as(what).hasValueSatisfying(r -> assertThat(r).startsWith(c.id() + ": ")
                            .endsWith("(setting: " + io.idrelu.claims.Applicability.label(n.setting()) + ")")
                            .doesNotContain("has no check under this setting yet"));
                }
            }
        }
        assertThat(new C14HessianAtOrigin().applicability(SettingCatalogue.byName("gelu", 8).setting()))
                .hasValue("C14: the Hessian value (pi/2-1)/pi is for N(0, I), ReLU and one identity-mapped block (setting: gelu)");
        assertThat(new C2GradientIsDerivativeOfLoss().applicability(SettingCatalogue.byName("gelu", 8).setting()))
                .hasValue("C2: no closed-form population loss for gelu (setting: gelu)");
        assertThat(new C9NegativeInnerProductOutsideRegion().applicability(SettingCatalogue.byName("blocks3", 8).setting()).orElseThrow())
                .contains("defined for one block", "blocks=3");
    }
}
