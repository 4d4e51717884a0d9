package io.idrelu.setting;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.arbitrary;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

/**
 * The kernels take {@code act'(h)} from the forward pass ({@link Activation#valuesAndDerivatives}: GELU's
 * {@code Phi(h)} and softplus's {@code exp(-|b h|)} computed once per unit) instead of calling
 * {@link Activation#derivative} again in the backward. That is a speed change only: the bits must be those of the old
 * formula. Checked two ways, both bit for bit (no tolerance: the same double operations give the same bits):
 * <ul>
 *   <li>{@link Activation#valuesAndDerivatives} equals {@link Activation#value} and {@link Activation#derivative}
 *       on random and special arguments ({@code +-0}, subnormals, {@code +-inf}, NaN, huge);</li>
 *   <li>{@link NetworkKernel}'s forward values, deltas and gradients equal a reference that re-runs the old backward
 *       ({@code delta = act.derivative(h) * g}, fma chains as the class javadoc's steps 5 and 6) on random nets, all
 *       four activations, 1 to 3 blocks, both students.</li>
 * </ul>
 * Negative controls: a kernel reading the cached derivative of the previous unit
 * ({@link NetworkKernel.Mutation#STALE_DERIVATIVE}) and a perturbed reference formula must both be told apart.
 */
class DerivativeCacheTest {
    static final List<String> ACTIVATIONS = List.of("relu", "leaky", "softplus", "gelu");

    private static Activation activation(String name, SplittableRandom rnd) {
        return switch (name) {
            case "relu" -> new Activation.Relu();
            case "leaky" -> new Activation.LeakyRelu(0.01 + 0.3 * rnd.nextDouble());
            case "softplus" -> new Activation.Softplus(0.5 + 4 * rnd.nextDouble());
            default -> new Activation.Gelu();
        };
    }

    record Net(Architecture arch, Activation act, List<double[]> w, List<double[]> wStar, double[] x, int batch) {
        FastValues on(NetworkKernel k) {
            return k.evaluate(arch, act, w, wStar, x, batch, null);
        }
    }

    private static Net randomNet(int d, int blocks, boolean identity, String act, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int batch = 1 + rnd.nextInt(6);
        List<double[]> w = new ArrayList<>();
        List<double[]> ws = new ArrayList<>();
        for (int k = 0; k < blocks; k++) {
            w.add(gaussian(rnd, d * d, 1 / Math.sqrt(d)));
            ws.add(gaussian(rnd, d * d, 0.3 / Math.sqrt(d)));
        }
        return new Net(new Architecture(d, blocks, identity), activation(act, rnd), w, ws, gaussian(rnd, batch * d, 1), batch);
    }

