package io.idrelu.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.idrelu.claims.Claim;
import io.idrelu.claims.ClaimContext;
import io.idrelu.claims.PaperConstants;
import io.idrelu.claims.Preset;
import io.idrelu.claims.Replay;
import io.idrelu.kernel.FloatKernel;
import io.idrelu.kernel.Kernel;
import io.idrelu.kernel.KernelProvider;
import io.idrelu.report.CheckConfig;
import io.idrelu.report.ResultJson;
import io.idrelu.report.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code idrelu replay FILE}: re-runs one claim alone from a replay file written by {@code check}
 * ({@code DIR/replay/<ID>.json}: claimId, config with preset, kernel, precision and constants, seed, and
 * the stored result as {@code expected}) and says whether the new result is bit for bit the stored one.
 * A run made with {@code --kernel-class} recorded the class and its (absolute) class path, and the replay
 * loads the same kernel again; {@code --kernel-class} / {@code --classpath} here override them (a moved jar).
 */
@Command(name = "replay", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = {
                "Re-runs one claim from a replay file written by 'idrelu check'",
                "(DIR/replay/ID.json) and compares the result with the stored one, bit for bit",
                "(every number of the result JSON; wall time excluded).",
                "Exit 0 identical, 1 identical and VIOLATED, 2 bad file, 3 different result",
                "or internal error. A run under a setting (check --setting, --inputs, ...) is",
                "replayed under the same setting (config.setting; a data file must still exist).",
                "",
                "Example: idrelu replay idrelu-report/replay/C8.json"})
public final class ReplayCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE", description = "Replay JSON written by check.")
    Path file;

    @Option(names = "--json", description = "Print the replayed result JSON on stdout instead of the table.")
    boolean json;

    @Option(names = "--kernel-class", paramLabel = "NAME",
            description = "Replay on this user kernel class instead of the one the file records (kernelClass).")
    String kernelClass;

    @Option(names = "--classpath", paramLabel = "JAR[:JAR...]",
            description = "Where the user kernel is found, instead of the recorded classpath (e.g. the jar moved).")
    String classpath;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        JsonNode node = read(file);
        String id = node.path("claimId").asText("");
        JsonNode cfg = node.path("config");
        if (id.isEmpty() || !cfg.isObject() || !node.has("seed")) {
            throw new UsageException("replay file " + file + ": expected {\"claimId\", \"config\", \"seed\"} as written by idrelu check");
        }
        Preset preset = CheckConfig.parsePreset(cfg.path("preset").asText("default"));
        PaperConstants pc = new PaperConstants(cfg.path("phase1Threshold").asDouble(PaperConstants.RECALLED.phase1Threshold()),
                cfg.path("phase1StepFactor").asDouble(PaperConstants.RECALLED.phase1StepFactor()),
                cfg.path("onePointConstant").asDouble(PaperConstants.RECALLED.onePointConstant()),
                cfg.path("minD").asInt(PaperConstants.RECALLED.minD()));
        String kernelName = cfg.path("kernel").asText("auto");
        String precision = cfg.path("precision").asText("double");
        Claim claim = CheckCommand.catalogue.get(id);
        String userClass = kernelClass != null ? kernelClass : CheckConfig.textOrNull(cfg, "kernelClass");
        String userPath = classpath != null ? UserKernels.absolute(classpath)
                : kernelClass != null ? null : CheckConfig.textOrNull(cfg, "classpath");
        if (userClass == null && userPath != null) {
            throw new UsageException("--classpath " + classpath + " given without a kernel class (none in " + file
                    + " either): expected --kernel-class too");
        }
        Kernel kernel;
        FloatKernel floatKernel;
        if (userClass != null) {
            Object user = UserKernels.one(userClass, userPath);
            kernel = user instanceof Kernel uk ? uk : KernelProvider.doubleKernel(KernelProvider.Choice.AUTO);
            floatKernel = user instanceof FloatKernel ufk ? ufk : KernelProvider.floatKernel(KernelProvider.Choice.AUTO);
        } else {
            KernelProvider.Choice choice = kernelChoice(kernelName);
            kernel = KernelProvider.doubleKernel(choice);
            floatKernel = KernelProvider.floatKernel(choice);
        }
        long seed = node.path("seed").asLong();
        io.idrelu.setting.Setting setting;
        try {
            setting = CheckConfig.settingFrom(cfg);
        } catch (IllegalArgumentException e) {
            throw new UsageException("replay file " + file + ": config.setting: " + e.getMessage());
        }
        if (setting.inputs() instanceof io.idrelu.setting.InputLaw.DataSet ds) {
            io.idrelu.setting.DataSetLoader.load(ds, setting.d()); // the data file must still be there (exit 2 if not)
        }
        CheckConfig config = new CheckConfig(preset, java.util.List.of(id), seed, kernelName, precision, pc, userClass, userPath,
                setting);
        Replay replay = config.replayFor(id);
        PrintWriter err = spec.commandLine().getErr();
        ClaimContext ctx = new ClaimContext(kernel, floatKernel, seed, preset, pc, msg -> {
            err.println("  " + id + ": " + msg);
            err.flush();
        }, config.setting());
        long t0 = System.nanoTime();
        ObjectNode result;
        try {
            result = io.idrelu.report.CheckRunner.runOrExplain(claim, ctx, replay);
        } catch (RuntimeException | AssertionError e) {
            err.println("idrelu replay: internal error in claim " + id + ": " + e);
            result = ResultJson.internalError(id, claim.statement(), e, replay);
        }
        double seconds = (System.nanoTime() - t0) * 1e-9;
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.write(result));
        } else {
            ObjectNode report = Json.MAPPER.createObjectNode();
            report.putArray("results").add(result);
            report.putObject("timings").putObject("claims").put(id, seconds);
            if (!config.isLy17()) {
                report.putObject("configuration").set(CheckConfig.SETTING_FIELD, config.toJson().get(CheckConfig.SETTING_FIELD));
            }
            out.print(Table.render(report));
        }
        int exit = ResultJson.isInternalError(result) ? Main.EXIT_INTERNAL
                : ResultJson.verdict(result) == io.idrelu.claims.Verdict.VIOLATED ? 1 : 0;
        JsonNode expected = node.get("expected");
        if (expected == null || expected.isNull()) {
            err.println("idrelu replay: no stored result in " + file + " to compare with");
        } else {
            String diff = CheckConfig.firstDifference(ResultJson.normalise(expected), result);
            if (diff == null) {
                (json ? err : out).println("Replay of " + id + ": identical to the stored result, bit for bit (every number in the result JSON).");
            } else {
                err.println("idrelu replay: " + id + " DIFFERS from the stored result at " + diff.replaceFirst(" \\(", " (stored vs now: "));
                exit = Main.EXIT_INTERNAL;
            }
        }
        out.flush();
        err.flush();
        return exit;
    }

    static KernelProvider.Choice kernelChoice(String name) {
        try {
            return KernelProvider.Choice.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UsageException("kernel '" + name + "': expected auto, scalar or vector");
        }
    }

    static JsonNode read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new UsageException(file + " does not exist or is not a file: expected a JSON file written by idrelu check");
        }
        try {
            return Json.MAPPER.readTree(Files.readString(file));
        } catch (IOException e) {
            throw new UsageException(file + " is not valid JSON (" + e.getMessage().lines().findFirst().orElse("") + ")");
        }
    }
}
