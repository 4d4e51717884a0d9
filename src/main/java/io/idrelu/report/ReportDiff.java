package io.idrelu.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.idrelu.claims.Verdict;
import io.idrelu.cli.Json;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Claim-by-claim comparison of two check reports (report.json of {@code idrelu check}), e.g. the same claims on
 * kernel v1 (A) and v2 (B). A verdict <em>worsens</em> when B's is more severe than A's (HOLDS to INCONCLUSIVE or
 * VIOLATED, INCONCLUSIVE to VIOLATED; {@link Verdict#worst}); a claim present in only one report is listed, not
 * counted as worse. Severity order: NOT_APPLICABLE &lt; HOLDS &lt; INCONCLUSIVE &lt; VIOLATED; but a claim that is
 * NOT_APPLICABLE on one side only (e.g. HOLDS under [LY17], not defined under another setting) is an
 * {@link Change#APPLICABILITY} change: said, never counted as a worsening (or an improvement), because the two
 * reports did not test the same thing. The decisive number of each side is the claim's measured value against its bound
 * ({@link Table#measuredVsBound}, with relation and units).
 */
public final class ReportDiff {

    /** How a claim's result changed from A to B. */
    public enum Change {
        WORSE, BETTER, NUMBER_CHANGED, SAME, ONLY_A, ONLY_B,
        /** NOT_APPLICABLE on exactly one side: the claim was not run there (another setting); not a worsening. */
        APPLICABILITY;

        String label() {
            return switch (this) {
                case APPLICABILITY -> "n/a change";
                case WORSE -> "WORSE";
                case BETTER -> "better";
                case NUMBER_CHANGED -> "number";
                case SAME -> "=";
                case ONLY_A -> "only A";
                case ONLY_B -> "only B";
            };
        }

        String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** One claim: its result in A and in B (either may be null) and the change. */
    public record Row(String id, JsonNode a, JsonNode b, Change change) { }

    private final JsonNode reportA;
    private final JsonNode reportB;
    private final List<Row> rows;

    /** Compares two report JSONs; rows in A's order, then the claims only B has, in B's order. */
    public ReportDiff(JsonNode reportA, JsonNode reportB) {
        this.reportA = reportA;
        this.reportB = reportB;
        Map<String, JsonNode> a = byId(reportA);
        Map<String, JsonNode> b = byId(reportB);
        Set<String> ids = new LinkedHashSet<>(a.keySet());
        ids.addAll(b.keySet());
        List<Row> out = new ArrayList<>();
        for (String id : ids) {
            out.add(new Row(id, a.get(id), b.get(id), change(a.get(id), b.get(id))));
        }
        this.rows = List.copyOf(out);
    }

    public List<Row> rows() {
        return rows;
    }

    /** Whether any claim's verdict is more severe in B than in A. */
    public boolean anyWorse() {
        return rows.stream().anyMatch(r -> r.change() == Change.WORSE);
    }

    /** The change of one claim; results compare by verdict first, then by their decisive numbers. */
    static Change change(JsonNode a, JsonNode b) {
        if (b == null) {
            return Change.ONLY_A;
        }
        if (a == null) {
            return Change.ONLY_B;
        }
        Verdict va = ResultJson.verdict(a);
        Verdict vb = ResultJson.verdict(b);
        if (va != vb && (va == Verdict.NOT_APPLICABLE || vb == Verdict.NOT_APPLICABLE)) {
            return Change.APPLICABILITY;
        }
        if (va != vb) {
            return va.worst(vb) == vb ? Change.WORSE : Change.BETTER;
        }
        if (!Table.measuredVsBound(a).equals(Table.measuredVsBound(b))) {
            return Change.NUMBER_CHANGED;
        }
        // The table prints four significant digits; a kernel regression that moves a measured error in the fifth
        // digit is still a change, so equality is judged on the stored doubles, not on the printed text.
        return sameDouble(a, b, "measured") && sameDouble(a, b, "bound") ? Change.SAME : Change.NUMBER_CHANGED;
    }

    private static boolean sameDouble(JsonNode a, JsonNode b, String field) {
        return Double.compare(ResultJson.number(a.get(field)), ResultJson.number(b.get(field))) == 0;
    }

    /** Whether the two sides print the same four-digit text although their stored numbers differ. */
    private static boolean differsBeyondPrintedDigits(Row r) {
        return r.change() == Change.NUMBER_CHANGED && r.a() != null && r.b() != null
                && Table.measuredVsBound(r.a()).equals(Table.measuredVsBound(r.b()));
    }

    /** The first difference of the two configurations ({@link CheckConfig#firstDifference}), or null. */
    public String configurationDifference() {
        return CheckConfig.firstDifference(reportA.path("configuration"), reportB.path("configuration"));
    }

    /** Text: two lines per side (report; build, preset, kernel), the table, the configuration note, a summary. */
    public String text(String nameA, String nameB) {
        String nl = System.lineSeparator();
        StringBuilder s = new StringBuilder();
        s.append("A: ").append(nameA).append(nl).append("   ").append(describe(reportA)).append(nl);
        s.append("B: ").append(nameB).append(nl).append("   ").append(describe(reportB)).append(nl).append(nl);
        List<String[]> cells = new ArrayList<>();
        cells.add(new String[] {"ID", "verdict A", "verdict B", "change", "measured vs bound A", "measured vs bound B"});
        for (Row r : rows) {
            boolean full = differsBeyondPrintedDigits(r);
            cells.add(new String[] {r.id(), verdict(r.a()), verdict(r.b()), r.change().label(),
                    full ? allDigits(r.a()) : decisive(r.a()), full ? allDigits(r.b()) : decisive(r.b())});
        }
        int[] w = new int[cells.get(0).length];
        for (String[] row : cells) {
            for (int i = 0; i < row.length; i++) {
                w[i] = Math.max(w[i], row[i].length());
            }
        }
        for (int k = 0; k < cells.size(); k++) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < w.length; i++) {
                line.append(i == 0 ? "" : "  ").append(String.format(Locale.ROOT, "%-" + w[i] + "s", cells.get(k)[i]));
            }
            s.append(line.toString().stripTrailing()).append(nl);
            if (k == 0) {
                s.append("-".repeat(line.toString().stripTrailing().length())).append(nl);
            }
        }
        String cfg = configurationDifference();
        s.append(nl).append(cfg == null ? "Same configuration." : "Configurations differ, first at " + cfg + ".").append(nl);
        Map<Change, Integer> n = counts();
        s.append(String.format(Locale.ROOT, "%d claims: %d worse, %d better, %d with another number, %d the same, %d only in A, %d only in B.",
                rows.size(), n.get(Change.WORSE), n.get(Change.BETTER), n.get(Change.NUMBER_CHANGED), n.get(Change.SAME),
                n.get(Change.ONLY_A), n.get(Change.ONLY_B))).append(nl);
        if (n.get(Change.APPLICABILITY) > 0) {
            s.append(n.get(Change.APPLICABILITY)).append(" claim(s) NOT_APPLICABLE on one side only (marked 'n/a change'):"
                    + " not run under that side's setting; a change, not a worsening.").append(nl);
        }
        return s.toString();
    }

    /** JSON: both sides' descriptions, one entry per claim with both results' decisive fields, the counts. */
    public ObjectNode json(String nameA, String nameB) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.set("a", side(nameA, reportA));
        o.set("b", side(nameB, reportB));
        String cfg = configurationDifference();
        if (cfg == null) {
            o.putNull("configuration_difference");
        } else {
            o.put("configuration_difference", cfg);
        }
        ArrayNode claims = o.putArray("claims");
        for (Row r : rows) {
            ObjectNode c = claims.addObject();
            c.put("id", r.id());
            c.put("change", r.change().key());
            c.set("a", decisiveJson(r.a()));
            c.set("b", decisiveJson(r.b()));
        }
        ObjectNode summary = o.putObject("summary");
        counts().forEach((k, v) -> summary.put(k.key(), v));
        o.put("any_worse", anyWorse());
        return o;
    }

    private Map<Change, Integer> counts() {
        Map<Change, Integer> n = new LinkedHashMap<>();
        for (Change c : Change.values()) {
            n.put(c, 0);
        }
        rows.forEach(r -> n.merge(r.change(), 1, Integer::sum));
        return n;
    }

    private static Map<String, JsonNode> byId(JsonNode report) {
        Map<String, JsonNode> m = new LinkedHashMap<>();
        for (JsonNode r : report.path("results")) {
            m.put(r.path("id").asText(), r);
        }
        return m;
    }

    private static String verdict(JsonNode r) {
        return r == null ? "-" : Table.verdict(r);
    }

    /** The decisive number, cut to 40 characters in the table (the JSON has it whole). */
    private static String decisive(JsonNode r) {
        if (r == null) {
            return "-";
        }
        String s = Table.measuredVsBound(r);
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }

    /** Measured and bound with every digit of the stored double, for changes the four-digit text would hide. */
    private static String allDigits(JsonNode r) {
        return ResultJson.number(r.get("measured")) + " " + r.path("relation").asText("?") + " "
                + ResultJson.number(r.get("bound"));
    }

    private static JsonNode decisiveJson(JsonNode r) {
        if (r == null) {
            return Json.MAPPER.nullNode();
        }
        ObjectNode d = Json.MAPPER.createObjectNode();
        d.put("verdict", r.path("verdict").asText());
        d.put("measured_vs_bound", Table.measuredVsBound(r));
        for (String f : new String[] {"measured", "bound", "relation", "units", "margin"}) {
            d.set(f, r.path(f).deepCopy());
        }
        return d;
    }

    private static String describe(JsonNode report) {
        JsonNode c = report.path("configuration");
        JsonNode e = report.path("environment");
        return "idrelu " + e.path("idrelu_version").asText("?") + " commit " + e.path("idrelu_commit").asText("?")
                + ", preset " + c.path("preset").asText("?") + ", kernel " + c.path("kernel").asText("?")
                + " (" + c.path("precision").asText("?") + "), seed " + c.path("seed").asText("?")
                + (c.has(CheckConfig.SETTING_FIELD) ? ", " + Table.settingLine(report).replaceFirst("^Setting: ", "setting ") : "");
    }

    private static ObjectNode side(String name, JsonNode report) {
        ObjectNode s = Json.MAPPER.createObjectNode();
        s.put("report", name);
        s.put("description", describe(report));
        s.set("summary", report.path("summary").deepCopy());
        return s;
    }
}
