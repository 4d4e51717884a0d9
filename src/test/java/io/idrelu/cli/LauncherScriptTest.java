package io.idrelu.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code idrelu} launcher script (issue 12: every command printed the JVM's "WARNING: Using incubator
 * modules" line; the first build printed 85 lines with escape codes). Runs a copy of the script in a temporary
 * directory: with the real JVM on a jar whose class path is this test's (so the real warning is produced, and
 * the negative control shows it without the launcher), with a fake {@code java} for the filter's details
 * (exit code, other WARNING lines, partial progress lines arriving live, stdin), and with a fake {@code mvn}
 * for the quiet build (success and failure).
 */
class LauncherScriptTest {
    static final String JVM_LINE = "WARNING: Using incubator modules: jdk.incubator.vector";

    @TempDir
    Path root;
    Path jar;

    @BeforeEach
    void copyLauncher() throws IOException {
        Path script = Path.of("idrelu").toAbsolutePath();
        assertThat(script).as("the launcher at the repository root").exists();
        Files.copy(script, root.resolve("idrelu"));
        Files.createDirectories(root.resolve("target"));
        jar = root.resolve("jars/idrelu-0-all.jar");
        Files.createDirectories(jar.getParent());
        writeClassPathJar(jar);
    }

    @Test
    void realJvmWarningIsFilteredAndOutputKept() throws Exception {
        Files.copy(jar, root.resolve("target/idrelu-0-all.jar"));
        Run r = run(Map.of(), "", "bash", "idrelu", "--version");
        assertThat(r.exit).as(r.err).isZero();
        assertThat(r.out).startsWith("idrelu ");
        assertThat(r.err).as("stderr of --version through the launcher").isEmpty();

        // negative control: the same jar on the same JVM without the launcher prints the line
        Run direct = run(Map.of(), "", javaBin().toString(), "--add-modules=jdk.incubator.vector", "-jar",
                jar.toString(), "--version");
        assertThat(direct.exit).isZero();
        assertThat(direct.err.lines()).contains(JVM_LINE);
    }

    @Test
    void failingCommandKeepsItsExitCodeAndError() throws Exception {
        Files.copy(jar, root.resolve("target/idrelu-0-all.jar"));
        Path missing = root.resolve("no-such-fixture.json");
        Run r = run(Map.of(), "", "bash", "idrelu", "eval", "--fixture", missing.toString(), "--quantity", "batch");
        assertThat(r.exit).isEqualTo(2);
        assertThat(r.out).isEmpty();
        assertThat(r.err.lines().toList()).singleElement().asString()
                .startsWith("idrelu eval: error: fixture " + missing).contains("does not exist");
    }

    @Test
    void filterDropsOnlyTheJvmLineAndPassesPartialLinesLive() throws Exception {
        Files.copy(jar, root.resolve("target/idrelu-0-all.jar"));
        Path fakeJdk = root.resolve("fake-jdk");
        executable(fakeJdk.resolve("bin/java"), String.join("\n",
                "#!/usr/bin/env bash",
                "printf '%s\\n' '" + JVM_LINE + "' >&2",
                "read -r line; printf 'stdin: %s\\n' \"$line\"",
                "printf '%s\\n' '" + JVM_LINE + " (a message quoting it)' >&2",
                "printf '\\r[1/2] partial' >&2",
                "sleep 2",
                "printf '\\r[2/2] done\\n' >&2",
                "printf 'last error line\\n' >&2",
                "exit 7", ""));
        long start = System.nanoTime();
        Run r = run(Map.of("JAVA_HOME", fakeJdk.toString()), "hello\n", "bash", "idrelu", "check");
        assertThat(r.exit).as("java's exit code").isEqualTo(7);
        assertThat(r.out).isEqualTo("stdin: hello\n");
        assertThat(r.err).isEqualTo(JVM_LINE + " (a message quoting it)\n\r[1/2] partial\r[2/2] done\nlast error line\n");
        // the partial progress line reached the caller while java was still sleeping (2 s), not at its exit
        double partialAt = (r.firstSeenNanos("[1/2] partial") - start) / 1e9;
        double exitAt = (r.exitNanos - start) / 1e9;
        assertThat(exitAt - partialAt).as("seconds between the partial line's arrival (%.2f) and the exit (%.2f)",
                partialAt, exitAt).isGreaterThan(1.0);
    }

