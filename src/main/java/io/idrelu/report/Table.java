package io.idrelu.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.idrelu.claims.Decisive;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The verdict table printed on stdout at the end of a check: one row per claim, catalogue order.
 *
 * <p>Narrow form (default, {@link #WIDTH} = 100 columns): ID, verdict, the decisive number (the measured
 * quantity against its bound, with units: {@code ClaimResult.decisive}), margin, trials, seconds; for a row
 * that is not HOLDS (or carries a caveat) its reason follows on up to two indented {@code why:} lines.
 * Every cell is cut to its column with {@code "..."}, so cells never run into each other and no line is
 * longer than 100 columns. Wide form ({@code check --wide}): every column in full, the statement and the
 * empirical constant against the paper's included, the reason in the last column.
 *
 * <p>Under a setting other than [LY17]'s (issue 11) the table starts with a {@code Setting:} line naming it, and a
 * claim not defined there shows the verdict {@code n/a} ({@link io.idrelu.claims.Verdict#NOT_APPLICABLE}), no
 * numbers, and its reason on the {@code why:} lines. A [LY17] report has no setting line: its table is as before.
 */
public final class Table {
    /** Columns of the narrow table: the width of a default terminal with room to spare. */
    public static final int WIDTH = 100;
    static final String ELLIPSIS = "...";
    static final String GAP = "  ";
    /** Narrow columns (ID, verdict, decisive, margin, trials, seconds): widths sum to WIDTH with the gaps. */
    private static final String[] NARROW_HEADER = {"ID", "verdict", "decisive: measured vs bound (units)", "margin", "trials", "s"};
    private static final int[] NARROW_WIDTH = {4, 12, 50, 10, 8, 6};
    private static final boolean[] NARROW_RIGHT = {false, false, false, true, true, true};
    static final String WHY = "      why: ";
    static final String NOTE = "      note: ";
    /** Lines a reason may take in the narrow table before it is cut. */
    static final int REASON_LINES = 2;

    static final String[] HEADER = {"ID", "statement", "verdict", "decisive: measured vs bound (units)", "margin",
        "empirical vs paper", "trials", "seconds", "reason"};

    private Table() { }

    /** The narrow (100-column) table for the report JSON's results and timings. */
    public static String render(JsonNode report) {
        return render(report, false);
    }

    /** The narrow table, or with {@code wide} every column in full. */
    public static String render(JsonNode report, boolean wide) {
        return wide ? renderWide(report) : renderNarrow(report);
    }

    /** What the table shows for a NOT_APPLICABLE verdict (it fits the verdict column). */
    public static final String NOT_APPLICABLE = "n/a";

    /**
     * The report's setting in one line ({@code "Setting: leaky-relu(0.1): leaky-relu(0.1), inputs gaussian, ..."}),
     * or "" when the configuration names none ([LY17]).
     */
    public static String settingLine(JsonNode report) {
        JsonNode s = report.path("configuration").get(CheckConfig.SETTING_FIELD);
        if (s == null || s.isNull()) {
            return "";
        }
        try {
            io.idrelu.setting.Setting st = io.idrelu.setting.SettingJson.fromJson(s);
            return "Setting: " + io.idrelu.claims.Applicability.label(st) + " (" + io.idrelu.claims.Applicability.describe(st) + ")";
        } catch (IllegalArgumentException e) {
            return "Setting: unreadable (" + e.getMessage() + ")";
        }
    }

    private static String renderNarrow(JsonNode report) {
        String nl = System.lineSeparator();
        StringBuilder s = new StringBuilder();
        String setting = settingLine(report);
        if (!setting.isEmpty()) {
            for (String l : wrap(setting, WIDTH, REASON_LINES)) {
                s.append(l).append(nl);
            }
        }
        s.append(line(NARROW_HEADER)).append(nl);
        s.append("-".repeat(WIDTH)).append(nl);
        JsonNode timings = report.path("timings").path("claims");
        for (JsonNode r : report.path("results")) {
            double seconds = timings.path(r.path("id").asText()).asDouble(Double.NaN);
            s.append(line(new String[] {r.path("id").asText(), verdict(r), decisiveText(r, NARROW_WIDTH[2]),
                num(ResultJson.number(r.get("margin"))), Long.toString(r.path("trials").asLong()), secs(seconds)})).append(nl);
            String why = reason(r);
            if (!why.isEmpty()) {
                // a HOLDS row's reason is a caveat, not why it failed
                String label = "HOLDS".equals(r.path("verdict").asText()) ? NOTE : WHY;
                List<String> lines = wrap(why, WIDTH - label.length(), REASON_LINES);
                for (int i = 0; i < lines.size(); i++) {
                    s.append(i == 0 ? label : " ".repeat(label.length())).append(lines.get(i)).append(nl);
                }
            }
        }
        return s.toString();
    }

    private static String line(String[] cells) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            String c = fit(cells[i], NARROW_WIDTH[i]);
            s.append(i == 0 ? "" : GAP).append(pad(c, NARROW_WIDTH[i], NARROW_RIGHT[i]));
        }
        return s.toString().stripTrailing();
    }

    private static String renderWide(JsonNode report) {
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADER);
        JsonNode timings = report.path("timings").path("claims");
        for (JsonNode r : report.path("results")) {
            rows.add(row(r, timings.path(r.path("id").asText()).asDouble(Double.NaN)));
        }
        int[] w = new int[HEADER.length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                w[i] = Math.max(w[i], row[i].length());
            }
        }
        StringBuilder s = new StringBuilder();
        String setting = settingLine(report);
        if (!setting.isEmpty()) {
            s.append(setting).append(System.lineSeparator());
        }
        for (int k = 0; k < rows.size(); k++) {
            String[] row = rows.get(k);
            StringBuilder l = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                boolean right = i == 4 || i == 6 || i == 7;
                l.append(i == 0 ? "" : GAP).append(pad(row[i], w[i], right));
            }
            s.append(l.toString().stripTrailing()).append(System.lineSeparator());
            if (k == 0) {
                int total = 0;
                for (int x : w) {
                    total += x;
                }
                s.append("-".repeat(total + GAP.length() * (w.length - 1))).append(System.lineSeparator());
            }
        }
        return s.toString();
    }

    static String[] row(JsonNode r, double seconds) {
        return new String[] {r.path("id").asText(), r.path("statement").asText(""), verdict(r), decisiveText(r),
            num(ResultJson.number(r.get("margin"))), empiricalVsPaper(r), Long.toString(r.path("trials").asLong()),
            secs(seconds), reason(r)};
    }

    /** The verdict as the table shows it: {@code n/a} for NOT_APPLICABLE, else its name. */
    static String verdict(JsonNode r) {
        String v = r.path("verdict").asText();
        return "NOT_APPLICABLE".equals(v) ? NOT_APPLICABLE : v;
    }

    private static String secs(double seconds) {
        // tenths below 1000 s, whole seconds above: fits the 6-column cell up to 11 days
        return Double.isNaN(seconds) ? "-" : String.format(Locale.ROOT, seconds < 999.95 ? "%.1f" : "%.0f", seconds);
    }

    /**
     * The decisive number as text, e.g. {@code "min one-point ratio 0.5152 > 0.084 (paper)"}: from the result's
     * {@code decisive} object, or from {@code measured relation bound (units)} for reports written before it
     * existed; {@code "internal error"} for a claim that threw.
     */
    public static String decisiveText(JsonNode r) {
        if (ResultJson.isInternalError(r)) {
            return "internal error";
        }
        if ("NOT_APPLICABLE".equals(r.path("verdict").asText())) {
            return ResultJson.NOT_RUN;
        }
        JsonNode d = r.path("decisive");
        if (d.isObject()) {
            io.idrelu.claims.Units u = unitsOf(d.path("units").asText("none"));
            return new Decisive(d.path("quantity").asText(null), ResultJson.number(d.get("measured")),
                    d.path("relation").asText("?"), ResultJson.number(d.get("bound")), ResultJson.number(d.get("boundHigh")), u).text();
        }
        return measuredVsBound(r);
    }

    /**
     * The decisive text fitted to {@code width} columns: the quantity's name is shortened first (with
     * {@code "..."}) so that the numbers, relation, bound and units stay whole.
     */
    static String decisiveText(JsonNode r, int width) {
        String full = decisiveText(r);
        JsonNode d = r.path("decisive");
        if (full.length() <= width || !d.isObject() || ResultJson.isInternalError(r)
                || "NOT_APPLICABLE".equals(r.path("verdict").asText())) {
            return fit(full, width);
        }
        String q = d.path("quantity").asText("");
        String rest = full.substring(Math.min(full.length(), q.length()));
        int room = width - rest.length();
        return room > ELLIPSIS.length() + 2 ? fit(q, room) + rest : fit(full, width);
    }

    /** Why the verdict is what it is ("" for none); a claim that threw gives its error. */
    public static String reason(JsonNode r) {
        if (ResultJson.isInternalError(r)) {
            return "internal error: " + r.path("details").path("error").asText();
        }
        String why = r.path("reason").asText("");
        if (why.isEmpty() && !"HOLDS".equals(r.path("verdict").asText())) {
            return "(the claim gave no reason; see details in report.json)";
        }
        return why;
    }

    private static io.idrelu.claims.Units unitsOf(String label) {
        for (io.idrelu.claims.Units u : io.idrelu.claims.Units.values()) {
            if (u.label().equals(label)) {
                return u;
            }
        }
        return io.idrelu.claims.Units.NONE;
    }

    /** {@code "0.0912 > 0.084 (paper)"}, or the error for an internal error (reports without {@code decisive}). */
    public static String measuredVsBound(JsonNode r) {
        if (ResultJson.isInternalError(r)) {
            return "error: " + r.path("details").path("error").asText();
        }
        if ("NOT_APPLICABLE".equals(r.path("verdict").asText())) {
            return ResultJson.NOT_RUN;
        }
        double m = ResultJson.number(r.get("measured"));
        double b = ResultJson.number(r.get("bound"));
        String units = r.path("units").asText("none");
        return num(m) + " " + r.path("relation").asText("?") + " " + num(b) + ("none".equals(units) ? "" : " (" + units + ")");
    }

    public static String empiricalVsPaper(JsonNode r) {
        double e = ResultJson.number(r.get("empirical"));
        double p = ResultJson.number(r.get("paper"));
        if (Double.isNaN(e) && Double.isNaN(p)) {
            return "-";
        }
        return num(e) + " vs " + num(p);
    }

    /** Four significant digits, plain for moderate magnitudes and scientific otherwise; "-" for NaN. */
    public static String num(double v) {
        return Double.isNaN(v) ? "-" : Decisive.num(v);
    }

    /** {@code s} cut to {@code width} columns, ending in {@code "..."} when cut. */
    static String fit(String s, int width) {
        if (s.length() <= width) {
            return s;
        }
        return width <= ELLIPSIS.length() ? s.substring(0, width) : s.substring(0, width - ELLIPSIS.length()) + ELLIPSIS;
    }

    /**
     * {@code s} broken at spaces into at most {@code maxLines} lines of at most {@code width} columns; a word
     * longer than a line is cut, and text left over after the last line is replaced by {@code "..."}.
     */
    static List<String> wrap(String s, int width, int maxLines) {
        List<String> lines = new ArrayList<>();
        String rest = s.strip().replaceAll("\\s+", " ");
        while (!rest.isEmpty() && lines.size() < maxLines) {
            if (rest.length() <= width) {
                lines.add(rest);
                rest = "";
                break;
            }
            int cut = rest.lastIndexOf(' ', width);
            if (cut <= 0) {
                cut = width;
            }
            lines.add(rest.substring(0, cut).stripTrailing());
            rest = rest.substring(cut).strip();
        }
        if (!rest.isEmpty()) {
            int last = lines.size() - 1;
            lines.set(last, fit(lines.get(last) + " " + rest, width));
        }
        return lines;
    }

    private static String pad(String s, int w, boolean right) {
        String sp = " ".repeat(Math.max(0, w - s.length()));
        return right ? sp + s : s + sp;
    }
}
