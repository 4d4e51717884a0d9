package io.idrelu.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.idrelu.report.Report;
import io.idrelu.report.Table;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code idrelu check} end to end with the real claims A1, C4, C14 at {@code --preset quick} under two settings other
 * than [LY17]'s: the README's worked example (the shipped Wine data, whitened) and leaky ReLU. A1 and C4 run and hold,
 * C14 is n/a with its reason, the exit code is 0; the replay of A1 under the setting is bit for bit the stored result.
 */
class CheckRealClaimsUnderSettingTest {
    @TempDir
    Path tmp;

    private static JsonNode report(Path dir) throws IOException {
        return Json.MAPPER.readTree(Files.readString(dir.resolve(Report.JSON_FILE)));
    }

    @Test
    void theWorkedExampleOnTheWineData() throws IOException {
        Path out = tmp.resolve("wine");
        CliRun r = CliRun.of("check", "--inputs", "classpath:datasets/wine.csv", "--whiten", "--preset", "quick",
                "--claims", "A1,C4,C14", "--threads", "2", "--out", out.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("Setting: dataset(wine.csv, whitened) (relu, inputs dataset(wine.csv, whitened), d = 13 (fixed by the")
                .containsPattern("A1 +HOLDS").containsPattern("C4 +HOLDS").containsPattern("C14 +n/a +not run under this setting")
                .contains("why: C14: the Hessian value (pi/2-1)/pi is for N(0, I), ReLU and one identity-mapped block",
                        "(setting: dataset(wine.csv, whitened))");
        assertThat(r.out().lines()).allSatisfy(l -> assertThat(l.length()).as(l).isLessThanOrEqualTo(Table.WIDTH));
        JsonNode j = report(out);
        assertThat(j.path("summary").path("holds").asInt()).isEqualTo(2);
        assertThat(j.path("summary").path("not_applicable").asInt()).isEqualTo(1);
        // catalogue order: C4, C14, A1
        assertThat(j.path("results").get(2).path("details").path("dims").get(0).asInt()).isEqualTo(13);
        assertThat(j.path("results").get(0).path("details").path("support").asText()).contains("all 178 rows");
    }

    @Test
    void leakyReluAndItsReplay() throws IOException {
        Path out = tmp.resolve("leaky");
        CliRun r = CliRun.of("check", "--activation", "leaky-relu:0.1", "--preset", "quick", "--claims", "A1,C4,C14",
                "--threads", "2", "--out", out.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("Setting: leaky-relu(0.1)").containsPattern("A1 +HOLDS").containsPattern("C4 +HOLDS")
                .containsPattern("C14 +n/a").contains("(setting: leaky-relu(0.1))");
        CliRun rep = CliRun.of("replay", out.resolve("replay/A1.json").toString());
        assertThat(rep.exit()).as(rep.err()).isZero();
        assertThat(rep.out()).contains("identical to the stored result, bit for bit");
    }
}
