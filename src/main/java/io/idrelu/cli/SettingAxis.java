package io.idrelu.cli;

import io.idrelu.claims.Applicability;
import io.idrelu.setting.Architecture;
import io.idrelu.setting.LabelModel;
import io.idrelu.setting.Setting;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One setting axis of {@code idrelu sweep --axis NAME=V1,V2,...} (issue 11): each value replaces one part of the
 * sweep's base setting ({@link SettingOptions}), giving one phase diagram per value. Values are parsed with the same
 * parsers as the corresponding {@code check} options ({@code --activation}, {@code --blocks}, {@code --noise},
 * {@code --law}), so they accept and refuse exactly the same text.
 *
 * @param name     activation, blocks, noise or law
 * @param values   the values as typed
 * @param settings the base setting with each value applied, in order
 */
public record SettingAxis(String name, List<String> values, List<Setting> settings) {
    /** Axis names accepted. */
    public static final List<String> NAMES = List.of("activation", "blocks", "noise", "law");
    /** Most values on one axis (each is a whole phase diagram). */
    public static final int MAX_VALUES = 16;

    public SettingAxis {
        values = List.copyOf(values);
        settings = List.copyOf(settings);
    }

    /**
     * Parses {@code NAME=V1,V2,...} against {@code base}.
     *
     * @throws UsageException one line naming the axis text, the bad value and what was expected
     */
    public static SettingAxis parse(String spec, Setting base) {
        String what = "--axis '" + spec + "'";
        String expected = "expected NAME=V1,V2,... with NAME one of " + String.join(", ", NAMES)
                + ", e.g. activation=relu,leaky-relu:0.1,gelu or blocks=1,2,3";
        int eq = spec.indexOf('=');
        if (eq < 0) {
            throw new UsageException(what + ": no '=': " + expected);
        }
        String name = spec.substring(0, eq).trim().toLowerCase(Locale.ROOT);
        if (!NAMES.contains(name)) {
            throw new UsageException(what + ": axis '" + spec.substring(0, eq).trim() + "' is unknown: " + expected);
        }
        String[] parts = spec.substring(eq + 1).split(",", -1);
        if (parts.length > MAX_VALUES) {
            throw new UsageException(what + ": " + parts.length + " values: expected at most " + MAX_VALUES);
        }
        if (name.equals("law") && Applicability.fixesD(base)) {
            throw new UsageException(what + ": the base setting's inputs (" + Applicability.inputs(base.inputs())
                    + ") fix the law: expected a law axis without --inputs or a covariance setting");
        }
        List<String> values = new ArrayList<>();
        List<Setting> settings = new ArrayList<>();
        Set<Setting> seen = new HashSet<>();
        for (String raw : parts) {
            String v = raw.trim();
            if (v.isEmpty()) {
                throw new UsageException(what + ": an empty value: " + expected);
            }
            Setting s = apply(name, v, base, what);
            if (!seen.add(s)) {
                throw new UsageException(what + ": value '" + v + "' repeats another value's setting ("
                        + Applicability.label(s) + "): expected distinct values");
            }
            values.add(v);
            settings.add(s);
        }
        return new SettingAxis(name, values, settings);
    }

    private static Setting apply(String name, String v, Setting base, String what) {
        try {
            return switch (name) {
                case "activation" -> base.withActivation(SettingOptions.activation(v));
                case "blocks" -> base.withArchitecture(new Architecture(base.d(), SettingOptions.blocks(v),
                        base.architecture().identity()));
                case "noise" -> base.withLabels(noise(v));
                default -> base.withInputs(SettingOptions.law(v));
            };
        } catch (UsageException e) {
            // the option parsers name their own option (e.g. "--activation x: ..."): say it came from the axis
            String m = e.getMessage();
            int at = m.indexOf(v + ": ");
            throw new UsageException(what + ": value '" + v + "': " + (at >= 0 ? m.substring(at + v.length() + 2) : m));
        }
    }

    private static LabelModel noise(String v) {
        double sigma;
        try {
            sigma = new BigDecimal(v).doubleValue();
        } catch (NumberFormatException e) {
            throw new UsageException("--noise " + v + ": expected a noise level SIGMA >= 0, e.g. 0.1");
        }
        if (!(sigma >= 0) || Double.isInfinite(sigma)) {
            throw new UsageException("--noise " + v + ": expected a noise level SIGMA >= 0, e.g. 0.1");
        }
        try {
            return sigma == 0 ? new LabelModel.Noiseless() : new LabelModel.GaussianNoise(sigma);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--noise " + v + ": " + e.getMessage());
        }
    }

    /** {@code name=value} for section titles. */
    public String title(int i) {
        return name + "=" + values.get(i);
    }

    /** A directory name for value {@code i}: its index and the value with anything but letters, digits, '.', '-' as '-'. */
    public String slug(int i) {
        return (i + 1) + "-" + name + "-" + values.get(i).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.-]", "-");
    }
}
