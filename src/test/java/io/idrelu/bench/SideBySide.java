package io.idrelu.bench;

import io.idrelu.kernel.KernelProvider;
import io.idrelu.model.GaussianSampler;
import io.idrelu.model.Matrices;
import io.idrelu.model.Problem;
import io.idrelu.reference.PopulationReference;
import io.idrelu.reference.PopulationValues;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleSupplier;

/**
 * Java half of {@code benchmarks/compare.sh}: one repetition of every side-by-side case, printed as
 * {@code case<TAB>median<TAB>min CPU seconds per op<TAB>samples} (the numpy half prints the same format). Each case
 * is warmed up for {@code warmupSeconds}, then timed in {@code samples} chunks of about
 * {@code chunkSeconds}; the median chunk is reported. The workloads are those of {@link Workload},
 * i.e. exactly what the JMH benchmarks measure.
 *
 * <p>How to run (after {@code mvn -o test-compile}):
 * {@code java --add-modules=jdk.incubator.vector -cp target/test-classes:target/classes:<deps>
 * io.idrelu.bench.SideBySide [kernel=auto] [warmup=1.5] [chunk=0.05] [samples=15] [cases=...]}.
 */
public final class SideBySide {
    private static volatile double sink;

    private SideBySide() { }

    public static void main(String[] args) {
        String kernel = "auto";
        double warmup = 1.5;
        double chunk = 0.05;
        int samples = 15;
        List<String> cases = new ArrayList<>(List.of(
                "sample_B256", "sample_B1", "sgd_B256_double", "sgd_B256_float", "sgd_B1_double", "sgd_B1_float",
                "pop_d256_double", "ref50_d16"));
        for (String a : args) {
            String[] kv = a.split("=", 2);
            switch (kv[0]) {
                case "kernel": kernel = kv[1]; break;
                case "warmup": warmup = Double.parseDouble(kv[1]); break;
                case "chunk": chunk = Double.parseDouble(kv[1]); break;
                case "samples": samples = Integer.parseInt(kv[1]); break;
                case "cases": cases = Arrays.asList(kv[1].split(",")); break;
                default: throw new IllegalArgumentException("unknown argument " + a);
            }
        }
        System.out.println("# java " + System.getProperty("java.version") + " kernel=" + kernel + " "
                + KernelProvider.speciesDescription());
        Workload.checkDoubleAgreement(16, 5, 3);
        for (String c : cases) {
            DoubleSupplier op = op(c, kernel);
            if (op == null) {
                System.out.println(c + "\tNA\tNA\t0");
                continue;
            }
            double[] t = time(op, warmup, chunk, samples);
            System.out.printf(Locale.ROOT, "%s\t%.6e\t%.6e\t%d%n", c, median(t), Arrays.stream(t).min().getAsDouble(),
                    t.length);
        }
    }

    static DoubleSupplier op(String c, String kernel) {
        final int d = 256;
        switch (c) {
            case "sample_B256": { GaussianSampler g = new GaussianSampler(1); double[] x = new double[256 * d];
                return () -> { g.fill(x); return x[0]; }; }
            case "sample_B1": { GaussianSampler g = new GaussianSampler(1); double[] x = new double[d];
                return () -> { g.fill(x); return x[0]; }; }
            case "sgd_B256_double": return new Workload.DoubleSgd(Workload.kernel(kernel), d, 256)::step;
            case "sgd_B1_double": return new Workload.DoubleSgd(Workload.kernel(kernel), d, 1)::step;
            case "sgd_B256_float": { Workload.FloatSgd s = new Workload.FloatSgd(Workload.floatKernel(kernel), d, 256);
                return s::step; }
            case "sgd_B1_float": { Workload.FloatSgd s = new Workload.FloatSgd(Workload.floatKernel(kernel), d, 1);
                return s::step; }
            case "pop_d256_double": return new Workload.Population(Workload.kernel(kernel), d)::evaluate;
            case "ref50_d16": return reference(16);
            default: throw new IllegalArgumentException("unknown case " + c);
        }
    }

    /** PopulationReference(50).evaluate (loss + gradient, shared angles) at d = 16, or {@code null} if unimplemented. */
    static DoubleSupplier reference(int d) {
        Problem p = Problem.random(d, Workload.GAMMA, Workload.SEED, true);
        BigDecimal[][] w = Matrices.exact(p.w0(), d);
        BigDecimal[][] ws = Matrices.exact(p.wStar(), d);
        PopulationReference ref = new PopulationReference(50);
        try {
            ref.loss(true, w, ws);
        } catch (UnsupportedOperationException e) {
            return null;
        }
        return () -> {
            PopulationValues v = ref.evaluate(true, w, ws);
            return v.loss().doubleValue() + v.gradient()[0][0].doubleValue();
        };
    }

    /**
     * Times in CPU seconds of the measuring thread (the machine is shared, so wall time mostly measures
     * the neighbours; the numpy side uses {@code time.thread_time()} for the same reason).
     */
    static double[] time(DoubleSupplier op, double warmup, double chunk, int samples) {
        // Warm up, and calibrate how many ops make one chunk.
        long end = cpu() + (long) (warmup * 1e9);
        long n = 0;
        long t0 = cpu();
        double acc = 0;
        do {
            acc += op.getAsDouble();
            n++;
        } while (cpu() < end);
        double perOp = (cpu() - t0) / 1e9 / n;
        long ops = Math.max(1, (long) (chunk / perOp));
        double[] t = new double[samples];
        for (int s = 0; s < samples; s++) {
            long a = cpu();
            for (long i = 0; i < ops; i++) {
                acc += op.getAsDouble();
            }
            t[s] = (cpu() - a) / 1e9 / ops;
        }
        sink = acc;
        return t;
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    static long cpu() {
        return THREADS.getCurrentThreadCpuTime();
    }

    static double median(double[] t) {
        double[] s = t.clone();
        Arrays.sort(s);
        int m = s.length / 2;
        return s.length % 2 == 1 ? s[m] : 0.5 * (s[m - 1] + s[m]);
    }
}
