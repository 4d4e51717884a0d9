package io.idrelu.setting.reference;

import io.idrelu.reference.PopulationReference;
import io.idrelu.setting.Activation;
import io.idrelu.setting.Architecture;
import io.idrelu.setting.InputLaw;
import io.idrelu.setting.InputSampler;
import io.idrelu.setting.Init;
import io.idrelu.setting.LabelModel;
import io.idrelu.setting.MonteCarloPopulation;
import io.idrelu.setting.Setting;
import io.idrelu.setting.SettingProblem;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Population quantities per setting (proofs-notes/settings.md section 7): each closed form / exact enumeration against
 * a Monte Carlo interval of {@code Z = 4.5} standard errors (two-sided level 1 - 6.8e-6 per check, fixed seeds), and a
 * wrong formula that the same interval must reject; the leaky decomposition against today's closed form.
 */
class SettingPopulationTest {
    private static final double Z = 4.5;
    private static final int DIGITS = 30;
    private static final MathContext MC = new MathContext(40, RoundingMode.HALF_EVEN);

    private static SettingProblem problem(Setting s, long seed) {
        return SettingProblem.random(s, seed);
    }

    private static MonteCarloPopulation mc(Setting s, SettingProblem p, long seed) {
        return MonteCarloPopulation.estimate(s, InputSampler.of(s.inputs(), s.d()), p.w0(), p.wStar(), seed, 200, 1000);
    }

    @Test
    void leakyDecompositionWithSlopeZeroIsTodaysClosedForm() {
        int d = 4;
        SettingProblem p = problem(Setting.ly17(d, 0.5), 3);
        List<BigDecimal[][]> w = ExactNetwork.exact(p.w0(), d);
        List<BigDecimal[][]> ws = ExactNetwork.exact(p.wStar(), d);
        for (boolean id : new boolean[] {true, false}) {
            BigDecimal today = new PopulationReference(DIGITS).loss(id, w.get(0), ws.get(0));
            BigDecimal leaky = SettingPopulation.gaussianLeakyLoss(DIGITS, 0.0, id, w.get(0), ws.get(0));
            // both within 10^-p of the scale sum_{k,l} |p_k||p_l| <= (2 d max|p|)^2 ~ 100 here
            assertThat(leaky.subtract(today).abs()).isLessThan(BigDecimal.ONE.movePointLeft(DIGITS - 3));
        }
        // leaky(t) = relu(t) - a relu(-t), pointwise
        Activation.LeakyRelu l = new Activation.LeakyRelu(0.3);
        for (double t : new double[] {-2, -0.5, 0, 0.25, 3}) {
            assertThat(l.value(t)).isEqualTo(Math.max(t, 0) - 0.3 * Math.max(-t, 0));
        }
    }

    @Test
    void leakyClosedFormMatchesMonteCarlo() {
        int d = 4;
        Setting s = Setting.ly17(d, 0.5).withActivation(new Activation.LeakyRelu(0.3));
        SettingProblem p = problem(s, 5);
        BigDecimal closed = SettingPopulation.gaussianLeakyLoss(DIGITS, 0.3, true, ExactNetwork.exact(p.w0(), d).get(0),
                ExactNetwork.exact(p.wStar(), d).get(0));
        MonteCarloPopulation est = mc(s, p, 77);
        assertThat(est.covers(closed.doubleValue(), Z)).as(closed + " vs " + est).isTrue();
        BigDecimal wrong = SettingPopulation.gaussianLeakyLoss(DIGITS, 0.0, true, ExactNetwork.exact(p.w0(), d).get(0),
                ExactNetwork.exact(p.wStar(), d).get(0));
        assertThat(est.covers(wrong.doubleValue(), Z)).as("negative control: slope 0 instead of 0.3").isFalse();
        // with label noise the Monte Carlo mean moves by sigma^2 and still covers
        Setting noisy = s.withLabels(new LabelModel.GaussianNoise(0.5));
        MonteCarloPopulation en = mc(noisy, p, 78);
        assertThat(en.covers(SettingPopulation.withNoise(closed, 0.5).doubleValue(), Z)).as(en.toString()).isTrue();
        assertThat(en.covers(closed.doubleValue(), Z)).as("negative control: noise ignored").isFalse();
    }

