package io.idrelu.setting;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Input laws (proofs-notes/settings.md section 3): reproducible from (law, seed), and the stated moments
 * {@code E x = 0}, {@code E x x^T = I} (or Sigma) hold within 5 standard errors (estimated from the same sample) for
 * every entry, at a fixed seed; a negative control with a mis-scaled law fails the same check.
 */
class InputSamplerTest {
    private static final int N = 40_000;
    private static final double Z = 5;

    @Test
    void reproducibleBySeedAndSecondMomentsAsStated() {
        int d = 3;
        double[][] sigma = {{2, 0.6, 0}, {0.6, 1, -0.3}, {0, -0.3, 0.5}};
        List<InputLaw> laws = List.of(new InputLaw.StandardGaussian(), new InputLaw.GaussianCov(sigma), new InputLaw.StudentT(6),
                new InputLaw.Rademacher(), new InputLaw.Sphere());
        for (InputLaw law : laws) {
            InputSampler s = InputSampler.of(law, d);
            assertThat(s.stream(42).batch(5)).isEqualTo(s.stream(42).batch(5));
            assertThat(s.stream(42).batch(5)).isNotEqualTo(s.stream(43).batch(5));
            double[] x = s.stream(7).batch(N);
            double[][] target = law instanceof InputLaw.GaussianCov ? sigma : identity(d);
            assertThat(moments(x, d, target)).as(law.kind()).isLessThanOrEqualTo(Z);
        }
        // negative control: a Student-t without the unit-variance scaling (variance nu/(nu-2) = 1.5) fails
        double[] x = InputSampler.of(new InputLaw.StudentT(6), d).stream(7).batch(N);
        double f = Math.sqrt(6.0 / 4.0);
        for (int i = 0; i < x.length; i++) {
            x[i] *= f;
        }
        assertThat(moments(x, d, identity(d))).isGreaterThan(Z);
        // the sphere has radius sqrt(d) exactly (up to rounding)
        double[] sp = InputSampler.of(new InputLaw.Sphere(), d).stream(1).batch(10);
        for (int b = 0; b < 10; b++) {
            double r = 0;
            for (int j = 0; j < d; j++) {
                r += sp[b * d + j] * sp[b * d + j];
            }
            assertThat(r).isCloseTo(d, org.assertj.core.data.Offset.offset(1e-12));
        }
    }

    /** Largest |estimate - target| / standard error over the mean and second-moment entries. */
    private static double moments(double[] x, int d, double[][] target) {
        int n = x.length / d;
        double worst = 0;
        for (int a = 0; a < d; a++) {
            double m = 0;
            double m2 = 0;
            for (int i = 0; i < n; i++) {
                m += x[i * d + a];
                m2 += x[i * d + a] * x[i * d + a];
            }
            m /= n;
            double se = Math.sqrt((m2 / n - m * m) / n);
            worst = Math.max(worst, Math.abs(m) / se);
            for (int b = 0; b < d; b++) {
                double s = 0;
                double s2 = 0;
                for (int i = 0; i < n; i++) {
                    double p = x[i * d + a] * x[i * d + b];
                    s += p;
                    s2 += p * p;
                }
                double mean = s / n;
                double var = s2 / n - mean * mean;
                if (var < 1e-24) { // Rademacher diagonal: x_a^2 = 1 exactly
                    worst = Math.max(worst, Math.abs(mean - target[a][b]) > 1e-12 ? Double.POSITIVE_INFINITY : 0);
                    continue;
                }
                worst = Math.max(worst, Math.abs(mean - target[a][b]) / Math.sqrt(var / n));
            }
        }
        return worst;
    }

    private static double[][] identity(int d) {
        double[][] m = new double[d][d];
        for (int i = 0; i < d; i++) {
            m[i][i] = 1;
        }
        return m;
    }
}
