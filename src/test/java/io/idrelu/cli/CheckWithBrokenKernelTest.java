package io.idrelu.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.idrelu.kernel.ScalarKernel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The point of {@code idrelu check} for kernel authors: a kernel whose batch gradient drops its last
 * element makes the run exit 1 with the claims that look at the batch gradient VIOLATED, while the same
 * claims HOLD on our scalar kernel (the control).
 */
class CheckWithBrokenKernelTest {
    @TempDir
    Path dir;

    private Map<String, String> verdicts(CliRun r) throws Exception {
        JsonNode o = Json.MAPPER.readTree(r.out());
        Map<String, String> v = new HashMap<>();
        for (JsonNode res : o.get("results")) {
            v.put(res.get("id").asText(), res.get("verdict").asText());
        }
        return v;
    }

    @Test
    void brokenKernelMakesCheckExitOneWithTheGradientClaimsViolated() throws Exception {
        CliRun broken = CliRun.of("check", "--preset", "quick", "--claims", "A1,A3,C3", "--json", "--threads", "2",
                "--out", dir.resolve("broken").toString(), "--kernel-class", BrokenTailKernel.class.getName());
        assertThat(broken.exit()).as(broken.err()).isEqualTo(1);
        Map<String, String> v = verdicts(broken);
        assertThat(v).containsEntry("A1", "VIOLATED").containsEntry("A3", "VIOLATED").containsEntry("C3", "VIOLATED");
        assertThat(broken.err()).contains("A1");

        // The replay file records the user's class, so the replay runs on the broken kernel again (no option
        // needed) and reproduces the VIOLATED result bit for bit; forcing our scalar kernel instead must not.
        Path a1 = dir.resolve("broken").resolve("replay").resolve("A1.json");
        JsonNode cfg = Json.MAPPER.readTree(a1.toFile()).get("config");
        assertThat(cfg.get("kernelClass").asText()).isEqualTo(BrokenTailKernel.class.getName());
        CliRun replay = CliRun.of("replay", a1.toString());
        assertThat(replay.exit()).as(replay.err()).isEqualTo(1);
        assertThat(replay.out()).contains("identical to the stored result");
        CliRun elsewhere = CliRun.of("replay", a1.toString(), "--kernel-class", ScalarKernel.class.getName());
        assertThat(elsewhere.exit()).as(elsewhere.err()).isEqualTo(3);
        assertThat(elsewhere.err()).contains("DIFFERS");

        CliRun control = CliRun.of("check", "--preset", "quick", "--claims", "A1,A3,C3", "--json", "--threads", "2",
                "--out", dir.resolve("control").toString(), "--kernel", "scalar");
        assertThat(control.exit()).as(control.err()).isZero();
        assertThat(verdicts(control)).containsEntry("A1", "HOLDS").containsEntry("A3", "HOLDS").containsEntry("C3", "HOLDS");
    }

    @Test
    void kernelClassErrorsAreUsageErrors() {
        CliRun missing = CliRun.of("check", "--preset", "quick", "--claims", "A1", "--out", dir.resolve("x").toString(),
                "--kernel-class", "com.example.NoSuchKernel");
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("com.example.NoSuchKernel");
        assertThat(dir.resolve("x")).doesNotExist();
        CliRun noClass = CliRun.of("check", "--preset", "quick", "--claims", "A1", "--out", dir.resolve("y").toString(),
                "--classpath", "nope.jar");
        assertThat(noClass.exit()).isEqualTo(2);
        assertThat(dir.resolve("y")).doesNotExist();
    }
}
