package io.idrelu.bench;

import io.idrelu.kernel.KernelProvider;
import io.idrelu.setting.Activation;
import io.idrelu.setting.FastValues;
import io.idrelu.setting.InputSampler;
import io.idrelu.setting.NetworkKernel;
import io.idrelu.setting.NetworkKernels;
import io.idrelu.setting.Setting;
import io.idrelu.setting.SettingCatalogue;
import io.idrelu.setting.SettingProblem;
import io.idrelu.setting.SettingSgd;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Scalar vs vector generic setting kernel ({@link NetworkKernel} vs {@code VectorNetworkKernel}) on one
 * {@link SettingSgd#step} (evaluate + update, batches drawn beforehand and cycled, eta 1e-6) at {@code d = 64},
 * {@code B = 64}, per named setting plus softplus. The two kernels alternate chunk by chunk in one JVM so both see the
 * same machine load; each chunk's thread CPU seconds per step is one sample; prints the medians and the ratio
 * scalar/vector (> 1: vector faster). Before timing, both kernels' steps are checked to give the same bits.
 *
 * <p>Run (after {@code mvn -o test-compile}): {@code java --add-modules=jdk.incubator.vector
 * -cp target/test-classes:target/classes:$(benchmarks/classpath.sh) io.idrelu.bench.SettingStepBench [d=64] [batch=64]
 * [chunk=0.2] [samples=15] [warmup=2] [kernel=scalar|vector|both] [cases=ly17,leaky,...]}; {@code kernel=scalar} (or
 * {@code vector}) times one kernel only, for one JVM per kernel alternated by a script ({@code benchmarks/setting-kernel.sh}).
 */
public final class SettingStepBench {
    private static volatile double sink;

    private SettingStepBench() { }

    public static void main(String[] args) {
        int d = 64;
        int batch = 64;
        double chunk = 0.2;
        int samples = 15;
        double warmup = 2;
        String only = "both";
        List<String> names = List.of("ly17", "leaky", "gelu", "softplus", "blocks3", "noise");
        for (String a : args) {
            String[] kv = a.split("=", 2);
            switch (kv[0]) {
                case "d" -> d = Integer.parseInt(kv[1]);
                case "batch" -> batch = Integer.parseInt(kv[1]);
                case "chunk" -> chunk = Double.parseDouble(kv[1]);
                case "samples" -> samples = Integer.parseInt(kv[1]);
                case "warmup" -> warmup = Double.parseDouble(kv[1]);
                case "kernel" -> only = kv[1];
                case "cases" -> names = List.of(kv[1].split(","));
                default -> throw new IllegalArgumentException("unknown argument " + a + ": expected d=, batch=, chunk=, samples=, warmup=, kernel=scalar|vector|both, cases=a,b");
            }
        }
        NetworkKernel vector = NetworkKernels.of(KernelProvider.Choice.VECTOR);
        System.out.println("# java " + System.getProperty("java.version") + " " + KernelProvider.speciesDescription()
                + " d=" + d + " B=" + batch + " samples=" + samples + " chunk=" + chunk + "s; load: "
                + ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        List<SettingCatalogue.Named> cases = new ArrayList<>();
        for (String n : names) {
            cases.add(n.equals("softplus")
                    ? new SettingCatalogue.Named("softplus", "softplus b = 2", Setting.ly17(d).withActivation(new Activation.Softplus(2)))
                    : SettingCatalogue.byName(n, d));
        }
        List<Step[]> steps = new ArrayList<>();
        for (SettingCatalogue.Named c : cases) {
            Step s = new Step(c.setting(), new NetworkKernel(), batch);
            Step v = new Step(c.setting(), vector, batch);
            if (!Arrays.equals(s.once(), v.once())) {
                throw new AssertionError(c.name() + ": scalar and vector steps differ");
            }
            steps.add(new Step[] {s, v});
        }
        // warm every case up before timing any (the kernels share code: the first case would otherwise pay the JIT)
        boolean runScalar = !only.equals("vector");
        boolean runVector = !only.equals("scalar");
        for (Step[] sv : steps) {
            if (runScalar) {
                time(sv[0], warmup / 2, chunk, 1);
            }
            if (runVector) {
                time(sv[1], warmup / 2, chunk, 1);
            }
        }
        System.out.println("setting\tscalar_s_per_step\tvector_s_per_step\tscalar/vector");
        for (int ci = 0; ci < cases.size(); ci++) {
            SettingCatalogue.Named c = cases.get(ci);
            Step s = steps.get(ci)[0];
            Step v = steps.get(ci)[1];
            double[] ts = new double[samples];
            double[] tv = new double[samples];
            for (int i = 0; i < samples; i++) {
                ts[i] = runScalar ? time(s, 0, chunk, 1)[0] : Double.NaN;
                tv[i] = runVector ? time(v, 0, chunk, 1)[0] : Double.NaN;
            }
            double ms = median(ts);
            double mv = median(tv);
            System.out.printf(Locale.ROOT, "%s\t%.4e\t%.4e\t%.2f%n", c.name(), ms, mv, ms / mv);
        }
    }

    /** One kernel's step on a fixed problem, cycling 8 pre-drawn batches. */
    static final class Step {
        final SettingSgd sgd;
        final List<double[]> w;
        final List<double[]> wStar;
        final double[][] xs = new double[8][];
        final double[][] noises = new double[8][];
        final int batch;
        int next;

        Step(Setting s, NetworkKernel kernel, int batch) {
            this.batch = batch;
            sgd = new SettingSgd(s, kernel);
            SettingProblem p = SettingProblem.random(s, 1L);
            w = p.w0();
            wStar = p.wStar();
            InputSampler.Stream st = InputSampler.of(s.inputs(), s.d()).stream(7L);
            double sigma = s.labels().sigma();
            for (int i = 0; i < xs.length; i++) {
                xs[i] = st.batch(batch);
                noises[i] = sigma > 0 ? st.noise(batch, sigma) : null;
            }
        }

        double step() {
            int i = next++ & 7;
            FastValues v = sgd.step(w, wStar, xs[i], batch, noises[i], 1e-6);
            return v.loss();
        }

        /** The gradient bits of one step from a fresh copy of the weights (for the agreement check). */
        double[] once() {
            List<double[]> copy = new ArrayList<>();
            for (double[] a : w) {
                copy.add(a.clone());
            }
            FastValues v = sgd.step(copy, wStar, xs[0], batch, noises[0], 1e-6);
            return v.gradients().stream().flatMapToDouble(Arrays::stream).toArray();
        }
    }

    /** CPU seconds per step over chunks of about {@code chunk} seconds, after {@code warmup} seconds. */
    static double[] time(Step s, double warmup, double chunk, int n) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long end = System.nanoTime() + (long) (warmup * 1e9);
        double acc = 0;
        while (System.nanoTime() < end) {
            acc += s.step();
        }
        double[] out = new double[n];
        for (int k = 0; k < n; k++) {
            long c0 = mx.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            int steps = 0;
            while (System.nanoTime() - t0 < chunk * 1e9) {
                acc += s.step();
                steps++;
            }
            out[k] = (mx.getCurrentThreadCpuTime() - c0) * 1e-9 / steps;
        }
        sink = acc;
        return out;
    }

    static double median(double[] a) {
        double[] b = a.clone();
        Arrays.sort(b);
        return b.length % 2 == 1 ? b[b.length / 2] : 0.5 * (b[b.length / 2 - 1] + b[b.length / 2]);
    }
}
