package io.idrelu.setting.reference;

import io.idrelu.setting.Activation;
import io.idrelu.setting.Architecture;
import io.idrelu.setting.InputSampler;
import io.idrelu.setting.InputLaw;
import io.idrelu.setting.Init;
import io.idrelu.setting.Setting;
import io.idrelu.setting.SettingProblem;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The K-block reference (proofs-notes/settings.md section 6): gradients against central differences of the loss,
 * exactly in the interior of linear regions for piecewise-linear activations, at high precision for smooth ones;
 * the smooth activations' precision ladder; each with a negative control.
 */
class ExactNetworkTest {
    private static final MathContext MC = new MathContext(80, RoundingMode.HALF_EVEN);

    private static SettingProblem problem(int d, int blocks, Activation act, long seed) {
        Setting s = Setting.ly17(d).withArchitecture(new Architecture(d, blocks, true)).withActivation(act)
                .withInit(new Init.Scaled(0.6));
        return SettingProblem.random(s, seed);
    }

    /**
     * Piecewise linear: with the activation pattern fixed, {@code f} is linear in each single weight, so the batch loss
     * is a quadratic in it and the central difference {@code (l(w+h) - l(w-h)) / 2h} equals the derivative
     * <em>exactly</em> (h = 2^-30, B = 8: every quotient is exact). The test checks the pattern did not change.
     */
    @Test
    void piecewiseLinearGradientIsTheExactCentralDifference() {
        int checked = 0;
        for (Activation act : List.of(new Activation.Relu(), new Activation.LeakyRelu(0.1), new Activation.LeakyRelu(-0.3))) {
            for (int blocks : new int[] {1, 2, 3}) {
                int d = 3;
                int batch = 8;
                SettingProblem sp = problem(d, blocks, act, 11 + blocks);
                Architecture arch = sp.setting().architecture();
                ExactNetwork net = new ExactNetwork(arch, act, 0);
                BigDecimal[][] x = ExactNetwork.exact(InputSampler.of(new InputLaw.StandardGaussian(), d).stream(5).batch(batch), batch, d);
                List<BigDecimal[][]> w = ExactNetwork.exact(sp.w0(), d);
                List<BigDecimal[][]> ws = ExactNetwork.exact(sp.wStar(), d);
                NetworkValues v = net.evaluate(w, ws, x, null);
                BigDecimal h = BigDecimal.ONE.divide(BigDecimal.valueOf(1L << 30));
                for (int k = 1; k <= blocks; k++) {
                    BigDecimal[][] g = v.gradient(k, null);
                    for (int r = 0; r < d; r++) {
                        for (int j = 0; j < d; j++) {
                            NetworkValues plus = net.evaluate(shift(w, k, r, j, h), ws, x, null);
                            NetworkValues minus = net.evaluate(shift(w, k, r, j, h.negate()), ws, x, null);
                            if (!samePattern(v, plus) || !samePattern(v, minus)) {
                                continue;
                            }
                            BigDecimal fd = plus.loss(null).subtract(minus.loss(null)).divide(h.multiply(BigDecimal.valueOf(2)));
                            assertThat(fd).as(act + " K=" + blocks + " W_" + k + "[" + r + "][" + j + "]").isEqualByComparingTo(g[r][j]);
                            checked++;
                        }
                    }
                }
            }
        }
        assertThat(checked).as("entries checked in the interior of their linear region").isGreaterThan(100);
    }

