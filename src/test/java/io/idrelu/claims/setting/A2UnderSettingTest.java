package io.idrelu.claims.setting;

import io.idrelu.claims.A2PopulationAgreement;
import io.idrelu.claims.ClaimContext;
import io.idrelu.claims.ClaimResult;
import io.idrelu.claims.PaperConstants;
import io.idrelu.claims.Preset;
import io.idrelu.claims.Verdict;
import io.idrelu.kernel.ScalarKernel;
import io.idrelu.setting.Activation;
import io.idrelu.setting.InputLaw;
import io.idrelu.setting.PopulationRoute;
import io.idrelu.setting.Setting;
import io.idrelu.setting.SettingCatalogue;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A2 under the seven settings of issue 11 (quick preset) and a Gaussian(Sigma) setting: each runs by its route and
 * HOLDS; negative controls (a wrong leaky slope and Sigma ignored in the fast closed form, a wrong GELU in the Monte
 * Carlo route) must be VIOLATED.
 */
class A2UnderSettingTest {

    static ClaimContext ctx(Setting s) {
        return new ClaimContext(new ScalarKernel(), null, 11L, Preset.QUICK, PaperConstants.RECALLED, m -> { }, s);
    }

    static Setting sigmaSetting() {
        double[][] sigma = {{1.5, 0.4, -0.2}, {0.4, 0.8, 0.1}, {-0.2, 0.1, 0.6}};
        return Setting.ly17(3).withInputs(new InputLaw.GaussianCov(sigma));
    }

    @Test
    void holdsUnderEveryDoneWhenSettingByItsRoute() {
        Set<PopulationRoute> routes = EnumSet.noneOf(PopulationRoute.class);
        for (SettingCatalogue.Named n : SettingCatalogue.doneWhen(4)) {
            if (n.setting().isLy17()) {
                continue; // today's A2, unchanged (A2PopulationAgreementTest)
            }
            assertThat(new A2PopulationAgreement().applicability(n.setting())).isEmpty();
            ClaimResult r = new A2PopulationAgreement().run(ctx(n.setting()));
            System.out.printf("A2 under %-9s route %-11s ratio %.4g  %.1f s  worst %s%n", n.name(), r.details().get("route"),
                    r.measured(), r.seconds(), r.details().get("worst"));
            assertThat(r.verdict()).as(n.name() + ": " + r.reason()).isEqualTo(Verdict.HOLDS);
            assertThat(r.measured()).as(n.name()).isGreaterThan(0).isLessThanOrEqualTo(1);
            routes.add(PopulationRoute.valueOf((String) r.details().get("route")));
        }
        ClaimResult sig = new A2PopulationAgreement().run(ctx(sigmaSetting()));
        System.out.printf("A2 under sigma     ratio %.4g  %s%n", sig.measured(), sig.details().get("worst"));
        assertThat(sig.verdict()).isEqualTo(Verdict.HOLDS);
        assertThat(sig.details().get("route")).isEqualTo("CLOSED_FORM");
        // coverage: all three routes ran
        assertThat(routes).containsExactlyInAnyOrder(PopulationRoute.values());
    }

    /** The other branches of the closed form: a negative slope, slope 0, a vanilla student with Sigma, noise with Sigma. */
    @Test
    void otherClosedFormBranchesHold() {
        Setting base = Setting.ly17(3);
        Setting[] settings = {
            base.withActivation(new Activation.LeakyRelu(-0.3)),
            base.withActivation(new Activation.LeakyRelu(0)),
            base.withActivation(new Activation.LeakyRelu(0.7)).withArchitecture(new io.idrelu.setting.Architecture(3, 1, false)),
            sigmaSetting().withArchitecture(new io.idrelu.setting.Architecture(3, 1, false))
                    .withLabels(new io.idrelu.setting.LabelModel.GaussianNoise(0.3))};
        for (Setting s : settings) {
            ClaimResult r = A2UnderSetting.run(ctx(s));
            System.out.printf("A2 %s: ratio %.4g%n", s.activation(), r.measured());
            assertThat(r.details().get("route")).isEqualTo("CLOSED_FORM");
            assertThat(r.verdict()).as(s.toString() + " " + r.reason()).isEqualTo(Verdict.HOLDS);
        }
    }

    @Test
    void wrongLeakySlopeInTheFastClosedFormFails() {
        Setting leaky = SettingCatalogue.byName("leaky", 4).setting();
        ClaimResult r = A2UnderSetting.run(ctx(leaky), s -> s.withActivation(new Activation.LeakyRelu(0.1 + 1e-9)));
        System.out.printf("A2 leaky slope + 1e-9: ratio %.4g%n", r.measured());
        assertThat(r.verdict()).isEqualTo(Verdict.VIOLATED);
    }

    @Test
    void sigmaIgnoredInTheFastClosedFormFails() {
        ClaimResult r = A2UnderSetting.run(ctx(sigmaSetting()), s -> s.withInputs(new InputLaw.StandardGaussian()));
        System.out.printf("A2 Sigma ignored: ratio %.4g%n", r.measured());
        assertThat(r.verdict()).isEqualTo(Verdict.VIOLATED);
    }

    @Test
    void wrongActivationOnTheMonteCarloSampleFails() {
        Setting gelu = SettingCatalogue.byName("gelu", 4).setting();
        ClaimResult r = A2UnderSetting.run(ctx(gelu), s -> s.withActivation(new Activation.Softplus(1.702)));
        assertThat(r.verdict()).isEqualTo(Verdict.VIOLATED);
    }
}
