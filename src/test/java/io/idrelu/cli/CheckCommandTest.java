package io.idrelu.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.idrelu.claims.Claim;
import io.idrelu.claims.Verdict;
import io.idrelu.report.FakeClaims;
import io.idrelu.report.BuildInfo;
import io.idrelu.report.Report;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * End to end {@code idrelu check}, {@code replay} and {@code merge} with fake claims (FakeClaims):
 * files, exit codes, usage errors before any file, thread-count independence, resume after a kill,
 * shard merge and bit-for-bit replay. Every equality has a control where it must fail.
 */
class CheckCommandTest {
    @TempDir
    Path tmp;

    @BeforeEach
    void fakes() {
        FakeClaims.reset();
        CheckCommand.catalogue = FakeClaims.catalogue(FakeClaims.holding());
    }

    @AfterEach
    void registry() {
        CheckCommand.catalogue = io.idrelu.report.ClaimCatalogue.REGISTRY;
    }

    private static CliRun check(Path out, String... more) {
        List<String> a = new ArrayList<>(List.of("check", "--preset", "quick", "--kernel", "scalar", "--out", out.toString()));
        a.addAll(List.of(more));
        return CliRun.of(a.toArray(String[]::new));
    }

    private static JsonNode report(Path dir) throws IOException {
        return Json.MAPPER.readTree(Files.readString(dir.resolve(Report.JSON_FILE)));
    }

    private static JsonNode det(Path dir) throws IOException {
        return Report.deterministic(report(dir));
    }