    /**
     * Leaky gradient = derivative of the leaky closed-form loss (central differences, h = 1e-12, 30 digits: tolerance
     * 1e-15 as below); with a = 0 it is today's closed-form gradient; a wrong sign of the {@code a} term fails.
     */
    @Test
    void leakyGradientIsTheDerivativeOfItsLoss() {
        int d = 3;
        SettingProblem p = problem(Setting.ly17(d, 0.5), 6);
        BigDecimal[][] w = ExactNetwork.exact(p.w0(), d).get(0);
        BigDecimal[][] ws = ExactNetwork.exact(p.wStar(), d).get(0);
        BigDecimal h = BigDecimal.ONE.movePointLeft(12);
        BigDecimal tol = new BigDecimal("1e-15");
        for (boolean id : new boolean[] {true, false}) {
            BigDecimal[][] g = SettingPopulation.gaussianLeakyGradient(DIGITS, 0.3, id, w, ws);
            BigDecimal[][] wrong = SettingPopulation.gaussianLeakyGradient(DIGITS, -0.3, id, w, ws);
            BigDecimal[][] g0 = SettingPopulation.gaussianLeakyGradient(DIGITS, 0.0, id, w, ws);
            BigDecimal[][] today = new PopulationReference(DIGITS).gradient(id, w, ws);
            int wrongCaught = 0;
            for (int r = 0; r < d; r++) {
                for (int j = 0; j < d; j++) {
                    BigDecimal fd = SettingPopulation.gaussianLeakyLoss(DIGITS, 0.3, id, shift(w, r, j, h), ws)
                            .subtract(SettingPopulation.gaussianLeakyLoss(DIGITS, 0.3, id, shift(w, r, j, h.negate()), ws))
                            .divide(h.multiply(BigDecimal.valueOf(2)), MC);
                    assertThat(fd.subtract(g[r][j]).abs()).as("identity " + id + " [" + r + "][" + j + "]").isLessThan(tol);
                    assertThat(g0[r][j].subtract(today[r][j]).abs()).isLessThan(BigDecimal.ONE.movePointLeft(DIGITS - 3));
                    if (fd.subtract(wrong[r][j]).abs().compareTo(tol) > 0) {
                        wrongCaught++;
                    }
                }
            }
            assertThat(wrongCaught).as("negative control: slope -0.3 in the gradient").isGreaterThan(0);
        }
    }