    private static double[] gaussian(SplittableRandom rnd, int n, double scale) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = scale * Math.sqrt(-2 * Math.log(1 - rnd.nextDouble())) * Math.cos(2 * Math.PI * rnd.nextDouble());
        }
        return a;
    }

    /**
     * The old backward on the kernel's own forward trace: the first quantity whose bits differ from {@code v}, or null.
     * {@code ulpOff}: the reference's derivative moved up one ulp (the reference's own negative control).
     */
    static String oldFormulaDifference(Net n, FastValues v, boolean ulpOff) {
        int d = n.arch().d();
        int batch = n.batch();
        Activation act = n.act();
        for (int i = 0; i < n.arch().blocks(); i++) {
            double[] h = v.h().get(i);
            double[] z = v.z().get(i + 1);
            for (int e = 0; e < h.length; e++) {
                if (!same(z[e], act.value(h[e]))) {
                    return "z[block " + i + "][" + e + "]";
                }
            }
        }
        double[] c = new double[batch];
        for (int b = 0; b < batch; b++) {
            c[b] = (2.0 * v.residuals()[b]) / batch;
        }
        double[] g = new double[batch * d];
        Arrays.fill(g, 1.0);
        for (int i = n.arch().blocks() - 1; i >= 0; i--) {
            double[] h = v.h().get(i);
            double[] delta = new double[batch * d];
            for (int e = 0; e < delta.length; e++) {
                double p = act.derivative(h[e]);
                delta[e] = (ulpOff ? Math.nextUp(p) : p) * g[e];
                if (!same(delta[e], v.delta().get(i)[e])) {
                    return "delta[block " + i + "][" + e + "]";
                }
            }
            double[] zin = v.z().get(i);
            double[] grad = v.gradients().get(i);
            for (int r = 0; r < d; r++) {
                for (int j = 0; j < d; j++) {
                    double acc = 0.0;
                    for (int b = 0; b < batch; b++) {
                        acc = Math.fma(zin[b * d + r], c[b] * delta[b * d + j], acc);
                    }
                    if (!same(acc, grad[r * d + j])) {
                        return "gradient[block " + i + "][" + r + "," + j + "]";
                    }
                }
            }
            double[] wi = n.w().get(i);
            double[] next = new double[batch * d];
            for (int b = 0; b < batch; b++) {
                for (int r = 0; r < d; r++) {
                    double acc = 0.0;
                    for (int j = 0; j < d; j++) {
                        acc = Math.fma(wi[r * d + j], delta[b * d + j], acc);
                    }
                    next[b * d + r] = n.arch().identity() ? acc + delta[b * d + r] : acc;
                }
            }
            g = next;
        }
        return null;
    }

    private static boolean same(double a, double b) {
        return Double.doubleToLongBits(a) == Double.doubleToLongBits(b);
    }

    @Test
    void kernelGradientHasTheOldFormulasBits() {
        NetworkKernel kernel = new NetworkKernel();
        AtomicInteger smooth = new AtomicInteger();
        qt().withExamples(300).withShrinkCycles(0)
                .forAll(integers().between(1, 9), integers().between(0, 5), arbitrary().pick(ACTIVATIONS), longs().all())
                .checkAssert((d, shape, act, seed) -> {
                    Net n = randomNet(d, 1 + shape / 2, shape % 2 == 0, act, seed);
                    assertThat(oldFormulaDifference(n, n.on(kernel), false)).as("%s %s", n.arch(), n.act()).isNull();
                    if (!n.act().piecewiseLinear()) {
                        smooth.incrementAndGet();
                    }
                });
        assertThat(smooth.get()).as("GELU and softplus cases").isGreaterThan(50);
    }

    /** The test tells a wrong cache (smooth activations: the only ones cached) and a wrong formula apart. */
    @Test
    void negativeControlsAreDetected() {
        NetworkKernel kernel = new NetworkKernel();
        NetworkKernel stale = new NetworkKernel(NetworkKernel.Mutation.STALE_DERIVATIVE);
        for (String act : ACTIVATIONS) {
            int staleCaught = 0;
            int formulaCaught = 0;
            for (long seed = 1; seed <= 5; seed++) {
                Net n = randomNet(7, 2, seed % 2 == 0, act, seed);
                assertThat(oldFormulaDifference(n, n.on(kernel), false)).isNull();
                staleCaught += oldFormulaDifference(n, n.on(stale), false) != null ? 1 : 0;
                formulaCaught += oldFormulaDifference(n, n.on(kernel), true) != null ? 1 : 0;
            }
            boolean cached = act.equals("softplus") || act.equals("gelu");
            assertThat(staleCaught).as("stale cache caught, %s", act).isEqualTo(cached ? 5 : 0);
            assertThat(formulaCaught).as("one-ulp reference caught, %s", act).isEqualTo(5);
        }
    }

    @Test
    void fusedEvaluationHasTheSeparateMethodsBits() {
        SplittableRandom rnd = new SplittableRandom(7);
        List<Double> ts = new ArrayList<>(List.of(0.0, -0.0, Double.MIN_VALUE, -Double.MIN_VALUE, 1e-300, -1e-300,
                Double.MAX_VALUE, -Double.MAX_VALUE, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN,
                40.0, -40.0, 710.0, -710.0, 1e10, -1e10));
        for (int i = 0; i < 2000; i++) {
            ts.add((rnd.nextDouble() - 0.5) * (i < 1000 ? 20 : 2000));
        }
        double[] t = ts.stream().mapToDouble(Double::doubleValue).toArray();
        for (Activation act : List.of(new Activation.Relu(), new Activation.LeakyRelu(0.1), new Activation.Softplus(1),
                new Activation.Softplus(7.5), new Activation.Softplus(1e-3), new Activation.Gelu())) {
            double[] z = new double[t.length];
            double[] dz = new double[t.length];
            act.valuesAndDerivatives(t, z, dz);
            for (int e = 0; e < t.length; e++) {
                assertThat(same(z[e], act.value(t[e]))).as("%s value(%s)", act, t[e]).isTrue();
                assertThat(same(dz[e], act.derivative(t[e]))).as("%s derivative(%s)", act, t[e]).isTrue();
            }
        }
    }
}
