package io.idrelu.setting;

/**
 * The setting a claim runs under (issue 11; proofs-notes/settings.md): architecture, activation, input law,
 * label model and initialisation, as one immutable value that round-trips through JSON ({@link SettingJson}).
 * {@link #ly17(int)} is [LY17]'s setting and today's defaults: two layers (one block), identity-mapped student,
 * ReLU, {@code x ~ N(0, I_d)}, noiseless labels, {@code W0, W*} Gaussian rescaled to spectral norm 0.3.
 */
public record Setting(Architecture architecture, Activation activation, InputLaw inputs, LabelModel labels, Init init) {

    /** Today's default {@code gamma} (the {@code train} command's {@code --gamma} default). */
    public static final double DEFAULT_GAMMA = 0.3;

    public Setting {
        if (architecture == null || activation == null || inputs == null || labels == null || init == null) {
            throw new IllegalArgumentException("setting is missing a part: expected architecture, activation, inputs, labels and init");
        }
        if (inputs instanceof InputLaw.GaussianCov g && g.sigma().length != architecture.d()) {
            throw new IllegalArgumentException("inputs.sigma is " + g.sigma().length + " x " + g.sigma().length
                    + " != architecture.d = " + architecture.d() + ": expected a d x d covariance");
        }
    }

    /** [LY17]'s setting at dimension {@code d} with today's {@code gamma = 0.3}. */
    public static Setting ly17(int d) {
        return ly17(d, DEFAULT_GAMMA);
    }

    /** [LY17]'s setting at dimension {@code d}, spectral norm {@code gamma} for {@code W0} and {@code W*}. */
    public static Setting ly17(int d, double gamma) {
        return new Setting(new Architecture(d, 1, true), new Activation.Relu(), new InputLaw.StandardGaussian(),
                new LabelModel.Noiseless(), new Init.SpectralNorm(gamma));
    }

    /** True when this is exactly the paper's setting (any d, any gamma): today's fused kernels apply. */
    public boolean isLy17() {
        return architecture.blocks() == 1 && architecture.identity() && activation instanceof Activation.Relu
                && inputs instanceof InputLaw.StandardGaussian && labels instanceof LabelModel.Noiseless
                && init instanceof Init.SpectralNorm;
    }

    public int d() {
        return architecture.d();
    }

    public Setting withArchitecture(Architecture a) {
        return new Setting(a, activation, inputs, labels, init);
    }

    public Setting withActivation(Activation a) {
        return new Setting(architecture, a, inputs, labels, init);
    }

    public Setting withInputs(InputLaw law) {
        return new Setting(architecture, activation, law, labels, init);
    }

    public Setting withLabels(LabelModel l) {
        return new Setting(architecture, activation, inputs, l, init);
    }

    public Setting withInit(Init i) {
        return new Setting(architecture, activation, inputs, labels, i);
    }
}