    @Test
    void checkWritesTableJsonHtmlPlotsAndReplays() throws IOException {
        Path out = tmp.resolve("r");
        CliRun r = check(out, "--threads", "2");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("ID", "verdict", "decisive", "F1", "F5", "HOLDS", "INCONCLUSIVE",
                "(paper)", "fake ratio = ", "why: fake reason of F", "Report: " + out.resolve("report.html"));
        assertThat(r.out().lines().filter(l -> l.startsWith("F")).count()).isEqualTo(5);
        assertThat(r.out().lines()).allSatisfy(l -> assertThat(l.length()).as(l).isLessThanOrEqualTo(io.idrelu.report.Table.WIDTH));
        assertThat(r.err()).contains("[5/5]").contains("F3: started with seed 20170524");
        JsonNode j = report(out);
        assertThat(j.path("results")).hasSize(5);
        assertThat(j.path("results").get(0).path("replay").path("config").path("preset").asText()).isEqualTo("quick");
        assertThat(j.path("results").get(0).path("worst").path("config").path("trial").asInt()).isEqualTo(3);
        assertThat(j.path("environment").path("java_version").asText()).isNotEmpty();
        assertThat(j.path("environment").path("idrelu_version").asText()).isEqualTo(BuildInfo.current().version())
                .isNotEqualTo(BuildInfo.UNKNOWN); // issue 12: report.json names the build (BuildInfoTest checks the values)
        assertThat(j.path("environment").path("idrelu_commit").asText()).isEqualTo(BuildInfo.current().commit());
        assertThat(j.path("environment").path("kernel").asText()).isEqualTo("scalar");
        assertThat(j.path("summary").path("holds").asInt()).isEqualTo(4);
        assertThat(j.path("timings").path("claims").path("F3").asDouble()).isGreaterThan(0.1);
        for (String f : List.of("report.html", "plots/F1.svg", "plots/F1.png", "replay/F1.json", "replay/F5.json",
                "journal.jsonl", "plots/trajectory-loss.svg", "plots/identity-vs-vanilla.png")) {
            assertThat(out.resolve(f)).as(f).isNotEmptyFile();
        }
        assertThat(out.resolve("plots/F2.svg")).as("F2 has no series").doesNotExist();
        byte[] png = Files.readAllBytes(out.resolve("plots/F1.png"));
        assertThat(png[1]).isEqualTo((byte) 'P');
        String html = Files.readString(out.resolve("report.html"));
        assertThat(html).contains("<svg", "class=\"verdict HOLDS\"", "class=\"verdict INCONCLUSIVE\"", "replay/F1.json",
                "F1: fake loss", "Phase I / II boundary");
        assertThat(html).doesNotContain("<script", "src=\"http", "href=\"http", "<link ", "@import");
        try (Stream<Path> s = Files.list(out)) {
            assertThat(s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp"))).isEmpty();
        }
        // a later run into the same directory leaves no plots or replay files of claims it did not run
        assertThat(check(out, "--claims", "F2").exit()).isZero();
        assertThat(out.resolve("plots/F1.svg")).doesNotExist();
        assertThat(out.resolve("replay/F1.json")).doesNotExist();
        assertThat(out.resolve("replay/F2.json")).isNotEmptyFile();
        assertThat(out.resolve("plots/trajectory-loss.svg")).isNotEmptyFile();
    }

    @Test
    void jsonFlagPrintsTheReportInsteadOfTheTable() throws IOException {
        Path out = tmp.resolve("r");
        CliRun r = check(out, "--json", "--claims", "F2");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode printed = Json.MAPPER.readTree(r.out());
        assertThat(printed.path("results")).hasSize(1);
        assertThat(Report.deterministic(printed)).isEqualTo(det(out));
    }

    @Test
    void violatedClaimExitsOneAndIsNamed() {
        CheckCommand.catalogue = FakeClaims.catalogue(List.of(
                () -> new FakeClaims.Fake("F1", Verdict.HOLDS, 0, false),
                () -> new FakeClaims.Fake("F7", Verdict.VIOLATED, 0, false)));
        CliRun r = check(tmp.resolve("r"));
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("VIOLATED: F7");
        assertThat(r.out()).containsPattern("F7 .*VIOLATED");
        // control: without the violated claim the same run exits 0
        assertThat(check(tmp.resolve("r2"), "--claims", "F1").exit()).isZero();
    }

    @Test
    void throwingClaimIsAnInconclusiveInternalErrorNotACrash() throws IOException {
        CheckCommand.catalogue = FakeClaims.catalogue(List.of(
                () -> new FakeClaims.Fake("F1", Verdict.HOLDS, 0, false),
                () -> new FakeClaims.Throwing("F9"),
                () -> new FakeClaims.Fake("F2", Verdict.HOLDS, 0, false)));
        Path out = tmp.resolve("r");
        CliRun r = check(out);
        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.out()).contains("F9", "INCONCLUSIVE", "internal error", "why: internal error: java.lang.IllegalStateException: boom in F9", "F2");
        JsonNode f9 = report(out).path("results").get(1);
        assertThat(f9.path("verdict").asText()).isEqualTo("INCONCLUSIVE");
        assertThat(f9.path("details").path("error").asText()).contains("IllegalStateException: boom in F9");
        assertThat(report(out).path("summary").path("internal_errors").asInt()).isEqualTo(1);
    }

    @Test
    void badInputExitsTwoBeforeAnyFile() throws IOException {
        Path out = tmp.resolve("never");
        assertUsage(check(out, "--claims", "F1,C99"), "unknown claim 'C99'", "F1,F2,F3,F4,F5");
        assertUsage(check(out, "--shard", "3/2"), "--shard '3/2'", "1 <= i <= n");
        assertUsage(check(out, "--shard", "x/y"), "--shard 'x/y'");
        assertUsage(check(out, "--shard", "0/2"), "--shard '0/2'");
        assertUsage(check(out, "--constant", "onePointConstant"), "expected NAME=VALUE");
        assertUsage(check(out, "--constant", "magic=3"), "unknown constant 'magic'");
        assertUsage(check(out, "--constant", "onePointConstant=-1"), "expected a finite number > 0");
        assertUsage(CliRun.of("check", "--preset", "huge", "--out", out.toString()), "preset 'huge'", "quick, default, paper or deep");
        assertUsage(check(out, "--threads", "0"), "--threads 0");
        assertThat(out).doesNotExist();
        Path file = Files.writeString(tmp.resolve("plain.txt"), "x");
        assertUsage(check(file), "is a file");
        assertUsage(check(file.resolve("sub")), "is not a directory");
        assertThat(Files.exists(file.resolve("sub"))).isFalse();
        assertThat(FakeClaims.RUN_COUNT.get()).as("no claim ran").isZero();
        // control: the same command with valid input runs and creates the directory
        assertThat(check(out, "--claims", "F1", "--shard", "1/2").exit()).isZero();
        assertThat(out.resolve("report.json")).exists();
    }

