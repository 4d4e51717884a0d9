package io.idrelu.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.idrelu.kernel.Kernel;
import io.idrelu.kernel.KernelProvider;
import io.idrelu.report.CheckConfig;
import io.idrelu.report.CheckRunner;
import io.idrelu.report.FigureRun;
import io.idrelu.report.PlotSpec;
import io.idrelu.report.Report;
import io.idrelu.report.ResultJson;
import io.idrelu.report.Shard;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;

/**
 * {@code idrelu merge DIR...}: combines the shard reports of one configuration into one report whose
 * deterministic part equals that of a single-machine run. Refuses (exit 2) mismatched configurations,
 * overlapping, missing or incomplete shards.
 */
@Command(name = "merge", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = {
                "Merges shard reports (each DIR holds the report.json of one",
                "'idrelu check --shard i/n') into one report. Every shard 1..n must be",
                "present once, with the same configuration. Exit codes as for check.",
                "",
                "Example: idrelu merge shard-1 shard-2 shard-3 --out idrelu-report"})
public final class MergeCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "DIR", description = "Shard report directories.")
    List<Path> dirs = new ArrayList<>();

    @Option(names = "--out", defaultValue = "idrelu-report", paramLabel = "DIR", description = "Merged report directory. Default: ${DEFAULT-VALUE}/.")
    Path out = Paths.get("idrelu-report");

    @Option(names = "--json", description = "Print the merged report JSON on stdout instead of the table.")
    boolean json;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        CheckCommand.checkOutDir(out, "--out");
        refuseOutputAmongInputs(out, dirs);
        try (OutputLock lock = OutputLock.acquire(out, "--out", "idrelu merge", spec.commandLine().getErr())) {
            return merge();
        }
    }

    /**
     * The merged report goes into {@code out}, overwriting its report.json: when {@code out} is one of the shard
     * directories (by canonical real path, so {@code ./s1}, {@code s1/} and a symbolic link to it all count) the
     * merge would destroy its own input. Refused before anything is read or written.
     */
    static void refuseOutputAmongInputs(Path out, List<Path> inputs) {
        if (!Files.exists(out)) {
            return; // a new directory cannot be an existing input
        }
        Path real = realPath(out, "--out");
        for (Path in : inputs) {
            if (Files.exists(in) && realPath(in, "DIR").equals(real)) {
                throw new UsageException("--out " + out + " is the input shard directory " + in
                        + (in.toString().equals(out.toString()) ? "" : " (both are " + real + ")")
                        + ": the merge would overwrite its own input; expected an output directory that is none of the inputs");
            }
        }
    }

    private static Path realPath(Path p, String what) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            throw new UsageException(what + " " + p + ": cannot resolve its real path (" + e.getMessage() + "): expected an accessible directory");
        }
    }

    private Integer merge() {
        List<JsonNode> reports = new ArrayList<>();
        for (Path d : dirs) {
            reports.add(ReplayCommand.read(d.resolve(Report.JSON_FILE)));
        }
        JsonNode config = reports.get(0).path("configuration");
        Integer count = null;
        Map<Integer, Path> seen = new HashMap<>();
        Map<String, JsonNode> results = new HashMap<>();
        Map<String, Double> seconds = new HashMap<>();
        ArrayNode envs = Json.MAPPER.createArrayNode();
        double total = 0;
        for (int k = 0; k < reports.size(); k++) {
            JsonNode r = reports.get(k);
            Path d = dirs.get(k);
            if (!Report.FORMAT.equals(r.path("format").asText())) {
                throw new UsageException(d.resolve(Report.JSON_FILE) + ": format '" + r.path("format").asText() + "': expected " + Report.FORMAT);
            }
            JsonNode sh = r.path("shard");
            if (!sh.isObject()) {
                throw new UsageException(d + " holds a whole-run report, not a shard: expected reports of 'idrelu check --shard i/n'");
            }
            String diff = CheckConfig.firstDifference(config, r.path("configuration"));
            if (diff != null) {
                throw new UsageException("configurations differ between " + dirs.get(0) + " and " + d + ": "
                        + diff.replaceFirst(" \\(", " (" + dirs.get(0) + " vs " + d + ": "));
            }
            int n = sh.path("count").asInt();
            int i = sh.path("index").asInt();
            if (count == null) {
                count = n;
            } else if (count != n) {
                throw new UsageException("shard counts differ: " + dirs.get(0) + " is one of " + count + ", " + d + " one of " + n);
            }
            Path prev = seen.put(i, d);
            if (prev != null) {
                throw new UsageException("overlapping shards: shard " + i + "/" + n + " is in both " + prev + " and " + d);
            }
            Shard shard = new Shard(i, n);
            TreeSet<String> expected = new TreeSet<>();
            List<String> claims = new ArrayList<>();
            config.path("claims").forEach(c -> claims.add(c.asText()));
            for (int u = 0; u < claims.size(); u++) {
                if (shard.selects(u)) {
                    expected.add(claims.get(u));
                }
            }
            TreeSet<String> got = new TreeSet<>();
            for (JsonNode res : r.path("results")) {
                String id = res.path("id").asText();
                got.add(id);
                results.put(id, res);
                seconds.put(id, r.path("timings").path("claims").path(id).asDouble());
            }
            if (!got.equals(expected)) {
                throw new UsageException("shard " + i + "/" + n + " in " + d + " has results for " + got + ": expected " + expected);
            }
            envs.add(r.path("environment"));
            total += r.path("timings").path("total_seconds").asDouble();
        }
        List<String> missing = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            if (!seen.containsKey(i)) {
                missing.add(i + "/" + count);
            }
        }
        if (!missing.isEmpty()) {
            throw new UsageException("missing shard(s) " + String.join(", ", missing) + ": expected all of 1.." + count + " exactly once");
        }
        List<CheckRunner.Outcome> outcomes = new ArrayList<>();
        for (JsonNode c : config.path("claims")) {
            String id = c.asText();
            outcomes.add(new CheckRunner.Outcome(id, (ObjectNode) ResultJson.normalise(results.get(id)), seconds.get(id), false));
        }
        ObjectNode env = envs.get(0).deepCopy();
        env.put("merged_from_shards", count);
        env.set("shard_environments", envs);
        PrintWriter err = spec.commandLine().getErr();
        CheckConfig cfg = CheckConfig.fromJson(config);
        List<PlotSpec> figures = List.of(); // the trajectory figures are [LY17]'s: none under another setting (as in check)
        if (cfg.isLy17()) {
            try {
                Kernel kernel = KernelProvider.doubleKernel(ReplayCommand.kernelChoice(cfg.kernel()));
                figures = FigureRun.figuresOrNone(kernel, cfg.constants(), err);
            } catch (RuntimeException e) {
                err.println("idrelu merge: note: trajectory figures skipped: " + e.getMessage());
            }
        }
        Report report = new Report((ObjectNode) config, null, outcomes, env, total);
        ObjectNode written = report.write(out, figures);
        CheckCommand.print(written, report, out, json, false, spec.commandLine().getOut(), err);
        return report.exitCode();
    }
}
