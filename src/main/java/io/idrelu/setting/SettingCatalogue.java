package io.idrelu.setting;

import java.util.List;

/**
 * The named settings issue 11 asks every claim to run under ("done when"), one departure from [LY17] each: the
 * paper's own setting, a non-Gaussian input law, the shipped data set, leaky ReLU, a smooth activation, three
 * residual blocks and label noise. Tests and {@code idrelu check --setting NAME} use the same list, so a setting
 * named in a note is the setting that ran.
 */
public final class SettingCatalogue {

    /** A setting with its short name (the CLI and table label). */
    public record Named(String name, String description, Setting setting) { }

    /** The shipped data set (UCI Wine, 13 columns; src/main/resources/datasets/README.md). */
    public static final String WINE = "classpath:datasets/wine.csv";

    /** Its dimension. */
    public static final int WINE_D = 13;

    private SettingCatalogue() {
    }

    /**
     * The seven settings at dimension {@code d} (the data set keeps its own {@code d = 13}). Only one part differs
     * from {@code Setting.ly17(d)} in each.
     */
    public static List<Named> doneWhen(int d) {
        Setting ly = Setting.ly17(d);
        return List.of(
                new Named("ly17", "[LY17]: ReLU, N(0, I), one block, noiseless", ly),
                new Named("student-t", "inputs Student-t(5), unit variance (heavy tails)", ly.withInputs(new InputLaw.StudentT(5))),
                new Named("wine", "inputs: the shipped Wine data (178 x 13), whitened", Setting.ly17(WINE_D)
                        .withInputs(new InputLaw.DataSet(WINE, true, true))),
                new Named("leaky", "leaky ReLU, slope 0.1", ly.withActivation(new Activation.LeakyRelu(0.1))),
                new Named("gelu", "GELU (smooth)", ly.withActivation(new Activation.Gelu())),
                new Named("blocks3", "three residual blocks", ly.withArchitecture(new Architecture(d, 3, true))),
                new Named("noise", "label noise sigma = 0.1", ly.withLabels(new LabelModel.GaussianNoise(0.1))));
    }

    /** The named setting at dimension {@code d}, or null when the name is unknown. */
    public static Named byName(String name, int d) {
        for (Named n : doneWhen(d)) {
            if (n.name().equals(name)) {
                return n;
            }
        }
        return null;
    }
}