    private static void assertUsage(CliRun r, String... expected) {
        assertThat(r.exit()).as(r.err()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains(expected).doesNotContain("\tat ");
    }

    @Test
    void resultsDoNotDependOnThreadCount() throws IOException {
        Path a = tmp.resolve("t1");
        Path b = tmp.resolve("t2");
        assertThat(check(a, "--threads", "1").exit()).isZero();
        assertThat(check(b, "--threads", "2").exit()).isZero();
        assertThat(FakeClaims.RUNS.stream().filter(x -> x[0].equals("F1")).map(x -> x[1]))
                .as("every unit gets the base seed").containsOnly("20170524");
        assertThat(FakeClaims.RUNS.stream().map(x -> x[2]).distinct().count()).as("2 threads were used").isGreaterThan(1);
        assertThat(det(a)).isEqualTo(det(b));
        assertThat(report(a).path("timings")).isNotEqualTo(report(b).path("timings"));
        // control: another seed changes the deterministic part
        Path c = tmp.resolve("t3");
        assertThat(check(c, "--threads", "2", "--seed", "7").exit()).isZero();
        assertThat(det(c)).isNotEqualTo(det(a));
        assertThat(det(c).path("results")).isNotEqualTo(det(a).path("results"));
    }

    @Test
    void resumeAfterKillEqualsAnUninterruptedRun() throws IOException {
        Path full = tmp.resolve("full");
        assertThat(check(full, "--threads", "1").exit()).isZero();
        // Simulated kill: journal with header, two finished units and half of a third line; no report.
        Path killed = tmp.resolve("killed");
        Files.createDirectories(killed);
        List<String> lines = Files.readAllLines(full.resolve("journal.jsonl"));
        assertThat(lines).hasSize(6);
        String torn = lines.get(0) + "\n" + lines.get(1) + "\n" + lines.get(2) + "\n" + lines.get(3).substring(0, lines.get(3).length() / 2);
        Files.writeString(killed.resolve("journal.jsonl"), torn, StandardCharsets.UTF_8);
        FakeClaims.reset();
        CliRun r = check(killed, "--threads", "2", "--resume");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).contains("resuming: 2 of 5");
        assertThat(FakeClaims.runs("F1")).as("finished unit not re-run").isZero();
        assertThat(FakeClaims.runs("F2")).isZero();
        assertThat(FakeClaims.runs("F3")).as("torn unit re-run").isEqualTo(1);
        assertThat(det(killed)).isEqualTo(det(full));
        assertThat(Files.readAllLines(killed.resolve("journal.jsonl"))).hasSize(6)
                .allSatisfy(l -> assertThat(Json.MAPPER.readTree(l).isObject()).isTrue());
        assertThat(report(killed).path("timings").path("resumed_from_journal").toString()).contains("F1", "F2");
        // control: a journal with a tampered finished result leads to a different report
        Path tampered = tmp.resolve("tampered");
        Files.createDirectories(tampered);
        ObjectNode l1 = (ObjectNode) Json.MAPPER.readTree(lines.get(1));
        ((ObjectNode) l1.path("result")).put("measured", 0.123);
        Files.writeString(tampered.resolve("journal.jsonl"), lines.get(0) + "\n" + new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(l1) + "\n");
        assertThat(check(tampered, "--resume").exit()).isZero();
        assertThat(det(tampered)).isNotEqualTo(det(full));
    }

