package io.idrelu.claims;

import io.idrelu.setting.Activation;
import io.idrelu.setting.Init;
import io.idrelu.setting.InputLaw;
import io.idrelu.setting.LabelModel;
import io.idrelu.setting.Setting;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Names of a {@link Setting} for verdict tables, report headers and the reasons of {@link Verdict#NOT_APPLICABLE}
 * (issue 11; proofs-notes/settings.md section 9): {@link #label} lists the parts that depart from [LY17]
 * ({@code "leaky-relu(0.1)"}, {@code "student-t(5), noise(0.1)"}), {@link #describe} says every part. The predicates
 * say which population closed forms exist (proofs-notes/settings.md section 7), so that claims state where they apply in one
 * vocabulary.
 */
public final class Applicability {
    private Applicability() { }

    /** The parts of {@code s} that differ from [LY17], comma-separated; {@code "ly17"} when none does. */
    public static String label(Setting s) {
        List<String> parts = departures(s);
        return parts.isEmpty() ? "ly17" : String.join(", ", parts);
    }

    /** Each part of {@code s} that differs from [LY17]'s, as a short name (the dimension is not a departure). */
    public static List<String> departures(Setting s) {
        List<String> p = new ArrayList<>();
        if (!(s.activation() instanceof Activation.Relu)) {
            p.add(activation(s.activation()));
        }
        if (!(s.inputs() instanceof InputLaw.StandardGaussian)) {
            p.add(inputs(s.inputs()));
        }
        if (s.architecture().blocks() != 1) {
            p.add("blocks=" + s.architecture().blocks());
        }
        if (!s.architecture().identity()) {
            p.add("vanilla");
        }
        if (s.labels() instanceof LabelModel.GaussianNoise n) {
            p.add("noise(" + num(n.sigma()) + ")");
        }
        if (s.init() instanceof Init.Scaled sc) {
            p.add("init scaled(" + num(sc.c()) + ")");
        } else if (((Init.SpectralNorm) s.init()).gamma() != Setting.DEFAULT_GAMMA) {
            p.add("gamma=" + num(((Init.SpectralNorm) s.init()).gamma()));
        }
        return p;
    }

    /** Every part in one line, e.g. {@code "relu, inputs dataset(...), d = 13, 1 block, identity, noiseless, gamma 0.3"}. */
    public static String describe(Setting s) {
        String init = s.init() instanceof Init.Scaled sc ? "init c/sqrt(d), c = " + num(sc.c())
                : "init spectral norm gamma = " + num(((Init.SpectralNorm) s.init()).gamma());
        String dim = fixesD(s) ? "d = " + s.d() + " (fixed by the inputs)" : "d: each claim's own";
        return activation(s.activation()) + ", inputs " + inputs(s.inputs()) + ", " + dim + ", "
                + s.architecture().blocks() + (s.architecture().blocks() == 1 ? " block" : " blocks") + ", "
                + (s.architecture().identity() ? "identity-mapped" : "vanilla") + ", "
                + (s.labels() instanceof LabelModel.GaussianNoise n ? "label noise sigma = " + num(n.sigma()) : "noiseless")
                + ", " + init;
    }

    /** True when the input law fixes the dimension (a covariance matrix or a data set). */
    public static boolean fixesD(Setting s) {
        return s.inputs() instanceof InputLaw.GaussianCov || s.inputs() instanceof InputLaw.DataSet;
    }

    public static String activation(Activation a) {
        if (a instanceof Activation.LeakyRelu l) {
            return "leaky-relu(" + num(l.a()) + ")";
        }
        if (a instanceof Activation.Softplus sp) {
            return "softplus(" + num(sp.b()) + ")";
        }
        return a instanceof Activation.Gelu ? "gelu" : "relu";
    }

    public static String inputs(InputLaw law) {
        if (law instanceof InputLaw.StudentT t) {
            return "student-t(" + num(t.nu()) + ")";
        }
        if (law instanceof InputLaw.GaussianCov g) {
            return "gaussian-cov(" + g.sigma().length + " x " + g.sigma().length + ")";
        }
        if (law instanceof InputLaw.DataSet ds) {
            String name = ds.path().replaceFirst("^.*[/\\\\:]", "");
            return "dataset(" + name + (ds.whiten() ? ", whitened" : ds.standardise() ? ", standardised" : ", raw") + ")";
        }
        return law.kind();
    }

    /** Finite input laws (Rademacher, a data set): population quantities are exact full batches. */
    public static boolean finiteLaw(Setting s) {
        return s.inputs() instanceof InputLaw.Rademacher || s.inputs() instanceof InputLaw.DataSet;
    }

    /**
     * The reason a claim cannot run under {@code s} because it needs {@code needs}, naming the departing parts:
     * {@code "C14: <why> (setting: gelu)"}.
     */
    public static Optional<String> notApplicable(String id, String why, Setting s) {
        return Optional.of(id + ": " + why + " (setting: " + label(s) + ")");
    }

    /** True when label noise is the only departure from [LY17] (the population loss is {@code L + sigma^2}, same gradient). */
    public static boolean onlyNoise(Setting s) {
        return s.labels() instanceof LabelModel.GaussianNoise && s.withLabels(new LabelModel.Noiseless()).isLy17();
    }

    /**
     * Why the population loss of {@code s} has no closed form (proofs-notes/settings.md section 7), or empty when it has
     * one: ReLU with {@code N(0, I)} or {@code N(0, Sigma)}, or leaky ReLU with {@code N(0, I)}, one block (label noise
     * adds {@code sigma^2}).
     */
    public static Optional<String> noClosedForm(Setting s) {
        if (s.architecture().blocks() != 1) {
            return Optional.of("no closed-form population loss for " + s.architecture().blocks() + " blocks");
        }
        if (!s.activation().piecewiseLinear()) {
            return Optional.of("no closed-form population loss for " + activation(s.activation()));
        }
        if (s.activation() instanceof Activation.Relu) {
            return s.inputs() instanceof InputLaw.StandardGaussian || s.inputs() instanceof InputLaw.GaussianCov ? Optional.empty()
                    : Optional.of("no closed-form population loss for inputs " + inputs(s.inputs()) + " (ReLU: N(0, I), N(0, Sigma) only)");
        }
        return s.inputs() instanceof InputLaw.StandardGaussian ? Optional.empty()
                : Optional.of("no closed-form population loss for " + activation(s.activation()) + " with inputs " + inputs(s.inputs())
                        + " (leaky ReLU: N(0, I) only)");
    }

    /** A number without a trailing {@code .0}: {@code 5}, {@code 0.1}. */
    public static String num(double v) {
        return Double.isFinite(v) ? BigDecimal.valueOf(v).stripTrailingZeros().toPlainString() : Double.toString(v);
    }
}
