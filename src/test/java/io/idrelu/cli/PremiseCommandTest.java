package io.idrelu.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code idrelu premise}: output on the shipped data, exit 2 with one line on bad input and no stdout. */
class PremiseCommandTest {
    @TempDir
    Path dir;

    @Test
    void reportsOnTheShippedWineData() throws Exception {
        CliRun table = CliRun.of("premise", "--inputs", "classpath:datasets/wine.csv", "--standardise");
        assertThat(table.exit()).as(table.err()).isEqualTo(0);
        assertThat(table.out()).contains("178 rows x 13 columns, standardised").contains("malic_acid").contains("REJECTED for malic_acid");
        CliRun json = CliRun.of("premise", "--inputs", "classpath:datasets/wine.csv", "--whiten", "--json");
        assertThat(json.exit()).isEqualTo(0);
        JsonNode o = new ObjectMapper().readTree(json.out());
        assertThat(o.get("preparation").asText()).isEqualTo("whitened");
        assertThat(o.get("columns")).hasSize(13);
        assertThat(o.get("relu_kernel").get("pairs")).hasSize(10);
    }

    @Test
    void badInputExitsTwoWithOneLine() throws Exception {
        Path p = dir.resolve("bad.csv");
        Files.writeString(p, "a,b\n1,2\n3,oops\n");
        CliRun r = CliRun.of("premise", "--inputs", p.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().strip()).doesNotContain("\n").contains("line 3, column 2: 'oops' is not a number");
        CliRun a = CliRun.of("premise", "--inputs", "classpath:datasets/wine.csv", "--alpha", "2");
        assertThat(a.exit()).isEqualTo(2);
        assertThat(a.err()).contains("--alpha = 2.0: expected a level 0 < alpha < 1");
        CliRun m = CliRun.of("premise", "--inputs", dir.resolve("none.csv").toString());
        assertThat(m.exit()).isEqualTo(2);
        assertThat(m.err()).contains("no such file");
    }
}
