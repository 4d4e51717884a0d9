import io.idrelu.model.Fixture;
import io.idrelu.reference.PopulationReference;
import io.idrelu.reference.PopulationValues;

import java.math.BigDecimal;
import java.nio.file.Path;

/**
 * Per-evaluation wall clock of the 50-digit population reference in a fresh JVM: what `eval --path reference
 * --digits 50 --repeat 20 --warmup 10` times (its evaluations 11-30), and where C2 code arrives.
 * Usage: java -cp JAR benchmarks/RefCurve.java FIXTURE [N=400] [P=58]
 * Prints one line per evaluation (index, wall and this thread's CPU microseconds) and the medians of 11-30, 31-100, 101-300, 301-N.
 * P = 58: the working precision eval uses for --digits 50 (50 + EvalCommand.FIRST_EXTRA_DIGITS) on pop16.json.
 */
public class RefCurve {
    public static void main(String[] args) {
        Fixture f = Fixture.read(Path.of(args[0]));
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 400;
        int p = args.length > 2 ? Integer.parseInt(args[2]) : 58;
        double[] us = new double[n];
        long[] start = new long[n + 1];
        double[] cpu = new double[n];
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long allocated0 = 0;
        long[] faults = new long[n + 1]; // process minor page faults before each evaluation (Linux /proc/self/stat)
        long sink = 0;
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            start[i] = t0;
            faults[i] = minorFaults();
            long c0 = threads.getCurrentThreadCpuTime();
            if (i == 10) {
                allocated0 = threads.getCurrentThreadAllocatedBytes();
            }
            PopulationValues v = new PopulationReference(p).evaluate(f.identity(), f.w(), f.wStar());
            BigDecimal[][] g = new PopulationReference(p).paperGradient(v.gradient());
            us[i] = (System.nanoTime() - t0) * 1e-3;
            cpu[i] = (threads.getCurrentThreadCpuTime() - c0) * 1e-3;
            sink += g[0][0].precision() + v.loss().precision();
        }
        // JVM uptime (the clock of -XX:+PrintCompilation) at the start of evaluations 1, 11, 31, 101
        long uptimeMs = java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime();
        long now = System.nanoTime();
        StringBuilder at = new StringBuilder("uptime ms at start of evaluation:");
        for (int k : new int[] {1, 11, 31, 61, 101}) {
            if (k <= n) {
                at.append(String.format(" %d: %.0f", k, uptimeMs - (now - start[k - 1]) * 1e-6));
            }
        }
        System.out.println(at);
        if (n >= 30) {
            System.out.printf("allocated per evaluation (11-%d): %.2f MB%n", n, (threads.getCurrentThreadAllocatedBytes() - allocated0) / (n - 10.0) / 1e6);
        }
        faults[n] = minorFaults();
        System.out.printf("minor page faults per evaluation: 11-30 %.0f | 31-%d %.0f%n", (faults[Math.min(n, 30)] - faults[10]) / 20.0,
                n, n > 30 ? (faults[n] - faults[30]) / (n - 30.0) : Double.NaN);
        boolean quiet = System.getProperty("quiet") != null;
        for (int i = 0; i < n && !quiet; i++) {
            System.out.printf("%d %.0f %.0f%n", i + 1, us[i], cpu[i]);
        }
        System.out.printf("median us: 11-30 %.0f | 31-100 %.0f | 101-300 %.0f | 301-%d %.0f  (sink %d)%n",
                median(us, 10, 30), median(us, 30, 100), median(us, 100, Math.min(n, 300)), n, median(us, Math.min(n, 300), n), sink);
    }

    /** Field 10 of /proc/self/stat (minflt), or -1 off Linux. */
    private static long minorFaults() {
        try {
            String stat = java.nio.file.Files.readString(Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[7]);
        } catch (Exception e) {
            return -1;
        }
    }

    private static double median(double[] a, int from, int to) {
        if (to <= from) {
            return Double.NaN;
        }
        double[] b = java.util.Arrays.copyOfRange(a, from, to);
        java.util.Arrays.sort(b);
        return b.length % 2 == 1 ? b[b.length / 2] : 0.5 * (b[b.length / 2 - 1] + b[b.length / 2]);
    }
}
