package io.idrelu.setting;

import io.idrelu.setting.reference.SettingPopulation;

/**
 * How a setting's population quantities are computed (proofs-notes/settings.md section 7; issue 11): a closed form
 * ({@link SettingClosedForm}, exact reference {@link SettingPopulation#closedForm}), a finite law computed exactly as one
 * full batch over its support (a data set's rows; Rademacher's {@code 2^d} sign vectors for {@code d <= 16}), or Monte
 * Carlo with a CLT interval ({@link MonteCarloPopulation}) for everything else.
 */
public enum PopulationRoute {
    CLOSED_FORM,
    FINITE_LAW,
    MONTE_CARLO;

    /** The route of {@code s}. */
    public static PopulationRoute of(Setting s) {
        if (SettingClosedForm.unavailable(s).isEmpty()) {
            return CLOSED_FORM;
        }
        if (s.inputs() instanceof InputLaw.DataSet
                || (s.inputs() instanceof InputLaw.Rademacher && s.d() <= SettingPopulation.MAX_RADEMACHER_D)) {
            return FINITE_LAW;
        }
        return MONTE_CARLO;
    }

    /**
     * The support of a finite law as rows {@code x[b*d + r]}: the data set's prepared rows, or all {@code 2^d} sign
     * vectors (in the order of {@link SettingPopulation#rademacherSupport}).
     */
    public static double[] support(Setting s) {
        int d = s.d();
        if (s.inputs() instanceof InputLaw.DataSet ds) {
            return DataSetLoader.load(ds, d).values();
        }
        if (s.inputs() instanceof InputLaw.Rademacher) {
            int n = 1 << d;
            double[] x = new double[n * d];
            for (int i = 0; i < n; i++) {
                for (int r = 0; r < d; r++) {
                    x[i * d + r] = ((i >> r) & 1) == 1 ? 1.0 : -1.0;
                }
            }
            return x;
        }
        throw new IllegalArgumentException("inputs " + s.inputs().kind() + " is not a finite law");
    }
}
