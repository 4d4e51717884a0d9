package io.idrelu.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.idrelu.claims.Applicability;
import io.idrelu.claims.PaperConstants;
import io.idrelu.kernel.FloatKernel;
import io.idrelu.kernel.Kernel;
import io.idrelu.report.Report;
import io.idrelu.report.Sweep;
import io.idrelu.report.SweepAxisReport;
import io.idrelu.report.SweepConfig;
import io.idrelu.report.SweepReport;
import io.idrelu.report.Table;
import io.idrelu.setting.Architecture;
import io.idrelu.setting.Setting;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code idrelu sweep}: the phase diagram of online SGD over {@code (gamma, d)} beyond the assumptions of
 * [LY17] Theorem 3.1 ({@link Sweep}). All input is validated before any work and before any file is
 * created; exit 0 when the sweep ran (whatever it found), 2 on bad input.
 */
@Command(name = "sweep", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = {
                "Maps where online SGD converges beyond Theorem 3.1's assumptions (gamma above gamma0, small d, larger eta,",
                "vanilla): for each (gamma, d) cell, K seeded trials from W0, W* Gaussian with ||W0||_2 = ||W*||_2 = gamma.",
                "A trial succeeds when the closed-form population loss L(W_T) <= eps (true units) after exactly T steps.",
                "Also records the Phase I length (first step with g < 197 gamma^2) and ||W_T - W*||_F^2.",
                "Writes sweep.json, sweep.html and plots/ into --out; prints the success table on stdout.",
                "",
                "Step size: eta = C / d with C = --eta-scale (default 0.5), or a fixed --eta; plain SGD on L is",
                "stable only for eta below about 4/d (true units).",
                "",
                "Examples:",
                "  idrelu sweep                                          a 5 x 3 grid, about a minute",
                "  idrelu sweep --gamma 0.1:1.5:5 --d 4,8,16 --vanilla",
                "  idrelu sweep --gamma 0.5 --d 8 --eta-scale 3 --seeds 20",
                "  idrelu sweep --gamma 0.1:0.5:3 --d 4,8 --axis activation=relu,leaky-relu:0.1,gelu",
                "",
                "Settings (issue 11): the setting options are check's; the whole sweep runs under one setting, or one",
                "per value of --axis. Under a setting other than [LY17]'s, success is judged on the setting's excess",
                "population loss: closed form, exact full batch for a finite law, else Monte Carlo with its interval",
                "(undecided when the interval contains eps). Data sets fix d."})
public final class SweepCommand implements Callable<Integer> {

    @Option(names = "--gamma", defaultValue = "0.1:1.5:5", paramLabel = "A:B:N",
            description = "Grid of ||W0||_2 = ||W*||_2: N values from A to B (or one value G). Default: ${DEFAULT-VALUE}.")
    String gamma = "0.1:1.5:5";

    /** The d axis when none is given and the inputs do not fix d. */
    static final String DEFAULT_DIMS = "4,8,16";

    @Option(names = "--d", paramLabel = "LIST",
            description = "Dimensions, comma-separated (1..." + SweepConfig.MAX_D + "). Default: " + DEFAULT_DIMS
                    + " (the data's d when --inputs or a covariance fixes it; then only that d is accepted).")
    String dims;

    @Option(names = "--axis", paramLabel = "NAME=V1,V2",
            description = "One setting axis: one phase diagram per value, all in --out (one section each): activation=relu,leaky-relu:0.1,gelu, "
                    + "blocks=1,2,3, noise=0,0.1 or law=gaussian,student-t:5. Each value replaces that part of the setting options' setting.")
    String axis;

    @Option(names = "--steps", defaultValue = "2000", paramLabel = "T", description = "SGD steps per trial. Default: ${DEFAULT-VALUE}.")
    int steps = 2000;

    @Option(names = "--seeds", defaultValue = "4", paramLabel = "K", description = "Trials per cell. Default: ${DEFAULT-VALUE}.")
    int seeds = 4;

    @Option(names = "--eta", paramLabel = "E", description = "Fixed step size for every d (true units). Excludes --eta-scale.")
    Double eta;

    @Option(names = "--eta-scale", paramLabel = "C", description = "Step size eta = C / d. Default: " + SweepConfig.DEFAULT_ETA_SCALE + ".")
    Double etaScale;

    @Option(names = "--batch", defaultValue = "32", paramLabel = "B", description = "Batch size per step. Default: ${DEFAULT-VALUE}.")
    int batch = 32;

    @Option(names = "--eps", defaultValue = "1e-6", paramLabel = "EPS",
            description = "Success threshold on L(W_T) (true units). Default: ${DEFAULT-VALUE}.")
    double eps = 1e-6;

