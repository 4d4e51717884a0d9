package io.idrelu.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.idrelu.claims.Verdict;
import io.idrelu.report.ReportDiff;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code idrelu diff A B} (issue 12) on a real report ({@code check --preset quick --claims C5,C14}) and copies
 * of it with one verdict made worse, a number changed and a claim added. Exit 1 exactly when a verdict worsens
 * (control: the report against itself, and B against A, exit 0); every verdict pair is checked against an
 * independent severity table; bad input exits 2 with one line and no output.
 */
class DiffCommandTest {
    @TempDir
    static Path tmp;
    static Path a;

    @BeforeAll
    static void realReport() {
        a = tmp.resolve("v1");
        CliRun r = CliRun.of("check", "--preset", "quick", "--claims", "C5,C14", "--kernel", "scalar", "--threads", "1",
                "--out", a.toString());
        assertThat(r.exit()).as(r.err()).isZero();
    }

    /** A copy of report A with C5's verdict set to {@code c5}, C14's measured value scaled, and a claim X9 added. */
    private static Path variant(String name, String c5) throws IOException {
        JsonNode r = Json.MAPPER.readTree(Files.readString(a.resolve("report.json")));
        ArrayNode results = (ArrayNode) r.path("results");
        for (JsonNode res : results) {
            if (res.path("id").asText().equals("C5")) {
                ((ObjectNode) res).put("verdict", c5);
            }
            if (res.path("id").asText().equals("C14")) {
                ((ObjectNode) res).put("measured", res.path("measured").asDouble() * 2);
            }
        }
        ObjectNode extra = results.addObject();
        extra.put("id", "X9");
        extra.put("verdict", "VIOLATED");
        extra.put("measured", 2.0);
        extra.put("bound", 1.0);
        extra.put("relation", "<=");
        extra.put("units", "none");
        Path dir = tmp.resolve(name);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("report.json"), Json.write(r));
        return dir;
    }

    @Test
    void sameReportExitsZero() {
        CliRun r = CliRun.of("diff", a.toString(), a.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).containsPattern("(?m)^C5 +HOLDS +HOLDS +=")
                .containsPattern("(?m)^C14 +HOLDS +HOLDS +=")
                .contains("Same configuration.", "2 claims: 0 worse, 0 better, 0 with another number, 2 the same");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void worseVerdictExitsOneAndEveryChangeIsMarked() throws IOException {
        Path b = variant("v2", "VIOLATED");
        CliRun r = CliRun.of("diff", a.toString(), b.toString());
        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(1);
        assertThat(r.out()).containsPattern("(?m)^C5 +HOLDS +VIOLATED +WORSE +\\S.*\\(paper\\) +\\S.*\\(paper\\)$")
                .containsPattern("(?m)^C14 +HOLDS +HOLDS +number ")
                .containsPattern("(?m)^X9 +- +VIOLATED +only B +- +2 <= 1$")
                .contains("3 claims: 1 worse, 0 better, 1 with another number, 0 the same, 0 only in A, 1 only in B.");
        assertThat(r.out().lines().filter(l -> !l.startsWith("A: ") && !l.startsWith("B: ")).mapToInt(String::length).max()
                .orElse(0)).as("width of every line but the two naming the report paths").isLessThanOrEqualTo(100);

        CliRun j = CliRun.of("diff", a.toString(), b.toString(), "--json");
        assertThat(j.exit()).isEqualTo(1);
        JsonNode o = Json.MAPPER.readTree(j.out());
        assertThat(o.path("any_worse").asBoolean()).isTrue();
        assertThat(o.path("summary").path("worse").asInt()).isEqualTo(1);
        assertThat(o.path("claims").get(0).path("id").asText()).isEqualTo("C5");
        assertThat(o.path("claims").get(0).path("change").asText()).isEqualTo("worse");
        assertThat(o.path("claims").get(0).path("b").path("verdict").asText()).isEqualTo("VIOLATED");
        assertThat(o.path("claims").get(1).path("b").path("measured").asDouble())
                .isEqualTo(2 * o.path("claims").get(1).path("a").path("measured").asDouble());
        assertThat(o.path("claims").get(2).path("a").isNull()).isTrue();

        // control: the other way round nothing worsens (C5 better, X9 only in A)
        CliRun back = CliRun.of("diff", b.toString(), a.toString());
        assertThat(back.exit()).as(back.out()).isZero();
        assertThat(back.out()).containsPattern("(?m)^C5 +VIOLATED +HOLDS +better ").containsPattern("(?m)^X9 +VIOLATED +- +only A ");
    }

    /**
     * A measured value moved in its tenth digit prints the same four-digit text; it is still a changed number,
     * shown with every digit of both doubles (control: the unchanged C5 stays '=').
     */
    @Test
    void aChangeBelowThePrintedDigitsIsStillANumberChange() throws IOException {
        JsonNode r = Json.MAPPER.readTree(Files.readString(a.resolve("report.json")));
        double before = 0;
        for (JsonNode res : r.path("results")) {
            if (res.path("id").asText().equals("C14")) {
                before = res.path("measured").asDouble();
                ((ObjectNode) res).put("measured", before * (1 + 1e-9));
            }
        }
        Path dir = tmp.resolve("v4");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("report.json"), Json.write(r));
        CliRun d = CliRun.of("diff", a.toString(), dir.toString());
        assertThat(d.exit()).as(d.err()).isZero();
        assertThat(d.out()).containsPattern("(?m)^C14 +HOLDS +HOLDS +number ")
                .contains(Double.toString(before), Double.toString(before * (1 + 1e-9)))
                .containsPattern("(?m)^C5 +HOLDS +HOLDS +=")
                .contains("1 with another number, 1 the same");
    }

    @Test
    void holdsToInconclusiveIsWorse() throws IOException {
        Path b = variant("v3", "INCONCLUSIVE");
        assertThat(CliRun.of("diff", a.toString(), b.toString()).exit()).isEqualTo(1);
    }

    @Test
    void everyVerdictPairAgainstTheSeverityOrder() {
        List<Verdict> order = List.of(Verdict.HOLDS, Verdict.INCONCLUSIVE, Verdict.VIOLATED);
        Set<String> worse = Set.of("HOLDS>INCONCLUSIVE", "HOLDS>VIOLATED", "INCONCLUSIVE>VIOLATED");
        int worseSeen = 0;
        for (Verdict va : order) {
            for (Verdict vb : order) {
                ObjectNode ra = report(va);
                ObjectNode rb = report(vb);
                ReportDiff d = new ReportDiff(ra, rb);
                ReportDiff.Change c = d.rows().get(0).change();
                boolean expectWorse = worse.contains(va + ">" + vb);
                assertThat(d.anyWorse()).as(va + " -> " + vb).isEqualTo(expectWorse);
                assertThat(c).as(va + " -> " + vb).isEqualTo(expectWorse ? ReportDiff.Change.WORSE
                        : va == vb ? ReportDiff.Change.SAME : ReportDiff.Change.BETTER);
                worseSeen += expectWorse ? 1 : 0;
            }
        }
        assertThat(worseSeen).isEqualTo(3);
    }

    private static ObjectNode report(Verdict v) {
        ObjectNode r = Json.MAPPER.createObjectNode();
        r.put("format", "idrelu-report/1");
        ObjectNode res = r.putArray("results").addObject();
        res.put("id", "C1");
        res.put("verdict", v.name());
        res.put("measured", 1.0);
        res.put("bound", 2.0);
        res.put("relation", "<=");
        res.put("units", "none");
        return r;
    }

    @Test
    void badInputExitsTwoWithOneLine() throws IOException {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        Path sweep = Files.createDirectories(tmp.resolve("sweep"));
        Files.writeString(sweep.resolve("report.json"), "{\"format\": \"idrelu-sweep/1\", \"results\": []}");
        Path broken = Files.createDirectories(tmp.resolve("broken"));
        Files.writeString(broken.resolve("report.json"), "{\"format\": ");
        Path badVerdict = Files.createDirectories(tmp.resolve("bad-verdict"));
        Files.writeString(badVerdict.resolve("report.json"),
                "{\"format\": \"idrelu-report/1\", \"results\": [{\"id\": \"C1\", \"verdict\": \"FINE\"}]}");
        String[][] cases = {
                {tmp.resolve("nope").toString(), "does not exist"},
                {empty.toString(), "has no report.json"},
                {sweep.toString(), "is not a check report: format 'idrelu-sweep/1'"},
                {broken.toString(), "is not valid JSON"},
                {badVerdict.toString(), "verdict 'FINE'"}};
        for (String[] c : cases) {
            CliRun r = CliRun.of("diff", a.toString(), c[0]);
            assertThat(r.exit()).as(c[0] + ": " + r.err()).isEqualTo(2);
            assertThat(r.out()).isEmpty();
            assertThat(r.err().lines().toList()).as(c[0]).singleElement().asString()
                    .startsWith("idrelu diff: error: B: ").contains(c[1]);
        }
        CliRun missingArg = CliRun.of("diff", a.toString());
        assertThat(missingArg.exit()).isEqualTo(2);
    }
}
