package io.idrelu.cli;

import io.idrelu.audit.AuditReport;
import io.idrelu.audit.Auditor;
import io.idrelu.kernel.FloatKernel;
import io.idrelu.kernel.Kernel;
import io.idrelu.kernel.KernelProvider;
import io.idrelu.model.Fixture;
import io.idrelu.model.Matrices;
import io.idrelu.model.Problem;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code idrelu audit}: claims A1-A3 on one instance. The fast path's results are compared with the exact
 * reference at the same inputs, each against an a-priori bound derived from the operation count
 * (proofs-notes/A1.md, A2.md, A3.md).
 */
@Command(name = "audit", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = {
                "Audits the fast kernels against the exact BigDecimal reference on one instance (claims A1-A3):",
                "  A1  batch loss and gradient at the same W (the fast path's doubles taken exactly); every activation",
                "      flip must lie within its pre-activation bound",
                "  A2  closed-form population loss and gradient",
                "  A3  fast and reference SGD on identical samples stay within the divergence envelope",
                "Per quantity: max abs and relative error, max ULP distance, bits correct, the derived bound, the ratio",
                "observed/bound (must be <= 1) and the worst element with both values.",
                "",
                "Examples:",
                "  idrelu audit --d 13 --seed 7",
                "  idrelu audit --fixture f.json --precision double --json"},
        footer = {"", "Exit codes: 0 every quantity within its bound, 1 a bound exceeded, 2 bad input or usage."})
public final class AuditCommand implements java.util.concurrent.Callable<Integer> {

    /** Which instance: a fixture, or a seeded random one. */
    static final class Instance {
        @Option(names = "--fixture", paramLabel = "FILE",
                description = "Fixture JSON (as for eval); its X, if any, is the A1 batch.")
        Path fixture;

        @ArgGroup(exclusive = false)
        RandomInstance random;
    }

    static final class RandomInstance {
        @Option(names = "--d", required = true, paramLabel = "N", description = "Dimension of a random instance (W0, W* of spectral norm 0.5).")
        int d;

        @Option(names = "--seed", defaultValue = "1", paramLabel = "S", description = "Seed of the instance and samples. Default: ${DEFAULT-VALUE}.")
        long seed = 1;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Instance instance;

    @Option(names = "--kernel", paramLabel = "auto|scalar|vector", defaultValue = "auto",
            converter = KernelOptions.ChoiceConverter.class, description = "Kernel under audit. Default: ${DEFAULT-VALUE}.")
    KernelProvider.Choice kernel = KernelProvider.Choice.AUTO;

    @Option(names = "--precision", paramLabel = "double|float|both", defaultValue = "both",
            description = "Which fast path to audit. Default: ${DEFAULT-VALUE}.")
    String precision = "both";

    @Option(names = "--json", description = "Print the reports as one JSON object.")
    boolean json;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        boolean dbl;
        boolean flt;
        switch (precision.toLowerCase(Locale.ROOT)) {
            case "double" -> { dbl = true; flt = false; }
            case "float" -> { dbl = false; flt = true; }
            case "both" -> { dbl = true; flt = true; }
            default -> throw new UsageException("--precision '" + precision + "': expected double, float or both");
        }
        Kernel k = dbl ? KernelProvider.doubleKernel(kernel) : null;
        FloatKernel fk = flt ? KernelProvider.floatKernel(kernel) : null;
        List<AuditReport> reports;
        String what;
        if (instance.fixture != null) {
            Fixture f = Fixture.read(instance.fixture);
            Problem p = f.problem();
            Auditor.Options o = Auditor.Options.forD(p.d());
            what = "fixture " + instance.fixture;
            if (f.hasBatch()) {
                reports = withFixtureBatch(k, fk, f, p, o);
            } else {
                reports = Auditor.auditProblem(k, fk, p, o, 1);
            }
        } else {
            int d = instance.random.d;
            if (d < 1 || d > 1024) {
                throw new UsageException("--d " + d + ": expected 1 <= N <= 1024 (the reference is BigDecimal)");
            }
            what = "random instance d = " + d + ", seed " + instance.random.seed;
            reports = Auditor.auditRandom(k, fk, d, instance.random.seed, Auditor.Options.forD(d));
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.write(Auditor.toJson(reports)));
        } else {
            out.println("audit of " + what);
            out.print(Auditor.renderTable(reports));
            out.println();
            out.println("worst element of each quantity (fast value vs exact value):");
            for (AuditReport r : reports) {
                out.printf(Locale.ROOT, "  %-3s %-20s %-6s %-6s at %s: fast %s, exact %s, |error| %.3e <= bound %.3e%n",
                        r.claimId(), r.quantity(), r.kernel(), r.precision(), r.worstIndex(), Json.decimal(r.worstFast()),
                        r.worstExact(), r.worstError(), r.worstBound());
            }
            out.println(Auditor.allPassed(reports) ? "every quantity within its bound" : "BOUND EXCEEDED: see FAIL rows");
        }
        out.flush();
        return Auditor.allPassed(reports) ? 0 : 1;
    }

    private static List<AuditReport> withFixtureBatch(Kernel k, FloatKernel fk, Fixture f, Problem p, Auditor.Options o) {
        int d = p.d();
        boolean id = p.identity();
        List<AuditReport> out = new ArrayList<>();
        if (k != null) {
            out.addAll(Auditor.auditBatch(k, d, id, p.w0(), p.wStar(), Fixture.doubles(f.x()), f.batch()));
            out.addAll(Auditor.auditPopulation(k, d, id, p.w0(), p.wStar(), o.angleModel(), o.refDigits()));
            out.add(Auditor.auditTrajectory(k, p, o, 1));
        }
        if (fk != null) {
            float[] w = Fixture.floats(f.w());
            float[] ws = Fixture.floats(f.wStar());
            out.addAll(Auditor.auditBatch(fk, d, id, w, ws, Fixture.floats(f.x()), f.batch()));
            out.addAll(Auditor.auditPopulation(fk, d, id, w, ws, o.angleModel(), o.refDigits()));
            out.add(Auditor.auditTrajectory(fk, new Problem(d, id, Matrices.toDouble(w), Matrices.toDouble(ws)), o, 1));
        }
        return out;
    }
}
