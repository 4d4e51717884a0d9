package io.idrelu.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code idrelu audit}: plumbing of A1-A3 to the CLI (the engine tests are the A1-A3 claim tests). */
class AuditCommandTest {
    @TempDir
    Path dir;

    @Test
    void randomInstanceReportsEveryQuantityWithinItsBound() throws Exception {
        CliRun r = CliRun.of("audit", "--d", "3", "--seed", "5", "--json", "--kernel", "scalar");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode o = Json.MAPPER.readTree(r.out());
        assertThat(o.get("passed").asBoolean()).isTrue();
        assertThat(o.get("reports")).hasSizeGreaterThanOrEqualTo(2 * 7);
        for (JsonNode rep : o.get("reports")) {
            assertThat(rep.get("maxRatio").asDouble()).as(rep.toString()).isLessThanOrEqualTo(1.0);
        }
    }

    @Test
    void fixtureBatchIsTheA1Batch() throws Exception {
        Path f = dir.resolve("f.json");
        Files.writeString(f, "{\"d\": 2, \"W\": [[0.1, 0], [0, 0.2]], \"Wstar\": [[0, 0.1], [0.1, 0]], \"X\": [[1, -1], [0.5, 2], [-1, -1]]}");
        CliRun r = CliRun.of("audit", "--fixture", f.toString(), "--precision", "double");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("A1").contains("A2").contains("A3").contains("every quantity within its bound");
        assertThat(r.out()).doesNotContain(" float ");
    }

    @Test
    void badInputIsAUsageError() {
        assertThat(CliRun.of("audit").exit()).isEqualTo(2);
        assertThat(CliRun.of("audit", "--d", "0").exit()).isEqualTo(2);
        CliRun r = CliRun.of("audit", "--d", "3", "--precision", "half");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("'half'");
        assertThat(CliRun.of("audit", "--d", "3", "--fixture", "x.json").exit()).isEqualTo(2);
    }
}
