package io.idrelu.claims.setting;

import io.idrelu.claims.Applicability;
import io.idrelu.claims.C2GradientIsDerivativeOfLoss;
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

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * C2 under the settings with a BigDecimal closed form (quick preset): leaky ReLU(0.1), N(0, Sigma) with d = 3, label
 * noise: HOLDS; NOT_APPLICABLE with the no-closed-form reason elsewhere. Negative control: the gradient at slope
 * {@code a + 1e-6} against the loss at slope {@code a} is VIOLATED.
 */
class C2UnderSettingTest {
    private static final C2GradientIsDerivativeOfLoss C2 = new C2GradientIsDerivativeOfLoss();
    private static final double[][] SIGMA3 = {{2, 0.5, 0.1}, {0.5, 1, -0.3}, {0.1, -0.3, 0.8}};

    private static ClaimContext ctx(Setting s) {
        return ClaimContext.of(new ScalarKernel(), new ScalarFloatKernel(), 20170524L, Preset.QUICK).withSetting(s);
    }

    private static void print(String name, ClaimResult r) {
        System.out.printf("C2 under %s: %s, worst |grad - R(h)| = %.3e, bound %.3e (true units), err/bound %.3g, dims %s, %d coordinates, %.1f s%n",
                name, r.verdict(), r.measured(), r.bound(), r.details().get("worstErrorOverBound"),
                r.details().get("dims"), (Integer) r.details().get("coordinates"), r.seconds());
    }

    @Test
    void holdsUnderLeakySigmaAndNoise() {
        Setting sigma = Setting.ly17(3).withInputs(new InputLaw.GaussianCov(SIGMA3));
        Map<String, Setting> runs = Map.of(
                "leaky", SettingCatalogue.byName("leaky", 4).setting(),
                "noise", SettingCatalogue.byName("noise", 4).setting(),
                "gaussian-cov(3 x 3)", sigma);
        for (Map.Entry<String, Setting> e : runs.entrySet()) {
            assertThat(C2.applicability(e.getValue())).as(e.getKey()).isEmpty();
            ClaimResult r = C2.run(ctx(e.getValue()));
            print(e.getKey(), r);
            assertThat(r.verdict()).as(e.getKey() + ": " + r.reason()).isEqualTo(Verdict.HOLDS);
            assertThat(r.details().get("setting")).isEqualTo(Applicability.label(e.getValue()));
            assertThat((Integer) r.details().get("coordinates")).as(e.getKey()).isGreaterThan(0);
        }
        // Sigma fixes d = 3: only that dimension runs; elsewhere the preset's dims
        assertThat(C2.run(ctx(sigma)).details().get("dims")).isEqualTo(List.of(3));
    }

    @Test
    void notApplicableWithoutAClosedForm() {
        for (String name : List.of("student-t", "wine", "gelu", "blocks3")) {
            Setting s = SettingCatalogue.byName(name, 4).setting();
            assertThat(C2.applicability(s)).as(name).hasValueSatisfying(r -> assertThat(r)
                    .startsWith("C2: no closed-form population loss").endsWith("(setting: " + Applicability.label(s) + ")"));
        }
    }

    @Test
    void aGradientAtAPerturbedLeakySlopeIsViolated() {
        Setting leaky = SettingCatalogue.byName("leaky", 4).setting();
        double a = ((Activation.LeakyRelu) leaky.activation()).a();
        ClaimResult bad = C2UnderSetting.run(ctx(leaky), "C2", C2.statement(),
                s -> s.withActivation(new Activation.LeakyRelu(a + 1e-6)));
        print("leaky, gradient at slope a + 1e-6 (negative control)", bad);
        assertThat(bad.verdict()).as(bad.reason()).isEqualTo(Verdict.VIOLATED);
        assertThat(bad.reason()).contains("|grad - dL/dW|", "leaky-relu(0.1)");
    }
}
