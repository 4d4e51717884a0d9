package io.idrelu.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.idrelu.claims.ClaimResult;
import io.idrelu.claims.Decisive;
import io.idrelu.claims.Replay;
import io.idrelu.claims.Units;
import io.idrelu.claims.Verdict;
import io.idrelu.cli.Json;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The verdict table (issue 12 "readable tables", issue 11 "the reason in the table"): at most
 * {@link Table#WIDTH} columns by default, cells cut with "..." and never running into each other, each
 * claim's decisive comparison and the reason of every non-HOLDS row present; {@code --wide} keeps everything.
 */
class TableTest {

    /** Seventeen rows like a real check's, with the longest texts seen (C13, C11, C14) and an internal error. */
    static ObjectNode report() {
        List<ClaimResult> rs = new ArrayList<>();
        String[] ids = {"C1", "C2", "C3", "C4", "C5", "C6", "C7", "C8", "C9", "C10", "C11", "C12", "C13", "C14", "A1", "A2", "A3"};
        for (int i = 0; i < ids.length; i++) {
            Verdict v = i % 5 == 1 || ids[i].equals("C8") ? Verdict.INCONCLUSIVE : i % 7 == 3 ? Verdict.VIOLATED : Verdict.HOLDS;
            Decisive d = switch (ids[i]) {
                case "C6" -> Decisive.within("exponent p of ||grad L||", 0.9997480134474339, 0.75, 1.5, Units.NONE);
                case "C13" -> Decisive.of("min(identity converged, vanilla stalled)", 0.3, ">=", 1.0, Units.NONE);
                case "C14" -> Decisive.of("|lambda_min - (pi/2-1)/pi|", 1.609823385706477e-15, "<=", 4.632927225413608e-15, Units.TRUE);
                case "C2" -> Decisive.of("|grad - dL/dW|", 3.558448246485869e-48, "<=", 4.3893649547246604e-40, Units.TRUE);
                default -> Decisive.of("quantity of " + ids[i], -1.2345678e-4 * (i + 1), "<=", 0.084, i % 2 == 0 ? Units.PAPER : Units.NONE);
            };
            String reason = v == Verdict.HOLDS ? "" : ids[i] + ": identity converged 10/10, vanilla stalled 3/10 (all must); "
                    + "not VIOLATED: d = 8 < minD = 100; and then a much longer explanation that cannot fit on two lines of a "
                    + "hundred columns each, so it must be cut with an ellipsis at the end rather than overflow the terminal";
            if (ids[i].equals("C8")) {
                reason = "d = 8 < minD = 100"; // short: shown whole
            }
            rs.add(new ClaimResult(ids[i], "a statement long enough to be cut in the narrow table: " + ids[i], v,
                    d.measured(), d.bound(), d.relation(), d.units(), 1234.5678 * (i - 8), 0.5, 0.084, 128000L * (i + 1),
                    null, Map.of(), 0).explained(d, reason));
        }
        ObjectNode rep = Json.MAPPER.createObjectNode();
        ArrayNode results = rep.putArray("results");
        ObjectNode timings = rep.putObject("timings").putObject("claims");
        for (ClaimResult r : rs) {
            results.add(ResultJson.of(r, new Replay(r.id(), Map.of(), 1)));
            timings.put(r.id(), 12345.6);
        }
        results.add(ResultJson.internalError("C9x", "throws", new IllegalStateException("boom: a long message ".repeat(8)),
                new Replay("C9x", Map.of(), 1)));
        return rep;
    }

    @Test
    void narrowTableFitsHundredColumnsAndShowsEveryDecisiveNumberAndReason() {
        ObjectNode rep = report();
        String t = Table.render(rep);
        assertThat(t.lines()).allSatisfy(l -> assertThat(l.length()).as(l).isLessThanOrEqualTo(Table.WIDTH));
        String flat = t.replaceAll("\\s+", " ");
        for (var r : rep.path("results")) {
            String id = r.path("id").asText();
            assertThat(t.lines().filter(l -> l.startsWith(id + " ")).count()).as(id).isEqualTo(1);
            if (!ResultJson.isInternalError(r)) {
                // the numbers, relation, bound and units are never cut (the quantity's name is cut first)
                String cmp = Decisive.of("", ResultJson.number(r.path("decisive").get("measured")),
                        r.path("decisive").path("relation").asText(), ResultJson.number(r.path("decisive").get("bound")),
                        Units.valueOf(r.path("decisive").path("units").asText().toUpperCase(java.util.Locale.ROOT))).comparison();
                if ("in".equals(r.path("decisive").path("relation").asText())) {
                    cmp = "0.9997 in [0.75, 1.5]";
                }
                assertThat(t).as(id).contains(cmp);
            }
            String reason = r.path("reason").asText("");
            if (!reason.isEmpty()) {
                // a reason that fits in two lines appears whole; a longer one is cut with "..."
                String start = reason.substring(0, Math.min(reason.length(), 150)).replaceAll("\\s+", " ");
                assertThat(flat).as(id).contains(start);
            }
        }
        assertThat(t).contains("why: d = 8 < minD = 100").contains("why: internal error: java.lang.IllegalStateException: boom");
        assertThat(t).contains("|lambda_min - (... = 1.610e-15 <= 4.633e-15 (true)").contains("...");
        assertThat(t).doesNotContain("a statement long enough"); // statements are in --wide and the HTML
    }

    @Test
    void cellsNeverRunIntoEachOther() {
        String t = Table.render(report());
        // every row has the two-space gaps of the narrow layout: ID | verdict | decisive | margin | trials | s
        for (String l : t.lines().filter(l -> l.matches("^[CA]\\d+.*")).toList()) {
            assertThat(l.substring(4, 6)).as(l).isEqualTo("  ");
            assertThat(l.substring(18, 20)).as(l).isEqualTo("  ");
            assertThat(l.substring(70, 72)).as(l).isEqualTo("  ");
            assertThat(l.substring(82, 84)).as(l).isEqualTo("  ");
            assertThat(l.substring(92, 94)).as(l).isEqualTo("  ");
        }
    }

    @Test
    void wideTableKeepsEverythingAndIsTheNegativeControlForTheWidthCheck() {
        ObjectNode rep = report();
        String w = Table.render(rep, true);
        // the same rows in full are wider than 100 columns: the width assertion above can fail
        assertThat(w.lines().mapToInt(String::length).max().orElse(0)).isGreaterThan(Table.WIDTH);
        for (var r : rep.path("results")) {
            assertThat(w).contains(r.path("statement").asText()).contains(Table.reason(r).strip());
        }
        assertThat(w).contains("min(identity converged, vanilla stalled) = 0.3 < 1").contains("0.5 vs 0.084");
    }

    @Test
    void fitAndWrapCutWithAnEllipsis() {
        assertThat(Table.fit("abcdefghij", 10)).isEqualTo("abcdefghij");
        assertThat(Table.fit("abcdefghijk", 10)).isEqualTo("abcdefg...").hasSize(10);
        assertThat(Table.wrap("aaa bbb ccc ddd", 7, 2)).containsExactly("aaa bbb", "ccc ddd");
        assertThat(Table.wrap("aaa bbb ccc ddd eee", 7, 2)).containsExactly("aaa bbb", "ccc ...");
        assertThat(Table.wrap("abcdefghijkl", 5, 3)).containsExactly("abcde", "fghij", "kl");
    }

    @Test
    void reportsWithoutDecisiveStillRender() {
        // report.json written before 'decisive' existed (merge, replay of old files): measured relation bound
        ObjectNode old = report();
        for (var r : old.path("results")) {
            ((ObjectNode) r).remove("decisive");
            ((ObjectNode) r).remove("reason");
        }
        String t = Table.render(old);
        assertThat(t.lines()).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(Table.WIDTH));
        assertThat(t).contains("0.3 >= 1").contains("(the claim gave no reason; see details in report.json)");
    }
}
