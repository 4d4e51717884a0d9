package io.idrelu.claims.setting;

import io.idrelu.claims.C1PopulationLossMatchesMonteCarlo;
import io.idrelu.claims.ClaimContext;
import io.idrelu.claims.ClaimResult;
import io.idrelu.claims.Preset;
import io.idrelu.claims.Verdict;
import io.idrelu.kernel.ScalarFloatKernel;
import io.idrelu.kernel.ScalarKernel;
import io.idrelu.setting.Activation;
import io.idrelu.setting.InputLaw;
import io.idrelu.setting.LabelModel;
import io.idrelu.setting.Setting;
import io.idrelu.setting.SettingCatalogue;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * C1 under the settings where the population loss is known exactly (quick preset): leaky ReLU and label noise (closed
 * forms), the Wine data and Rademacher inputs (full batch), N(0, Sigma); NOT_APPLICABLE with the reason where there is no
 * exact value (Student-t, GELU, three blocks). Negative controls: the closed form with the noise forgotten, or with the
 * ReLU slope instead of the leaky one, is VIOLATED.
 */
class C1UnderSettingTest {
    private static final C1PopulationLossMatchesMonteCarlo C1 = new C1PopulationLossMatchesMonteCarlo();

    private static ClaimContext ctx(Setting s) {
        return ClaimContext.of(new ScalarKernel(), new ScalarFloatKernel(), 20170524L, Preset.QUICK).withSetting(s);
    }

    @Test
    void holdsWhereThePopulationIsExactAndSaysWhyElsewhere() {
        Map<String, String> expectNa = Map.of(
                "student-t", "C1: no closed-form population loss for inputs student-t(5) (ReLU: N(0, I), N(0, Sigma) only)",
                "gelu", "C1: no closed-form population loss for gelu",
                "blocks3", "C1: no closed-form population loss for 3 blocks");
        for (SettingCatalogue.Named n : SettingCatalogue.doneWhen(8)) {
            if (expectNa.containsKey(n.name())) {
                assertThat(C1.applicability(n.setting())).as(n.name()).hasValueSatisfying(r -> assertThat(r)
                        .startsWith(expectNa.get(n.name())).endsWith("(setting: " + io.idrelu.claims.Applicability.label(n.setting()) + ")"));
                continue;
            }
            assertThat(C1.applicability(n.setting())).as(n.name()).isEmpty();
            if (n.setting().isLy17()) {
                continue;
            }
            ClaimResult r = C1.run(ctx(n.setting()));
            System.out.printf("C1 under %s: %s, max |z| = %.3g <= %.3g, %s, %.1f s%n", n.name(), r.verdict(), r.measured(), r.bound(),
                    r.details().get("population"), r.seconds());
            assertThat(r.verdict()).as(n.name() + ": " + r.reason()).isEqualTo(Verdict.HOLDS);
        }
        Setting sigma = Setting.ly17(2).withInputs(new InputLaw.GaussianCov(new double[][] {{2, 0.5}, {0.5, 1}}));
        ClaimResult r = C1.run(ctx(sigma));
        assertThat(r.verdict()).as(r.reason()).isEqualTo(Verdict.HOLDS);
        assertThat((String) r.details().get("population")).contains("N(0, Sigma)");
        ClaimResult rad = C1.run(ctx(Setting.ly17(4).withInputs(new InputLaw.Rademacher()).withActivation(new Activation.Gelu())));
        assertThat(rad.verdict()).as(rad.reason()).isEqualTo(Verdict.HOLDS);
        assertThat((String) rad.details().get("population")).contains("exact full batch over the 16 support points");
    }

    @Test
    void aWrongPopulationValueIsViolated() {
        Setting noise = SettingCatalogue.byName("noise", 8).setting().withLabels(new LabelModel.GaussianNoise(0.3));
        ClaimResult forgot = C1UnderSetting.run(ctx(noise), "C1", "C1", s -> s.withLabels(new LabelModel.Noiseless()));
        assertThat(forgot.verdict()).isEqualTo(Verdict.VIOLATED);
        assertThat(forgot.reason()).contains("outside Monte Carlo");
        Setting leaky = Setting.ly17(8).withActivation(new Activation.LeakyRelu(0.5));
        assertThat(C1UnderSetting.run(ctx(leaky), "C1", "C1", s -> s.withActivation(new Activation.LeakyRelu(0))).verdict())
                .isEqualTo(Verdict.VIOLATED);
        // control: the right values hold
        assertThat(C1UnderSetting.run(ctx(noise), "C1", "C1", s -> s).verdict()).isEqualTo(Verdict.HOLDS);
        assertThat(C1UnderSetting.run(ctx(leaky), "C1", "C1", s -> s).verdict()).isEqualTo(Verdict.HOLDS);
    }
}
