package io.idrelu.claims.setting;

/**
 * The step-size rule of the SGD claims (C10, C13) under a setting whose input law fixes a dimension {@code d} other
 * than the preset's {@code d0} (a data set): one SGD step on a small batch has curvature up to
 * {@code (2/B) sum_b |x_b|^2 |active_b| ~ d^2} (proofs-notes/C10.md, Findings), so {@code eta} scales with
 * {@code (d0/d)^2} when {@code d > d0}, and the number of steps with {@code 1/eta}, keeping {@code eta * steps} (the
 * time of the gradient flow) of the preset. Fixed before any run; {@code d <= d0} keeps the preset's values.
 *
 * @param eta   the step, true units
 * @param steps the number of steps
 */
public record SettingSteps(double eta, int steps) {

    public static SettingSteps of(int d0, double eta0, int steps0, int d) {
        if (d <= d0) {
            return new SettingSteps(eta0, steps0);
        }
        double f = (double) d0 / d;
        double eta = eta0 * f * f;
        return new SettingSteps(eta, (int) Math.ceil(steps0 * eta0 / eta));
    }

    /**
     * Records what ran, the same way in every claim that uses this rule: {@code dRun}, {@code etaRun}, {@code stepsRun}
     * into the replay configuration {@code cfg}; the setting, the dimension (and why, when the law fixed it), the step
     * and the step count into the result's details {@code det}.
     */
    public void record(java.util.Map<String, Object> cfg, java.util.Map<String, Object> det, io.idrelu.setting.Setting s,
                       int d, int d0) {
        cfg.put("dRun", d);
        cfg.put("etaRun", eta);
        cfg.put("stepsRun", steps);
        det.put("setting", A3UnderSetting.describe(s));
        det.put("dimension", d + (d != d0 ? " (fixed by the input law; eta and steps by SettingSteps: eta (d0/d)^2, eta*steps kept)" : ""));
        det.put("eta", eta);
        det.put("steps", steps);
    }
}
