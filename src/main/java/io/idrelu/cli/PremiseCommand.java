package io.idrelu.cli;

import io.idrelu.setting.DataMatrix;
import io.idrelu.setting.DataSetLoader;
import io.idrelu.setting.PremiseReport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * {@code idrelu premise}: how far a data set is from [LY17]'s premise {@code x ~ N(0, I)} (issue 11;
 * {@link PremiseReport}, proofs-notes/settings.md section 8). Reads and validates the file (exit 2 with the line and
 * column on bad input), prints a short table, or one JSON object with {@code --json}.
 */
@Command(name = "premise", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = {
                "Reports how far a data set is from the theorem's premise x ~ N(0, I): per-column moments, a",
                "Kolmogorov-Smirnov test of each column against N(0, 1) (Bonferroni over columns, level --alpha), and",
                "the ReLU kernel E[relu(<a,x>) relu(<b,x>)] against its Gaussian closed form for --pairs seeded",
                "random direction pairs (Bonferroni over pairs).",
                "Input: CSV (optional header line of column names) or NPY (2-D, <f8/<f4/<i8/<i4).",
                "",
                "Examples:",
                "  idrelu premise --inputs classpath:datasets/wine.csv --standardise",
                "  idrelu premise --inputs data.npy --whiten --json"})
public final class PremiseCommand implements Runnable {

    @Option(names = "--inputs", required = true, paramLabel = "FILE",
            description = "Data file (.csv or .npy); classpath:datasets/wine.csv is the shipped example.")
    String inputs;

    @Option(names = "--standardise", description = "Shift and scale each column to mean 0, variance 1 (divisor n) first.")
    boolean standardise;

    @Option(names = "--whiten", description = "Centre and multiply by the inverse square root of the covariance first (implies --standardise).")
    boolean whiten;

    @Option(names = "--alpha", defaultValue = "0.01", paramLabel = "A", description = "Family-wise level of each check. Default: ${DEFAULT-VALUE}.")
    double alpha;

    @Option(names = "--pairs", defaultValue = "10", paramLabel = "K", description = "Random direction pairs for the kernel check. Default: ${DEFAULT-VALUE}.")
    int pairs;

    @Option(names = "--seed", defaultValue = "20170524", paramLabel = "S", description = "Seed of the directions. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--json", description = "Print the report as one JSON object.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        if (!(alpha > 0 && alpha < 1)) {
            throw new UsageException("--alpha = " + alpha + ": expected a level 0 < alpha < 1");
        }
        if (pairs < 1 || pairs > 10_000) {
            throw new UsageException("--pairs = " + pairs + ": expected 1 <= pairs <= 10000");
        }
        DataMatrix raw = DataSetLoader.load(inputs, 0);
        String prep = whiten ? "whitened" : standardise ? "standardised" : "raw";
        DataMatrix data = whiten ? raw.whitened() : standardise ? raw.standardised() : raw;
        PremiseReport r = PremiseReport.of(inputs, prep, data, alpha, pairs, seed);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.write(r.toJson()));
            out.flush();
            return;
        }
        out.printf(Locale.ROOT, "%s: %d rows x %d columns, %s%n", inputs, raw.rows(), raw.d(), prep);
        out.printf(Locale.ROOT, "%-24s %10s %10s %9s %9s %8s %10s%n", "column", "mean", "variance", "skewness", "ex.kurt", "KS D", "KS p");
        for (PremiseReport.Column c : r.columns()) {
            out.printf(Locale.ROOT, "%-24s %10.4g %10.4g %9.3f %9.3f %8.4f %10.3g%s%n", c.name(), c.mean(), c.variance(), c.skewness(),
                    c.excessKurtosis(), c.ksStatistic(), c.ksPValue(), c.ksPValue() < r.columnLevel() ? "  rejected" : "");
        }
        out.printf(Locale.ROOT, "normality: %s (KS per column vs N(0,1), Bonferroni level %.3g = %.3g / %d)%n",
                r.marginalsConsistentWithStandardNormal() ? "consistent" : "REJECTED for " + String.join(", ", r.nonNormalColumns()),
                r.columnLevel(), alpha, r.columns().size());
        out.printf(Locale.ROOT, "relu kernel vs Gaussian closed form: max |z| = %.3g vs critical %.3g over %d pairs: %s%n",
                r.maxKernelZ(), r.kernelCriticalZ(), r.kernel().size(), r.kernelConsistentWithGaussian() ? "consistent" : "INCONSISTENT");
        out.printf(Locale.ROOT, "max |skewness| %.3g, max |excess kurtosis| %.3g, max |correlation| %.3g%n",
                r.maxAbsSkewness(), r.maxAbsExcessKurtosis(), r.maxCorrelation());
        out.flush();
    }
}
