package io.idrelu.kernel.vector;

import io.idrelu.kernel.KernelProvider;
import io.idrelu.setting.Activation;
import io.idrelu.setting.Architecture;
import io.idrelu.setting.FastValues;
import io.idrelu.setting.NetworkKernel;
import io.idrelu.setting.NetworkKernels;
import io.idrelu.setting.Setting;
import io.idrelu.setting.SettingProblem;
import io.idrelu.setting.SettingSgd;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.arbitrary;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

/**
 * {@link VectorNetworkKernel} equals the scalar {@link NetworkKernel} bit for bit (issue 11, the generic fast path's
 * contract, as {@code VectorAgreementTest} for the fused kernels): every block's {@code h}, {@code z} and
 * {@code delta}, outputs, teacher values, residuals, loss and every block's gradient, for all four activations,
 * 1 to 3 blocks, both students, with and without label noise, at sizes that are not multiples of any lane count,
 * on Gaussian nets with planted exact zeros (the kink). Negative controls: four mutant vector kernels (a wrong leaky
 * slope, a skipped block, a reassociated forward sum, a smooth derivative one ulp off) must each be told apart by
 * the same comparison. Skipped without {@code jdk.incubator.vector} ({@code mvn verify -Pscalar}).
 */
class VectorNetworkKernelTest {
    /** None is a multiple of 4, 8 or 16 lanes except 100 (a multiple of 4: the pure-vector path, no tail). */
    static final List<Integer> SIZES = List.of(1, 3, 7, 13, 100);
    static final List<String> ACTIVATIONS = List.of("relu", "leaky", "softplus", "gelu");

    /** The kernel --kernel vector selects (scalar loops below MIN_VECTOR_D). */
    private NetworkKernel selected;
    /** The lanes at every size, down to d = 1. */
    private NetworkKernel vector;

    @BeforeEach
    void vectorModule() {
        assumeTrue(KernelProvider.vectorAvailable(), () -> "skipped: " + KernelProvider.unavailableReason());
        selected = NetworkKernels.of(KernelProvider.Choice.VECTOR);
        vector = new VectorNetworkKernel(VectorNetworkKernel.Mutation.NONE, 1);
    }

    /** One random net and batch; {@code zeros}: rows of x set to 0 so that vanilla students meet h = 0 exactly. */
    record Case(Architecture arch, Activation act, List<double[]> w, List<double[]> wStar, double[] x, int batch,
                double[] noise) {
        FastValues on(NetworkKernel k) {
            return k.evaluate(arch, act, w, wStar, x, batch, noise);
        }

        @Override
        public String toString() {
            return arch + " " + act + " B=" + batch + (noise != null ? " noise" : "");
        }
    }

    static Activation activation(String name, SplittableRandom rnd) {
        return switch (name) {
            case "relu" -> new Activation.Relu();
            // a slope with a long mantissa (not a float), so a float-rounded slope is a different number
            case "leaky" -> new Activation.LeakyRelu(0.01 + 0.3 * rnd.nextDouble());
            case "softplus" -> new Activation.Softplus(0.5 + 4 * rnd.nextDouble());
            default -> new Activation.Gelu();
        };
    }

    static Case randomCase(int d, int blocks, boolean identity, String act, boolean noisy, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int batch = d >= 100 ? 1 + rnd.nextInt(5) : 1 + rnd.nextInt(9);
        double scale = 1 / Math.sqrt(d);
        List<double[]> w = new ArrayList<>();
        List<double[]> ws = new ArrayList<>();
        for (int k = 0; k < blocks; k++) {
            w.add(gaussian(rnd, d * d, scale));
            ws.add(gaussian(rnd, d * d, 0.3 * scale));
        }
        double[] x = gaussian(rnd, batch * d, 1);
        if (rnd.nextInt(3) == 0) {
            java.util.Arrays.fill(x, 0, d, 0.0); // row 0 = 0: the first block's h is exactly 0 (vanilla) or 0 + 0
        }
        double[] noise = noisy ? gaussian(rnd, batch, 0.5) : null;
        return new Case(new Architecture(d, blocks, identity), activation(act, rnd), w, ws, x, batch, noise);
    }

