package io.idrelu.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Bad input to {@code idrelu eval}: exit 2, one message naming the value, no stack trace, nothing on stdout. */
class EvalCommandUsageTest {
    @TempDir
    Path dir;

    private Path fixture(String json) throws IOException {
        Path p = dir.resolve("f.json");
        Files.writeString(p, json);
        return p;
    }

    private static void assertUsageError(CliRun r, String expected) {
        assertThat(r.exit()).as(r.err()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains(expected).doesNotContain("\tat ").doesNotContain("Exception");
    }

    @Test
    void missingFileIsAUsageError() {
        assertUsageError(CliRun.of("eval", "--fixture", dir.resolve("nope.json").toString(), "--quantity", "population"),
                "does not exist");
    }

    @Test
    void badFixtureIsAUsageError() throws IOException {
        Path p = fixture("{\"d\": 2, \"W\": [[0, 0], [0]], \"Wstar\": [[0, 0], [0, 0]]}");
        assertUsageError(CliRun.of("eval", "--fixture", p.toString(), "--quantity", "population"), "\"W\"[1] has 1 entries: expected 2");
    }

    @Test
    void batchQuantityNeedsX() throws IOException {
        Path p = fixture("{\"d\": 1, \"W\": [[0]], \"Wstar\": [[0]]}");
        assertUsageError(CliRun.of("eval", "--fixture", p.toString(), "--quantity", "batch"), "has no \"X\"");
    }

    @Test
    void unknownQuantityPathKernelAndDigitsAreUsageErrors() throws IOException {
        Path p = fixture("{\"d\": 1, \"W\": [[0]], \"Wstar\": [[0]]}");
        assertUsageError(CliRun.of("eval", "--fixture", p.toString(), "--quantity", "hessian"), "'hessian' is not a quantity");
        assertUsageError(CliRun.of("eval", "--fixture", p.toString(), "--quantity", "population", "--path", "gpu"), "'gpu' is not a path");
        assertUsageError(CliRun.of("eval", "--fixture", p.toString(), "--quantity", "population", "--kernel", "avx"), "'avx' is not a kernel");
        assertUsageError(CliRun.of("eval", "--fixture", p.toString(), "--quantity", "population", "--digits", "0"), "--digits 0");
        assertUsageError(CliRun.of("eval", "--fixture", p.toString(), "--quantity", "population", "--repeat", "0"), "--repeat 0");
        assertUsageError(CliRun.of("eval", "--quantity", "population"), "--fixture");
    }

    @Test
    void threadsOutOfRangeOrUnusedAreUsageErrors() throws IOException {
        Path p = fixture("{\"d\": 1, \"W\": [[0]], \"Wstar\": [[0]]}");
        String f = p.toString();
        assertUsageError(CliRun.of("eval", "--fixture", f, "--quantity", "population", "--path", "fast", "--threads", "0"),
                "--threads 0: expected 1 <= K <= 256");
        assertUsageError(CliRun.of("eval", "--fixture", f, "--quantity", "population", "--threads", "2"),
                "--threads 2: only --path fast --quantity population in double precision");
        assertUsageError(CliRun.of("eval", "--fixture", f, "--quantity", "population", "--path", "fast", "--precision",
                "float", "--threads", "2"), "--threads 2: only");
        CliRun ok = CliRun.of("eval", "--fixture", f, "--quantity", "population", "--path", "fast", "--threads", "2");
        assertThat(ok.exit()).as(ok.err()).isZero();
        assertThat(ok.out()).contains("\"threads\" : 2");
    }
}
