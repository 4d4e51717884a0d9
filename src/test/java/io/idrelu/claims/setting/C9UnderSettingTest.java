package io.idrelu.claims.setting;

import io.idrelu.claims.Applicability;
import io.idrelu.claims.C9NegativeInnerProductOutsideRegion;
import io.idrelu.claims.ClaimContext;
import io.idrelu.claims.ClaimResult;
import io.idrelu.claims.Preset;
import io.idrelu.claims.Verdict;
import io.idrelu.kernel.ScalarFloatKernel;
import io.idrelu.kernel.ScalarKernel;
import io.idrelu.setting.Setting;
import io.idrelu.setting.SettingCatalogue;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * C9 under the one-block settings with an exact population gradient (leaky ReLU's closed form, the Wine data's full batch):
 * a witness {@code <-grad L, W* - W> < 0} outside the region, its sign confirmed by the setting's exact reference; the
 * reasons where it does not run (noise: carry-over; Monte Carlo; three blocks). Negative control: a search on a ratio
 * with the wrong sign finds points whose true ratio is positive, so the claim must not hold.
 */
class C9UnderSettingTest {
    private static final C9NegativeInnerProductOutsideRegion C9 = new C9NegativeInnerProductOutsideRegion();
    /** Smaller than the quick preset (test time). */
    private static final C9NegativeInnerProductOutsideRegion.Config SMALL =
            new C9NegativeInnerProductOutsideRegion.Config(new int[] {5}, 0.05, 0.9, 2, 150, 30);

    private static ClaimContext ctx(Setting s) {
        return ClaimContext.of(new ScalarKernel(), new ScalarFloatKernel(), 20170524L, Preset.QUICK).withSetting(s);
    }

    @Test
    void findsAConfirmedWitnessWhereTheGradientIsExactAndSaysWhyElsewhere() {
        Map<String, String> expectNa = Map.of(
                "noise", "C9: label noise adds sigma^2 to L and leaves grad L unchanged",
                "student-t", "C9: no closed-form population loss for inputs student-t(5)",
                "gelu", "C9: no closed-form population loss for gelu",
                "blocks3", "C9: the inner product <-grad L, W* - W> is defined for one block");
        int ran = 0;
        for (SettingCatalogue.Named n : SettingCatalogue.doneWhen(5)) {
            if (expectNa.containsKey(n.name())) {
                assertThat(C9.applicability(n.setting())).as(n.name()).hasValueSatisfying(r -> assertThat(r)
                        .startsWith(expectNa.get(n.name())).endsWith("(setting: " + Applicability.label(n.setting()) + ")"));
                continue;
            }
            assertThat(C9.applicability(n.setting())).as(n.name()).isEmpty();
            if (n.setting().isLy17()) {
                continue;
            }
            ClaimResult r = new C9NegativeInnerProductOutsideRegion(SMALL).run(ctx(n.setting()));
            System.out.printf("C9 under %s: %s, witness %.4g %s reference %s, %s, %.1f s%n", n.name(), r.verdict(), r.empirical(),
                    r.details().get("witnessInterval"), r.details().get("witnessRatioReference"), r.details().get("route"), r.seconds());
            assertThat(r.verdict()).as(n.name() + ": " + r.reason()).isEqualTo(Verdict.HOLDS);
            assertThat((double) r.details().get("witnessRatioReference")).isNegative();
            ran++;
        }
        assertThat(ran).as("leaky, wine").isEqualTo(2);
    }

    @Test
    void aSearchOnTheWrongRatioDoesNotHold() {
        Setting leaky = SettingCatalogue.byName("leaky", 5).setting();
        ClaimResult r = C9UnderSetting.run(ctx(leaky), SMALL, "C9", "C9", f -> (d, w, ws) -> -f.ratio(d, w, ws));
        System.out.println("C9 leaky, sign-flipped search: " + r.verdict() + " " + r.reason());
        assertThat(r.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(r.reason()).contains("no negative ratio");
    }
}