    private static double[] gaussian(SplittableRandom rnd, int n, double scale) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            // Box-Muller: enough for test weights, any law would do
            a[i] = scale * Math.sqrt(-2 * Math.log(1 - rnd.nextDouble())) * Math.cos(2 * Math.PI * rnd.nextDouble());
        }
        return a;
    }

    /** The first quantity whose bits differ, or null when every one agrees. */
    static String firstDifference(FastValues a, FastValues b) {
        String s = differ("outputs", a.outputs(), b.outputs());
        s = s != null ? s : differ("teacherOutputs", a.teacherOutputs(), b.teacherOutputs());
        s = s != null ? s : differ("residuals", a.residuals(), b.residuals());
        if (s == null && Double.doubleToLongBits(a.loss()) != Double.doubleToLongBits(b.loss())) {
            s = "loss " + a.loss() + " vs " + b.loss();
        }
        s = s != null ? s : differ("gradient", a.gradients(), b.gradients());
        s = s != null ? s : differ("h", a.h(), b.h());
        s = s != null ? s : differ("z", a.z(), b.z());
        s = s != null ? s : differ("delta", a.delta(), b.delta());
        return s != null ? s : differ("teacherZ", a.teacherZ(), b.teacherZ());
    }

    private static String differ(String what, List<double[]> a, List<double[]> b) {
        if (a.size() != b.size()) {
            return what + ": " + a.size() + " vs " + b.size() + " blocks";
        }
        for (int k = 0; k < a.size(); k++) {
            String s = differ(what + "[block " + k + "]", a.get(k), b.get(k));
            if (s != null) {
                return s;
            }
        }
        return null;
    }

    private static String differ(String what, double[] a, double[] b) {
        if (a.length != b.length) {
            return what + ": length " + a.length + " vs " + b.length;
        }
        for (int i = 0; i < a.length; i++) {
            if (Double.doubleToLongBits(a[i]) != Double.doubleToLongBits(b[i])) {
                return what + "[" + i + "]: " + a[i] + " vs " + b[i];
            }
        }
        return null;
    }

    @Test
    void bitIdenticalToTheScalarKernel() {
        NetworkKernel scalar = new NetworkKernel();
        Map<String, AtomicInteger> seen = new ConcurrentHashMap<>();
        AtomicInteger kinks = new AtomicInteger();
        qt().withExamples(300).withShrinkCycles(0)
                // shape 0..5: blocks 1..3 times identity or vanilla (QuickTheories takes at most four generators)
                .forAll(arbitrary().pick(SIZES), integers().between(0, 5), arbitrary().pick(ACTIVATIONS), longs().all())
                .checkAssert((d, shape, act, seed) -> {
                    int blocks = 1 + shape / 2;
                    boolean identity = shape % 2 == 0;
                    Case c = randomCase(d, blocks, identity, act, seed % 2 == 0, seed);
                    FastValues s = c.on(scalar);
                    assertThat(firstDifference(s, c.on(vector))).as("%s", c).isNull();
                    assertThat(firstDifference(s, c.on(selected))).as("selected kernel, %s", c).isNull();
                    for (String key : List.of("d" + d, "blocks" + blocks, "identity" + identity, act,
                            "noise" + (c.noise() != null))) {
                        seen.computeIfAbsent(key, q -> new AtomicInteger()).incrementAndGet();
                    }
                    if (c.act().piecewiseLinear()) {
                        for (double h : s.h().get(0)) {
                            if (h == 0) {
                                kinks.incrementAndGet();
                            }
                        }
                    }
                });
        // coverage: every size, depth, student, activation and label model, and the kink itself
        for (int d : SIZES) {
            assertThat(seen).containsKey("d" + d);
        }
        for (String key : List.of("blocks1", "blocks2", "blocks3", "identitytrue", "identityfalse", "noisetrue", "noisefalse")) {
            assertThat(seen).containsKey(key);
        }
        assertThat(seen).containsKeys(ACTIVATIONS.toArray(new String[0]));
        assertThat(kinks.get()).as("piecewise-linear cases with h = 0 exactly").isPositive();
    }

    @Test
    void sgdTrajectoriesAreBitIdentical() {
        // the wiring's use: SettingSgd under 3 blocks + GELU + label noise, 20 steps, on every kernel (d = 13: lanes and a tail)
        Setting s = Setting.ly17(13).withArchitecture(new Architecture(13, 3, true)).withActivation(new Activation.Gelu())
                .withLabels(new io.idrelu.setting.LabelModel.GaussianNoise(0.1));
        SettingProblem p = SettingProblem.random(s, 42L);
        List<double[]> a = new SettingSgd(s, new NetworkKernel()).run(p, 42L, 0, 20, 5, 0.05, null);
        List<double[]> b = new SettingSgd(s, vector).run(p, 42L, 0, 20, 5, 0.05, null);
        List<double[]> c = new SettingSgd(s, selected).run(p, 42L, 0, 20, 5, 0.05, null);
        for (int k = 0; k < a.size(); k++) {
            assertThat(b.get(k)).isEqualTo(a.get(k));
            assertThat(c.get(k)).isEqualTo(a.get(k));
        }
        assertThat(a.get(0)).isNotEqualTo(p.w0().get(0)); // it moved
    }

    /** Each mutant vector kernel is told apart from the scalar kernel on cases that reach its bug. */
    @Test
    void negativeControlsAreDetected() {
        NetworkKernel scalar = new NetworkKernel();
        record Control(VectorNetworkKernel.Mutation m, int d, int blocks, String act) { }
        List<Control> controls = List.of(
                new Control(VectorNetworkKernel.Mutation.LEAKY_SLOPE_AS_FLOAT, 13, 1, "leaky"),
                new Control(VectorNetworkKernel.Mutation.SKIP_LAST_BLOCK, 7, 2, "relu"),
                new Control(VectorNetworkKernel.Mutation.REVERSED_FORWARD_SUM, 13, 1, "relu"),
                new Control(VectorNetworkKernel.Mutation.SMOOTH_DERIVATIVE_ULP, 7, 1, "gelu"),
                new Control(VectorNetworkKernel.Mutation.SMOOTH_DERIVATIVE_ULP, 3, 2, "softplus"));
        for (Control ctl : controls) {
            VectorNetworkKernel mutant = new VectorNetworkKernel(ctl.m(), 1);
            int caught = 0;
            for (long seed = 1; seed <= 5; seed++) {
                Case c = randomCase(ctl.d(), ctl.blocks(), seed % 2 == 0, ctl.act(), false, seed);
                FastValues s = c.on(scalar);
                assertThat(firstDifference(s, c.on(vector))).as("unmutated %s", c).isNull();
                if (firstDifference(s, c.on(mutant)) != null) {
                    caught++;
                }
            }
            assertThat(caught).as("%s caught in 5 cases", ctl).isGreaterThanOrEqualTo(4);
        }
    }
}
