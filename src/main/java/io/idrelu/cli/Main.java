package io.idrelu.cli;

import io.idrelu.kernel.KernelUnavailableException;
import io.idrelu.report.BuildInfo;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.io.UncheckedIOException;

/**
 * {@code idrelu}: executable, audited evidence for [LY17]'s convergence theorem. Each subcommand is one
 * class in this package. Exit codes: 0 success (nothing VIOLATED), 1 a claim VIOLATED, 2 bad input or
 * usage (one line on stderr, no stack trace, no partial output file), 3 internal error (a bug: stack trace).
 */
@Command(name = "idrelu", mixinStandardHelpOptions = true, usageHelpAutoWidth = true, versionProvider = Main.Version.class,
        description = {
                "Checks the convergence theorem of Li & Yuan (NeurIPS 2017) for two-layer ReLU networks with an",
                "identity mapping, f(x, W) = sum_i relu(<e_i + w_i, x>), claim by claim, on exact and fast arithmetic.",
                "",
                "Start with:  idrelu check          (every claim on the default preset, verdict table + report)",
                "On your data: idrelu check --inputs classpath:datasets/wine.csv --whiten   (see 'idrelu check --help')",
                "Gradients are in true units (of L(W) = E[(f(x,W) - f(x,W*))^2]) unless marked 'paper' (= pi * true); see README."},
        subcommands = {CheckCommand.class, ReplayCommand.class, MergeCommand.class, EvalCommand.class, TrainCommand.class,
                AuditCommand.class, SweepCommand.class, DiffCommand.class, PremiseCommand.class,
                CommandLine.HelpCommand.class},
        footer = {"", "Exit codes: 0 ok, 1 a claim VIOLATED, 2 bad input or usage, 3 internal error."})
public final class Main implements Runnable {

    /** Exit code for bad input or usage. */
    public static final int EXIT_USAGE = 2;
    /** Exit code for an internal error (a bug in idrelu). */
    public static final int EXIT_INTERNAL = 3;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the CLI with the process's streams and returns the exit code (tests call this). */
    public static int execute(String... args) {
        return commandLine().execute(args);
    }

    /** The configured command line (exception handling that maps errors to exit codes). */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler(Main::handle);
        cl.setParameterExceptionHandler((ex, args) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("idrelu: error: " + ex.getMessage());
            err.println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help' for usage.");
            return EXIT_USAGE;
        });
        return cl;
    }

    private static int handle(Exception ex, CommandLine cl, CommandLine.ParseResult parsed) {
        PrintWriter err = cl.getErr();
        if (ex instanceof IllegalArgumentException || ex instanceof KernelUnavailableException) {
            err.println("idrelu " + cl.getCommandName() + ": error: " + ex.getMessage());
            return EXIT_USAGE;
        }
        if (ex instanceof UncheckedIOException io) {
            err.println("idrelu " + cl.getCommandName() + ": error: " + io.getMessage());
            return EXIT_USAGE;
        }
        err.println("idrelu " + cl.getCommandName() + ": internal error (please report with the command line): " + ex);
        ex.printStackTrace(err);
        return EXIT_INTERNAL;
    }

    /** Version and commit of the build ({@link BuildInfo}, written by the Maven build), and the JVM running it. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"idrelu " + BuildInfo.current().describe() + ", Java " + Runtime.version()};
        }
    }
}
