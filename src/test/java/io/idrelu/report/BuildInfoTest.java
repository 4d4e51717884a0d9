package io.idrelu.report;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.idrelu.cli.CliRun;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code idrelu --version} and report.json name the version of the POM and the commit of the build (issue 12:
 * {@code --version} said "dev"). The expected values are read independently: the version from pom.xml, the
 * commit from {@code git rev-parse}. Negative control: build.properties without the build's values (missing,
 * empty, unfiltered placeholders) reads as {@code unknown}, never as a plausible-looking version.
 */
class BuildInfoTest {

    @Test
    void versionIsThePomsAndCommitIsGitsHead() throws Exception {
        BuildInfo b = BuildInfo.current();
        assertThat(b.version()).isEqualTo(pomVersion());
        String head = expectedCommit();
        assertThat(b.commit()).as("commit recorded by the build (git rev-parse --short=12 HEAD = %s)", head).isEqualTo(head);
    }

    @Test
    void versionOptionPrintsVersionAndCommit() throws Exception {
        CliRun r = CliRun.of("--version");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).startsWith("idrelu " + pomVersion() + " (commit " + expectedCommit())
                .contains("Java " + Runtime.version())
                .doesNotContain("dev");
    }

    @Test
    void reportEnvironmentRecordsVersionAndCommit() throws Exception {
        ObjectNode env = Report.environment("scalar", "double");
        assertThat(env.path("idrelu_version").asText()).isEqualTo(pomVersion());
        assertThat(env.path("idrelu_commit").asText()).isEqualTo(expectedCommit());
        assertThat(env.path("idrelu_uncommitted_changes").isBoolean()).isTrue();
    }

    @Test
    void missingOrUnfilteredValuesAreUnknown() {
        assertThat(BuildInfo.of(new Properties())).isEqualTo(new BuildInfo("unknown", "unknown", false));
        Properties placeholders = new Properties();
        placeholders.setProperty("version", "${project.version}");
        placeholders.setProperty("commit", "${idrelu.commit}");
        assertThat(BuildInfo.of(placeholders)).isEqualTo(new BuildInfo("unknown", "unknown", false));
        Properties built = new Properties();
        built.setProperty("version", "1.2.3");
        built.setProperty("commit", "0123456789ab");
        built.setProperty("dirty", "true");
        assertThat(BuildInfo.of(built).describe()).isEqualTo("1.2.3 (commit 0123456789ab + uncommitted changes)");
    }

    /** The project version of pom.xml: the first {@code <version>} after {@code <artifactId>idrelu</artifactId>}. */
    static String pomVersion() throws IOException {
        String pom = Files.readString(Path.of("pom.xml"), StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("<artifactId>idrelu</artifactId>\\s*<version>([^<]+)</version>").matcher(pom);
        assertThat(m.find()).as("project version in pom.xml").isTrue();
        return m.group(1).trim();
    }

    /** {@code git rev-parse --short=12 HEAD} in the working directory, or "unknown" outside a git checkout. */
    static String expectedCommit() throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder("git", "rev-parse", "--short=12", "HEAD").redirectErrorStream(true).start();
        } catch (IOException noGit) {
            return BuildInfo.UNKNOWN;
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        if (p.exitValue() != 0) {
            return BuildInfo.UNKNOWN;
        }
        assertThat(out).matches("[0-9a-f]{12}");
        return out;
    }

    /**
     * The build step itself outside a git repository: the same pom.xml in an empty temporary directory (no
     * {@code .git} above it; {@code GIT_CEILING_DIRECTORIES} stops the search) writes {@code commit=unknown}
     * and the POM's version. Skipped where Maven is not installed or, offline, cannot resolve the build's plugins.
     */
    @Test
    void buildOutsideGitRecordsUnknownCommit(@TempDir Path dir) throws Exception {
        Path pom = Path.of("pom.xml").toAbsolutePath();
        Files.copy(pom, dir.resolve("pom.xml"));
        Path log = dir.resolve("mvn.log");
        ProcessBuilder pb = new ProcessBuilder("mvn", "-B", "-ntp", "-o", "generate-resources")
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("GIT_CEILING_DIRECTORIES", dir.getParent().toString());
        Process p;
        try {
            p = pb.start();
        } catch (IOException noMaven) {
            Assumptions.abort("mvn not on PATH: " + noMaven.getMessage());
            return;
        }
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        String text = Files.readString(log);
        if (p.exitValue() != 0 && text.contains("offline mode")) {
            // e.g. CI with another local repository: the plugins of this build are not where a plain mvn -o looks
            Assumptions.abort("the nested offline build cannot resolve its plugins: "
                    + text.lines().filter(l -> l.contains("offline mode")).findFirst().orElse(""));
        }
        assertThat(p.exitValue()).as(text).isZero();
        Properties props = new Properties();
        try (var in = Files.newInputStream(dir.resolve("target/classes/io/idrelu/build.properties"))) {
            props.load(in);
        }
        assertThat(BuildInfo.of(props)).isEqualTo(new BuildInfo(pomVersion(), BuildInfo.UNKNOWN, false));
    }
}
