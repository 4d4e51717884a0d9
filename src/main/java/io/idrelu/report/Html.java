package io.idrelu.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.idrelu.cli.Json;

import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code report.html}: one self-contained page (inline CSS and SVG; no script, no network) with the
 * configuration, the colour-coded verdict table (each row links to its replay file), each claim's
 * details, and the plots.
 */
public final class Html {
    /** A rendered plot: its spec and inline SVG. */
    public record Figure(PlotSpec spec, String svg) { }

    /** The report style, shared by the check report and the sweep report. */
    static final String CSS = """
            body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#222;background:#fafafa}
            main{max-width:1180px;margin:0 auto;padding:20px 28px 60px}
            h1{font-size:24px;margin:8px 0 4px}h2{font-size:19px;margin:28px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}
            h3{font-size:16px;margin:20px 0 4px}
            .sub{color:#555;margin:0 0 12px}
            .summary span{display:inline-block;padding:3px 10px;border-radius:12px;margin-right:8px;font-weight:600}
            table{border-collapse:collapse;width:100%;background:#fff;font-size:13.5px}
            th,td{border:1px solid #ddd;padding:5px 7px;text-align:left;vertical-align:top}
            th{background:#f0f0f0}
            td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
            td.mono{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12.5px}
            .HOLDS{background:#d9f2dc;color:#13551c}.VIOLATED{background:#f9d6d5;color:#8a1610}
            .INCONCLUSIVE{background:#fcefc7;color:#6b4e00}.ERROR{background:#e6d9f5;color:#4b2377}
            .NOT_APPLICABLE{background:#e8e8e8;color:#444}
            td.verdict{font-weight:700;white-space:nowrap}
            span.tag{padding:1px 7px;border-radius:9px}
            dl.kv{display:grid;grid-template-columns:max-content auto;gap:2px 14px;margin:0;font-size:13.5px}
            dl.kv dt{color:#555}dl.kv dd{margin:0;font-family:ui-monospace,Menlo,Consolas,monospace}
            details{background:#fff;border:1px solid #ddd;border-radius:4px;margin:6px 0;padding:4px 10px}
            summary{cursor:pointer;font-weight:600}
            pre{white-space:pre-wrap;word-break:break-word;font-size:12px;margin:6px 0}
            figure{background:#fff;border:1px solid #ddd;border-radius:4px;margin:14px 0;padding:10px}
            figcaption{color:#444;font-size:13.5px;margin-bottom:6px}
            svg.plot{width:100%;height:auto;max-width:900px;display:block}
            .cols{display:grid;grid-template-columns:1fr 1fr;gap:20px}
            a{color:#1a5fb4}
            """;

    private Html() { }

