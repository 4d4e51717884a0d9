package io.idrelu.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.idrelu.claims.Verdict;
import io.idrelu.cli.AtomicFiles;
import io.idrelu.cli.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The report of a check (or of one shard, or of merged shards): {@code report.json}, {@code report.html},
 * {@code plots/*.svg|png} and {@code replay/<ID>.json}, all written atomically.
 *
 * <p>{@code report.json} sections: {@code format}; {@code configuration} ({@link CheckConfig});
 * {@code shard} (null for a whole run); {@code results} (catalogue order, {@link ResultJson});
 * {@code summary} (verdict counts); {@code environment} (idrelu version and commit, JDK, OS, CPUs, kernel, vector species,
 * precision); {@code timings} (seconds per claim and total) and {@code plots}. The first four
 * ({@link #deterministic}) depend only on the configuration and can be compared across runs.
 */
public final class Report {
    public static final String FORMAT = "idrelu-report/1";
    public static final String JSON_FILE = "report.json";
    public static final String HTML_FILE = "report.html";

    private final ObjectNode configuration;
    private final Shard shard;
    private final List<CheckRunner.Outcome> outcomes;
    private final ObjectNode environment;
    private final double totalSeconds;

    public Report(ObjectNode configuration, Shard shard, List<CheckRunner.Outcome> outcomes, ObjectNode environment,
                  double totalSeconds) {
        this.configuration = configuration;
        this.shard = shard;
        this.outcomes = List.copyOf(outcomes);
        this.environment = environment;
        this.totalSeconds = totalSeconds;
    }

    public List<CheckRunner.Outcome> outcomes() {
        return outcomes;
    }

    public ObjectNode configuration() {
        return configuration;
    }

    /** 3 when a claim hit an internal error, else 1 when a claim is VIOLATED, else 0. */
    public int exitCode() {
        boolean violated = false;
        for (CheckRunner.Outcome o : outcomes) {
            if (ResultJson.isInternalError(o.result())) {
                return 3;
            }
            violated |= ResultJson.verdict(o.result()) == Verdict.VIOLATED;
        }
        return violated ? 1 : 0;
    }

    /** IDs of the VIOLATED claims. */
    public List<String> violated() {
        List<String> v = new ArrayList<>();
        for (CheckRunner.Outcome o : outcomes) {
            if (ResultJson.verdict(o.result()) == Verdict.VIOLATED) {
                v.add(o.id());
            }
        }
        return v;
    }

    /** The full report JSON; {@code plots} lists the plot file stems written next to it. */
    public ObjectNode json(List<String> plots) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("format", FORMAT);
        o.set("configuration", configuration.deepCopy());
        if (shard == null || shard.isWhole()) {
            o.putNull("shard");
        } else {
            ObjectNode s = o.putObject("shard");
            s.put("index", shard.index());
            s.put("count", shard.count());
            ArrayNode units = s.putArray("units");
            outcomes.forEach(u -> units.add(u.id()));
        }
        ArrayNode results = o.putArray("results");
        outcomes.forEach(u -> results.add(u.result()));
        o.set("summary", summary());
        o.set("environment", environment.deepCopy());
        ObjectNode t = o.putObject("timings");
        t.put("total_seconds", totalSeconds);
        ObjectNode per = t.putObject("claims");
        outcomes.forEach(u -> per.put(u.id(), u.seconds()));
        ArrayNode resumed = t.putArray("resumed_from_journal");
        outcomes.stream().filter(CheckRunner.Outcome::resumed).forEach(u -> resumed.add(u.id()));
        ArrayNode p = o.putArray("plots");
        plots.forEach(p::add);
        return o;
    }

    private ObjectNode summary() {
        ObjectNode s = Json.MAPPER.createObjectNode();
        int[] n = new int[Verdict.values().length];
        int internal = 0;
        for (CheckRunner.Outcome o : outcomes) {
            n[ResultJson.verdict(o.result()).ordinal()]++;
            internal += ResultJson.isInternalError(o.result()) ? 1 : 0;
        }
        for (Verdict v : Verdict.values()) {
            s.put(v.name().toLowerCase(Locale.ROOT), n[v.ordinal()]);
        }
        s.put("internal_errors", internal);
        return s;
    }

    /** The part of a report JSON that depends only on the configuration: configuration, results, summary. */
    public static ObjectNode deterministic(JsonNode report) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.set("configuration", report.path("configuration").deepCopy());
        o.set("results", report.path("results").deepCopy());
        o.set("summary", report.path("summary").deepCopy());
        return o;
    }

    /**
     * Writes everything into {@code dir}: replay files, plots (claims' series, then {@code figures} whose
     * names no claim plot uses), report.html and finally report.json (last, so a report.json on disk
     * always belongs to a complete report).
     *
     * @return the report JSON written
     */
    public ObjectNode write(Path dir, List<PlotSpec> figures) {
        try {
            Files.createDirectories(dir.resolve("plots"));
            Files.createDirectories(dir.resolve("replay"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir + ": " + e.getMessage(), e);
        }
        for (CheckRunner.Outcome o : outcomes) {
            ObjectNode r = o.result().path("replay").deepCopy();
            r.set("expected", o.result());
            AtomicFiles.write(dir.resolve("replay").resolve(Plots.slug(o.id()) + ".json"), Json.write(r) + "\n");
        }
        List<PlotSpec> specs = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (CheckRunner.Outcome o : outcomes) {
            PlotSpec s = Plots.fromResult(o.result());
            if (s != null && names.add(s.name())) {
                specs.add(s);
            }
        }
        for (PlotSpec f : figures) {
            if (names.add(f.name())) {
                specs.add(f);
            }
        }
        List<Html.Figure> rendered = new ArrayList<>();
        for (PlotSpec s : specs) {
            Plots.Rendered r = Plots.render(s);
            AtomicFiles.write(dir.resolve("plots").resolve(s.name() + ".svg"), r.svg());
            AtomicFiles.write(dir.resolve("plots").resolve(s.name() + ".png"), r.png());
            rendered.add(new Html.Figure(s, Plots.inlineSvg(r.svg())));
        }
        List<String> plotNames = specs.stream().map(PlotSpec::name).toList();
        removeStale(dir.resolve("plots"), plotNames, ".svg", ".png");
        removeStale(dir.resolve("replay"), outcomes.stream().map(o -> Plots.slug(o.id())).toList(), ".json");
        ObjectNode json = json(plotNames);
        AtomicFiles.write(dir.resolve(HTML_FILE), Html.page(json, rendered));
        AtomicFiles.write(dir.resolve(JSON_FILE), Json.write(json) + "\n");
        return json;
    }

    /** Deletes files {@code NAME.ext} in {@code dir} (our own subdirectory) left by an earlier report with other plots or claims. */
    private static void removeStale(Path dir, List<String> keep, String... exts) {
        try (var files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String n = f.getFileName().toString();
                for (String ext : exts) {
                    if (n.endsWith(ext) && !keep.contains(n.substring(0, n.length() - ext.length()))) {
                        Files.deleteIfExists(f);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot tidy " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The environment section: idrelu version and commit ({@link BuildInfo}), JDK, OS, CPUs, kernel and vector species, precision. */
    public static ObjectNode environment(String kernelName, String precision) {
        ObjectNode e = Json.MAPPER.createObjectNode();
        BuildInfo build = BuildInfo.current();
        e.put("idrelu_version", build.version());
        e.put("idrelu_commit", build.commit());
        e.put("idrelu_uncommitted_changes", build.dirty());
        e.put("java_version", System.getProperty("java.version"));
        e.put("java_vendor", System.getProperty("java.vendor"));
        e.put("java_vm", System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"));
        e.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        e.put("arch", System.getProperty("os.arch"));
        e.put("cpus", Runtime.getRuntime().availableProcessors());
        e.put("kernel", kernelName);
        e.put("vector_species", speciesDescription());
        e.put("precision", precision);
        return e;
    }

    /** The kernel provider's description of the vector species, if it offers one. */
    static String speciesDescription() {
        try {
            return io.idrelu.kernel.KernelProvider.speciesDescription();
        } catch (RuntimeException | LinkageError e) {
            return "unavailable: " + e;
        }
    }
}
