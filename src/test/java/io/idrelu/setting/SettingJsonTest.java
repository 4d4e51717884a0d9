package io.idrelu.setting;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The setting as a value: JSON round trip, defaults, and one-line errors naming the field (issue 11). */
class SettingJsonTest {

    static List<Setting> examples() {
        Setting ly = Setting.ly17(8);
        return List.of(ly,
                ly.withArchitecture(new Architecture(8, 3, false)),
                ly.withActivation(new Activation.LeakyRelu(0.01)),
                ly.withActivation(new Activation.Softplus(2.5)),
                ly.withActivation(new Activation.Gelu()),
                Setting.ly17(2).withInputs(new InputLaw.GaussianCov(new double[][] {{2, 0.5}, {0.5, 1}})),
                ly.withInputs(new InputLaw.StudentT(5)),
                ly.withInputs(new InputLaw.Rademacher()),
                ly.withInputs(new InputLaw.Sphere()),
                Setting.ly17(13).withInputs(new InputLaw.DataSet("classpath:datasets/wine.csv", true, false)),
                ly.withLabels(new LabelModel.GaussianNoise(0.1)),
                ly.withInit(new Init.Scaled(0.5)),
                ly.withInit(new Init.SpectralNorm(0.084)));
    }

    @Test
    void everyKindRoundTrips() {
        for (Setting s : examples()) {
            String json = SettingJson.write(s);
            assertThat(SettingJson.parse(json)).as(json).isEqualTo(s);
        }
        // negative control: the round trip notices a change
        Setting a = examples().get(2);
        assertThat(SettingJson.parse(SettingJson.write(a).replace("0.01", "0.02"))).isNotEqualTo(a);
    }

    @Test
    void missingPartsTakeTheLy17Defaults() {
        Setting s = SettingJson.parse("{\"architecture\": {\"d\": 5}}");
        assertThat(s).isEqualTo(Setting.ly17(5));
        assertThat(s.isLy17()).isTrue();
        assertThat(Setting.ly17(5).withActivation(new Activation.Gelu()).isLy17()).isFalse();
    }

    @Test
    void errorsNameTheFieldAndTheExpectedValues() {
        expectError("{\"architecture\": {\"d\": 5}, \"activation\": {\"kind\": \"tanh\"}}",
                "activation.kind = \"tanh\": expected one of relu, leaky-relu, softplus, gelu");
        expectError("{\"architecture\": {\"d\": 5}, \"activation\": {\"kind\": \"leaky-relu\", \"slope\": 0.1}}",
                "activation (leaky-relu): unknown field 'slope': expected one of kind, a");
        expectError("{\"architecture\": {\"d\": 5}, \"activation\": {\"kind\": \"leaky-relu\", \"a\": 2}}",
                "activation.a = 2.0: expected a slope with -1 <= a <= 1");
        expectError("{\"architecture\": {\"d\": 5, \"depth\": 2}}", "architecture: unknown field 'depth': expected one of d, blocks, identity");
        expectError("{\"architecture\": {\"d\": 0}}", "architecture.d = 0: expected 1 <= d <= 4096");
        expectError("{\"architecture\": {\"d\": \"5\"}}", "architecture.d = \"5\": expected an integer");
        expectError("{\"architecture\": {\"d\": 5, \"blocks\": 0}}", "architecture.blocks = 0: expected 1 <= blocks <= 64");
        expectError("{\"d\": 5}", "setting: unknown field 'd': expected one of architecture, activation, inputs, labels, init");
        expectError("{\"activation\": {\"kind\": \"relu\"}}", "setting.architecture is missing");
        expectError("{\"architecture\": {\"d\": 5}, \"inputs\": {\"kind\": \"student-t\", \"nu\": 2}}", "inputs.nu = 2.0: expected finite degrees of freedom nu > 2");
        expectError("{\"architecture\": {\"d\": 2}, \"inputs\": {\"kind\": \"gaussian-cov\", \"sigma\": [[1, 0.5], [0, 1]]}}",
                "inputs.sigma[1][0] = 0.0 != sigma[0][1] = 0.5: expected a symmetric matrix");
        expectError("{\"architecture\": {\"d\": 3}, \"inputs\": {\"kind\": \"gaussian-cov\", \"sigma\": [[1, 0], [0, 1]]}}",
                "inputs.sigma is 2 x 2 != architecture.d = 3");
        expectError("{\"architecture\": {\"d\": 5}, \"labels\": {\"kind\": \"gaussian-noise\", \"sigma\": -1}}", "labels.sigma = -1.0: expected a finite number > 0");
        expectError("{\"architecture\": {\"d\": 5}, \"init\": {\"kind\": \"xavier\"}}", "init.kind = \"xavier\": expected one of spectral-norm, scaled");
        expectError("{\"architecture\": {\"d\": 5}, \"inputs\": {\"kind\": \"dataset\"}}", "inputs.path is missing: expected a .csv or .npy file");
        expectError("{\"architecture\": {\"d\": 5}", "setting is not valid JSON at line 1");
    }

    private static void expectError(String json, String message) {
        assertThatThrownBy(() -> SettingJson.parse(json)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message).satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }
}
