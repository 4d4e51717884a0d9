package io.idrelu.report;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The verdict table printed on stdout at the end of a check: one row per claim, catalogue order. */
public final class Table {
    static final String[] HEADER = {"ID", "statement", "verdict", "measured vs bound", "margin",
        "empirical vs paper", "trials", "seconds"};
    private static final int STATEMENT_WIDTH = 34;

    private Table() { }

    /** Text of the table for the report JSON's results and timings. */
    public static String render(JsonNode report) {
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
        for (int k = 0; k < rows.size(); k++) {
            String[] row = rows.get(k);
            for (int i = 0; i < row.length; i++) {
                boolean right = i >= 6;
                String cell = right ? pad(row[i], w[i], true) : pad(row[i], w[i], false);
                s.append(i == 0 ? "" : "  ").append(cell);
            }
            s.append(System.lineSeparator());
            if (k == 0) {
                int total = 0;
                for (int x : w) {
                    total += x;
                }
                s.append("-".repeat(total + 2 * (w.length - 1))).append(System.lineSeparator());
            }
        }
        return s.toString().replaceAll(" +(\\R)", "$1");
    }

    static String[] row(JsonNode r, double seconds) {
        String statement = r.path("statement").asText("");
        if (statement.length() > STATEMENT_WIDTH) {
            statement = statement.substring(0, STATEMENT_WIDTH - 3) + "...";
        }
        String verdict = ResultJson.isInternalError(r) ? "INCONCLUSIVE (internal error)" : r.path("verdict").asText();
        return new String[] {r.path("id").asText(), statement, verdict, measuredVsBound(r),
            num(ResultJson.number(r.get("margin"))), empiricalVsPaper(r),
            Long.toString(r.path("trials").asLong()), Double.isNaN(seconds) ? "-" : String.format(Locale.ROOT, "%.1f", seconds)};
    }

    /** {@code "0.0912 > 0.084 (paper)"}, or the error for an internal error. */
    public static String measuredVsBound(JsonNode r) {
        if (ResultJson.isInternalError(r)) {
            return "error: " + r.path("details").path("error").asText();
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

    /** Four significant digits, plain for moderate magnitudes and scientific otherwise. */
    public static String num(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        double a = Math.abs(v);
        if (v == 0 || (a >= 1e-3 && a < 1e5)) {
            String s = String.format(Locale.ROOT, "%.4g", v);
            if (s.contains(".") && !s.contains("e")) {
                s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
            }
            return s;
        }
        return String.format(Locale.ROOT, "%.3e", v);
    }

    private static String pad(String s, int w, boolean right) {
        String sp = " ".repeat(Math.max(0, w - s.length()));
        return right ? sp + s : s + sp;
    }
}
