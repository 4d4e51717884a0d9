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
        assertUsageError(CliRun.of("eval", "--fixture", f, "--quantity", "forward", "--threads", "2"),
                "--threads 2: only --quantity population (reference, or fast in double precision) uses threads");
        assertUsageError(CliRun.of("eval", "--fixture", f, "--quantity", "population", "--path", "fast", "--precision",
                "float", "--threads", "2"), "--threads 2: only");
        CliRun ok = CliRun.of("eval", "--fixture", f, "--quantity", "population", "--path", "fast", "--threads", "2");
        assertThat(ok.exit()).as(ok.err()).isZero();
        assertThat(ok.out()).contains("\"threads\" : 2");
    }

    /**
     * {@code eval --path reference --quantity population --threads K}: the same printed output (timing fields removed)
     * for K = 1, 2, 3, 8 at d = 3 (fewer tasks than 8 threads). Negative control: one entry of W changed in its last
     * digit changes the output the comparison sees.
     */
    @Test
    void referencePopulationPrintsTheSameForEveryThreadCount() throws IOException {
        String w = "[[0.1, -0.2, 0.05], [0.3, 0.0, -0.1], [0.2, 0.1, 0.25]]";
        String ws = "[[0.0, 0.1, -0.3], [0.2, -0.1, 0.0], [0.1, 0.3, 0.2]]";
        String f = fixture("{\"d\": 3, \"identity\": true, \"W\": " + w + ", \"Wstar\": " + ws + "}").toString();
        String one = referenceOutput(f, 1);
        assertThat(one).contains("\"paper_grad\"");
        for (int k : new int[] {2, 3, 8}) {
            assertThat(referenceOutput(f, k)).as("K = %d", k).isEqualTo(one);
        }
        Path moved = dir.resolve("g.json");
        Files.writeString(moved, "{\"d\": 3, \"identity\": true, \"W\": " + w.replace("0.25", "0.2500000001") + ", \"Wstar\": " + ws + "}");
        assertThat(referenceOutput(moved.toString(), 3)).isNotEqualTo(one);
    }

    private static String referenceOutput(String fixture, int threads) {
        CliRun r = CliRun.of("eval", "--fixture", fixture, "--quantity", "population", "--path", "reference", "--digits", "30",
                "--repeat", "1", "--warmup", "0", "--threads", String.valueOf(threads));
        assertThat(r.exit()).as(r.err()).isZero();
        return r.out().replaceAll("\"seconds_[a-z_]+\" : [0-9.eE+-]+,?", "");
    }
}