    @Option(names = "--out", defaultValue = "idrelu-sweep", paramLabel = "DIR", description = "Report directory. Default: ${DEFAULT-VALUE}/.")
    Path out = Paths.get("idrelu-sweep");

    @Option(names = "--seed", defaultValue = "" + CheckCommand.DEFAULT_SEED, paramLabel = "S",
            description = "Base seed; trial k of cell c uses trialSeed(S, c * K + k). Default: ${DEFAULT-VALUE}.")
    long seed = CheckCommand.DEFAULT_SEED;

    @Option(names = "--threads", paramLabel = "K", description = "Worker threads over cells (results do not depend on it). Default: available processors.")
    Integer threads;

    @Option(names = "--json", description = "Print sweep.json on stdout instead of the table.")
    boolean json;

    @Mixin
    KernelOptions kernelOptions = new KernelOptions();

    /** The setting of every trial (--vanilla is its option too): as {@code check}'s, see {@link SettingOptions}. */
    @Mixin
    SettingOptions settingOptions = new SettingOptions();

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        SweepConfig config = validate();
        SettingAxis settingAxis = axis == null ? null : SettingAxis.parse(axis, config.isLy17() ? baseSetting() : config.setting());
        Kernel kernel = kernelOptions.doubleKernel();
        FloatKernel floatKernel = kernelOptions.isFloat() ? kernelOptions.floatKernel() : null;
        int k = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        PrintWriter err = spec.commandLine().getErr();
        // Owning --out before the work also proves it writable (OutputLock): an unwritable one fails now, not after the sweep.
        try (OutputLock lock = OutputLock.acquire(out, "--out", "idrelu sweep", err)) {
            if (settingAxis != null) {
                return runAxis(config, settingAxis, kernel, floatKernel, k, err);
            }
            return run(config, kernel, floatKernel, k, err);
        }
    }

    /** One sweep per axis value into {@code --out/<slug>/}, and an index page and JSON with one section per value. */
    private int runAxis(SweepConfig config, SettingAxis ax, Kernel kernel, FloatKernel floatKernel, int k, PrintWriter err) {
        List<SweepAxisReport.Section> sections = new ArrayList<>();
        for (int i = 0; i < ax.values().size(); i++) {
            SweepConfig c = config.withSetting(ax.settings().get(i));
            err.println("idrelu sweep: section " + (i + 1) + "/" + ax.values().size() + ": " + ax.title(i)
                    + " (setting " + Applicability.label(ax.settings().get(i)) + ")");
            SweepReport r = sweep(c, kernel, floatKernel, k, err);
            ObjectNode json = r.write(out.resolve(ax.slug(i)));
            sections.add(new SweepAxisReport.Section(ax.title(i), ax.slug(i), c, r, json));
        }
        SweepAxisReport index = new SweepAxisReport(ax.name(), ax.values(), sections);
        ObjectNode written = index.write(out);
        PrintWriter stdout = spec.commandLine().getOut();
        if (json) {
            stdout.println(Json.write(written));
        } else {
            stdout.print(index.table());
            stdout.println("Report: " + out.resolve(SweepReport.HTML_FILE) + " (data: " + out.resolve(SweepReport.JSON_FILE)
                    + ", one directory per value)");
        }
        stdout.flush();
        return 0;
    }

    private SweepReport sweep(SweepConfig config, Kernel kernel, FloatKernel floatKernel, int k, PrintWriter err) {
        err.println(String.format(Locale.ROOT, "idrelu sweep: %d cells x %d seeds x %d steps on %d thread(s)",
                config.cells(), seeds, steps, Math.min(k, config.cells())));
        err.flush();
        long t0 = System.nanoTime();
        var cells = Sweep.run(config, kernel, floatKernel, k, (c, done, total) -> {
            synchronized (err) {
                long elapsed = System.nanoTime() - t0;
                // ETA from cells done: cells of larger d cost more, so it is rough (io.idrelu.report.Eta)
                err.println(String.format(Locale.ROOT, "cell %d/%d: gamma %s, d %d, eta %s: %d/%d succeeded%s, median permuted error %s (%.1f s, %.0f s elapsed, %s)",
                        done, total, Table.num(c.gamma()), c.d(), Table.num(c.eta()), c.successes(), c.trials().size(),
                        c.undecided() > 0 ? " (" + c.undecided() + " undecided)" : "",
                        Table.num(c.medianFinalErrorPermuted()), c.seconds(), elapsed * 1e-9,
                        io.idrelu.report.Eta.text(done, total, elapsed, 2)));
                err.flush();
            }
        });
        return new SweepReport(config, cells, Report.environment(config.kernel(), config.precision()),
                (System.nanoTime() - t0) * 1e-9);
    }

    private int run(SweepConfig config, Kernel kernel, FloatKernel floatKernel, int k, PrintWriter err) {
        SweepReport report = sweep(config, kernel, floatKernel, k, err);
        ObjectNode written = report.write(out);
        PrintWriter stdout = spec.commandLine().getOut();
        if (json) {
            stdout.println(Json.write(written));
        } else {
            stdout.print(report.table());
            stdout.println("Report: " + out.resolve(SweepReport.HTML_FILE) + " (data: " + out.resolve(SweepReport.JSON_FILE)
                    + ", plots: " + out.resolve("plots") + ")");
        }
        stdout.flush();
        return 0;
    }

    /** Every check of the input, before any work or file; throws {@link UsageException} (exit 2). */
    SweepConfig validate() {
        double[] gammas = SweepConfig.parseGammaGrid(gamma);
        Setting base = baseSetting();
        int[] ds;
        if (Applicability.fixesD(base)) {
            ds = dims == null ? new int[] {base.d()} : SweepConfig.parseDimensions(dims);
            for (int d : ds) {
                if (d != base.d()) {
                    throw new UsageException("--d '" + dims + "': d = " + d + ": the inputs (" + Applicability.inputs(base.inputs())
                            + ") fix d = " + base.d() + ": expected --d " + base.d() + " or no --d");
                }
            }
        } else {
            ds = SweepConfig.parseDimensions(dims == null ? DEFAULT_DIMS : dims);
        }
        boolean vanilla = !base.architecture().identity();
        Setting setting = base.withArchitecture(new Architecture(base.d(), base.architecture().blocks(), true));
        if (settingOptions.init != null) {
            throw new UsageException("--init " + settingOptions.init + ": the sweep's --gamma grid sets the spectral norm of W0 and W*: "
                    + "expected --gamma instead");
        }
        if (axis != null) {
            SettingAxis.parse(axis, setting); // refuse a bad axis now, before any file
            String clash = switch (axis.substring(0, Math.max(0, axis.indexOf('='))).trim().toLowerCase(Locale.ROOT)) {
                case "activation" -> settingOptions.activation == null ? null : "--activation " + settingOptions.activation;
                case "blocks" -> settingOptions.blocks == null ? null : "--blocks " + settingOptions.blocks;
                case "noise" -> settingOptions.noise == null ? null : "--noise " + settingOptions.noise;
                case "law" -> settingOptions.law == null ? null : "--law " + settingOptions.law;
                default -> null;
            };
            if (clash != null) {
                throw new UsageException("--axis '" + axis + "' and " + clash + " both set that part: expected one of them");
            }
        }
        if (kernelOptions.isFloat() && (!setting.isLy17() || axis != null)) {
            throw new UsageException("--precision float with a setting or --axis: expected double (a setting trains on the generic double path)");
        }
        if (steps < 0 || steps > 100_000_000) {
            throw new UsageException("--steps " + steps + ": expected 0 <= T <= 100000000");
        }
        if (seeds < 1 || seeds > SweepConfig.MAX_SEEDS) {
            throw new UsageException("--seeds " + seeds + ": expected 1 <= K <= " + SweepConfig.MAX_SEEDS);
        }
        if (eta != null && etaScale != null) {
            throw new UsageException("--eta " + eta + " and --eta-scale " + etaScale + ": expected at most one of them");
        }
        if (eta != null && (!(eta > 0) || Double.isInfinite(eta))) {
            throw new UsageException("--eta " + eta + ": expected a finite step size > 0");
        }
        if (etaScale != null && (!(etaScale > 0) || Double.isInfinite(etaScale))) {
            throw new UsageException("--eta-scale " + etaScale + ": expected a finite C > 0 (eta = C / d)");
        }
        if (batch < 1 || batch > SweepConfig.MAX_BATCH) {
            throw new UsageException("--batch " + batch + ": expected 1 <= B <= " + SweepConfig.MAX_BATCH);
        }
        if (!(eps > 0) || Double.isInfinite(eps)) {
            throw new UsageException("--eps " + eps + ": expected a finite threshold > 0");
        }
        int k = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        if (k < 1 || k > 1024) {
            throw new UsageException("--threads " + k + ": expected 1 <= K <= 1024");
        }
        CheckCommand.checkOutDir(out, "--out");
        String kernelName = kernelOptions.kernelName();
        return new SweepConfig(gammas, ds, vanilla, steps, seeds, eta == null ? Double.NaN : eta,
                etaScale == null ? SweepConfig.DEFAULT_ETA_SCALE : etaScale, batch, eps, seed,
                PaperConstants.RECALLED.phase1Threshold(), kernelName, kernelOptions.precisionName(), setting);
    }

    /** The setting options' setting (exit 2 on a bad one); [LY17]'s when none is given. */
    private Setting baseSetting() {
        return settingOptions.resolve();
    }
}
