package io.idrelu.claims.setting;

import io.idrelu.model.GaussianSampler;
import io.idrelu.setting.Activation;
import io.idrelu.setting.Architecture;
import io.idrelu.setting.FastValues;
import io.idrelu.setting.NetworkBounds;
import io.idrelu.setting.NetworkKernel;
import io.idrelu.setting.Setting;
import io.idrelu.setting.SettingProblem;
import io.idrelu.setting.reference.ExactNetwork;
import io.idrelu.setting.reference.NetworkValues;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link DeepStepBound} on small random deep nets (K = 2, 3; ReLU and leaky ReLU; d = 2, 3), against the exact network
 * ({@link ExactNetwork}, BigDecimal) at points {@code W} with {@code ||W - A||_F <= e}:
 * <ul>
 *   <li>pattern: a unit declared certain never changes piece at any such {@code W} (radii up to 0.3, so many units
 *       are near the kink and uncertain; coverage asserted: uncertain units that really change piece occur);</li>
 *   <li>Hessian: where the pattern is certain, {@code f} is a polynomial of degree {@code K <= 3} along a line, so the
 *       exact central second difference is {@code Delta^T Hess f Delta} exactly; it must not exceed the bound
 *       {@code H_b}, at {@code A} and at a point inside the ball;</li>
 *   <li>jump cost: for a sample with an uncertain unit, {@code |r(A)||grad f(A)| + |r(W)||grad f(W)|} (exact gradient sums
 *       of a batch of one) must not exceed {@link DeepStepBound#jumpCost}.</li>
 * </ul>
 * Negative controls (a test that cannot fail is a defect): the pattern decision without its segment term
 * ({@code T = 0}: only the A1 error {@code E_h}) declares a unit certain that does change piece; the Hessian bound
 * divided by {@link #TOO_SMALL} (a wrong constant) is exceeded by an observed second derivative, the jump cost divided by
 * {@link #TOO_SMALL_JUMP} by an observed cost.
 */
class DeepStepBoundTest {

    /** The wrong constant of the Hessian control: the largest observed/bound ratio exceeds 1/4 (measured 0.39). */
    private static final double TOO_SMALL = 4;

    /** The wrong constant of the jump-cost control: a cost 10% too small fails (measured worst ratio 0.954). */
    private static final double TOO_SMALL_JUMP = 1.1;

    private static final MathContext MC = new MathContext(60);

    @Test
    void patternDecisionAndHessianBoundHoldAndCanFail() {
        long certainChecked = 0;
        long uncertainThatFlipped = 0;
        long flipsMissedWithoutSegmentTerm = 0;
        long hessChecked = 0;
        double worstHessRatio = 0;
        long jumpChecked = 0;
        double worstJumpRatio = 0;
        NetworkKernel kernel = new NetworkKernel();
        for (Activation act : List.of(new Activation.Relu(), new Activation.LeakyRelu(0.1))) {
            for (int k = 2; k <= 3; k++) {
                for (int d = 2; d <= 3; d++) {
                    Architecture arch = new Architecture(d, k, true);
                    Setting s = Setting.ly17(d).withArchitecture(arch).withActivation(act);
                    ExactNetwork exactNet = new ExactNetwork(arch, act, 30);
                    for (long seed = 0; seed < 12; seed++) {
                        SettingProblem p = SettingProblem.random(s, seed);
                        GaussianSampler g = new GaussianSampler(GaussianSampler.trialSeed(seed, 91 + k * 7L + d));
                        int batch = 4;
                        double[] x = g.batch(batch, d);
                        List<double[]> a = p.w0();
                        FastValues v = kernel.evaluate(arch, act, a, p.wStar(), x, batch, null);
                        NetworkBounds nb = new NetworkBounds(arch, act, a, p.wStar(), v, null);
                        BigDecimal[][] xe = ExactNetwork.exact(x, batch, d);
                        List<BigDecimal[][]> ws = ExactNetwork.exact(p.wStar(), d);
                        for (double e : new double[] {1e-3, 0.05, 0.3}) {
                            double[] uNorm = SettingTrajectoryAudit.blockNorms(arch, a, e);
                            List<double[]> dir = unit(g, k, d);
                            List<double[]> dir2 = unit(g, k, d);
                            // points of the ball: A + t dir (pattern; 0.99 e: the direction is normalised in double), and the second differences around A and
                            // around A + 0.5 e dir2 with step 0.4 e (all within 0.9 e of A)
                            List<List<BigDecimal[][]>> points = new ArrayList<>();
                            for (double t : new double[] {0.99 * e, -0.99 * e, 0.5 * e, -0.25 * e}) {
                                points.add(shifted(a, List.of(dir), new double[] {t}, d));
                            }
                            List<NetworkValues> vals = new ArrayList<>();
                            for (List<BigDecimal[][]> w : points) {
                                vals.add(exactNet.evaluate(w, ws, xe, null));
                            }
                            double tau = 0.4 * e;
                            double[][] shifts = {{0, tau}, {0, 0}, {0, -tau}, {0.5 * e, tau}, {0.5 * e, 0}, {0.5 * e, -tau}};
                            List<NetworkValues> line = new ArrayList<>();
                            for (double[] sh : shifts) {
                                line.add(exactNet.evaluate(shifted(a, List.of(dir2, dir), sh, d), ws, xe, null));
                            }
                            for (int b = 0; b < batch; b++) {
                                double xn = SettingTrajectoryAudit.rowNorm(x, b, d);
                                SettingTrajectoryAudit.Ball ball = SettingTrajectoryAudit.ball(arch, act, uNorm, xn);
                                boolean[][] certain = DeepStepBound.certainUnits(act, true, d, k, a, v, nb, ball, xn, b, e);
                                boolean allCertain = true;
                                for (int kk = 1; kk <= k; kk++) {
                                    double[] h = v.h().get(kk - 1);
                                    for (int j = 0; j < d; j++) {
                                        boolean pos = h[b * d + j] > 0;
                                        boolean flips = false;
                                        for (NetworkValues nv : vals) {
                                            flips |= (nv.preActivations().get(kk - 1)[b][j].signum() > 0) != pos;
                                        }
                                        for (NetworkValues nv : line) {
                                            flips |= (nv.preActivations().get(kk - 1)[b][j].signum() > 0) != pos;
                                        }
                                        if (certain[kk - 1][j]) {
                                            certainChecked++;
                                            assertThat(flips).as("certain unit k=%d j=%d changed piece (%s d=%d seed %d e=%g b=%d)",
                                                    kk, j, act, d, seed, e, b).isFalse();
                                        } else {
                                            allCertain = false;
                                            if (flips) {
                                                uncertainThatFlipped++;
                                                // the decision without the segment term T (only E_h) calls it certain
                                                if (NetworkBounds.pieceKnown(h[b * d + j], nb.preActivation(kk, b, j))) {
                                                    flipsMissedWithoutSegmentTerm++;
                                                }
                                            }
                                        }
                                    }
                                }
                                if (!allCertain) {
                                    // a jump sample: |r(A)||grad f(A)| + |r(W)||grad f(W)| <= jumpCost, W in the ball
                                    // (per sample r grad f = S_k, the exact gradient sums of a batch of one)
                                    double resSup = (Math.abs(v.residuals()[b]) + nb.residual(b) + e * ball.g1()) * (1 + 1e-12);
                                    double cost = DeepStepBound.jumpCost(act, true, d, k, a, v, nb, ball, xn, b, e, certain, resSup);
                                    BigDecimal[][] xb = {xe[b]};
                                    double atA = frob(exactNet.evaluate(ExactNetwork.exact(a, d), ws, xb, null));
                                    for (List<BigDecimal[][]> wp : points) {
                                        double obs = atA + frob(exactNet.evaluate(wp, ws, xb, null));
                                        jumpChecked++;
                                        assertThat(obs).as("jump cost (%s K=%d d=%d seed %d e=%g b=%d)", act, k, d, seed, e, b)
                                                .isLessThanOrEqualTo(cost);
                                        worstJumpRatio = Math.max(worstJumpRatio, obs / cost);
                                    }
                                    continue;
                                }
                                double hb = DeepStepBound.hessian(act, d, k, v, nb, uNorm, ball, xn, b, e);
                                for (int c = 0; c < 2; c++) {
                                    BigDecimal second = line.get(3 * c).outputs()[b]
                                            .subtract(line.get(3 * c + 1).outputs()[b].multiply(BigDecimal.valueOf(2)))
                                            .add(line.get(3 * c + 2).outputs()[b])
                                            .divide(new BigDecimal(tau).pow(2), MC);
                                    double obs = Math.abs(second.doubleValue());
                                    hessChecked++;
                                    assertThat(obs).as("f'' along a unit direction vs H_b (%s K=%d d=%d seed %d e=%g b=%d)",
                                            act, k, d, seed, e, b).isLessThanOrEqualTo(hb);
                                    if (hb > 0) { // hb = 0 (a dead net: f constant) was asserted as obs = 0
                                        worstHessRatio = Math.max(worstHessRatio, obs / hb);
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        System.out.printf("DeepStepBound: %d certain units checked, %d uncertain units changed piece (%d of them with"
                        + " E_h alone), %d second derivatives, worst f''/H_b = %.3f%n", certainChecked,
                uncertainThatFlipped, flipsMissedWithoutSegmentTerm, hessChecked, worstHessRatio);
        // coverage: near-kink units occur and really change piece; fixed-pattern samples are checked
        assertThat(certainChecked).isGreaterThan(1000);
        assertThat(uncertainThatFlipped).isGreaterThan(20);
        assertThat(hessChecked).isGreaterThan(100);
        // negative controls: without the segment term the decision is wrong; a Hessian bound TOO_SMALL times smaller fails
        assertThat(flipsMissedWithoutSegmentTerm).isPositive();
        assertThat(worstHessRatio).isFinite();
        System.out.printf("DeepStepBound jump cost: %d checked, worst ratio %.3f%n", jumpChecked, worstJumpRatio);
        assertThat(jumpChecked).isGreaterThan(100);
        assertThat(worstJumpRatio * TOO_SMALL_JUMP).isGreaterThan(1);
        assertThat(worstHessRatio * TOO_SMALL).isGreaterThan(1);
    }

    /**
     * A void envelope stays a bound: with {@code e = +inf} (or a huge {@code e}, where the realised terms overflow to
     * {@code inf * 0 = NaN}) the step terms are +inf or finite, never NaN (found at DEFAULT, seeds 1 and 42: a NaN
     * envelope made {@code obs <= e} false, and the claim said VIOLATED for a trajectory whose envelope was void).
     */
    @Test
    void aVoidEnvelopeNeverBecomesNaN() {
        assertThat(SettingTrajectoryAudit.tighter(1.0, Double.NaN)).isEqualTo(1.0);
        assertThat(SettingTrajectoryAudit.tighter(1.0, 0.5)).isEqualTo(0.5);
        Architecture arch = new Architecture(3, 3, true);
        Activation act = new Activation.Relu();
        Setting s = Setting.ly17(3).withArchitecture(arch);
        SettingProblem p = SettingProblem.random(s, 3L);
        double[] x = new GaussianSampler(5L).batch(4, 3);
        FastValues v = new NetworkKernel().evaluate(arch, act, p.w0(), p.wStar(), x, 4, null);
        NetworkBounds nb = new NetworkBounds(arch, act, p.w0(), p.wStar(), v, null);
        for (double e : new double[] {Double.POSITIVE_INFINITY, 1e300, 1e200}) {
            var sb = SettingTrajectoryAudit.stepBound(arch, act, p.w0(), p.w0(), v, nb, x, 4, 0.01, e, (b, j) -> 1);
            assertThat(sb.amp()).as("amp at e = %g", e).isNotNaN();
            assertThat(sb.jump()).as("jump at e = %g", e).isNotNaN();
        }
    }

    /** {@code ||(S_1, ..., S_K)||_F} of a batch of one: {@code |r| |grad f|}. */
    private static double frob(NetworkValues nv) {
        double s2 = 0;
        for (BigDecimal[][] m : nv.gradientSums()) {
            for (BigDecimal[] row : m) {
                for (BigDecimal q : row) {
                    s2 += q.doubleValue() * q.doubleValue();
                }
            }
        }
        return Math.sqrt(s2);
    }

    /** A direction of Frobenius norm 1 over all blocks. */
    private static List<double[]> unit(GaussianSampler g, int k, int d) {
        List<double[]> out = new ArrayList<>();
        double n2 = 0;
        for (int i = 0; i < k; i++) {
            double[] m = g.batch(d, d);
            for (double q : m) {
                n2 += q * q;
            }
            out.add(m);
        }
        double n = Math.sqrt(n2);
        for (double[] m : out) {
            for (int i = 0; i < m.length; i++) {
                m[i] /= n;
            }
        }
        return out;
    }

    /** {@code A + sum_i t_i dir_i}, exact in BigDecimal (the directions' entries and the {@code t_i} as doubles). */
    private static List<BigDecimal[][]> shifted(List<double[]> a, List<List<double[]>> dirs, double[] t, int d) {
        List<BigDecimal[][]> out = ExactNetwork.exact(a, d);
        for (int q = 0; q < dirs.size(); q++) {
            BigDecimal tq = new BigDecimal(t[q]);
            for (int k = 0; k < a.size(); k++) {
                double[] m = dirs.get(q).get(k);
                for (int i = 0; i < d * d; i++) {
                    out.get(k)[i / d][i % d] = out.get(k)[i / d][i % d].add(tq.multiply(new BigDecimal(m[i])));
                }
            }
        }
        return out;
    }
}
