package io.idrelu.claims.setting;

import io.idrelu.model.GaussianSampler;
import io.idrelu.setting.Activation;
import io.idrelu.setting.Architecture;
import io.idrelu.setting.FastValues;
import io.idrelu.setting.NetworkKernel;
import io.idrelu.setting.Setting;
import io.idrelu.setting.SettingProblem;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The a-priori ball bounds of the A3 envelope under a setting ({@link SettingTrajectoryAudit#ball}) against the fast
 * path at perturbed weights: {@code |h_k(A + Delta) - h_k(A)| <= e P_k}, {@code |f(A + Delta) - f(A)| <= e G1} and
 * {@code ||grad f(A + Delta) - grad f(A)|| <= e H} (same pattern, or smooth), {@code ||Delta||_F = e = 1e-3}; and they
 * are not vacuous: the largest observed/bound ratio of {@code G1} exceeds 0.05 (a bound inflated 20x would fail).
 */
class BallBoundsTest {

    @Test
    void boundsHoldAndAreNotVacuous() {
        double e = 1e-3;
        double worstG1 = 0;
        int hessChecked = 0;
        for (Activation act : List.of(new Activation.Relu(), new Activation.LeakyRelu(0.1), new Activation.Gelu(),
                new Activation.Softplus(2))) {
            for (int k = 1; k <= 3; k++) {
                int d = 3;
                Architecture arch = new Architecture(d, k, true);
                Setting s = Setting.ly17(d).withArchitecture(arch).withActivation(act);
                for (long seed = 0; seed < 20; seed++) {
                    SettingProblem p = SettingProblem.random(s, seed);
                    GaussianSampler g = new GaussianSampler(GaussianSampler.trialSeed(seed, 77));
                    double[] x = g.batch(1, d);
                    List<double[]> a = p.w0();
                    List<double[]> delta = new ArrayList<>();
                    double n2 = 0;
                    for (int i = 0; i < k; i++) {
                        double[] dl = g.batch(d, d);
                        for (double v : dl) {
                            n2 += v * v;
                        }
                        delta.add(dl);
                    }
                    List<double[]> b = new ArrayList<>();
                    for (int i = 0; i < k; i++) {
                        double[] m = a.get(i).clone();
                        for (int j = 0; j < d * d; j++) {
                            m[j] += delta.get(i)[j] * e / Math.sqrt(n2);
                        }
                        b.add(m);
                    }
                    // teacher = 0 blocks make r = f(x, W) - f(x, 0), so grad f = g / (2 r) with B = 1
                    List<double[]> zero = new ArrayList<>();
                    for (int i = 0; i < k; i++) {
                        zero.add(new double[d * d]);
                    }
                    NetworkKernel kernel = new NetworkKernel();
                    FastValues va = kernel.evaluate(arch, act, a, zero, x, 1, null);
                    FastValues vb = kernel.evaluate(arch, act, b, zero, x, 1, null);
                    double xn = SettingTrajectoryAudit.rowNorm(x, 0, d);
                    var ball = SettingTrajectoryAudit.ball(arch, act, SettingTrajectoryAudit.blockNorms(arch, a, e), xn);
                    boolean samePattern = true;
                    for (int i = 0; i < k; i++) {
                        for (int j = 0; j < d; j++) {
                            double ha = va.h().get(i)[j];
                            double hb = vb.h().get(i)[j];
                            assertThat(Math.abs(hb - ha)).isLessThanOrEqualTo(e * ball.p()[i] + 1e-13);
                            samePattern &= (ha > 0) == (hb > 0);
                        }
                    }
                    double df = Math.abs(vb.outputs()[0] - va.outputs()[0]);
                    assertThat(df).isLessThanOrEqualTo(e * ball.g1() + 1e-13);
                    worstG1 = Math.max(worstG1, df / (e * ball.g1()));
                    if (act.piecewiseLinear() && !samePattern) {
                        continue;
                    }
                    double ra = va.residuals()[0];
                    double rb = vb.residuals()[0];
                    if (Math.abs(ra) < 1e-3 || Math.abs(rb) < 1e-3) {
                        continue;
                    }
                    double s2 = 0;
                    for (int i = 0; i < k; i++) {
                        for (int j = 0; j < d * d; j++) {
                            double diff = vb.gradients().get(i)[j] / (2 * rb) - va.gradients().get(i)[j] / (2 * ra);
                            s2 += diff * diff;
                        }
                    }
                    assertThat(Math.sqrt(s2)).isLessThanOrEqualTo(e * ball.g2() + 1e-10);
                    hessChecked++;
                }
            }
        }
        System.out.println("ball bounds: worst |df|/(e G1) = " + worstG1 + ", Hessian checks " + hessChecked);
        assertThat(worstG1).isGreaterThan(0.05);
        assertThat(hessChecked).isGreaterThan(100);
    }
}
