package io.idrelu.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.idrelu.cli.Json;
import io.idrelu.cli.UsageException;
import io.idrelu.claims.Applicability;
import io.idrelu.setting.Architecture;
import io.idrelu.setting.Init;
import io.idrelu.setting.Setting;
import io.idrelu.setting.SettingJson;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Configuration of a phase-diagram sweep ({@link Sweep}) over {@code (gamma, d)} cells, checked once
 * here at the boundary. [LY17] Theorem 3.1 assumes {@code ||W0||_2, ||W*||_2 <= gamma0} (small),
 * {@code d >= 100} and a small step size; the sweep leaves those assumptions on purpose.
 *
 * @param gammas          spectral norm of W0 and W* per row of the diagram ({@code Problem.random})
 * @param ds              dimensions, one column each
 * @param vanilla         train the vanilla student {@code u_i = w_i} (teacher stays identity-mapped)
 * @param steps           SGD steps per trial, {@code T}
 * @param seeds           trials per cell, {@code K}
 * @param eta             fixed step size (true units), or NaN to use {@code etaScale / d}
 * @param etaScale        {@code C} in {@code eta = C / d} when {@code eta} is NaN
 * @param batch           batch size per step
 * @param eps             success threshold on the final population loss {@code L(W_T)} (true units)
 * @param seed            base seed; trial {@code k} of cell {@code c} uses
 *                        {@code GaussianSampler.trialSeed(seed, c * K + k)}
 * @param phase1Threshold Phase I ends when {@code g < phase1Threshold * gamma^2} (recalled: 197)
 * @param kernel          kernel name that runs
 * @param precision       {@code double} or {@code float}
 * @param setting         the setting every trial runs under (issue 11), or {@code null} for [LY17]'s (today's fused path;
 *                        an [LY17] setting is normalised to {@code null}, so its sweep.json is today's byte for byte).
 *                        Its dimension and init are replaced per cell by {@link #settingAt}
 */
public record SweepConfig(double[] gammas, int[] ds, boolean vanilla, int steps, int seeds, double eta, double etaScale,
                          int batch, double eps, long seed, double phase1Threshold, String kernel, String precision,
                          Setting setting) {

    /** Default {@code C} of {@code eta = C / d}: plain SGD on L is stable only for eta below about 4/d (MATH.md section 2). */
    public static final double DEFAULT_ETA_SCALE = 0.5;
    /** Largest d a sweep accepts (cost grows like d^2 per sample and d^3 per population loss). */
    public static final int MAX_D = 1024;
    /** Largest gamma accepted (beyond it the nets are nowhere near the theorem's regime; the grid is about gamma0). */
    public static final double MAX_GAMMA = 100;
    public static final int MAX_GAMMAS = 200;
    public static final int MAX_SEEDS = 100_000;
    public static final int MAX_BATCH = 100_000;

    public SweepConfig {
        gammas = gammas.clone();
        ds = ds.clone();
        if (setting != null && setting.isLy17()) {
            setting = null;
        }
    }

    /** An [LY17] sweep (today's). */
    public SweepConfig(double[] gammas, int[] ds, boolean vanilla, int steps, int seeds, double eta, double etaScale,
                       int batch, double eps, long seed, double phase1Threshold, String kernel, String precision) {
        this(gammas, ds, vanilla, steps, seeds, eta, etaScale, batch, eps, seed, phase1Threshold, kernel, precision, null);
    }

    /** True when the trials run today's [LY17] path. */
    public boolean isLy17() {
        return setting == null;
    }

    /**
     * The setting of cell {@code (gamma, d)}: this sweep's setting at dimension {@code d} (same blocks, identity mapping,
     * activation, inputs, labels) with {@code W0} and {@code W*} of spectral norm {@code gamma}; the student is vanilla when
     * {@link #vanilla} (the teacher stays identity-mapped).
     */
    public Setting settingAt(double gamma, int d) {
        Setting s = setting == null ? Setting.ly17(d, gamma) : setting;
        return s.withArchitecture(new Architecture(d, s.architecture().blocks(), s.architecture().identity() && !vanilla))
                .withInit(new Init.SpectralNorm(gamma));
    }

    /** A copy under another setting. */
    public SweepConfig withSetting(Setting s) {
        return new SweepConfig(gammas, ds, vanilla, steps, seeds, eta, etaScale, batch, eps, seed, phase1Threshold, kernel,
                precision, s);
    }

    @Override
    public double[] gammas() {
        return gammas.clone();
    }

    @Override
    public int[] ds() {
        return ds.clone();
    }

    /** Step size of column {@code d}. */
    public double etaFor(int d) {
        return Double.isNaN(eta) ? etaScale / d : eta;
    }

    public int cells() {
        return gammas.length * ds.length;
    }

    /** Cell index {@code c = gammaIndex * |ds| + dIndex} (row-major: rows gamma, columns d). */
    public int cellIndex(int gammaIndex, int dIndex) {
        return gammaIndex * ds.length + dIndex;
    }

    /** How the step size is chosen, in words. */
    public String etaRule() {
        return Double.isNaN(eta) ? "eta = " + Table.num(etaScale) + " / d" : "eta = " + Table.num(eta) + " (all d)";
    }

    public ObjectNode toJson() {
        ObjectNode o = Json.MAPPER.createObjectNode();
        ArrayNode g = o.putArray("gammas");
        for (double v : gammas) {
            g.add(v);
        }
        ArrayNode d = o.putArray("d");
        for (int v : ds) {
            d.add(v);
        }
        o.put("student", vanilla ? "vanilla" : "identity");
        o.put("steps", steps);
        o.put("seeds", seeds);
        if (Double.isNaN(eta)) {
            o.putNull("eta");
        } else {
            o.put("eta", eta);
        }
        if (Double.isNaN(eta)) {
            o.put("eta_scale", etaScale);
        } else {
            o.putNull("eta_scale");
        }
        o.put("eta_rule", etaRule());
        o.put("batch", batch);
        o.put("eps", eps);
        o.put("seed", seed);
        o.put("phase1_threshold", phase1Threshold);
        o.put("kernel", kernel);
        o.put("precision", precision);
        if (setting != null) {
            o.set("setting", ResultJson.normalise(SettingJson.toJson(setting)));
            o.put("setting_label", Applicability.label(setting));
        }
        return o;
    }

    /**
     * Parses {@code A:B:N} ({@code N} evenly spaced values from {@code A} to {@code B}, both included)
     * or a single value {@code G}.
     */
    public static double[] parseGammaGrid(String spec) {
        String what = "--gamma '" + spec + "'";
        String expected = "expected A:B:N with 0 < A <= B <= " + Table.num(MAX_GAMMA) + " and 1 <= N <= " + MAX_GAMMAS
                + " (N = 1 needs A = B), or a single value G > 0, e.g. 0.1:1.5:5";
        if (spec == null || spec.isBlank()) {
            throw new UsageException(what + ": " + expected);
        }
        String[] parts = spec.trim().split(":", -1);
        if (parts.length == 1) {
            double g = number(parts[0], what, expected);
            checkGamma(g, what, expected);
            return new double[] {g};
        }
        if (parts.length != 3) {
            throw new UsageException(what + ": " + expected);
        }
        double a = number(parts[0], what, expected);
        double b = number(parts[1], what, expected);
        int n;
        try {
            n = Integer.parseInt(parts[2].trim());
        } catch (NumberFormatException e) {
            throw new UsageException(what + ": N = '" + parts[2] + "' is not an integer; " + expected);
        }
        checkGamma(a, what, expected);
        checkGamma(b, what, expected);
        if (n < 1 || n > MAX_GAMMAS) {
            throw new UsageException(what + ": N = " + n + "; " + expected);
        }
        if (a > b) {
            throw new UsageException(what + ": A = " + Table.num(a) + " > B = " + Table.num(b) + "; " + expected);
        }
        if (n == 1 && a != b) {
            throw new UsageException(what + ": N = 1 but A != B; " + expected);
        }
        if (n > 1 && a == b) {
            throw new UsageException(what + ": A = B with N = " + n + " would repeat one value; " + expected);
        }
        if (n == 1) {
            return new double[] {a};
        }
        double[] g = new double[n];
        for (int i = 0; i < n; i++) {
            // weighted mean of the ends: both ends exact, and round grid values print as such (0.8, not 0.7999999999999999)
            g[i] = (a * (n - 1 - i) + b * i) / (n - 1);
        }
        return g;
    }

    private static void checkGamma(double g, String what, String expected) {
        if (!(g > 0) || g > MAX_GAMMA) {
            throw new UsageException(what + ": gamma = " + g + " is out of range; " + expected);
        }
    }

    private static double number(String s, String what, String expected) {
        try {
            double v = Double.parseDouble(s.trim());
            if (!Double.isFinite(v)) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new UsageException(what + ": '" + s + "' is not a finite number; " + expected);
        }
    }

    /** Parses a comma-separated list of distinct dimensions {@code 1 <= d <= MAX_D}. */
    public static int[] parseDimensions(String spec) {
        String what = "--d '" + spec + "'";
        String expected = "expected a comma-separated list of distinct integers 1 <= d <= " + MAX_D + ", e.g. 4,8,16";
        if (spec == null || spec.isBlank()) {
            throw new UsageException(what + ": empty list; " + expected);
        }
        String[] parts = spec.split(",", -1);
        int[] ds = new int[parts.length];
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i].trim();
            int d;
            try {
                d = Integer.parseInt(p);
            } catch (NumberFormatException e) {
                throw new UsageException(what + ": '" + p + "' is not an integer; " + expected);
            }
            if (d < 1 || d > MAX_D) {
                throw new UsageException(what + ": d = " + d + " is out of range; " + expected);
            }
            if (!seen.add(d)) {
                throw new UsageException(what + ": d = " + d + " is listed twice; " + expected);
            }
            ds[i] = d;
        }
        return ds;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "SweepConfig{gammas=%s, d=%s, %s, T=%d, K=%d, %s, B=%d, eps=%s, seed=%d}",
                Arrays.toString(gammas), Arrays.toString(ds), vanilla ? "vanilla" : "identity", steps, seeds, etaRule(),
                batch, eps, seed);
    }
}
