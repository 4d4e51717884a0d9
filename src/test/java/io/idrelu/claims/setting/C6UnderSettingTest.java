package io.idrelu.claims.setting;

import io.idrelu.claims.Applicability;
import io.idrelu.claims.C6GradientNormBounds;
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
 * C6's decided exponent under the one-block settings with an exact population gradient (leaky ReLU's closed form, the Wine
 * data's full batch); the reasons elsewhere (noise: carry-over; Monte Carlo; three blocks). Negative control: a gradient
 * offset by a constant ({@code 1e-3} true units per entry, as a forgotten term would be) has a norm that does not vanish
 * at {@code W*}: exponent near 0, VIOLATED.
 */
class C6UnderSettingTest {
    private static final C6GradientNormBounds C6 = new C6GradientNormBounds();
    private static final C6GradientNormBounds.Config SMALL = new C6GradientNormBounds.Config(new int[] {2, 4}, 0.2, 8,
            new double[] {1e-3, 1e-2, 1e-1}, 4, 0, 20, 0.95);

    private static ClaimContext ctx(Setting s) {
        return ClaimContext.of(new ScalarKernel(), new ScalarFloatKernel(), 20170524L, Preset.QUICK).withSetting(s);
    }

    @Test
    void exponentOneWhereTheGradientIsExactAndReasonsElsewhere() {
        Map<String, String> expectNa = Map.of(
                "noise", "C6: label noise adds sigma^2 to L and leaves grad L unchanged",
                "student-t", "C6: no closed-form population loss for inputs student-t(5)",
                "gelu", "C6: no closed-form population loss for gelu",
                "blocks3", "C6: the norm bounds ||grad L|| <= c ||W - W*|| are stated for one block");
        int ran = 0;
        for (SettingCatalogue.Named n : SettingCatalogue.doneWhen(4)) {
            if (expectNa.containsKey(n.name())) {
                assertThat(C6.applicability(n.setting())).as(n.name()).hasValueSatisfying(r -> assertThat(r)
                        .startsWith(expectNa.get(n.name())).endsWith("(setting: " + Applicability.label(n.setting()) + ")"));
                continue;
            }
            assertThat(C6.applicability(n.setting())).as(n.name()).isEmpty();
            if (n.setting().isLy17()) {
                continue;
            }
            ClaimResult r = new C6GradientNormBounds(SMALL).run(ctx(n.setting()));
            System.out.printf("C6 under %s: %s, exponent %s %s, %s, %.1f s%n", n.name(), r.verdict(), r.measured(),
                    r.details().get("exponentInterval"), r.details().get("perDimension"), r.seconds());
            assertThat(r.verdict()).as(n.name() + ": " + r.reason()).isEqualTo(Verdict.HOLDS);
            ran++;
        }
        assertThat(ran).as("leaky, wine").isEqualTo(2);
    }

    @Test
    void aGradientOffsetByAConstantIsViolated() {
        for (String name : new String[] {"leaky", "wine"}) {
            ClaimResult r = C6UnderSetting.run(ctx(SettingCatalogue.byName(name, 4).setting()), SMALL, "C6", "C6",
                    g -> (d, w, ws) -> {
                        double[] x = g.gradient(d, w, ws).clone();
                        for (int i = 0; i < x.length; i++) {
                            x[i] += 1e-3;
                        }
                        return x;
                    });
            System.out.println("C6 " + name + " offset gradient: " + r.verdict() + " " + r.reason());
            assertThat(r.verdict()).as(name).isEqualTo(Verdict.VIOLATED);
        }
    }
}