    /** Negative control: a wrong leaky slope in the reference's derivative breaks the exact central difference. */
    @Test
    void aWrongDerivativeFailsTheCentralDifference() {
        int d = 3;
        int batch = 8;
        Activation act = new Activation.LeakyRelu(0.1);
        SettingProblem sp = problem(d, 2, act, 13);
        Architecture arch = sp.setting().architecture();
        BigDecimal[][] x = ExactNetwork.exact(InputSampler.of(new InputLaw.StandardGaussian(), d).stream(5).batch(batch), batch, d);
        List<BigDecimal[][]> w = ExactNetwork.exact(sp.w0(), d);
        List<BigDecimal[][]> ws = ExactNetwork.exact(sp.wStar(), d);
        // the loss from the true network, the gradient from a network with another slope
        ExactNetwork good = new ExactNetwork(arch, act, 0);
        ExactNetwork wrong = new ExactNetwork(arch, new Activation.LeakyRelu(0.2), 0);
        BigDecimal h = BigDecimal.ONE.divide(BigDecimal.valueOf(1L << 30));
        BigDecimal fd = good.evaluate(shift(w, 1, 0, 0, h), ws, x, null).loss(null)
                .subtract(good.evaluate(shift(w, 1, 0, 0, h.negate()), ws, x, null).loss(null)).divide(h.multiply(BigDecimal.valueOf(2)));
        assertThat(fd).isNotEqualByComparingTo(wrong.evaluate(w, ws, x, null).gradient(1, null)[0][0]);
    }

    /**
     * Smooth activations: gradient at 60 digits against the central difference of the 60-digit loss with
     * {@code h = 10^-18}: truncation {@code h^2 |l'''| / 6} and rounding {@code 10^-60 (1 + |l|) / h} are both below
     * {@code 10^-30} for these sizes ({@code |l'''| < 10^4}), so the tolerance is {@code 10^-30 (1 + |g|)}; a derivative
     * off by one part in 10^20 would fail.
     */
    @Test
    void smoothGradientMatchesHighPrecisionCentralDifference() {
        BigDecimal h = BigDecimal.ONE.movePointLeft(18);
        BigDecimal tol = BigDecimal.ONE.movePointLeft(30);
        int checked = 0;
        for (Activation act : List.of(new Activation.Softplus(1.5), new Activation.Gelu())) {
            for (int blocks : new int[] {1, 2}) {
                int d = 2;
                int batch = 4;
                SettingProblem sp = problem(d, blocks, act, 21 + blocks);
                ExactNetwork net = new ExactNetwork(sp.setting().architecture(), act, 60);
                BigDecimal[][] x = ExactNetwork.exact(InputSampler.of(new InputLaw.StandardGaussian(), d).stream(9).batch(batch), batch, d);
                List<BigDecimal[][]> w = ExactNetwork.exact(sp.w0(), d);
                List<BigDecimal[][]> ws = ExactNetwork.exact(sp.wStar(), d);
                NetworkValues v = net.evaluate(w, ws, x, null);
                for (int k = 1; k <= blocks; k++) {
                    BigDecimal[][] g = v.gradient(k, MC);
                    for (int r = 0; r < d; r++) {
                        for (int j = 0; j < d; j++) {
                            BigDecimal fd = net.evaluate(shift(w, k, r, j, h), ws, x, null).loss(MC)
                                    .subtract(net.evaluate(shift(w, k, r, j, h.negate()), ws, x, null).loss(MC))
                                    .divide(h.multiply(BigDecimal.valueOf(2)), MC);
                            BigDecimal err = fd.subtract(g[r][j]).abs();
                            assertThat(err).as(act + " K=" + blocks + " W_" + k + "[" + r + "][" + j + "]")
                                    .isLessThanOrEqualTo(tol.multiply(BigDecimal.ONE.add(g[r][j].abs())));
                            // negative control: a gradient off by 1e-20 relative would be caught
                            BigDecimal off = g[r][j].add(g[r][j].abs().add(BigDecimal.ONE).movePointLeft(20));
                            assertThat(fd.subtract(off).abs()).isGreaterThan(tol.multiply(BigDecimal.ONE.add(g[r][j].abs())));
                            checked++;
                        }
                    }
                }
            }
        }
        assertThat(checked).isEqualTo(2 * (4 + 8));
    }

