package io.idrelu.cli;

import io.idrelu.audit.AuditReport;
import io.idrelu.audit.AngleModel;
import io.idrelu.audit.Auditor;
import io.idrelu.audit.ConformanceBattery;
import io.idrelu.kernel.FloatKernel;
import io.idrelu.kernel.Kernel;
import io.idrelu.kernel.KernelProvider;
import io.idrelu.model.Fixture;
import io.idrelu.model.Problem;
import io.idrelu.claims.Applicability;
import io.idrelu.setting.Init;
import io.idrelu.setting.Setting;
import io.idrelu.setting.SettingProblem;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code idrelu audit}: claims A1-A3 on one instance. The fast path's results are compared with the exact
 * reference at the same inputs, each against an a-priori bound derived from the operation count
 * (proofs-notes/A1.md, proofs-notes/A2.md, proofs-notes/A3.md).
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
                "  idrelu audit --fixture f.json --precision double --json",
                "  idrelu audit --kernel-class com.example.MyKernel --classpath my-kernels.jar   (your own kernel: docs/KIT.md)",
                "  idrelu audit --d 5 --seed 3 --activation gelu --blocks 2   (the generic network kernel under a setting)",
                "",
                "Settings (issue 11): the setting options are check's. Under a setting other than [LY17]'s the audit checks",
                "the generic network kernel (double): A1 on batches of 1, 3, 16 rows of the setting's law (or the fixture's X),",
                "A2 where the setting has a population closed form, A3 on a short trajectory; the random instance has",
                "W0, W* of spectral norm 0.5 (or --init)."},
        footer = {"", "Exit codes: 0 every quantity within its bound (every check passed), 1 a bound exceeded (a check failed),",
                "2 bad input or usage (also: jar or class missing, no public no-argument constructor, not a kernel)."})
public final class AuditCommand implements java.util.concurrent.Callable<Integer> {

    /** Which instance: a fixture, or a seeded random one. */
    static final class Instance {
        @Option(names = "--fixture", paramLabel = "FILE",
                description = "Fixture JSON (as for eval); its X, if any, is the A1 batch.")
        Path fixture;

        @ArgGroup(exclusive = false)
        RandomInstance random;

        @ArgGroup(exclusive = false)
        UserKernel user;
    }

    /** A user's compiled kernel: the conformance battery instead of one instance. */
    static final class UserKernel {
        @Option(names = "--kernel-class", required = true, split = ",", paramLabel = "NAME",
                description = "Fully qualified class implementing io.idrelu.kernel.Kernel and/or FloatKernel, with a public "
                        + "no-argument constructor; repeat or separate by commas for several. Runs the conformance battery "
                        + "(A1-A3, odd sizes, near-kink, determinism, thread safety, convergence; docs/KIT.md).")
        List<String> classes;

        @Option(names = "--classpath", required = true, paramLabel = "JAR",
                description = "Jar(s) or class directories holding the kernel and its dependencies other than idrelu, "
                        + "separated by the platform path separator.")
        String classpath;

        @Option(names = "--angle-model", defaultValue = "gram", paramLabel = "kahan|gram|atan2|acos",
                description = "Angle method of the kernel's populationLossAndGradient (the A2 bound follows it). Default: ${DEFAULT-VALUE}.")
        String angleModel = "gram";

        @Option(names = "--battery-seed", paramLabel = "S", description = "Base seed of the battery. Default: the kit's default.")
        Long seed;

        @Option(names = "--only", paramLabel = "TEXT", description = "Run only the cases whose name contains TEXT (e.g. 'A1 batch d=7').")
        String only;
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