    public static String page(ObjectNode report, List<Figure> figures) {
        StringBuilder h = new StringBuilder(64 * 1024);
        JsonNode cfg = report.path("configuration");
        JsonNode env = report.path("environment");
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>idrelu check report</title><style>").append(CSS).append("</style></head><body><main>\n");
        h.append("<h1>idrelu check: Li &amp; Yuan (NeurIPS 2017), claim by claim</h1>\n");
        JsonNode shard = report.path("shard");
        h.append("<p class=\"sub\">Preset <b>").append(esc(cfg.path("preset").asText())).append("</b>, seed ")
                .append(esc(cfg.path("seed").asText())).append(", kernel ").append(esc(cfg.path("kernel").asText()))
                .append(" (").append(esc(cfg.path("precision").asText())).append("), ")
                .append(report.path("results").size()).append(" claims")
                .append(shard.isObject() ? ", shard " + shard.path("index").asInt() + "/" + shard.path("count").asInt() : "")
                .append(String.format(Locale.ROOT, ", %.1f s wall time.", report.path("timings").path("total_seconds").asDouble()))
                .append(" Gradient quantities say their units: <i>true</i> (of L(W) = E[(f(x,W) - f(x,W*))<sup>2</sup>]) or")
                .append(" <i>paper</i> (= &pi; &times; true).</p>\n");
        String setting = Table.settingLine(report);
        h.append("<p class=\"sub\">").append(setting.isEmpty()
                ? "Setting: <b>[LY17]</b> (ReLU, x ~ N(0, I), one identity-mapped block, noiseless labels; each claim at its own d and gamma)."
                : "<b>" + esc(setting) + "</b>. A claim not defined under this setting is <i>NOT_APPLICABLE</i> (not run), with the reason.")
                .append("</p>\n");
        JsonNode sum = report.path("summary");
        h.append("<p class=\"summary\"><span class=\"HOLDS\">").append(sum.path("holds").asInt()).append(" HOLDS</span>")
                .append("<span class=\"VIOLATED\">").append(sum.path("violated").asInt()).append(" VIOLATED</span>")
                .append("<span class=\"INCONCLUSIVE\">").append(sum.path("inconclusive").asInt()).append(" INCONCLUSIVE</span>");
        if (sum.path("not_applicable").asInt() > 0) {
            h.append("<span class=\"NOT_APPLICABLE\">").append(sum.path("not_applicable").asInt()).append(" NOT_APPLICABLE</span>");
        }
        if (sum.path("internal_errors").asInt() > 0) {
            h.append("<span class=\"ERROR\">").append(sum.path("internal_errors").asInt()).append(" internal errors</span>");
        }
        h.append("</p>\n");

        h.append("<h2>Verdicts</h2>\n<table><thead><tr>");
        for (String c : new String[] {"ID", "statement", "verdict", "decisive: measured vs bound (units)", "margin",
            "empirical vs paper", "trials", "seconds", "reason", "replay"}) {
            h.append("<th>").append(c).append("</th>");
        }
        h.append("</tr></thead><tbody>\n");
        JsonNode timings = report.path("timings").path("claims");
        for (JsonNode r : report.path("results")) {
            String id = r.path("id").asText();
            boolean err = ResultJson.isInternalError(r);
            String cls = err ? "ERROR" : r.path("verdict").asText();
            h.append("<tr><td><a href=\"#claim-").append(esc(Plots.slug(id))).append("\">").append(esc(id)).append("</a></td>")
                    .append("<td>").append(esc(r.path("statement").asText())).append("</td>")
                    .append("<td class=\"verdict ").append(cls).append("\">")
                    .append(err ? "INCONCLUSIVE (internal error)" : esc(r.path("verdict").asText())).append("</td>")
                    .append("<td class=\"mono\">").append(esc(Table.decisiveText(r))).append("</td>")
                    .append("<td class=\"num\">").append(esc(Table.num(ResultJson.number(r.get("margin"))))).append("</td>")
                    .append("<td class=\"num\">").append(esc(Table.empiricalVsPaper(r))).append("</td>")
                    .append("<td class=\"num\">").append(r.path("trials").asLong()).append("</td>")
                    .append("<td class=\"num\">").append(String.format(Locale.ROOT, "%.1f", timings.path(id).asDouble())).append("</td>")
                    .append("<td>").append(esc(Table.reason(r))).append("</td>")
                    .append("<td><a href=\"replay/").append(esc(Plots.slug(id))).append(".json\">replay</a></td></tr>\n");
        }
        h.append("</tbody></table>\n<p class=\"sub\">Re-run one claim alone, bit for bit: <code>idrelu replay DIR/replay/ID.json</code>.</p>\n");

        if (!figures.isEmpty()) {
            h.append("<h2>Plots</h2>\n");
            for (Figure f : figures) {
                String n = esc(f.spec().name());
                h.append("<figure id=\"plot-").append(n).append("\"><h3>").append(esc(f.spec().title())).append("</h3>")
                        .append("<figcaption>").append(esc(f.spec().caption()))
                        .append(" Files: <a href=\"plots/").append(n).append(".svg\">SVG</a>, <a href=\"plots/").append(n)
                        .append(".png\">PNG</a>.</figcaption>\n").append(f.svg()).append("\n</figure>\n");
            }
        }

        h.append("<h2>Claim details</h2>\n");
        for (JsonNode r : report.path("results")) {
            String id = r.path("id").asText();
            h.append("<details id=\"claim-").append(esc(Plots.slug(id))).append("\"><summary>").append(esc(id)).append(" &mdash; ")
                    .append(esc(r.path("statement").asText())).append(": <span class=\"tag ")
                    .append(ResultJson.isInternalError(r) ? "ERROR" : r.path("verdict").asText()).append("\">")
                    .append(esc(r.path("verdict").asText())).append("</span></summary>\n<dl class=\"kv\">");
            kv(h, "decisive", Table.decisiveText(r));
            kv(h, "reason", Table.reason(r).isEmpty() ? "-" : Table.reason(r));
            kv(h, "measured vs bound", Table.measuredVsBound(r));
            kv(h, "margin", Table.num(ResultJson.number(r.get("margin"))));
            kv(h, "empirical vs paper", Table.empiricalVsPaper(r));
            kv(h, "trials", r.path("trials").asText());
            kv(h, "worst case", r.path("worst").isNull() ? "-" : Json.write(r.path("worst")).replaceAll("\\s+", " "));
            h.append("</dl>\n<pre>").append(esc(Json.write(summarised(r.path("details"))))).append("</pre></details>\n");
        }

        h.append("<h2>Configuration and environment</h2>\n<div class=\"cols\"><div><h3>Configuration</h3><dl class=\"kv\">");
        flat(h, "", cfg);
        h.append("</dl></div><div><h3>Environment</h3><dl class=\"kv\">");
        flat(h, "", env);
        h.append("</dl></div></div>\n</main></body></html>\n");
        return h.toString();
    }

    /** Details with long arrays shortened to their length and ends (the full data is in report.json). */
    static JsonNode summarised(JsonNode details) {
        if (details.isArray() && details.size() > 8) {
            ArrayNode a = Json.MAPPER.createArrayNode();
            a.add(details.get(0));
            a.add(details.get(1));
            a.add("... " + (details.size() - 4) + " more ...");
            a.add(details.get(details.size() - 2));
            a.add(details.get(details.size() - 1));
            return a;
        }
        if (details.isObject()) {
            ObjectNode o = Json.MAPPER.createObjectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = details.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                o.set(e.getKey(), summarised(e.getValue()));
            }
            return o;
        }
        return details;
    }

    private static void flat(StringBuilder h, String prefix, JsonNode n) {
        if (n.isObject()) {
            n.fields().forEachRemaining(e -> flat(h, prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue()));
        } else if (n.isArray()) {
            StringBuilder s = new StringBuilder();
            n.forEach(x -> s.append(s.length() == 0 ? "" : ",").append(x.asText()));
            kv(h, prefix, s.toString());
        } else {
            kv(h, prefix, n.asText());
        }
    }

    private static void kv(StringBuilder h, String k, String v) {
        h.append("<dt>").append(esc(k)).append("</dt><dd>").append(esc(v)).append("</dd>");
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
