package io.idrelu.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.idrelu.kernel.ScalarKernel;
import io.idrelu.report.SettingTrial;
import io.idrelu.report.SweepAxisReport;
import io.idrelu.report.SweepReport;
import io.idrelu.setting.Architecture;
import io.idrelu.setting.InputSampler;
import io.idrelu.setting.PopulationRoute;
import io.idrelu.setting.Setting;
import io.idrelu.setting.SettingProblem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code idrelu sweep} under a setting and over one setting axis (issue 11): the [LY17] sweep is byte for byte the
 * one before settings existed (a stored sweep.json of the previous build), a leaky-ReLU sweep judged on its closed
 * form, a {@code blocks=1,2} axis (one section per value; the second judged by Monte Carlo with its interval), bad
 * values exit 2 with one line and no files, and negative controls: a success rule that ignores the setting's
 * population (or the Monte Carlo interval) classifies a constructed case wrongly.
 */
class SweepUnderSettingTest {
    private static final double EPS = 1e-6;

    /** The grid of the stored [LY17] output: gamma {0.1, 0.3} x d {3, 5}, 2 seeds, 400 steps, batch 16, scalar kernel. */
    private static List<String> tiny(Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("sweep", "--gamma", "0.1:0.3:2", "--d", "3,5", "--seeds", "2",
                "--steps", "400", "--batch", "16", "--kernel", "scalar", "--threads", "1", "--out", out.toString()));
        a.addAll(Arrays.asList(extra));
        return a;
    }

    private static JsonNode run(List<String> args) throws Exception {
        CliRun r = CliRun.of(args.toArray(String[]::new));
        assertThat(r.exit()).as(r.err()).isZero();
        Path out = Path.of(args.get(args.indexOf("--out") + 1));
        return Json.MAPPER.readTree(out.resolve(SweepReport.JSON_FILE).toFile());
    }

    private static JsonNode before() throws Exception {
        try (InputStream in = SweepUnderSettingTest.class.getResourceAsStream("/sweep/ly17-tiny-before-settings.json")) {
            return Json.MAPPER.readTree(in);
        }
    }

    @Test
    void ly17SweepIsTheOneBeforeSettingsAndAnAxisSectionOfItToo(@TempDir Path tmp) throws Exception {
        String expected = Json.write(SweepReport.deterministic(before()));
        JsonNode plain = run(tiny(tmp.resolve("plain")));
        assertThat(Json.write(SweepReport.deterministic(plain))).isEqualTo(expected);
        assertThat(plain.path("configuration").has("setting")).isFalse();
        JsonNode spelled = run(tiny(tmp.resolve("spelled"), "--setting", "ly17", "--activation", "relu"));
        assertThat(Json.write(SweepReport.deterministic(spelled))).isEqualTo(expected);

        // blocks=1,2: section 1 is that same [LY17] sweep; section 2 is judged by Monte Carlo with its interval
        Path out = tmp.resolve("axis");
        CliRun r = CliRun.of(tiny(out, "--axis", "blocks=1,2").toArray(String[]::new));
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("== blocks=1 (setting ly17) ==").contains("== blocks=2 (setting blocks=2) ==");
        JsonNode top = Json.MAPPER.readTree(out.resolve("sweep.json").toFile());
        assertThat(top.path("format").asText()).isEqualTo(SweepAxisReport.FORMAT);
        assertThat(top.path("axis").path("name").asText()).isEqualTo("blocks");
        assertThat(top.path("sections")).hasSize(2);
        JsonNode one = top.path("sections").get(0);
        JsonNode two = top.path("sections").get(1);
        assertThat(one.path("setting_label").asText()).isEqualTo("ly17");
        assertThat(two.path("setting_label").asText()).isEqualTo("blocks=2");
        assertThat(Json.write(SweepReport.deterministic(one.path("sweep")))).isEqualTo(expected);
        assertThat(two.path("sweep").path("configuration").path("setting").path("architecture").path("blocks").asInt()).isEqualTo(2);
        int trials = 0;
        for (JsonNode c : two.path("sweep").path("cells")) {
            for (JsonNode t : c.path("per_trial")) {
                trials++;
                assertThat(t.path("population_route").asText()).isEqualTo("monte_carlo");
                double l = t.path("final_loss").asDouble();
                double hw = t.path("final_loss_half_width").asDouble();
                assertThat(hw).isPositive();
                // the documented rule, nothing else: success iff upper end <= eps, undecided iff eps inside the interval
                assertThat(t.path("success").asBoolean()).isEqualTo(l + hw <= EPS);
                assertThat(t.path("undecided").asBoolean()).isEqualTo(l + hw > EPS && l - hw <= EPS);
            }
        }
        assertThat(trials).isEqualTo(8);
        for (String f : List.of("sweep.html", "1-blocks-1/sweep.json", "1-blocks-1/sweep.html", "2-blocks-2/sweep.json",
                "2-blocks-2/plots/sweep-success.svg")) {
            assertThat(out.resolve(f)).as(f).isRegularFile();
        }
        String html = Files.readString(out.resolve("sweep.html"));
        assertThat(html).contains("<h2>blocks=1: setting ly17</h2>").contains("<h2>blocks=2: setting blocks=2</h2>")
                .contains("undecided").contains("2-blocks-2/sweep.html");
    }

    @Test
    void leakySweepIsJudgedOnItsClosedForm(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("leaky");
        JsonNode s = run(List.of("sweep", "--gamma", "0.1:0.3:2", "--d", "3", "--seeds", "2", "--steps", "300", "--batch", "16",
                "--threads", "1", "--activation", "leaky-relu:0.1", "--out", out.toString()));
        assertThat(s.path("configuration").path("setting_label").asText()).isEqualTo("leaky-relu(0.1)");
        assertThat(s.path("definitions").path("success").asText()).contains("closed form").contains("leaky-relu(0.1)");
        int successes = 0;
        for (JsonNode c : s.path("cells")) {
            for (JsonNode t : c.path("per_trial")) {
                assertThat(t.path("population_route").asText()).isEqualTo("closed_form");
                assertThat(t.path("undecided").asBoolean()).isFalse();
                boolean expected = !t.path("final_loss").isNull() && t.path("final_loss").asDouble() <= EPS;
                assertThat(t.path("success").asBoolean()).isEqualTo(expected);
                successes += expected ? 1 : 0;
            }
        }
        assertThat(successes).as("coverage: some trial converges at gamma 0.1, d 3").isPositive();
        assertThat(Files.readString(out.resolve("sweep.html"))).contains("setting leaky-relu(0.1)");
    }

    @Test
    void badSettingOrAxisValuesExitTwoWithOneLineAndNoFiles(@TempDir Path tmp) {
        String[][] cases = {
                {"--axis", "activation=relu,tanh"}, {"--axis", "depth=1,2"}, {"--axis", "blocks=1,0"}, {"--axis", "blocks=1,1"},
                {"--axis", "noise=0,-1"}, {"--axis", "blocks"}, {"--axis", "blocks=1,2", "--blocks", "2"},
                {"--inputs", "classpath:datasets/wine.csv", "--d", "8"}, {"--axis", "law=gaussian", "--inputs", "classpath:datasets/wine.csv"},
                {"--init", "gamma:0.2", "--activation", "gelu"}, {"--activation", "leaky-relu:2"},
                {"--activation", "gelu", "--precision", "float"},
        };
        String[] named = {"tanh", "depth", "'0'", "'1'", "'-1'", "blocks", "--blocks 2", "d = 8", "law=gaussian", "--init",
                "leaky-relu:2", "--precision float"};
        for (int i = 0; i < cases.length; i++) {
            Path out = tmp.resolve("bad" + i);
            List<String> a = new ArrayList<>(List.of("sweep", "--steps", "1", "--out", out.toString()));
            a.addAll(Arrays.asList(cases[i]));
            CliRun r = CliRun.of(a.toArray(String[]::new));
            String what = String.join(" ", cases[i]);
            assertThat(r.exit()).as(what + ": " + r.err()).isEqualTo(2);
            assertThat(r.err().strip().lines().count()).as(what + ": " + r.err()).isEqualTo(1);
            assertThat(r.err()).as(what).contains(named[i]).doesNotContain("Exception");
            assertThat(r.out()).as(what).isEmpty();
            assertThat(out).as(what).doesNotExist();
        }
    }

    /**
     * Negative control of the success rule: two blocks with the first equal to the teacher's and the second not. A rule
     * that ignores the setting's population (today's closed form on the first block) calls it a success (L = 0); the
     * setting's own route says failure.
     */
    @Test
    void aRuleIgnoringTheSettingsPopulationMisclassifiesAConstructedCase() {
        int d = 3;
        Setting two = Setting.ly17(d, 0.3).withArchitecture(new Architecture(d, 2, true));
        SettingProblem p = SettingProblem.random(two, 11);
        List<double[]> ws = p.wStar();
        List<double[]> w = List.of(ws.get(0).clone(), p.w0().get(1)); // block 1 exact, block 2 the random start
        ScalarKernel kernel = new ScalarKernel();
        double ignoring = kernel.populationLossAndGradient(d, true, w.get(0), ws.get(0), null);
        assertThat(ignoring).isLessThanOrEqualTo(EPS); // the wrong rule: success
        SettingTrial.Estimate right = SettingTrial.excessLoss(two, kernel, InputSampler.of(two.inputs(), d), w, ws, 11);
        assertThat(right.route()).isEqualTo(PopulationRoute.MONTE_CARLO);
        assertThat(right.decide(EPS)).isEqualTo(SettingTrial.Decision.FAILURE);
        // control: at the teacher itself both rules agree on success (the estimate is exactly 0)
        assertThat(SettingTrial.excessLoss(two, kernel, InputSampler.of(two.inputs(), d), ws, ws, 11).decide(EPS))
                .isEqualTo(SettingTrial.Decision.SUCCESS);
    }

    /** Negative control of the interval: a mean below eps whose interval reaches above it is undecided, not a success. */
    @Test
    void aMonteCarloMeanBelowEpsWithAWideIntervalIsUndecided() {
        var e = new SettingTrial.Estimate(0.9 * EPS, 0.2 * EPS, PopulationRoute.MONTE_CARLO);
        assertThat(e.value() <= EPS).isTrue(); // a rule on the mean alone would call it a success
        assertThat(e.decide(EPS)).isEqualTo(SettingTrial.Decision.UNDECIDED);
        assertThat(new SettingTrial.Estimate(1.3 * EPS, 0.2 * EPS, PopulationRoute.MONTE_CARLO).decide(EPS))
                .isEqualTo(SettingTrial.Decision.FAILURE);
        assertThat(new SettingTrial.Estimate(0.7 * EPS, 0.2 * EPS, PopulationRoute.MONTE_CARLO).decide(EPS))
                .isEqualTo(SettingTrial.Decision.SUCCESS);
        assertThat(new SettingTrial.Estimate(Double.NaN, 0, PopulationRoute.CLOSED_FORM).decide(EPS))
                .isEqualTo(SettingTrial.Decision.FAILURE);
    }
}
