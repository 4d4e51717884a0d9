// Thread-CPU seconds per SGD step of the fast path (OnlineSgd, vector kernel), for A/B runs of two jars in one
// session: java --add-modules=jdk.incubator.vector -cp JAR benchmarks/StepCpu.java d batch stepsPerChunk chunks
// warmSeconds [threads]. Prints min and median chunk (thread CPU and wall); see benchmarks/README.md.
import io.idrelu.kernel.*;
import io.idrelu.model.Problem;
import io.idrelu.sgd.OnlineSgd;
import java.lang.management.*;

/** StepCpu d batch chunkSteps chunks warmSeconds threads: thread-CPU seconds per step, min and median chunk. */
public class StepCpu {
    public static void main(String[] a) throws Exception {
        int d = Integer.parseInt(a[0]), batch = Integer.parseInt(a[1]), chunk = Integer.parseInt(a[2]),
            chunks = Integer.parseInt(a[3]);
        double warm = Double.parseDouble(a[4]);
        int threads = a.length > 5 ? Integer.parseInt(a[5]) : 1;
        Problem p = Problem.random(d, 0.3, 1, true);
        ThreadMXBean tb = ManagementFactory.getThreadMXBean();
        try (Parallel par = new Parallel(threads)) {
            OnlineSgd s = new OnlineSgd(KernelProvider.doubleKernel(KernelProvider.Choice.VECTOR), p, batch, 1e-6, 1, par);
            long t0 = tb.getCurrentThreadCpuTime();
            while (tb.getCurrentThreadCpuTime() - t0 < warm * 1e9) s.run(chunk, null);
            double[] v = new double[chunks];
            double[] wall = new double[chunks];
            for (int c = 0; c < chunks; c++) {
                long w0 = System.nanoTime();
                long c0 = tb.getCurrentThreadCpuTime();
                s.run(chunk, null);
                v[c] = (tb.getCurrentThreadCpuTime() - c0) * 1e-9 / chunk;
                wall[c] = (System.nanoTime() - w0) * 1e-9 / chunk;
            }
            double w00 = s.weights()[0];
            java.util.Arrays.sort(v);
            java.util.Arrays.sort(wall);
            System.out.printf("d=%d B=%d cpu min %.4g med %.4g | wall min %.4g med %.4g  (w00 %s)%n", d, batch, v[0], v[chunks / 2], wall[0], wall[chunks / 2], Double.toString(w00));
        }
    }
}