    /**
     * The setting options (as {@code check}'s). Under [LY17]'s setting today's audit runs (same bytes); under any other,
     * {@link AuditUnderSetting} audits the generic network kernel (double only; no user kernels).
     */
    @picocli.CommandLine.Mixin
    SettingOptions settingOptions = new SettingOptions();

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** Spectral norm of W0, W* of the random instance ({@code Auditor.Options.forD}'s gamma). */
    static final double RANDOM_GAMMA = 0.5;

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
        if (settingOptions.given()) {
            Integer code = underSetting();
            if (code != null) {
                return code;
            }
        }
        if (instance.user != null) {
            return userKernels(dbl, flt);
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

    /**
     * The audit under the setting options' setting, or null when that setting is [LY17]'s (today's audit then runs).
     * Refused under another setting: user kernels ({@code --kernel-class}: the kit's interfaces are [LY17]'s), a float
     * fast path ({@code --precision float|both} given: the float setting kernel does not exist).
     */
    private Integer underSetting() {
        if (instance.user != null) {
            Setting s = settingOptions.resolveWithInit();
            if (!s.isLy17()) {
                throw new UsageException("--kernel-class under the setting " + Applicability.label(s) + " (" + settingOptions.describeGiven()
                        + "): a user kernel implements [LY17]'s Kernel (ReLU, one block, N(0, I)): expected no setting options with --kernel-class");
            }
            return null;
        }
        Setting s;
        SettingProblem p;
        long seed;
        double[] x = null;
        int batch = 0;
        String what;
        if (instance.fixture != null) {
            Fixture f = Fixture.read(instance.fixture);
            s = SettingArguments.atFixture(settingOptions, f, instance.fixture);
            if (s.isLy17()) {
                return null;
            }
            p = new SettingProblem(s, List.of(Fixture.doubles(f.w())), List.of(Fixture.doubles(f.wStar())));
            seed = 1;
            if (f.hasBatch()) {
                x = Fixture.doubles(f.x());
                batch = f.batch();
            }
            what = "fixture " + instance.fixture;
        } else {
            int d = instance.random.d;
            if (d < 1 || d > 1024) {
                throw new UsageException("--d " + d + ": expected 1 <= N <= 1024 (the reference is BigDecimal)");
            }
            s = SettingArguments.atDimension(settingOptions, d, RANDOM_GAMMA, false);
            if (s.isLy17() && s.init().equals(new Init.SpectralNorm(RANDOM_GAMMA))) {
                return null;
            }
            seed = instance.random.seed;
            p = SettingProblem.random(s, seed);
            what = "random instance d = " + d + ", seed " + seed;
        }
        if (spec.commandLine().getParseResult().hasMatchedOption("--precision") && !precision.equalsIgnoreCase("double")) {
            SettingArguments.refuseFloat(true, s);
        }
        AuditUnderSetting a = new AuditUnderSetting(s, p, seed, x, batch, what, SettingArguments.networkKernel(kernel),
                KernelProvider.doubleKernel(kernel == KernelProvider.Choice.VECTOR ? KernelProvider.Choice.AUTO : kernel));
        return a.print(a.checks(), json, spec.commandLine().getOut());
    }

    private int userKernels(boolean dbl, boolean flt) {
        UserKernel u = instance.user;
        AngleModel model = switch (u.angleModel.toLowerCase(Locale.ROOT)) {
            case "kahan" -> AngleModel.KAHAN;
            case "atan2" -> AngleModel.ATAN2_RADICAND;
            case "gram" -> AngleModel.GRAM_KAHAN;
            case "acos" -> AngleModel.ACOS;
            default -> throw new UsageException("--angle-model '" + u.angleModel + "': expected kahan, gram, atan2 or acos");
        };
        ConformanceBattery.Options o = new ConformanceBattery.Options(
                u.seed != null ? u.seed : ConformanceBattery.DEFAULT_SEED, model);
        List<Object> kernels = UserKernels.load(u.classpath, u.classes);
        PrintWriter out = spec.commandLine().getOut();
        List<ConformanceBattery.Check> all = new ArrayList<>();
        List<Map<String, Object>> jsonKernels = new ArrayList<>();
        for (int i = 0; i < kernels.size(); i++) {
            Object kernelObject = kernels.get(i);
            Kernel k = dbl && kernelObject instanceof Kernel kk ? kk : null;
            FloatKernel fk = flt && kernelObject instanceof FloatKernel ff ? ff : null;
            if (k == null && fk == null) {
                throw new UsageException(u.classes.get(i) + " implements no kernel of the requested --precision " + precision);
            }
            List<ConformanceBattery.Case> plan = ConformanceBattery.plan(k, fk, o).stream()
                    .filter(c -> u.only == null || c.name().contains(u.only)).toList();
            if (plan.isEmpty()) {
                throw new UsageException("--only '" + u.only + "' matches no case name (e.g. 'A1 batch d=7', 'determinism')");
            }
            if (!json) {
                out.println("conformance battery of " + u.classes.get(i) + " (seed " + o.seed() + ", angle model " + model + ")");
            }
            List<ConformanceBattery.Check> checks = new ArrayList<>();
            for (ConformanceBattery.Case c : plan) {
                ConformanceBattery.Check r = c.run();
                checks.add(r);
                if (!json) {
                    out.println(r.passed() ? "  PASS " + r.name() + " [" + r.precision() + "]: " + r.message()
                            : "  " + r.describe().replace(System.lineSeparator(), System.lineSeparator() + "  "));
                    out.flush();
                }
            }
            all.addAll(checks);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("kernelClass", u.classes.get(i));
            m.put("passed", ConformanceBattery.allPassed(checks));
            List<Map<String, Object>> l = new ArrayList<>();
            for (ConformanceBattery.Check c : checks) {
                Map<String, Object> cm = new LinkedHashMap<>();
                cm.put("name", c.name());
                cm.put("precision", c.precision());
                cm.put("passed", c.passed());
                cm.put("message", c.message());
                cm.put("replay", c.replay());
                l.add(cm);
            }
            m.put("checks", l);
            jsonKernels.add(m);
        }
        boolean ok = ConformanceBattery.allPassed(all);
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("passed", ok);
            m.put("kernels", jsonKernels);
            out.println(Json.write(m));
        } else {
            long failed = all.stream().filter(c -> !c.passed()).count();
            out.println(ok ? "conformance: all " + all.size() + " checks passed"
                    : "conformance: " + failed + " of " + all.size() + " checks FAILED (see FAIL lines)");
        }
        out.flush();
        return ok ? 0 : 1;
    }

    private static List<AuditReport> withFixtureBatch(Kernel k, FloatKernel fk, Fixture f, Problem p, Auditor.Options o) {
        // the float path gets the fixture's exact entries rounded once, directly to float
        return Auditor.auditProblem(k, fk, p, Fixture.doubles(f.x()), Fixture.floats(f.w()), Fixture.floats(f.wStar()),
                Fixture.floats(f.x()), f.batch(), o, 1);
    }
}