    @Test
    void gaussianCovarianceByTransformationMatchesMonteCarloAndItsDerivative() {
        int d = 3;
        double[][] sigma = {{2, 0.6, 0}, {0.6, 1, -0.3}, {0, -0.3, 0.5}};
        Setting s = Setting.ly17(d, 0.5).withInputs(new InputLaw.GaussianCov(sigma));
        SettingProblem p = problem(s, 8);
        double[] chol = InputSampler.cholesky(sigma, d);
        BigDecimal[][] w = ExactNetwork.exact(p.w0(), d).get(0);
        BigDecimal[][] ws = ExactNetwork.exact(p.wStar(), d).get(0);
        BigDecimal closed = SettingPopulation.gaussianCovReluLoss(DIGITS, true, w, ws, chol);
        MonteCarloPopulation est = mc(s, p, 91);
        assertThat(est.covers(closed.doubleValue(), Z)).as(closed + " vs " + est).isTrue();
        BigDecimal identityLaw = new PopulationReference(DIGITS).loss(true, w, ws);
        assertThat(est.covers(identityLaw.doubleValue(), Z)).as("negative control: Sigma ignored").isFalse();
        // gradient = derivative of the closed-form loss: central differences with h = 1e-12 at 30 digits:
        // truncation h^2 |L'''| / 6 < 1e-22, rounding 1e-30 * |L| / h < 1e-17; tolerance 1e-15
        BigDecimal h = BigDecimal.ONE.movePointLeft(12);
        BigDecimal[][] g = SettingPopulation.gaussianCovReluGradient(DIGITS, true, w, ws, chol);
        BigDecimal[][] gNoChain = new PopulationReference(DIGITS).gradient(false, SettingPopulation.transformStudent(true, w, chol),
                SettingPopulation.transformTeacher(ws, chol));
        int differs = 0;
        for (int r = 0; r < d; r++) {
            for (int j = 0; j < d; j++) {
                BigDecimal fd = SettingPopulation.gaussianCovReluLoss(DIGITS, true, shift(w, r, j, h), ws, chol)
                        .subtract(SettingPopulation.gaussianCovReluLoss(DIGITS, true, shift(w, r, j, h.negate()), ws, chol))
                        .divide(h.multiply(BigDecimal.valueOf(2)), MC);
                assertThat(fd.subtract(g[r][j]).abs()).as("[" + r + "][" + j + "]").isLessThan(new BigDecimal("1e-15"));
                if (fd.subtract(gNoChain[r][j]).abs().compareTo(new BigDecimal("1e-15")) > 0) {
                    differs++;
                }
            }
        }
        assertThat(differs).as("negative control: the gradient without the chain rule factor C is wrong").isGreaterThan(0);
    }

    @Test
    void rademacherEnumerationMatchesMonteCarloAtAnyDepth() {
        int d = 4;
        for (Activation act : List.of(new Activation.Relu(), new Activation.LeakyRelu(0.2))) {
            Setting s = Setting.ly17(d).withInputs(new InputLaw.Rademacher()).withActivation(act)
                    .withArchitecture(new Architecture(d, 2, true)).withInit(new Init.Scaled(0.6));
            SettingProblem p = problem(s, 12);
            List<BigDecimal[][]> w = ExactNetwork.exact(p.w0(), d);
            List<BigDecimal[][]> ws = ExactNetwork.exact(p.wStar(), d);
            BigDecimal[][] support = SettingPopulation.rademacherSupport(d);
            NetworkValues all = SettingPopulation.finiteLaw(s.architecture(), act, 0, w, ws, support);
            assertThat(all.quotientsExact()).isTrue();
            BigDecimal exact = all.loss(null);
            MonteCarloPopulation est = mc(s, p, 13);
            assertThat(est.covers(exact.doubleValue(), Z)).as(act + ": " + exact + " vs " + est).isTrue();
            NetworkValues half = SettingPopulation.finiteLaw(s.architecture(), act, 0, w, ws, Arrays.copyOf(support, support.length / 2));
            assertThat(est.covers(half.loss(null).doubleValue(), Z)).as("negative control: half the support").isFalse();
        }
    }

    @Test
    void ly17MonteCarloCoversTodaysClosedForm() {
        int d = 5;
        Setting s = Setting.ly17(d, 0.5);
        SettingProblem p = problem(s, 21);
        BigDecimal closed = new PopulationReference(DIGITS).loss(true, ExactNetwork.exact(p.w0(), d).get(0), ExactNetwork.exact(p.wStar(), d).get(0));
        MonteCarloPopulation est = mc(s, p, 22);
        assertThat(est.covers(closed.doubleValue(), Z)).as(closed + " vs " + est).isTrue();
        assertThat(est.covers(closed.doubleValue() * 1.2, Z)).as("negative control: 20% off").isFalse();
    }

    private static BigDecimal[][] shift(BigDecimal[][] w, int r, int j, BigDecimal h) {
        BigDecimal[][] m = new BigDecimal[w.length][];
        for (int a = 0; a < w.length; a++) {
            m[a] = w[a].clone();
        }
        m[r][j] = m[r][j].add(h);
        return m;
    }
}
