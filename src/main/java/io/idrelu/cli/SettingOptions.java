package io.idrelu.cli;

import io.idrelu.claims.ClaimContext;
import io.idrelu.setting.Activation;
import io.idrelu.setting.Architecture;
import io.idrelu.setting.DataMatrix;
import io.idrelu.setting.DataSetLoader;
import io.idrelu.setting.Init;
import io.idrelu.setting.InputLaw;
import io.idrelu.setting.LabelModel;
import io.idrelu.setting.Setting;
import io.idrelu.setting.SettingCatalogue;
import io.idrelu.setting.SettingJson;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The setting options of {@code idrelu check} (issue 11; proofs-notes/settings.md section 9): {@code --setting} gives
 * the base (a JSON file or a name of {@link SettingCatalogue}; [LY17]'s when absent) and each other option
 * <b>replaces the part it names</b>, in a fixed order (inputs, activation, architecture, labels, init), so
 * {@code --setting wine --activation gelu} is the Wine data with GELU. {@code --law} and {@code --inputs} both name
 * the input law and are refused together. Everything is validated in {@link #resolve()}, before any work: a bad
 * value is a {@link UsageException} (exit 2) naming the option, the value and what was expected. A data set is
 * loaded there (so a broken file fails first) and fixes {@code d} to its number of columns; a relative path is made
 * absolute so replay files find it from any directory.
 */
public final class SettingOptions {

    @Option(names = "--setting", paramLabel = "FILE.json|NAME",
            description = "Run under this setting: a JSON file (proofs-notes/settings.md section 1), inline JSON '{...}' or a name: "
                    + "ly17, student-t, wine, leaky, gelu, blocks3, noise. Default: [LY17]'s (ReLU, N(0, I), one block, noiseless).")
    String setting;

    @Option(names = "--inputs", paramLabel = "FILE",
            description = "Inputs drawn (with replacement) from the rows of a .csv or .npy file; d = its number of columns. "
                    + "classpath:datasets/wine.csv is the shipped example.")
    String inputs;

    @Option(names = "--standardise", description = "With --inputs: scale each column to mean 0, variance 1 (divisor n).")
    boolean standardise;

    @Option(names = "--whiten", description = "With --inputs: centre and multiply by the inverse square root of the covariance "
            + "(implies --standardise); the empirical second moment is then I.")
    boolean whiten;

    @Option(names = "--law", paramLabel = "gaussian|student-t:NU|rademacher|sphere",
            description = "Input law (unit variance): N(0, I), Student-t with NU > 2 degrees of freedom, +-1 signs, "
                    + "or the sphere of radius sqrt(d).")
    String law;

    @Option(names = "--activation", paramLabel = "relu|leaky-relu:A|softplus:B|gelu",
            description = "Activation of every unit: ReLU, leaky ReLU with slope -1 <= A <= 1, softplus with sharpness B > 0, GELU.")
    String activation;

    @Option(names = "--blocks", paramLabel = "K",
            description = "Residual blocks z_k = act((I + W_k)^T z_{k-1}), 1 <= K <= " + Architecture.MAX_BLOCKS + " (1 = [LY17]'s two layers).")
    String blocks;

    @Option(names = "--vanilla", description = "Student without the identity mapping: z_k = act(W_k^T z_{k-1}) (the teacher keeps it).")
    boolean vanilla;

    @Option(names = "--noise", paramLabel = "SIGMA",
            description = "Label noise: y = f(x, W*) + SIGMA eps, eps ~ N(0, 1); 0 = noiseless.")
    String noise;

    @Option(names = "--init", paramLabel = "gamma:G|scaled:C",
            description = "W0 and W* of every block: Gaussian rescaled to spectral norm G, or entries N(0, C^2/d).")
    String init;

    /** True when any setting option was given. */
    public boolean given() {
        return setting != null || inputs != null || standardise || whiten || law != null || activation != null
                || blocks != null || vanilla || noise != null || init != null;
    }

    /** One line naming the options given, for messages (e.g. {@code "--setting wine --activation gelu"}). */
    public String describeGiven() {
        StringBuilder s = new StringBuilder();
        append(s, "--setting", setting);
        append(s, "--inputs", inputs);
        append(s, "--standardise", standardise ? "" : null);
        append(s, "--whiten", whiten ? "" : null);
        append(s, "--law", law);
        append(s, "--activation", activation);
        append(s, "--blocks", blocks);
        append(s, "--vanilla", vanilla ? "" : null);
        append(s, "--noise", noise);
        append(s, "--init", init);
        return s.toString().strip();
    }

    private static void append(StringBuilder s, String name, String value) {
        if (value != null) {
            s.append(' ').append(name).append(value.isEmpty() ? "" : " " + value);
        }
    }

    /**
     * The setting these options describe ([LY17]'s at the placeholder dimension when none is given).
     *
     * @throws UsageException on any bad or conflicting value (one line: option, value, what was expected)
     */
    public Setting resolve() {
        Setting s = resolveWithInit();
        if (s.isLy17() && s.init() instanceof Init.SpectralNorm sn && sn.gamma() != Setting.DEFAULT_GAMMA) {
            throw new UsageException("--init " + init + " with an otherwise [LY17] setting: under [LY17] every claim uses its own "
                    + "preset gamma: expected it together with another departure, e.g. --activation leaky-relu:0.1");
        }
        return s;
    }

    /**
     * As {@link #resolve()} but {@code --init} is taken under an otherwise [LY17] setting too: for commands that run
     * one instance ({@code train}), where {@code --init gamma:G} means what {@code --gamma G} means.
     */
    Setting resolveWithInit() {
        Setting s = setting == null ? Setting.ly17(ClaimContext.LY17_PLACEHOLDER_D) : base(setting);
        if (law != null && inputs != null) {
            throw new UsageException("--law " + law + " and --inputs " + inputs
                    + " both set the input law: expected one of them");
        }
        // inputs
        if (inputs != null) {
            s = s.withInputs(new InputLaw.DataSet(absolute(inputs), standardise || whiten, whiten));
        } else if (standardise || whiten) {
            String flag = whiten ? "--whiten" : "--standardise";
            if (!(s.inputs() instanceof InputLaw.DataSet ds)) {
                throw new UsageException(flag + " given without a data set: expected --inputs FILE (or --setting with dataset inputs)");
            }
            s = s.withInputs(new InputLaw.DataSet(ds.path(), true, whiten || ds.whiten()));
        } else if (law != null) {
            s = s.withInputs(law(law));
        }
        // activation
        if (activation != null) {
            s = s.withActivation(activation(activation));
        }
        // architecture: d from the data (or a covariance), else the placeholder (claims use their own d)
        int d = s.d();
        if (s.inputs() instanceof InputLaw.DataSet ds) {
            d = dataDimension(ds);
        } else if (!(s.inputs() instanceof InputLaw.GaussianCov)) {
            d = ClaimContext.LY17_PLACEHOLDER_D;
        }
        int k = blocks == null ? s.architecture().blocks() : blocks(blocks);
        boolean identity = s.architecture().identity() && !vanilla;
        s = s.withArchitecture(architecture(d, k, identity));
        // labels
        if (noise != null) {
            double sigma = number("--noise", noise, noise, "a noise level SIGMA >= 0, e.g. 0.1");
            if (!(sigma >= 0)) {
                throw new UsageException("--noise " + noise + ": expected a noise level SIGMA >= 0, e.g. 0.1");
            }
            s = s.withLabels(sigma == 0 ? new LabelModel.Noiseless() : guarded("--noise " + noise, () -> new LabelModel.GaussianNoise(sigma)));
        }
        // init
        if (init != null) {
            s = s.withInit(init(init));
        }
        return s;
    }

    private static Setting base(String value) {
        SettingCatalogue.Named named = SettingCatalogue.byName(value.trim().toLowerCase(Locale.ROOT), ClaimContext.LY17_PLACEHOLDER_D);
        if (named != null) {
            return named.setting();
        }
        if (value.trim().startsWith("{")) {
            // inline JSON (the replay line of a sweep trial under a covariance writes the setting so)
            return parsed(value, value);
        }
        Path p = Path.of(value);
        if (!Files.isRegularFile(p)) {
            throw new UsageException("--setting " + value + ": no such file and no such name: expected FILE.json or one of "
                    + SettingCatalogue.doneWhen(ClaimContext.LY17_PLACEHOLDER_D).stream().map(SettingCatalogue.Named::name)
                    .collect(Collectors.joining(", ")));
        }
        String text;
        try {
            text = Files.readString(p);
        } catch (IOException e) {
            throw new UsageException("--setting " + value + ": cannot read (" + e.getMessage() + "): expected a readable JSON file");
        }
        return parsed(value, text);
    }

    /** A setting from JSON text ({@code value}: the option's value, for messages); paths made absolute, Sigma checked. */
    private static Setting parsed(String value, String text) {
        Setting s;
        try {
            s = SettingJson.parse(text);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--setting " + value + ": " + e.getMessage());
        }
        if (s.inputs() instanceof InputLaw.DataSet ds) {
            s = s.withInputs(new InputLaw.DataSet(absolute(ds.path()), ds.standardise(), ds.whiten()));
        }
        if (s.inputs() instanceof InputLaw.GaussianCov g) {
            // refused here rather than in the first claim: the covariance must be positive definite
            try {
                io.idrelu.setting.InputSampler.cholesky(g.sigma(), s.d());
            } catch (IllegalArgumentException e) {
                throw new UsageException("--setting " + value + ": " + e.getMessage());
            }
        }
        return s;
    }

    /** A data file path as given, made absolute unless it names a shipped resource ({@code classpath:}). */
    static String absolute(String path) {
        if (path.startsWith("classpath:") || path.isBlank()) {
            return path;
        }
        return Path.of(path).toAbsolutePath().normalize().toString();
    }

    /** Loads (and so validates) the data set now and returns its number of columns. */
    private static int dataDimension(InputLaw.DataSet ds) {
        DataMatrix m = DataSetLoader.load(ds, 0); // FixtureException (exit 2): file, row and column named
        if (m.d() > Architecture.MAX_D) {
            throw new UsageException(ds.path() + ": " + m.d() + " columns: expected at most " + Architecture.MAX_D + " (d = columns)");
        }
        return m.d();
    }

    static InputLaw law(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        String expected = "gaussian, student-t:NU (NU > 2), rademacher or sphere";
        if (t.equals("gaussian")) {
            return new InputLaw.StandardGaussian();
        }
        if (t.equals("rademacher")) {
            return new InputLaw.Rademacher();
        }
        if (t.equals("sphere")) {
            return new InputLaw.Sphere();
        }
        if (t.startsWith("student-t:")) {
            double nu = number("--law", text, value(text, "student-t:"), "student-t:NU with NU > 2, e.g. student-t:5");
            return guarded("--law " + text, () -> new InputLaw.StudentT(nu));
        }
        throw new UsageException("--law " + text + ": expected " + expected);
    }

    static Activation activation(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("relu")) {
            return new Activation.Relu();
        }
        if (t.equals("gelu")) {
            return new Activation.Gelu();
        }
        if (t.startsWith("leaky-relu:")) {
            double a = number("--activation", text, value(text, "leaky-relu:"), "leaky-relu:A with -1 <= A <= 1, e.g. leaky-relu:0.1");
            return guarded("--activation " + text, () -> new Activation.LeakyRelu(a));
        }
        if (t.startsWith("softplus:")) {
            double b = number("--activation", text, value(text, "softplus:"), "softplus:B with B > 0, e.g. softplus:4");
            return guarded("--activation " + text, () -> new Activation.Softplus(b));
        }
        throw new UsageException("--activation " + text + ": expected relu, leaky-relu:A, softplus:B or gelu");
    }

    /** The part of {@code text} after its (case-insensitive) {@code prefix}, as the user typed it. */
    private static String value(String text, String prefix) {
        return text.trim().substring(prefix.length());
    }

    static int blocks(String text) {
        try {
            int k = Integer.parseInt(text.trim());
            if (k >= 1 && k <= Architecture.MAX_BLOCKS) {
                return k;
            }
        } catch (NumberFormatException e) {
            // falls through to the message
        }
        throw new UsageException("--blocks " + text + ": expected an integer 1 <= K <= " + Architecture.MAX_BLOCKS);
    }

    static Init init(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.startsWith("gamma:")) {
            double g = number("--init", text, value(text, "gamma:"), "gamma:G with G >= 0, e.g. gamma:0.3");
            return guarded("--init " + text, () -> new Init.SpectralNorm(g));
        }
        if (t.startsWith("scaled:")) {
            double c = number("--init", text, value(text, "scaled:"), "scaled:C with C >= 0, e.g. scaled:0.5");
            return guarded("--init " + text, () -> new Init.Scaled(c));
        }
        throw new UsageException("--init " + text + ": expected gamma:G (spectral norm) or scaled:C (entries N(0, C^2/d))");
    }

    private static Architecture architecture(int d, int k, boolean identity) {
        return guarded("--blocks " + k, () -> new Architecture(d, k, identity));
    }

    /** A decimal number (BigDecimal syntax: no NaN, Infinity, hex or suffixes), else a usage error. */
    private static double number(String option, String given, String text, String expected) {
        try {
            double v = new BigDecimal(text.trim()).doubleValue();
            if (Double.isFinite(v)) {
                return v;
            }
        } catch (NumberFormatException e) {
            // falls through to the message
        }
        throw new UsageException(option + " " + given + ": '" + text + "' is not a number: expected " + expected);
    }

    /** Builds a part; its own validation message becomes a usage error naming the option. */
    private static <T> T guarded(String option, java.util.function.Supplier<T> make) {
        try {
            return make.get();
        } catch (IllegalArgumentException e) {
            throw new UsageException(option + ": " + e.getMessage());
        }
    }
}