    @Test
    void firstBuildIsQuietAndFailuresShowMavensErrors() throws Exception {
        Files.writeString(root.resolve("pom.xml"), "<project/>\n");
        Path bin = root.resolve("fake-bin");
        String noise = "for i in $(seq 1 85); do printf '\\033[1;34m[INFO]\\033[m line %d\\n' \"$i\"; done";
        executable(bin.resolve("mvn"), String.join("\n",
                "#!/usr/bin/env bash",
                "printf '%s\\n' \"$*\" > \"$FAKE_MVN_ARGS\"",
                noise,
                "printf 'a JVM warning of Maven itself\\n' >&2",
                "if [ -n \"${FAKE_MVN_FAIL:-}\" ]; then printf '[ERROR] /x/Y.java:[3,1] class, interface expected\\n'; exit 1; fi",
                "cp \"$FAKE_JAR\" target/idrelu-0-all.jar", ""));
        Path args = root.resolve("mvn-args.txt");
        String path = bin + File.pathSeparator + System.getenv("PATH");

        Run fail = run(Map.of("PATH", path, "FAKE_MVN_ARGS", args.toString(), "FAKE_JAR", jar.toString(),
                "FAKE_MVN_FAIL", "1"), "", "bash", "idrelu", "--version");
        assertThat(fail.exit).isEqualTo(2);
        assertThat(fail.out).isEmpty();
        assertThat(fail.err.lines().toList()).containsExactly(
                "idrelu: building the jar (first use or sources changed; about a minute; log: target/idrelu-build.log)...",
                "idrelu: build failed; Maven's errors (full log: " + root.resolve("target/idrelu-build.log") + "):",
                "[ERROR] /x/Y.java:[3,1] class, interface expected");

        Run ok = run(Map.of("PATH", path, "FAKE_MVN_ARGS", args.toString(), "FAKE_JAR", jar.toString()), "",
                "bash", "idrelu", "--version");
        assertThat(ok.exit).as(ok.err).isZero();
        assertThat(ok.out).startsWith("idrelu ");
        assertThat(ok.err.lines().toList()).as("one line for the whole build").containsExactly(
                "idrelu: building the jar (first use or sources changed; about a minute; log: target/idrelu-build.log)...");
        assertThat(ok.out + ok.err).doesNotContain("\u001b");
        assertThat(Files.readString(args).trim()).isEqualTo("-B -ntp -Dstyle.color=never -DskipTests package");
        String log = Files.readString(root.resolve("target/idrelu-build.log"));
        assertThat(log).contains("line 85", "a JVM warning of Maven itself");

        // the jar now exists and is newer than the sources: no second build
        Run again = run(Map.of("PATH", path, "FAKE_MVN_ARGS", args.toString(), "FAKE_JAR", jar.toString(),
                "FAKE_MVN_FAIL", "1"), "", "bash", "idrelu", "--version");
        assertThat(again.exit).as(again.err).isZero();
        assertThat(again.err).isEmpty();
    }

    // ------------------------------------------------------------------ helpers

    /** A manifest-only jar: Main-Class of the CLI, Class-Path = this test JVM's class path (classes and dependencies). */
    private static void writeClassPathJar(Path out) throws IOException {
        List<String> urls = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!e.isBlank()) {
                urls.add(Path.of(e).toAbsolutePath().toUri().toString());
            }
        }
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        m.getMainAttributes().put(Attributes.Name.MAIN_CLASS, Main.class.getName());
        m.getMainAttributes().put(Attributes.Name.CLASS_PATH, String.join(" ", urls));
        try (OutputStream os = Files.newOutputStream(out); JarOutputStream j = new JarOutputStream(os, m)) {
            j.flush();
        }
    }

    private static Path javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    private static void executable(Path p, String text) throws IOException {
        Files.createDirectories(p.getParent());
        Files.writeString(p, text, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** A finished process: exit code, stdout, stderr, and when each stderr chunk and the exit were seen. */
    record Run(int exit, String out, String err, List<long[]> errChunks, List<String> errTexts, long exitNanos) {
        long firstSeenNanos(String text) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < errTexts.size(); i++) {
                sb.append(errTexts.get(i));
                if (sb.indexOf(text) >= 0) {
                    return errChunks.get(i)[0];
                }
            }
            throw new AssertionError("never seen on stderr: " + text);
        }
    }

    private Run run(Map<String, String> env, String stdin, String... cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(root.toFile());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().remove("IDRELU_JAVA_OPTS");
        pb.environment().remove("IDRELU_NO_VECTOR");
        pb.environment().putAll(env);
        Process p = pb.start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<long[]> times = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        Thread o = drain(p.getInputStream(), out, null, null);
        Thread e = drain(p.getErrorStream(), new ByteArrayOutputStream(), times, texts);
        try (OutputStream in = p.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        assertThat(p.waitFor(3, TimeUnit.MINUTES)).as("finished: " + String.join(" ", cmd)).isTrue();
        long exitAt = System.nanoTime();
        o.join();
        e.join();
        return new Run(p.exitValue(), out.toString(StandardCharsets.UTF_8), String.join("", texts), times, texts, exitAt);
    }

    private static Thread drain(InputStream in, ByteArrayOutputStream sink, List<long[]> times, List<String> texts) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[4096];
            try {
                for (int n; (n = in.read(buf)) > 0; ) {
                    sink.write(buf, 0, n);
                    if (times != null) {
                        synchronized (times) {
                            times.add(new long[] {System.nanoTime()});
                            texts.add(new String(buf, 0, n, StandardCharsets.UTF_8));
                        }
                    }
                }
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        });
        t.start();
        return t;
    }
}
