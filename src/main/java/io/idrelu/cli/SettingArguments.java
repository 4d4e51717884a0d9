package io.idrelu.cli;

import io.idrelu.claims.Applicability;
import io.idrelu.kernel.KernelProvider;
import io.idrelu.setting.Activation;
import io.idrelu.setting.Architecture;
import io.idrelu.setting.Init;
import io.idrelu.setting.InputLaw;
import io.idrelu.setting.LabelModel;
import io.idrelu.setting.NetworkKernel;
import io.idrelu.setting.NetworkKernels;
import io.idrelu.setting.Setting;
import io.idrelu.setting.SettingJson;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The setting options ({@link SettingOptions}, issue 11) as the commands that run one instance use them
 * ({@code train}, {@code eval}, {@code audit}), and their inverse: a {@link Setting} written back as the options that
 * resolve to it, for the {@code train} replay line of a sweep trial.
 *
 * <p><b>Which path.</b> A setting that differs from [LY17]'s at most in {@code gamma} and in the identity mapping
 * ({@code --vanilla}, {@code --init gamma:G}, {@code --setting ly17}) runs today's fused code: {@link #todaysPath}. Every
 * other setting runs the generic network kernel ({@code setting.SettingSgd}, {@code NetworkKernel}), created in ONE place,
 * {@link #networkKernel}, so that a kernel selection (scalar or vector) replaces it there.
 */
public final class SettingArguments {
    private SettingArguments() { }

    /** Name of a generic kernel as printed in outputs: {@code network-scalar} or {@code network-vector}. */
    static String label(NetworkKernel k) {
        return "network-" + k.name();
    }

    /**
     * The generic fast kernel of every setting run (the one place it is created): {@link NetworkKernels#of}, the
     * vector {@code VectorNetworkKernel} (bit-identical to the scalar {@link NetworkKernel}) when {@code --kernel auto}
     * can load it or {@code --kernel vector} asks for it (an error, exit 2, when it cannot), else the scalar one.
     */
    static NetworkKernel networkKernel(KernelProvider.Choice choice) {
        return NetworkKernels.of(choice);
    }

    /** True when {@code s} is [LY17]'s up to gamma and the identity mapping: today's fused kernels run it, same bits. */
    static boolean todaysPath(Setting s) {
        return s.withArchitecture(new Architecture(s.d(), s.architecture().blocks(), true)).isLy17();
    }

    /** Refuses {@code --precision float} under a setting off today's path: the float setting kernel does not exist. */
    static void refuseFloat(boolean isFloat, Setting s) {
        if (isFloat) {
            throw new UsageException("--precision float under the setting " + Applicability.label(s)
                    + ": the float setting kernel does not exist (settings run the generic double kernel): expected --precision double");
        }
    }

    /**
     * The options' setting at dimension {@code d} for a command with its own {@code --d} and {@code --gamma}: inputs
     * that fix d (a data set, a covariance) must agree with {@code --d}; {@code --init} replaces {@code --gamma} (both
     * given: refused).
     *
     * @param gammaGiven whether {@code --gamma} was on the command line (its default otherwise)
     */
    static Setting atDimension(SettingOptions o, int d, double gamma, boolean gammaGiven) {
        Setting s = o.resolveWithInit();
        if (Applicability.fixesD(s) && s.d() != d) {
            throw new UsageException("--d " + d + ": the inputs (" + Applicability.inputs(s.inputs()) + ") fix d = " + s.d()
                    + ": expected --d " + s.d());
        }
        if (o.init != null && gammaGiven) {
            throw new UsageException("--init " + o.init + " and --gamma " + gamma + " both set the scale of W0 and W*: expected one of them");
        }
        if (o.init == null) {
            if (!(gamma >= 0) || Double.isInfinite(gamma)) {
                throw new UsageException("--gamma " + gamma + ": expected a finite number >= 0");
            }
            s = s.withInit(new Init.SpectralNorm(gamma));
        }
        Architecture a = s.architecture();
        try {
            return s.withArchitecture(new Architecture(d, a.blocks(), a.identity()));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--d " + d + ": " + e.getMessage());
        }
    }

    /**
     * The options' setting at a fixture's dimension and network ({@code "identity"}): a fixture holds one block and its
     * own {@code W}, {@code W*}, so {@code --blocks K > 1}, {@code --init} and a {@code --vanilla} that contradicts the
     * fixture are refused.
     */
    static Setting atFixture(SettingOptions o, io.idrelu.model.Fixture f, Path fixture) {
        Setting s = o.resolveWithInit();
        if (s.architecture().blocks() != 1) {
            throw new UsageException("--blocks " + s.architecture().blocks() + " with --fixture " + fixture
                    + ": a fixture holds one block (\"W\", \"Wstar\"): expected --blocks 1");
        }
        if (o.init != null) {
            throw new UsageException("--init " + o.init + " with --fixture " + fixture + ": the fixture gives W and W*: expected no --init");
        }
        if (o.vanilla && f.identity()) {
            throw new UsageException("--vanilla with --fixture " + fixture + ", whose \"identity\" is true: the fixture sets the network: "
                    + "expected \"identity\": false in the fixture, or no --vanilla");
        }
        if (Applicability.fixesD(s) && s.d() != f.d()) {
            throw new UsageException("--fixture " + fixture + ": d = " + f.d() + ", but the inputs (" + Applicability.inputs(s.inputs())
                    + ") fix d = " + s.d() + ": expected a fixture of dimension " + s.d());
        }
        return s.withArchitecture(new Architecture(f.d(), 1, f.identity()));
    }

    /**
     * The setting options that resolve to {@code s} at its dimension (the init and d are the caller's: {@code --gamma},
     * {@code --d}). Parts equal to [LY17]'s are left out. A covariance has no option of its own: it goes as
     * {@code --setting} with the setting's JSON inline. Values are written with {@link Double#toString}, which
     * parses back to the same double; every word is quoted for a POSIX shell when needed.
     */
    public static List<String> options(Setting s) {
        List<String> out = new ArrayList<>();
        InputLaw law = s.inputs();
        if (law instanceof InputLaw.GaussianCov) {
            Setting bare = Setting.ly17(s.d()).withInputs(law);
            out.add("--setting");
            out.add(SettingJson.toJson(bare).toString()); // compact JSON: no spaces
        } else if (law instanceof InputLaw.DataSet ds) {
            out.add("--inputs");
            out.add(ds.path());
            if (ds.whiten()) {
                out.add("--whiten");
            } else if (ds.standardise()) {
                out.add("--standardise");
            }
        } else if (law instanceof InputLaw.StudentT t) {
            out.add("--law");
            out.add("student-t:" + num(t.nu()));
        } else if (law instanceof InputLaw.Rademacher) {
            out.add("--law");
            out.add("rademacher");
        } else if (law instanceof InputLaw.Sphere) {
            out.add("--law");
            out.add("sphere");
        }
        Activation act = s.activation();
        if (act instanceof Activation.LeakyRelu l) {
            out.add("--activation");
            out.add("leaky-relu:" + num(l.a()));
        } else if (act instanceof Activation.Softplus sp) {
            out.add("--activation");
            out.add("softplus:" + num(sp.b()));
        } else if (act instanceof Activation.Gelu) {
            out.add("--activation");
            out.add("gelu");
        }
        if (s.architecture().blocks() != 1) {
            out.add("--blocks");
            out.add(Integer.toString(s.architecture().blocks()));
        }
        if (!s.architecture().identity()) {
            out.add("--vanilla");
        }
        if (s.labels() instanceof LabelModel.GaussianNoise n) {
            out.add("--noise");
            out.add(num(n.sigma()));
        }
        return out;
    }

    /** {@link #options} as one shell-quoted string (empty for [LY17]'s setting). */
    public static String optionsText(Setting s) {
        StringBuilder b = new StringBuilder();
        for (String w : options(s)) {
            b.append(b.length() == 0 ? "" : " ").append(shellQuote(w));
        }
        return b.toString();
    }

    private static String num(double v) {
        return Double.toString(v);
    }

    /** A word as a POSIX shell reads it back: bare when it holds only safe characters, else in single quotes. */
    static String shellQuote(String w) {
        if (!w.isEmpty() && w.matches("[A-Za-z0-9_./:=+,@%-]+")) {
            return w;
        }
        return "'" + w.replace("'", "'\"'\"'") + "'";
    }

    /** Lower-case name of an enum constant, for messages. */
    static String name(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }
}
