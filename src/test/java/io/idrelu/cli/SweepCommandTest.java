package io.idrelu.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.idrelu.report.SweepConfig;
import io.idrelu.report.SweepReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * End-to-end tests of {@code idrelu sweep} ([LY17] Theorem 3.1 beyond its assumptions) on a 2 x 2 grid
 * with few steps: the files, the success criterion with its negative control (the same criterion on a
 * step size far above the ~4/d stability limit must report failure), Phase I coverage (both a start
 * already in Phase II and a vanilla start in Phase I), independence of the thread count, and exit 2
 * with nothing written on bad input.
 */
class SweepCommandTest {

    /** Tiny grid: gamma {0.1, 0.3} x d {3, 5}, 2 seeds, 400 steps (well under a second of SGD). */
    private static List<String> tiny(Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("sweep", "--gamma", "0.1:0.3:2", "--d", "3,5", "--seeds", "2",
                "--steps", "400", "--batch", "16", "--kernel", "scalar", "--out", out.toString()));
        a.addAll(Arrays.asList(extra));
        return a;
    }

    private static JsonNode run(List<String> args) throws Exception {
        CliRun r = CliRun.of(args.toArray(String[]::new));
        assertThat(r.exit()).as(r.err()).isZero();
        Path out = Path.of(args.get(args.indexOf("--out") + 1));
        return Json.MAPPER.readTree(out.resolve(SweepReport.JSON_FILE).toFile());
    }

    private static JsonNode cell(JsonNode sweep, double gamma, int d) {
        for (JsonNode c : sweep.path("cells")) {
            if (c.path("gamma").asDouble() == gamma && c.path("d").asInt() == d) {
                return c;
            }
        }
        throw new AssertionError("no cell gamma " + gamma + ", d " + d);
    }

    @Test
    void writesReportAndSmallIdentityCellsConverge(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("r");
        CliRun r = CliRun.of(tiny(out, "--threads", "1").toArray(String[]::new));
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("gamma \\ d").contains("Report: ");
        assertThat(r.err()).contains("cell 4/4");
        for (String f : List.of("sweep.json", "sweep.html", "plots/sweep-success.svg", "plots/sweep-success.png",
                "plots/sweep-phase1.svg", "plots/sweep-phase1.png", "plots/sweep-final-error.svg", "plots/sweep-final-error.png",
                "plots/sweep-success-lines.svg", "plots/sweep-final-error-lines.png")) {
            assertThat(out.resolve(f)).as(f).isRegularFile();
            assertThat(Files.size(out.resolve(f))).as(f).isPositive();
        }
        String html = Files.readString(out.resolve("sweep.html"));
        assertThat(html).contains("<svg").doesNotContain("<script").contains("idrelu train --d 3 --gamma 0.1");
        JsonNode s = Json.MAPPER.readTree(out.resolve("sweep.json").toFile());
        assertThat(s.path("format").asText()).isEqualTo(SweepReport.FORMAT);
        assertThat(s.path("cells")).hasSize(4);
        for (JsonNode c : s.path("cells")) {
            assertThat(c.path("success_rate").asDouble()).isBetween(0.0, 1.0);
            assertThat(c.path("per_trial")).hasSize(2);
            for (JsonNode t : c.path("per_trial")) {
                // success is exactly the documented criterion: finite L(W_T) <= eps
                boolean expected = !t.path("final_loss").isNull() && t.path("final_loss").asDouble() <= 1e-6;
                assertThat(t.path("success").asBoolean()).isEqualTo(expected);
            }
        }
        // inside the theorem's spirit (small gamma, stable eta = 0.5/d): every trial converges ...
        JsonNode easy = cell(s, 0.1, 3);
        assertThat(easy.path("success_rate").asDouble()).isEqualTo(1.0);
        assertThat(easy.path("final_error_median").asDouble()).isLessThan(1e-6);
        // ... and starts in Phase II already (g(W0) < 197 gamma^2): Phase I length 0 covered
        for (JsonNode t : easy.path("per_trial")) {
            assertThat(t.path("phase1_steps").asInt()).isZero();
        }
    }

    @Test
    void negativeControlHugeStepSizeFailsTheSameCriterion(@TempDir Path tmp) throws Exception {
        // eta = 5 is far above the ~4/d stability limit for d = 3 and 5: the same success criterion must say no
        JsonNode s = run(tiny(tmp.resolve("r"), "--eta", "5", "--threads", "2"));
        for (JsonNode c : s.path("cells")) {
            assertThat(c.path("success_rate").asDouble()).as("cell %s", c.path("cell")).isZero();
        }
        assertThat(cell(s, 0.1, 3).path("diverged").asInt()).isEqualTo(2);
        assertThat(s.path("configuration").path("eta").asDouble()).isEqualTo(5.0);
    }

    @Test
    void vanillaStartsInPhaseOne(@TempDir Path tmp) throws Exception {
        // vanilla u_i = w_i small: g(W0) ~ d > 197 * 0.01, so Phase I has positive length (both phases covered)
        JsonNode s = run(tiny(tmp.resolve("r"), "--vanilla", "--threads", "2"));
        assertThat(s.path("configuration").path("student").asText()).isEqualTo("vanilla");
        for (JsonNode t : cell(s, 0.1, 3).path("per_trial")) {
            assertThat(t.path("phase1_steps").isNull() || t.path("phase1_steps").asInt() > 0).as(t.toString()).isTrue();
            assertThat(t.path("replay").asText()).contains("--vanilla");
        }
    }

    @Test
    void resultsDoNotDependOnThreadCount(@TempDir Path tmp) throws Exception {
        JsonNode one = run(tiny(tmp.resolve("one"), "--threads", "1"));
        JsonNode two = run(tiny(tmp.resolve("two"), "--threads", "2"));
        assertThat(SweepReport.deterministic(two)).isEqualTo(SweepReport.deterministic(one));
        // negative control of the comparison: another base seed changes the trials
        JsonNode other = run(tiny(tmp.resolve("other"), "--threads", "2", "--seed", "7"));
        assertThat(SweepReport.deterministic(other)).isNotEqualTo(SweepReport.deterministic(one));
    }

    @Test
    void jsonOnStdout(@TempDir Path tmp) throws Exception {
        CliRun r = CliRun.of("sweep", "--gamma", "0.2", "--d", "2", "--seeds", "1", "--steps", "10", "--json",
                "--out", tmp.resolve("j").toString());
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode j = Json.MAPPER.readTree(r.out());
        assertThat(j.path("cells")).hasSize(1);
        assertThat(j.path("cells").get(0).path("eta").asDouble()).isEqualTo(0.25);
        // the stored replay command repeats the trial bit for bit through 'idrelu train'
        JsonNode t = j.path("cells").get(0).path("per_trial").get(0);
        String[] replay = (t.path("replay").asText().substring("idrelu ".length()) + " --json").split(" ");
        CliRun train = CliRun.of(replay);
        assertThat(train.exit()).as(train.err()).isZero();
        JsonNode summary = Json.MAPPER.readTree(train.out());
        assertThat(summary.path("population_loss").asDouble()).isEqualTo(t.path("final_loss").asDouble());
        assertThat(summary.path("distance_squared").asDouble()).isEqualTo(t.path("final_error").asDouble());
    }

    @Test
    void badInputExitsTwoAndWritesNothing(@TempDir Path tmp) throws Exception {
        Path file = Files.writeString(tmp.resolve("afile"), "x");
        String[][] cases = {
            {"--gamma", "1:0:3"}, {"--gamma", "a:b:c"}, {"--gamma", "0.1:1:0"}, {"--gamma", "0.1:1"}, {"--gamma", "-1"},
            {"--d", ""}, {"--d", "4,x"}, {"--d", "0"}, {"--d", "100000"}, {"--d", "4,4"},
            {"--steps", "-1"}, {"--eta", "0"}, {"--eta", "-0.1"}, {"--eta-scale", "0"}, {"--eta", "0.1", "--eta-scale", "1"},
            {"--seeds", "0"}, {"--batch", "0"}, {"--eps", "0"}, {"--threads", "0"},
        };
        for (String[] c : cases) {
            Path out = tmp.resolve("o" + Math.abs(Arrays.hashCode(c)));
            List<String> a = new ArrayList<>(List.of("sweep", "--out", out.toString()));
            a.addAll(Arrays.asList(c));
            CliRun r = CliRun.of(a.toArray(String[]::new));
            assertThat(r.exit()).as(Arrays.toString(c) + ": " + r.err()).isEqualTo(2);
            assertThat(r.err().strip().lines().count()).as(r.err()).isEqualTo(1);
            assertThat(r.err()).as(Arrays.toString(c)).contains(c[0]).contains("expected");
            assertThat(out).as(Arrays.toString(c)).doesNotExist();
            assertThat(r.out()).isEmpty();
        }
        CliRun r = CliRun.of("sweep", "--out", file.resolve("sub").toString());
        assertThat(r.exit()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).contains("--out");
        CliRun f = CliRun.of("sweep", "--out", file.toString());
        assertThat(f.exit()).as(f.err()).isEqualTo(2);
        assertThat(Files.readString(file)).isEqualTo("x");
    }

    @Test
    void gammaGridParsing() {
        assertThat(SweepConfig.parseGammaGrid("0.1:1.5:5")).containsExactly(0.1, 0.45, 0.8, 1.15, 1.5);
        assertThat(SweepConfig.parseGammaGrid("0.3")).containsExactly(0.3);
        assertThat(SweepConfig.parseGammaGrid("0.3:0.3:1")).containsExactly(0.3);
        assertThat(SweepConfig.parseDimensions(" 4, 8 ,16")).containsExactly(4, 8, 16);
        assertThatThrownBy(() -> SweepConfig.parseGammaGrid("0.1:0.2:1")).hasMessageContaining("N = 1");
    }
}
