package io.idrelu.setting;

import io.idrelu.model.GaussianSampler;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The premise report (proofs-notes/settings.md section 8). On Gaussian data both checks pass at family-wise level
 * alpha = 0.01 per data set, so over 20 fixed seeds we require at least 18 passes (a binomial(20, 0.02) count exceeds
 * 2 with probability 6e-3, and the seeds are fixed, so this cannot flake); heavy-tailed and discrete data must be
 * rejected (negative controls); the shipped wine data is reported as measured.
 */
class PremiseReportTest {

    private static DataMatrix fromLaw(InputLaw law, int n, int d, long seed) {
        double[] x = InputSampler.of(law, d).stream(seed).batch(n);
        List<String> names = new ArrayList<>();
        for (int c = 0; c < d; c++) {
            names.add("x" + (c + 1));
        }
        return new DataMatrix(n, d, x, names);
    }

    @Test
    void gaussianDataPassesAtTheStatedLevel() {
        int pass = 0;
        for (long seed = 1; seed <= 20; seed++) {
            DataMatrix m = fromLaw(new InputLaw.StandardGaussian(), 500, 8, seed);
            PremiseReport r = PremiseReport.of("gaussian", "raw", m, PremiseReport.DEFAULT_ALPHA, PremiseReport.DEFAULT_PAIRS, seed);
            if (r.marginalsConsistentWithStandardNormal() && r.kernelConsistentWithGaussian()) {
                pass++;
            }
        }
        assertThat(pass).isGreaterThanOrEqualTo(18);
        // standardising Gaussian data keeps it consistent (Lilliefors: even more conservative)
        PremiseReport s = PremiseReport.of("gaussian", "standardised", fromLaw(new InputLaw.StandardGaussian(), 500, 8, 3).standardised(),
                0.01, 10, 3);
        assertThat(s.marginalsConsistentWithStandardNormal()).isTrue();
    }

    @Test
    void heavyTailedAndDiscreteDataAreRejected() {
        PremiseReport t = PremiseReport.of("t3", "standardised", fromLaw(new InputLaw.StudentT(3), 4000, 4, 5).standardised(), 0.01, 10, 5);
        assertThat(t.marginalsConsistentWithStandardNormal()).isFalse();
        assertThat(t.maxAbsExcessKurtosis()).isGreaterThan(1);
        PremiseReport r = PremiseReport.of("rademacher", "raw", fromLaw(new InputLaw.Rademacher(), 1000, 4, 5), 0.01, 10, 5);
        assertThat(r.marginalsConsistentWithStandardNormal()).isFalse();
        // a mis-scaled Gaussian (sd 2): the kernel check sees the scale (kappa is 2-homogeneous in x)
        DataMatrix g = fromLaw(new InputLaw.StandardGaussian(), 2000, 4, 6);
        double[] v = g.values();
        for (int i = 0; i < v.length; i++) {
            v[i] *= 2;
        }
        PremiseReport k = PremiseReport.of("scaled", "raw", new DataMatrix(2000, 4, v, g.columns()), 0.01, 10, 6);
        assertThat(k.kernelConsistentWithGaussian()).isFalse();
    }

    @Test
    void shippedWineIsReportedAsMeasured() {
        DataMatrix wine = DataSetLoader.load("classpath:datasets/wine.csv", 13);
        PremiseReport st = PremiseReport.of("wine", "standardised", wine.standardised(), 0.01, 10, 20170524L);
        PremiseReport wh = PremiseReport.of("wine", "whitened", wine.whitened(), 0.01, 10, 20170524L);
        System.out.println("wine standardised: " + st.toJson());
        System.out.println("wine whitened: " + wh.toJson().get("summary") + " " + wh.toJson().get("normality") + " kernel max|z| "
                + wh.maxKernelZ() + " vs " + wh.kernelCriticalZ());
        assertThat(st.columns()).hasSize(13);
        assertThat(st.maxCorrelation()).isGreaterThan(0.8); // flavanoids ~ total_phenols
        assertThat(wh.maxCorrelation()).isLessThan(1e-9);
        assertThat(st.toJson().get("normality").get("column_level").asDouble()).isEqualTo(0.01 / 13);
    }
}
