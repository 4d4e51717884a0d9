package io.idrelu.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.idrelu.claims.Verdict;
import io.idrelu.report.Report;
import io.idrelu.report.ReportDiff;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code idrelu diff A B}: two check reports claim by claim ({@link ReportDiff}), e.g. kernel v1 against v2.
 * Exit 1 when a verdict worsens from A to B, 0 otherwise, 2 on bad input (a missing directory or report.json, a
 * file that is not a check report). Claims present in only one report are listed, not an error.
 */
@Command(name = "diff", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = {
                "Compares two check reports claim by claim: verdict and decisive number (measured vs bound) in A",
                "and in B, and the change (WORSE, better, number, =, only A, only B). A verdict worsens when it",
                "becomes more severe: HOLDS -> INCONCLUSIVE or VIOLATED, INCONCLUSIVE -> VIOLATED.",
                "",
                "Examples:",
                "  idrelu check --out v1 ... ; idrelu check --out v2 --kernel-class ... ; idrelu diff v1 v2",
                "  idrelu diff v1 v2 --json"},
        footer = {"", "Exit codes: 0 no verdict worse in B, 1 a verdict worse in B, 2 bad input."})
public final class DiffCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "A", description = "Report directory (holding report.json) or a report.json file: the baseline.")
    Path a;

    @Parameters(index = "1", paramLabel = "B", description = "Report directory or report.json file compared against A.")
    Path b;

    @Option(names = "--json", description = "Print one JSON object instead of the table.")
    boolean json;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        JsonNode ra = read(a, "A");
        JsonNode rb = read(b, "B");
        ReportDiff diff = new ReportDiff(ra, rb);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.write(diff.json(a.toString(), b.toString())));
        } else {
            out.print(diff.text(a.toString(), b.toString()));
        }
        out.flush();
        return diff.anyWorse() ? 1 : 0;
    }

    /** The report JSON of a directory (or of a report.json file), checked to be a check report. */
    static JsonNode read(Path dirOrFile, String side) {
        if (!Files.exists(dirOrFile)) {
            throw new UsageException(side + ": " + dirOrFile + " does not exist: expected a report directory written by idrelu check");
        }
        Path file = Files.isDirectory(dirOrFile) ? dirOrFile.resolve(Report.JSON_FILE) : dirOrFile;
        if (!Files.isRegularFile(file)) {
            throw new UsageException(side + ": " + dirOrFile + " has no " + Report.JSON_FILE + ": expected a report directory written by idrelu check");
        }
        JsonNode r;
        try {
            r = ReplayCommand.read(file);
        } catch (UsageException e) {
            throw new UsageException(side + ": " + e.getMessage());
        }
        if (!Report.FORMAT.equals(r.path("format").asText())) {
            throw new UsageException(side + ": " + file + " is not a check report: format '" + r.path("format").asText()
                    + "', expected " + Report.FORMAT);
        }
        if (!r.path("results").isArray()) {
            throw new UsageException(side + ": " + file + " has no results array: expected a report written by idrelu check");
        }
        for (JsonNode res : r.path("results")) {
            String verdict = res.path("verdict").asText();
            if (res.path("id").asText().isEmpty() || !isVerdict(verdict)) {
                throw new UsageException(side + ": " + file + " has a result with id '" + res.path("id").asText()
                        + "' and verdict '" + verdict + "': expected an id and one of HOLDS, INCONCLUSIVE, VIOLATED");
            }
        }
        return r;
    }

    private static boolean isVerdict(String s) {
        for (Verdict v : Verdict.values()) {
            if (v.name().equals(s)) {
                return true;
            }
        }
        return false;
    }
}
