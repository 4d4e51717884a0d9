package io.idrelu.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.idrelu.claims.Claim;
import io.idrelu.claims.PaperConstants;
import io.idrelu.claims.Preset;
import io.idrelu.kernel.FloatKernel;
import io.idrelu.kernel.Kernel;
import io.idrelu.report.CheckConfig;
import io.idrelu.report.CheckProgress;
import io.idrelu.report.CheckRunner;
import io.idrelu.report.ClaimCatalogue;
import io.idrelu.report.FigureRun;
import io.idrelu.report.Journal;
import io.idrelu.report.PlotSpec;
import io.idrelu.report.Report;
import io.idrelu.report.Shard;
import io.idrelu.report.StderrTerminal;
import io.idrelu.report.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code idrelu check}: runs the claims of MATH.md section 4 (or a selection, or one shard of them) as
 * independent units on a fixed thread pool and writes the report ({@link Report}). All input is
 * validated before any work and before any file is created.
 */
@Command(name = "check", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = {
                "Runs every claim (or --claims), prints a verdict table and writes report.json,",
                "report.html, plots/ and replay/ into --out.",
                "Exit 0 nothing VIOLATED, 1 a claim VIOLATED, 2 bad input, 3 a claim failed",
                "with an internal error (reported as INCONCLUSIVE).",
                "",
                "Examples:",
                "  idrelu check                          all claims, report in idrelu-report/",
                "  idrelu check --preset quick --claims C1,C8",
                "  idrelu check --resume                 continue a killed run",
                "  idrelu check --shard 2/4 --out s2     shard 2 of 4; then 'idrelu merge'",
                "",
                "Beyond the theorem's assumptions: a setting (default [LY17]'s: ReLU,",
                "x ~ N(0, I), one block, noiseless). Does it hold on my data?",
                "  idrelu check --inputs classpath:datasets/wine.csv --whiten",
                "  idrelu check --inputs my.csv --standardise --preset quick --out mine",
                "  idrelu check --setting gelu --claims A1,C4,C14",
                "  idrelu check --activation leaky-relu:0.1 --blocks 3 --noise 0.1",
                "  idrelu check --setting my-setting.json   (format: proofs-notes/settings.md)",
                "A claim not defined under the setting is n/a (NOT_APPLICABLE, never exit 1),",
                "with the reason on its 'why:' line. --setting gives the base and each other",
                "setting option replaces the part it names: --setting wine --activation gelu",
                "is the Wine data with GELU. --law and --inputs together are refused. --inputs",
                "fixes d to the file's columns; otherwise each claim keeps its own d values.",
                "Under a setting other than [LY17]'s the claims run idrelu's generic fast path",
                "(double): --kernel-class and --precision float are refused with it."})
public final class CheckCommand implements Callable<Integer> {

    /** Base seed when none is given (the arXiv submission date of [LY17]). */
    public static final long DEFAULT_SEED = 20170524L;

    /** Where claims come from; tests replace it with fakes. */
    static volatile ClaimCatalogue catalogue = ClaimCatalogue.REGISTRY;

    @Option(names = "--preset", defaultValue = "default", paramLabel = "quick|default|paper|deep",
            description = "How much work each claim may spend. Default: ${DEFAULT-VALUE}.")
    String preset = "default";

    @Option(names = "--claims", split = ",", paramLabel = "ID", description = "Claims to run, e.g. C1,C8,A2 (default: all).")
    List<String> claims; // null when --claims is not given (all claims); never empty when it is

    @Option(names = "--out", defaultValue = "idrelu-report", paramLabel = "DIR", description = "Report directory. Default: ${DEFAULT-VALUE}/.")
    Path out = Paths.get("idrelu-report");

    @Option(names = "--seed", defaultValue = "" + DEFAULT_SEED, paramLabel = "S",
            description = "Base seed; claims derive every trial's seed from it. Default: ${DEFAULT-VALUE}.")
    long seed = DEFAULT_SEED;

    @Option(names = "--threads", paramLabel = "K",
            description = "Worker threads: claims run as parallel units, and C13 also spreads its independent trials "
                    + "over them (results do not depend on it). Default: available processors.")
    Integer threads;

    @Option(names = "--constant", paramLabel = "NAME=VALUE",
            description = "Override a paper constant: phase1Threshold (197), phase1StepFactor (1/16), onePointConstant (0.084), minD (100). Repeatable.")
    List<String> constants = new ArrayList<>();

    @Option(names = "--json", description = "Print the report JSON on stdout instead of the table.")
    boolean json;

    @Option(names = "--wide", description = "Print the verdict table in full (statement, empirical constant, reason in one line) "
            + "instead of fitting it to " + Table.WIDTH + " columns.")
    boolean wide;

    @Option(names = "--resume", description = "Skip units already finished in DIR/journal.jsonl (same configuration required).")
    boolean resume;

    @Option(names = "--shard", paramLabel = "i/n", description = "Run only units k with k %% n == i-1 (1-based i) and write a shard report.")
    String shard;

