package io.idrelu.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The scalar fallback in a JVM started WITHOUT {@code --add-modules=jdk.incubator.vector}, whatever the
 * test JVM has: {@code auto} runs the scalar kernel with exactly one note on stderr saying how to enable
 * the vector kernel, an explicit {@code --kernel vector} is a usage error (exit 2), and the results are
 * the same bits as the scalar kernel in this JVM (the kernels are deterministic).
 */
class WithoutVectorModuleTest {
    @TempDir
    Path dir;

    private record Proc(int exit, String out, String err) { }

    private Proc runWithoutModule(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Proc(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    @Test
    void autoFallsBackToScalarWithOneNoteAndVectorIsAUsageError() throws Exception {
        Path f = dir.resolve("f.json");
        Files.writeString(f, "{\"d\": 3, \"W\": [[0.1,0,0],[0,0.2,0],[0,0,-0.1]], \"Wstar\": [[0,0.1,0],[0,0,0.1],[0.1,0,0]],"
                + " \"X\": [[1,-1,0.5],[0.25,2,-3]]}");
        Proc auto = runWithoutModule("eval", "--fixture", f.toString(), "--quantity", "batch", "--path", "fast");
        assertThat(auto.exit()).as(auto.err()).isZero();
        assertThat(auto.out()).contains("\"kernel\" : \"scalar\"");
        assertThat(auto.err().lines().filter(l -> l.contains("--add-modules=jdk.incubator.vector")).count()).isEqualTo(1);

        CliRun scalarHere = CliRun.of("eval", "--fixture", f.toString(), "--quantity", "batch", "--path", "fast", "--kernel", "scalar");
        var a = Json.MAPPER.readTree(auto.out());
        var b = Json.MAPPER.readTree(scalarHere.out());
        assertThat(a.get("grad")).isEqualTo(b.get("grad"));
        assertThat(a.get("loss")).isEqualTo(b.get("loss"));

        Proc vector = runWithoutModule("eval", "--fixture", f.toString(), "--quantity", "batch", "--path", "fast", "--kernel", "vector");
        assertThat(vector.exit()).isEqualTo(2);
        assertThat(vector.out()).isEmpty();
        assertThat(vector.err()).contains("--add-modules=jdk.incubator.vector").doesNotContain("\tat ");
    }
}