    /**
     * Precision ladder (DESIGN.md, big-math): results at {@code p} digits against {@code 2p + 20}; the stated bound
     * {@code |v_p - v| <= 10^-p (1 + |v|)} must hold for every returned quantity. Negative control: with the guard
     * digits removed (a network asked for p - 12 digits) the same comparison at 10^-p fails.
     */
    @Test
    void smoothActivationsKeepTheirStatedBound() {
        int p = 20;
        for (Activation act : List.of(new Activation.Softplus(1.0), new Activation.Softplus(4.0), new Activation.Gelu())) {
            for (int blocks : new int[] {1, 3}) {
                int d = 3;
                int batch = 5;
                SettingProblem sp = problem(d, blocks, act, 31 + blocks);
                BigDecimal[][] x = ExactNetwork.exact(InputSampler.of(new InputLaw.StandardGaussian(), d).stream(3).batch(batch), batch, d);
                List<BigDecimal[][]> w = ExactNetwork.exact(sp.w0(), d);
                List<BigDecimal[][]> ws = ExactNetwork.exact(sp.wStar(), d);
                Architecture arch = sp.setting().architecture();
                NetworkValues lo = new ExactNetwork(arch, act, p).evaluate(w, ws, x, null);
                NetworkValues hi = new ExactNetwork(arch, act, 2 * p + 20).evaluate(w, ws, x, null);
                NetworkValues crude = new ExactNetwork(arch, act, p - 12 - ExactNetwork.GUARD_PER_BLOCK * blocks).evaluate(w, ws, x, null);
                BigDecimal unit = BigDecimal.ONE.movePointLeft(p);
                List<BigDecimal[]> pairsLo = flatten(lo);
                List<BigDecimal[]> pairsHi = flatten(hi);
                List<BigDecimal[]> pairsCrude = flatten(crude);
                BigDecimal worstCrude = BigDecimal.ZERO;
                for (int i = 0; i < pairsLo.size(); i++) {
                    for (int e = 0; e < pairsLo.get(i).length; e++) {
                        BigDecimal truth = pairsHi.get(i)[e];
                        BigDecimal allowed = unit.multiply(BigDecimal.ONE.add(truth.abs()));
                        assertThat(pairsLo.get(i)[e].subtract(truth).abs()).as(act + " K=" + blocks + " item " + i + "." + e).isLessThanOrEqualTo(allowed);
                        BigDecimal rc = pairsCrude.get(i)[e].subtract(truth).abs().divide(allowed, MC);
                        worstCrude = worstCrude.max(rc);
                    }
                }
                assertThat(worstCrude).as("negative control: without guard digits " + act + " K=" + blocks).isGreaterThan(BigDecimal.ONE);
            }
        }
    }

    private static List<BigDecimal[]> flatten(NetworkValues v) {
        List<BigDecimal[]> out = new ArrayList<>();
        out.add(v.outputs());
        out.add(v.residuals());
        out.add(new BigDecimal[] {v.sumOfSquares()});
        for (BigDecimal[][] s : v.gradientSums()) {
            for (BigDecimal[] row : s) {
                out.add(row);
            }
        }
        return out;
    }

    private static List<BigDecimal[][]> shift(List<BigDecimal[][]> w, int k, int r, int j, BigDecimal h) {
        List<BigDecimal[][]> out = new ArrayList<>();
        for (int i = 0; i < w.size(); i++) {
            BigDecimal[][] m = new BigDecimal[w.get(i).length][];
            for (int a = 0; a < m.length; a++) {
                m[a] = w.get(i)[a].clone();
            }
            if (i == k - 1) {
                m[r][j] = m[r][j].add(h);
            }
            out.add(m);
        }
        return out;
    }

    private static boolean samePattern(NetworkValues a, NetworkValues b) {
        for (int k = 0; k < a.preActivations().size(); k++) {
            BigDecimal[][] ha = a.preActivations().get(k);
            BigDecimal[][] hb = b.preActivations().get(k);
            for (int bb = 0; bb < ha.length; bb++) {
                for (int j = 0; j < ha[bb].length; j++) {
                    if (ha[bb][j].signum() != hb[bb][j].signum()) {
                        return false;
                    }
                }
            }
        }
        return true;
    }
}