    @Test
    void resumeRefusesAnotherConfigurationNamingTheField() throws IOException {
        Path out = tmp.resolve("r");
        assertThat(check(out, "--claims", "F1,F2").exit()).isZero();
        String journal = Files.readString(out.resolve("journal.jsonl"));
        FakeClaims.reset();
        assertUsage(check(out, "--claims", "F1,F2", "--resume", "--seed", "5"), "configuration.seed", "--resume");
        assertUsage(check(out, "--claims", "F1,F2", "--resume", "--constant", "onePointConstant=0.05"), "configuration.constants.onePointConstant");
        assertUsage(check(out, "--claims", "F1,F2", "--resume", "--shard", "1/2"), "shard");
        assertThat(Files.readString(out.resolve("journal.jsonl"))).isEqualTo(journal);
        assertThat(FakeClaims.RUN_COUNT.get()).isZero();
        // control: the same configuration resumes with nothing left to run
        CliRun same = check(out, "--claims", "F1,F2", "--resume");
        assertThat(same.exit()).isZero();
        assertThat(FakeClaims.RUN_COUNT.get()).isZero();
    }

    @Test
    void mergeOfShardsEqualsASingleRun() throws IOException {
        Path single = tmp.resolve("single");
        assertThat(check(single).exit()).isZero();
        Path s1 = tmp.resolve("s1");
        Path s2 = tmp.resolve("s2");
        assertThat(check(s1, "--shard", "1/2").exit()).isZero();
        assertThat(check(s2, "--shard", "2/2").exit()).isZero();
        assertThat(report(s1).path("shard").path("units").toString()).isEqualTo("[\"F1\",\"F3\",\"F5\"]");
        assertThat(report(s2).path("shard").path("units").toString()).isEqualTo("[\"F2\",\"F4\"]");
        assertThat(det(s1)).isNotEqualTo(det(single));
        Path merged = tmp.resolve("merged");
        CliRun m = CliRun.of("merge", s2.toString(), s1.toString(), "--out", merged.toString());
        assertThat(m.exit()).as(m.err()).isZero();
        assertThat(m.out()).contains("F1", "F5", "Report:");
        assertThat(det(merged)).isEqualTo(det(single));
        assertThat(merged.resolve("report.html")).isNotEmptyFile();
        assertThat(merged.resolve("replay/F4.json")).isNotEmptyFile();
        // refusals
        Path bad = tmp.resolve("bad");
        assertUsage(CliRun.of("merge", s1.toString(), s1.toString(), "--out", bad.toString()), "overlapping shards", "1/2");
        assertUsage(CliRun.of("merge", s1.toString(), "--out", bad.toString()), "missing shard(s) 2/2");
        assertUsage(CliRun.of("merge", single.toString(), "--out", bad.toString()), "not a shard");
        Path other = tmp.resolve("other");
        assertThat(check(other, "--shard", "2/2", "--seed", "9").exit()).isZero();
        assertUsage(CliRun.of("merge", s1.toString(), other.toString(), "--out", bad.toString()), "configuration", "seed");
        assertThat(bad).doesNotExist();
    }

    @Test
    void replayReproducesAResultBitForBit() throws IOException {
        Path out = tmp.resolve("r");
        assertThat(check(out).exit()).isZero();
        FakeClaims.reset();
        CliRun r = CliRun.of("replay", out.resolve("replay/F3.json").toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("F3", "identical to the stored result, bit for bit");
        assertThat(FakeClaims.runs("F3")).isEqualTo(1);
        CliRun j = CliRun.of("replay", "--json", out.resolve("replay/F3.json").toString());
        JsonNode stored = report(out).path("results").get(2);
        assertThat(Json.MAPPER.readTree(j.out())).isEqualTo(stored);
        // control: a stored result one ulp off is reported as different
        ObjectNode file = (ObjectNode) Json.MAPPER.readTree(Files.readString(out.resolve("replay/F3.json")));
        double m = file.path("expected").path("measured").asDouble();
        ((ObjectNode) file.path("expected")).put("measured", Math.nextUp(m));
        Path off = Files.writeString(tmp.resolve("off.json"), Json.write(file));
        CliRun d = CliRun.of("replay", off.toString());
        assertThat(d.exit()).isEqualTo(3);
        assertThat(d.err()).contains("DIFFERS", "measured");
        assertUsage(CliRun.of("replay", tmp.resolve("nope.json").toString()), "does not exist");
    }

    @SuppressWarnings("unused")
    private static List<Supplier<Claim>> none() {
        return List.of();
    }
}
