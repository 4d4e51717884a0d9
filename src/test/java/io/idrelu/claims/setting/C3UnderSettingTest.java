package io.idrelu.claims.setting;

import io.idrelu.claims.Applicability;
import io.idrelu.claims.C3GradientMatchesMonteCarlo;
import io.idrelu.claims.ClaimContext;
import io.idrelu.claims.ClaimResult;
import io.idrelu.claims.Preset;
import io.idrelu.claims.Verdict;
import io.idrelu.kernel.ScalarFloatKernel;
import io.idrelu.kernel.ScalarKernel;
import io.idrelu.setting.Activation;
import io.idrelu.setting.InputLaw;
import io.idrelu.setting.Setting;
import io.idrelu.setting.SettingCatalogue;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * C3 under the settings with a population gradient independent of Monte Carlo (quick preset): leaky ReLU and label noise
 * (closed forms; the noisy batches must still average to the noiseless gradient), the Wine data (exact full batch),
 * N(0, Sigma); NOT_APPLICABLE with the reason under Student-t, GELU and three blocks. Negative controls: the population
 * gradient of the wrong slope, of N(0, I) instead of N(0, Sigma), or of the standardised instead of the whitened data is
 * VIOLATED.
 */
class C3UnderSettingTest {
    private static final C3GradientMatchesMonteCarlo C3 = new C3GradientMatchesMonteCarlo();

    private static ClaimContext ctx(Setting s) {
        return ClaimContext.of(new ScalarKernel(), new ScalarFloatKernel(), 20170524L, Preset.QUICK).withSetting(s);
    }

    @Test
    void holdsWhereThePopulationGradientIsKnownAndSaysWhyElsewhere() {
        Map<String, String> expectNa = Map.of(
                "student-t", "C3: no closed-form population loss for inputs student-t(5)",
                "gelu", "C3: no closed-form population loss for gelu",
                "blocks3", "C3: no closed-form population loss for 3 blocks");
        int ran = 0;
        for (SettingCatalogue.Named n : SettingCatalogue.doneWhen(4)) {
            if (expectNa.containsKey(n.name())) {
                assertThat(C3.applicability(n.setting())).as(n.name()).hasValueSatisfying(r -> assertThat(r)
                        .startsWith(expectNa.get(n.name())).contains("only population gradient is Monte Carlo")
                        .endsWith("(setting: " + Applicability.label(n.setting()) + ")"));
                continue;
            }
            assertThat(C3.applicability(n.setting())).as(n.name()).isEmpty();
            if (n.setting().isLy17()) {
                continue;
            }
            ClaimResult r = C3.run(ctx(n.setting()));
            System.out.printf("C3 under %s: %s, max |z| = %.3g <= %.3g, fast/bound %s, %s, %.1f s%n", n.name(), r.verdict(),
                    r.measured(), r.bound(), r.details().get("maxFastClosedFormErrorOverBound"), r.details().get("population"),
                    r.seconds());
            assertThat(r.verdict()).as(n.name() + ": " + r.reason()).isEqualTo(Verdict.HOLDS);
            assertThat((long) r.details().get("coordinatesTested")).isGreaterThan(10);
            ran++;
        }
        assertThat(ran).as("leaky, wine, noise").isEqualTo(3);
    }

    @Test
    void aWrongPopulationGradientIsViolated() {
        Setting leaky = Setting.ly17(4).withActivation(new Activation.LeakyRelu(0.5));
        ClaimResult slope = C3UnderSetting.run(ctx(leaky), "C3", "C3", s -> s.withActivation(new Activation.LeakyRelu(0)));
        assertThat(slope.verdict()).isEqualTo(Verdict.VIOLATED);
        assertThat(slope.reason()).contains("outside their Monte Carlo interval");
        assertThat(C3UnderSetting.run(ctx(leaky), "C3", "C3", s -> s).verdict()).isEqualTo(Verdict.HOLDS);

        Setting sigma = Setting.ly17(2).withInputs(new InputLaw.GaussianCov(new double[][] {{2, 0.5}, {0.5, 1}}));
        assertThat(C3.run(ctx(sigma)).verdict()).isEqualTo(Verdict.HOLDS);
        assertThat(C3UnderSetting.run(ctx(sigma), "C3", "C3", s -> s.withInputs(new InputLaw.StandardGaussian())).verdict())
                .isEqualTo(Verdict.VIOLATED);

        Setting wine = SettingCatalogue.byName("wine", 4).setting();
        ClaimResult standardised = C3UnderSetting.run(ctx(wine), "C3", "C3",
                s -> s.withInputs(new InputLaw.DataSet(SettingCatalogue.WINE, true, false)));
        assertThat(standardised.verdict()).isEqualTo(Verdict.VIOLATED);
    }
}
