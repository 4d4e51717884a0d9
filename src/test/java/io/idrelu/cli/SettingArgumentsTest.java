package io.idrelu.cli;

import io.idrelu.setting.Activation;
import io.idrelu.setting.Architecture;
import io.idrelu.setting.InputLaw;
import io.idrelu.setting.LabelModel;
import io.idrelu.setting.Setting;
import io.idrelu.setting.SettingJson;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link SettingArguments#options}: a setting written as options resolves back to the same setting (its JSON,
 * which holds every part and every double exactly), for every kind of part, including values that are not short
 * decimals (1/3, 1e-7) and a covariance (inline JSON). Negative control: distinct settings render to distinct options
 * (a renderer that dropped a part would collide), and a dropped option no longer round-trips.
 */
class SettingArgumentsTest {

    /** A command with only the setting options, to parse rendered options the way train does. */
    static final class Holder {
        @CommandLine.Mixin
        SettingOptions o = new SettingOptions();
    }

    private static Setting roundTrip(List<String> options, int d, double gamma) {
        Holder h = new Holder();
        new CommandLine(h).parseArgs(options.toArray(String[]::new));
        return SettingArguments.atDimension(h.o, d, gamma, false);
    }

    private static List<Setting> settings() {
        List<Setting> l = new ArrayList<>();
        Setting b = Setting.ly17(4, 0.3);
        l.add(b.withActivation(new Activation.LeakyRelu(0.1)));
        l.add(b.withActivation(new Activation.LeakyRelu(1.0 / 3)));
        l.add(b.withActivation(new Activation.Softplus(4)));
        l.add(b.withActivation(new Activation.Gelu()));
        l.add(b.withArchitecture(new Architecture(4, 3, true)));
        l.add(b.withArchitecture(new Architecture(4, 1, false)));
        l.add(b.withArchitecture(new Architecture(4, 2, false)).withActivation(new Activation.Gelu()));
        l.add(b.withLabels(new LabelModel.GaussianNoise(1e-7)));
        l.add(b.withInputs(new InputLaw.StudentT(5.5)));
        l.add(b.withInputs(new InputLaw.Rademacher()));
        l.add(b.withInputs(new InputLaw.Sphere()));
        l.add(b.withInputs(new InputLaw.GaussianCov(new double[][] {{1, 0.3, 0, 0}, {0.3, 1, 0.2, 0}, {0, 0.2, 0.5, 0}, {0, 0, 0, 2}})));
        Setting wine = Setting.ly17(13, 0.3);
        l.add(wine.withInputs(new InputLaw.DataSet("classpath:datasets/wine.csv", true, false)));
        l.add(wine.withInputs(new InputLaw.DataSet("classpath:datasets/wine.csv", true, true)).withLabels(new LabelModel.GaussianNoise(0.25)));
        return l;
    }

    @Test
    void everySettingRendersToOptionsThatResolveBackToIt() {
        Set<String> rendered = new HashSet<>();
        for (Setting s : settings()) {
            List<String> opts = SettingArguments.options(s);
            assertThat(SettingJson.write(roundTrip(opts, s.d(), 0.3))).as(String.join(" ", opts)).isEqualTo(SettingJson.write(s));
            rendered.add(SettingArguments.optionsText(s));
        }
        assertThat(rendered).hasSize(settings().size());
        assertThat(SettingArguments.options(Setting.ly17(4))).isEmpty();
    }

    @Test
    void droppingARenderedOptionBreaksTheRoundTrip() {
        for (Setting s : settings()) {
            List<String> opts = SettingArguments.options(s);
            List<String> cut = new ArrayList<>(opts.subList(0, opts.size() - 1));
            if (cut.size() % 2 == 1 && !cut.get(cut.size() - 1).startsWith("--")) {
                cut.remove(cut.size() - 1);
            }
            if (!cut.isEmpty() && cut.get(cut.size() - 1).startsWith("--") && !cut.get(cut.size() - 1).equals("--vanilla")
                    && !cut.get(cut.size() - 1).equals("--standardise") && !cut.get(cut.size() - 1).equals("--whiten")) {
                cut.remove(cut.size() - 1); // an option left without its value
            }
            Setting back = roundTrip(cut, s.d(), 0.3);
            assertThat(SettingJson.write(back)).as(String.join(" ", cut)).isNotEqualTo(SettingJson.write(s));
        }
    }

    @Test
    void shellQuotingKeepsSafeWordsBareAndQuotesTheRest() {
        assertThat(SettingArguments.shellQuote("leaky-relu:0.1")).isEqualTo("leaky-relu:0.1");
        assertThat(SettingArguments.shellQuote("/data/my file.csv")).isEqualTo("'/data/my file.csv'");
        assertThat(SettingArguments.shellQuote("it's")).isEqualTo("'it'\"'\"'s'");
        assertThat(SettingArguments.shellQuote("{\"a\":1}")).isEqualTo("'{\"a\":1}'");
    }

    @Test
    void todaysPathIsLy17UpToGammaAndTheIdentityMapping() {
        assertThat(SettingArguments.todaysPath(Setting.ly17(5, 0.7))).isTrue();
        assertThat(SettingArguments.todaysPath(Setting.ly17(5).withArchitecture(new Architecture(5, 1, false)))).isTrue();
        assertThat(SettingArguments.todaysPath(Setting.ly17(5).withActivation(new Activation.LeakyRelu(0)))).isFalse();
        assertThat(SettingArguments.todaysPath(Setting.ly17(5).withArchitecture(new Architecture(5, 2, true)))).isFalse();
        assertThat(SettingArguments.todaysPath(Setting.ly17(5).withLabels(new LabelModel.GaussianNoise(0.1)))).isFalse();
    }
}