    @Mixin
    KernelOptions kernelOptions = new KernelOptions();

    @Mixin
    SettingOptions settingOptions = new SettingOptions();

    @Option(names = "--kernel-class", paramLabel = "NAME",
            description = "Run the claims on your own kernel instead: a public class implementing io.idrelu.kernel.Kernel "
                    + "and/or FloatKernel with a public no-argument constructor (README: writing your own kernel).")
    String kernelClass;

    @Option(names = "--classpath", paramLabel = "JAR[:JAR...]",
            description = "Where --kernel-class is found. Default: idrelu's own class path.")
    String classpath;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        // 1. Validate everything before any work or file.
        Preset p = CheckConfig.parsePreset(preset);
        ClaimCatalogue cat = catalogue;
        List<String> selected = cat.select(checkClaimList(claims, cat.ids()));
        if (selected.isEmpty()) {
            throw new UsageException("no claims to run: this build registers none (ClaimRegistry is empty)");
        }
        Shard sh = shard == null ? Shard.ALL : Shard.parse(shard);
        int k = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        if (k < 1 || k > 1024) {
            throw new UsageException("--threads " + k + ": expected 1 <= K <= 1024");
        }
        PaperConstants pc = parseConstants(constants);
        io.idrelu.setting.Setting setting = settingOptions.resolve();
        if (!setting.isLy17() && kernelClass != null) {
            throw new UsageException("--kernel-class " + kernelClass + " with " + settingOptions.describeGiven()
                    + ": a user kernel computes [LY17]'s ReLU network only: expected no setting options with it");
        }
        if (!setting.isLy17() && kernelOptions.isFloat()) {
            throw new UsageException("--precision float with " + settingOptions.describeGiven()
                    + ": claims under a setting run the generic double fast path: expected --precision double");
        }
        checkOutDir(out, "--out");
        Kernel kernel = kernelOptions.doubleKernel();
        FloatKernel floatKernel = kernelOptions.floatKernel();
        if (kernelClass != null) {
            // A user's kernel replaces ours for the precision(s) it implements; the claims run on it unchanged.
            Object user = UserKernels.one(kernelClass, classpath);
            if (user instanceof Kernel uk) {
                kernel = uk;
            }
            if (user instanceof FloatKernel ufk) {
                floatKernel = ufk;
            }
        } else if (classpath != null) {
            throw new UsageException("--classpath " + classpath + " given without --kernel-class: expected both or neither");
        }
        String kernelName = kernelOptions.isFloat() ? floatKernel.name() : kernel.name();
        CheckConfig config = new CheckConfig(p, selected, seed, kernelName, kernelOptions.precisionName(), pc,
                kernelClass, UserKernels.absolute(classpath), setting);
        ObjectNode header = journalHeader(config, sh);
        PrintWriter err = spec.commandLine().getErr();
        // From here on this run owns --out: a second run into it is refused, naming this one (OutputLock).
        try (OutputLock lock = OutputLock.acquire(out, "--out", "idrelu check", err)) {
            return run(config, sh, header, units(cat, selected, sh), kernel, floatKernel, kernelName, pc, k, err);
        }
    }

    private static List<Claim> units(ClaimCatalogue cat, List<String> selected, Shard sh) {
        List<Claim> units = new ArrayList<>();
        for (int i = 0; i < selected.size(); i++) {
            if (sh.selects(i)) {
                units.add(cat.get(selected.get(i)));
            }
        }
        return units;
    }

    private int run(CheckConfig config, Shard sh, ObjectNode header, List<Claim> units, Kernel kernel, FloatKernel floatKernel,
                    String kernelName, PaperConstants pc, int k, PrintWriter err) {
        Map<String, Journal.Finished> before = resume ? Journal.readForResume(out, header) : Map.of();

        // 2. Run the units of this shard.
        long t0 = System.nanoTime();
        int already = (int) units.stream().filter(c -> before.containsKey(c.id())).count();
        CheckProgress progress = new CheckProgress(err, StderrTerminal.detect(), units.size(), already, System::nanoTime);
        if (already > 0) {
            progress.note("idrelu check: resuming: " + already + " of " + units.size() + " units already finished in " + out.resolve(Journal.FILE));
        }
        List<CheckRunner.Outcome> outcomes;
        try (Journal journal = Journal.open(out, header, resume)) {
            outcomes = new CheckRunner(config, kernel, floatKernel, k).run(units, journal.finished(), journal, progress);
        }
        progress.end();

        // 3. Figures, report, table.
        // the trajectory figures are [LY17]'s: not drawn under another setting's name
        List<PlotSpec> figures = config.isLy17() ? FigureRun.figuresOrNone(kernel, pc, err) : List.of();
        Report report = new Report(config.toJson(), sh, outcomes, Report.environment(kernelName, kernelOptions.precisionName()),
                (System.nanoTime() - t0) * 1e-9);
        ObjectNode written = report.write(out, figures);
        print(written, report, out, json, wide, spec.commandLine().getOut(), err);
        return report.exitCode();
    }

    static ObjectNode journalHeader(CheckConfig config, Shard sh) {
        ObjectNode h = Json.MAPPER.createObjectNode();
        h.put("journal", "idrelu-check/1");
        h.set("configuration", config.toJson());
        h.put("shard", sh.toString());
        return h;
    }

    /** Table (or JSON) on stdout, report location and violated claims on stderr. */
    static void print(ObjectNode written, Report report, Path out, boolean asJson, boolean wide, PrintWriter stdout,
                      PrintWriter err) {
        if (asJson) {
            stdout.println(Json.write(written));
        } else {
            stdout.print(Table.render(written, wide));
            // two short lines rather than one that overflows a terminal
            stdout.println("Report: " + out.resolve(Report.HTML_FILE));
            stdout.println("        data " + Report.JSON_FILE + ", plots/, replay/ in " + out);
        }
        stdout.flush();
        List<String> v = report.violated();
        if (!v.isEmpty()) {
            err.println("idrelu: VIOLATED: " + String.join(", ", v) + " (witnesses in " + out.resolve(Report.JSON_FILE) + ")");
        }
        if (report.exitCode() == Main.EXIT_INTERNAL) {
            err.println("idrelu: internal error in at least one claim (reported as INCONCLUSIVE with the error): exit 3");
        }
        err.flush();
    }

    /**
     * {@code --claims} as given: {@code null} (not given) selects all; otherwise every entry must be a known ID
     * (checked by the catalogue's select), non-empty and given once.
     */
    static List<String> checkClaimList(List<String> given, List<String> known) {
        if (given == null) {
            return List.of();
        }
        String text = String.join(",", given);
        java.util.Set<String> seen = new java.util.HashSet<>();
        if (given.isEmpty()) {
            throw new UsageException("--claims '': expected a comma-separated list of claim IDs from " + idRanges(known));
        }
        for (String g : given) {
            String id = g.trim().toUpperCase(java.util.Locale.ROOT);
            if (id.isEmpty()) {
                throw new UsageException("--claims '" + text + "' has an empty entry: expected a comma-separated list of claim IDs from "
                        + idRanges(known));
            }
            if (!seen.add(id)) {
                throw new UsageException("--claims '" + text + "': claim " + id + " is given twice: expected each claim ID at most once");
            }
        }
        return given;
    }

    /** The known IDs compressed to ranges in catalogue order: {@code C1..C14, A1..A3}. */
    static String idRanges(List<String> known) {
        List<String> parts = new ArrayList<>();
        int i = 0;
        while (i < known.size()) {
            String prefix = known.get(i).replaceAll("[0-9]+$", "");
            int j = i;
            while (j + 1 < known.size() && known.get(j + 1).equals(prefix + (number(known.get(j)) + 1))) {
                j++;
            }
            parts.add(j == i ? known.get(i) : known.get(i) + ".." + known.get(j));
            i = j + 1;
        }
        return parts.isEmpty() ? "(none registered)" : String.join(", ", parts);
    }

    /** The trailing number of an ID ({@code C14} -> 14), or -2 when it has none (never continues a range). */
    private static long number(String id) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("([0-9]{1,9})$").matcher(id);
        return m.find() ? Long.parseLong(m.group(1)) : -2;
    }

    static PaperConstants parseConstants(List<String> specs) {
        PaperConstants pc = PaperConstants.RECALLED;
        for (String s : specs) {
            int eq = s.indexOf('=');
            if (eq <= 0) {
                throw new UsageException("--constant '" + s + "': expected NAME=VALUE, e.g. onePointConstant=0.05");
            }
            String name = s.substring(0, eq).trim();
            double v;
            try {
                // BigDecimal syntax only: Double.parseDouble would also take "NaN", "Infinity", "0x1p3" and "3d"
                v = new java.math.BigDecimal(s.substring(eq + 1).trim()).doubleValue();
            } catch (NumberFormatException e) {
                throw new UsageException("--constant '" + s + "': '" + s.substring(eq + 1) + "' is not a number: expected a decimal like 0.05");
            }
            try {
                pc = pc.with(name, v);
            } catch (IllegalArgumentException e) {
                throw new UsageException("--constant '" + s + "': " + e.getMessage());
            }
        }
        return pc;
    }

    /** {@code dir} must be a directory or creatable under a writable directory; checked before any work. */
    static void checkOutDir(Path dir, String option) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new UsageException(option + " " + dir + " is a file: expected a directory");
        }
        Path existing = dir.toAbsolutePath();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null || !Files.isDirectory(existing)) {
            throw new UsageException(option + " " + dir + ": " + existing + " is not a directory: expected a writable directory");
        }
        if (!Files.isWritable(existing)) {
            throw new UsageException(option + " " + dir + ": directory " + existing + " is not writable: expected a writable location");
        }
        AtomicFiles.checkWritable(dir.resolve(Report.JSON_FILE), option);
    }
}
