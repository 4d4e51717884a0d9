package io.idrelu.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.idrelu.claims.Applicability;
import io.idrelu.cli.AtomicFiles;
import io.idrelu.cli.Json;
import io.idrelu.setting.Setting;

import java.nio.file.Path;
import java.util.List;

/**
 * The page and JSON of a sweep over one setting axis ({@code idrelu sweep --axis NAME=V1,V2,...}; issue 11): one
 * section per value, each the full phase diagram of that value's setting ({@link SweepReport}, written into its own
 * directory {@code <slug>/}), labelled with {@link Applicability#label}. The top-level {@code sweep.json} holds the
 * axis and every section's complete sweep JSON; {@code sweep.html} shows each section's success table and heatmap
 * and links to its full page.
 */
public final class SweepAxisReport {
    public static final String FORMAT = "idrelu-sweep-axis/1";

    /** One axis value: its title ({@code name=value}), directory, configuration, report and the JSON written. */
    public record Section(String title, String directory, SweepConfig config, SweepReport report, ObjectNode json) {
        Setting setting() {
            return config.setting() == null ? Setting.ly17(config.ds()[0]) : config.setting();
        }
    }

    private final String axis;
    private final List<String> values;
    private final List<Section> sections;

    public SweepAxisReport(String axis, List<String> values, List<Section> sections) {
        this.axis = axis;
        this.values = List.copyOf(values);
        this.sections = List.copyOf(sections);
    }

    public ObjectNode json() {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("format", FORMAT);
        ObjectNode a = o.putObject("axis");
        a.put("name", axis);
        ArrayNode v = a.putArray("values");
        values.forEach(v::add);
        ArrayNode s = o.putArray("sections");
        for (Section x : sections) {
            ObjectNode n = s.addObject();
            n.put("title", x.title());
            n.put("setting_label", Applicability.label(x.setting()));
            n.put("directory", x.directory());
            n.set("sweep", x.json());
        }
        return o;
    }

    /** Writes sweep.json and sweep.html into {@code dir} (the sections are already in their directories). */
    public ObjectNode write(Path dir) {
        ObjectNode json = json();
        AtomicFiles.write(dir.resolve(SweepReport.HTML_FILE), html());
        AtomicFiles.write(dir.resolve(SweepReport.JSON_FILE), Json.write(json) + "\n");
        return json;
    }

    /** Every section's success table under its title, for stdout. */
    public String table() {
        StringBuilder s = new StringBuilder();
        for (Section x : sections) {
            s.append("== ").append(x.title()).append(" (setting ").append(Applicability.label(x.setting())).append(") ==\n")
                    .append(x.report().table()).append('\n');
        }
        return s.toString();
    }

    private String html() {
        StringBuilder h = new StringBuilder(16 * 1024);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>idrelu sweep: ").append(Html.esc(axis)).append("</title><style>").append(Html.CSS)
                .append("</style></head><body><main>\n");
        h.append("<h1>idrelu sweep over ").append(Html.esc(axis)).append("</h1>\n<p class=\"sub\">One phase diagram per value of ")
                .append(Html.esc(axis)).append(" (").append(Html.esc(String.join(", ", values)))
                .append("); every other option is the same in each. Under a setting other than [LY17]'s, success is judged on the "
                        + "setting's excess population loss: by its closed form where one exists, exactly as one full batch for a finite "
                        + "law, otherwise by Monte Carlo with its interval (success only when the interval's upper end is at most eps, "
                        + "failure when its lower end exceeds eps, otherwise undecided, shown as ?N).</p>\n");
        for (Section x : sections) {
            String dir = Html.esc(x.directory());
            h.append("<section id=\"").append(dir).append("\"><h2>").append(Html.esc(x.title())).append(": setting ")
                    .append(Html.esc(Applicability.label(x.setting()))).append("</h2>\n<p class=\"sub\">")
                    .append(Html.esc(x.json().path("definitions").path("success").asText()))
                    .append(". Full page: <a href=\"").append(dir).append("/sweep.html\">").append(dir).append("/sweep.html</a>.</p>\n<pre>")
                    .append(Html.esc(x.report().table())).append("</pre>\n<img alt=\"success rate, ").append(Html.esc(x.title()))
                    .append("\" src=\"").append(dir).append("/plots/sweep-success.svg\">\n</section>\n");
        }
        h.append("</main></body></html>\n");
        return h.toString();
    }
}
