package io.idrelu.report;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.idrelu.cli.Json;
import io.idrelu.cli.UsageException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The journal of finished units: append, reread, torn last line, configuration check. */
class JournalTest {
    @TempDir
    Path dir;

    private static ObjectNode header(long seed) {
        ObjectNode h = Json.MAPPER.createObjectNode();
        h.put("journal", "idrelu-check/1");
        h.putObject("configuration").put("seed", seed);
        h.put("shard", "1/1");
        return h;
    }

    private static ObjectNode result(String id, double m) {
        ObjectNode r = Json.MAPPER.createObjectNode();
        r.put("id", id);
        r.put("measured", m);
        return r;
    }

    @Test
    void tornLastLineIsDroppedAndCutBeforeAppending() throws IOException {
        try (Journal j = Journal.open(dir, header(1), false)) {
            j.append("C1", result("C1", 0.1), 1.5);
            j.append("C2", result("C2", 0.2), 2.5);
        }
        Path f = dir.resolve(Journal.FILE);
        String whole = Files.readString(f);
        // kill in the middle of writing C2's line
        Files.writeString(f, whole.substring(0, whole.length() - 7));
        Map<String, Journal.Finished> done = Journal.readForResume(dir, header(1));
        assertThat(done).containsOnlyKeys("C1");
        assertThat(done.get("C1").result().path("measured").asDouble()).isEqualTo(0.1);
        try (Journal j = Journal.open(dir, header(1), true)) {
            assertThat(j.finished()).containsOnlyKeys("C1");
            j.append("C2", result("C2", 0.25), 2.0);
        }
        assertThat(Files.readAllLines(f)).hasSize(3);
        assertThat(Journal.readForResume(dir, header(1)).get("C2").result().path("measured").asDouble()).isEqualTo(0.25);
        // control: the complete file keeps both units
        Files.writeString(f, whole);
        assertThat(Journal.readForResume(dir, header(1))).containsOnlyKeys("C1", "C2");
    }

    @Test
    void garbledLineInTheMiddleAndOtherConfigurationAreRefused() throws IOException {
        try (Journal j = Journal.open(dir, header(1), false)) {
            j.append("C1", result("C1", 0.1), 1.5);
        }
        assertThatThrownBy(() -> Journal.readForResume(dir, header(2))).isInstanceOf(UsageException.class)
                .hasMessageContaining("configuration.seed (now vs journal: 2 vs 1)");
        Path f = dir.resolve(Journal.FILE);
        Files.writeString(f, Files.readString(f).replace("\"C1\",", "\"C1\" oops,") + "{\"id\":\"C2\"}\n");
        assertThatThrownBy(() -> Journal.readForResume(dir, header(1))).isInstanceOf(UsageException.class)
                .hasMessageContaining("line 2 is not JSON");
    }

    @Test
    void noJournalMeansNothingFinished() {
        assertThat(Journal.readForResume(dir, header(1))).isEmpty();
        assertThat(dir.resolve(Journal.FILE)).doesNotExist();
    }
}
