package io.idrelu.claims.setting;

import io.idrelu.claims.C12PolynomialConvergence;
import io.idrelu.claims.ClaimContext;
import io.idrelu.claims.ClaimResult;
import io.idrelu.claims.PaperConstants;
import io.idrelu.claims.Preset;
import io.idrelu.claims.Verdict;
import io.idrelu.kernel.ScalarKernel;
import io.idrelu.setting.Architecture;
import io.idrelu.setting.Setting;
import io.idrelu.setting.SettingCatalogue;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * C12 under the seven done-when settings of issue 11 (proofs-notes/C12.md, "Under other settings"). The quick preset's
 * d values and eta with 3 seeds per d (the quick preset has 6) keep the seven runs within the test budget.
 */
class C12UnderSettingTest {
    private static final long SEED = 20171109L;
    private static final C12PolynomialConvergence.Config SMALL =
            new C12PolynomialConvergence.Config(new int[] {2, 3, 4}, 0.5, 0.05, 16, 3, 0.01, 20, 1.0, 0.99);
    /** Where T(eps) stays within the paper's bound (quick and default presets, proofs-notes/C12.md). */
    private static final Set<String> HOLDS = Set.of("ly17", "student-t", "leaky", "gelu", "noise");
    /**
     * Where W_T does not approach W* although the loss falls (proofs-notes/C12.md): three blocks (the factorisation is not
     * identifiable) and the 178-row data set (W* is not the only near-minimiser of its empirical loss).
     */
    private static final Set<String> VIOLATED = Set.of("wine", "blocks3");

    private static ClaimContext ctx(Setting s) {
        return ClaimContext.of(new ScalarKernel(), null, SEED, Preset.QUICK).withSetting(s);
    }

    @Test
    void runsUnderEverySettingWithTheKnownVerdicts() {
        for (var named : SettingCatalogue.doneWhen(4)) {
            assertThat(new C12PolynomialConvergence().applicability(named.setting())).as(named.name()).isEmpty();
            ClaimResult r = new C12PolynomialConvergence(SMALL).run(ctx(named.setting()));
            String why = named.name() + ": " + r.verdict() + " " + r.reason() + " " + r.details();
            assertThat(HOLDS.contains(named.name()) ? Verdict.HOLDS : VIOLATED.contains(named.name()) ? Verdict.VIOLATED : null)
                    .as(why).isEqualTo(r.verdict());
            if (named.name().equals("wine")) {
                // the data set fixes d = 13: no exponent in d, the per-d decision alone decides
                assertThat(r.details().get("ranUnderSetting").toString()).contains("d = [13] (fixed by the input law");
                assertThat(r.details().get("exponentInD").toString()).contains("not fitted: 1 < 3 dimensions");
                assertThat(((Map<?, ?>) r.details().get("perD")).keySet().toString()).isEqualTo("[d=13]");
            } else if (!named.setting().isLy17()) {
                assertThat(((Map<?, ?>) r.details().get("perD")).keySet().toString()).isEqualTo("[d=2, d=3, d=4]");
                if (r.verdict() == Verdict.HOLDS) {
                    // coverage: every seed reached eps and the growth part was decided
                    assertThat(r.details().get("notReached")).as(why).isEqualTo(0);
                    assertThat(r.details().get("growthVerdict")).as(why).isEqualTo("HOLDS");
                }
            }
        }
    }

    /**
     * Negative controls under every setting where C12 holds: a constant 12 x the paper's (1.0 paper units) makes the
     * bound too short (VIOLATED); SGD climbing the loss (sign-flipped gradient) diverges or ends far from W* (VIOLATED).
     */
    @Test
    void wrongConstantAndFlippedStepViolate() {
        var flipped = SettingTestKernels.scaledGradient(-1);
        var shortRuns = new C12PolynomialConvergence.Config(new int[] {2, 3, 4}, 0.5, 0.2, 16, 2, 0.01, 20, 1.0, 0.99);
        for (var named : SettingCatalogue.doneWhen(4)) {
            if (!HOLDS.contains(named.name()) || named.setting().isLy17()) {
                continue;
            }
            ClaimContext wrong = ctx(named.setting()).withConstants(PaperConstants.RECALLED.with("onePointConstant", 1.0));
            ClaimResult r = C12UnderSetting.run(wrong, SMALL);
            assertThat(r.verdict()).as(named.name() + " wrong constant: " + r.details()).isEqualTo(Verdict.VIOLATED);
            ClaimResult f = C12UnderSetting.run(ctx(named.setting()), shortRuns, flipped);
            assertThat(f.verdict()).as(named.name() + " flipped: " + f.details()).isEqualTo(Verdict.VIOLATED);
        }
    }

    /** Under Setting.ly17 the setting path gives the [LY17] claim's numbers (same problems, batches, bits). */
    @Test
    void settingPathUnderLy17EqualsTheLy17Claim() {
        var c = new C12PolynomialConvergence.Config(new int[] {2, 3}, 0.5, 0.2, 16, 2, 0.01, 20, 1.0, 0.99);
        ClaimContext ctx = ctx(Setting.ly17(4));
        ClaimResult ly = new C12PolynomialConvergence(c).run(ctx);
        ClaimResult viaSetting = C12UnderSetting.run(ctx, c);
        Map<?, ?> a = (Map<?, ?>) ly.details().get("perD");
        Map<?, ?> b = (Map<?, ?>) viaSetting.details().get("perD");
        for (Object d : a.keySet()) {
            for (String key : new String[] {"test", "meanHittingStep", "boundPaperConstantNoNoise", "kappaMeasuredTrueUnits"}) {
                assertThat(((Map<?, ?>) b.get(d)).get(key)).as(d + " " + key).isEqualTo(((Map<?, ?>) a.get(d)).get(key));
            }
        }
        assertThat(viaSetting.measured()).isEqualTo(ly.measured());
    }

    @Test
    void notApplicableToAVanillaStudent() {
        Setting vanilla = Setting.ly17(4).withArchitecture(new Architecture(4, 1, false));
        assertThat(new C12PolynomialConvergence().applicability(vanilla)).get().asString().contains("vanilla");
    }
}
