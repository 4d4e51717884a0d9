package io.idrelu;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every {@code *.md} document cited anywhere in the repository (README, proofs-notes, docs, javadoc, CLI help
 * texts, report templates, POMs, scripts, the example project) exists (issue 12: README and reports cited a
 * MATH.md that was not in the repository, the audit help a deleted kit README).
 *
 * <p>Resolution rule (stated in the README, section Layout): a citation with a slash is a path relative to
 * the citing file's directory or to the repository root; a bare name (such as {@code MATH.md section 2} in
 * javadoc) is a document name and resolves in the citing file's directory, the repository root or
 * {@code docs/}. The text of a markdown link ({@code [text](path)}) is not a citation, its
 * target is. URLs and templates ({@code results/<date>.md}, {@code %s.md}) are not citations.
 * Negative control: a small tree citing missing documents must be reported, one finding per citation.
 */
class CitedDocumentsTest {

    /** A citation: optional {@code ./} or {@code ../} steps, then a name starting with a word character. */
    private static final Pattern CITATION =
            Pattern.compile("(?<![\\w./%<>:-])((?:\\.\\.?/)*\\w[\\w./-]*\\.md)\\b");
    private static final Set<String> SCANNED = Set.of(".java", ".md", ".xml", ".py", ".sh", ".html", ".css",
            ".txt", ".properties", ".yaml", ".yml");
    private static final Set<String> SKIPPED_DIRS = Set.of(".git", "target", "node_modules", ".idea");

    @Test
    void everyCitedDocumentOfTheRepositoryExists() {
        Path root = Path.of("").toAbsolutePath();
        assertThat(root.resolve("pom.xml")).as("tests run from the repository root").exists();
        Scan scan = scan(root);
        assertThat(scan.unresolved()).as("cited documents that do not exist").isEmpty();

        // coverage: the scan really sees the citations that were broken (issue 12) and their kinds of files
        assertThat(scan.citations()).as("citations scanned").hasSizeGreaterThan(100);
        assertThat(scan.resolved()).anySatisfy(c -> assertThat(c).contains(md("README@:")).endsWith(md(" docs/MATH@")))
                .anySatisfy(c -> assertThat(c).contains("AuditCommand.java:").endsWith(md(" docs/KIT@")))
                .anySatisfy(c -> assertThat(c).contains("Kernel.java:").endsWith(md(" docs/KIT@")))
                .anySatisfy(c -> assertThat(c).contains("KernelConformanceTest.java:").endsWith(md(" docs/KIT@")))
                .anySatisfy(c -> assertThat(c).contains(md("examples/user-kernel/README@:")).endsWith(md(" ../../docs/KIT@")))
                .anySatisfy(c -> assertThat(c).contains(md("reference-error-bound@:")).endsWith(md(" ../docs/MATH@")))
                .anySatisfy(c -> assertThat(c).contains("src/main/java/").endsWith(md(" MATH@")))
                .anySatisfy(c -> assertThat(c).contains("src/test/java/").endsWith(md(" DESIGN@")));
    }

    @Test
    void missingDocumentsAreReported(@TempDir Path root) throws IOException {
        // "@" stands for ".md" so that this file's own fixture text is not a citation of the real tree
        Files.createDirectories(root.resolve("notes"));
        Files.createDirectories(root.resolve("src/a"));
        write(root.resolve(md("README@")), md("The spec: MATH@ section 2, the [kit](docs/KIT@); see notes/C1@.\n"
                + "Templates are no citations: results/<date>@, 'x/%s@', https://example.org/x/README@\n"));
        write(root.resolve(md("notes/C1@")), md("Back to [MATH@](../docs/MATH@) and [C2](C2@).\n"));
        write(root.resolve("src/a/K.java"), md("/** Contract: README-kit@; design: DESIGN@. */ class K { }\n"));

        Scan before = scan(root);
        assertThat(before.citations()).hasSize(7);
        assertThat(before.unresolved()).containsExactlyInAnyOrder(
                md("README@:1 MATH@"), md("README@:1 docs/KIT@"), md("notes/C1@:1 ../docs/MATH@"),
                md("notes/C1@:1 C2@"), md("src/a/K.java:1 README-kit@"), md("src/a/K.java:1 DESIGN@"));

        // the documents appear: bare names resolve in docs/, paths relative to the file or the root
        Files.createDirectories(root.resolve("docs"));
        for (String doc : new String[] {"docs/MATH@", "docs/KIT@", "docs/DESIGN@", "notes/C2@"}) {
            write(root.resolve(md(doc)), "a document\n");
        }
        assertThat(scan(root).unresolved()).containsExactly(md("src/a/K.java:1 README-kit@"));
        // a bare name found only in another sub-directory does not resolve
        write(root.resolve(md("notes/README-kit@")), "kit\n");
        assertThat(scan(root).unresolved()).containsExactly(md("src/a/K.java:1 README-kit@"));
    }

    private static String md(String s) {
        return s.replace("@", ".md");
    }

    record Scan(List<String> citations, List<String> resolved, List<String> unresolved) { }

    /** Every citation of the tree under {@code root}, as {@code path:line target}, split by whether it resolves. */
    static Scan scan(Path root) {
        List<String> all = new ArrayList<>();
        List<String> ok = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (Path file : files(root)) {
            List<String> lines;
            try {
                lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(file + " is not readable as UTF-8", e);
            }
            String rel = root.relativize(file).toString().replace('\\', '/');
            for (int i = 0; i < lines.size(); i++) {
                Matcher m = CITATION.matcher(lines.get(i));
                while (m.find()) {
                    String target = m.group(1);
                    if (lines.get(i).startsWith("](", m.end())) {
                        continue; // the text of a markdown link; its target is checked
                    }
                    String where = rel + ":" + (i + 1) + " " + target;
                    all.add(where);
                    (resolves(root, file.getParent(), target) ? ok : missing).add(where);
                }
            }
        }
        return new Scan(all, ok, missing);
    }

    private static boolean resolves(Path root, Path dir, String target) {
        if (Files.isRegularFile(dir.resolve(target)) || Files.isRegularFile(root.resolve(target))) {
            return true;
        }
        return !target.contains("/") && Files.isRegularFile(root.resolve("docs").resolve(target));
    }

    private static List<Path> files(Path root) {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root)) {
            walk.filter(Files::isRegularFile)
                    .filter(p -> {
                        for (Path part : root.relativize(p)) {
                            if (SKIPPED_DIRS.contains(part.toString())) {
                                return false;
                            }
                        }
                        String n = p.getFileName().toString();
                        int dot = n.lastIndexOf('.');
                        return dot >= 0 && SCANNED.contains(n.substring(dot)) || n.equals("idrelu");
                    })
                    .sorted()
                    .forEach(out::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static void write(Path p, String text) throws IOException {
        Files.writeString(p, text, StandardCharsets.UTF_8);
    }
}
