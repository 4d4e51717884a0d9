package io.idrelu.reference;

import io.idrelu.model.Problem;
import io.idrelu.model.Matrices;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Cost of the oracle at the size the project calls it at: d = 16, p = 50, loss and gradient in one
 * {@code evaluate}. Prints the first (cold: JIT, pi and angle table) and the median of 3 warm calls.
 * How to run alone: {@code mvn -B -ntp -o verify -Dtest=PopulationReferenceTimingTest}. The assertion is
 * a loose guard against a complexity regression on a shared 2-core machine, not a benchmark.
 */
class PopulationReferenceTimingTest {
    @Test
    void dimensionSixteenAtFiftyDigits() {
        int d = 16;
        Problem problem = Problem.random(d, 0.5, 2017, true);
        BigDecimal[][] w = Matrices.exact(problem.w0(), d);
        BigDecimal[][] ws = Matrices.exact(problem.wStar(), d);
        long t0 = System.nanoTime();
        PopulationValues first = new PopulationReference(50).evaluate(true, w, ws);
        double coldMs = (System.nanoTime() - t0) / 1e6;
        double[] warm = new double[3];
        double[] cpu = new double[3];
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        PopulationReference ref = new PopulationReference(50);
        for (int i = 0; i < warm.length; i++) {
            long c = mx.getCurrentThreadCpuTime();
            long t = System.nanoTime();
            PopulationValues v = ref.evaluate(true, w, ws);
            warm[i] = (System.nanoTime() - t) / 1e6;
            cpu[i] = (mx.getCurrentThreadCpuTime() - c) / 1e6;
            assertThat(v.loss()).isEqualByComparingTo(first.loss());
        }
        Arrays.sort(warm);
        Arrays.sort(cpu);
        // wall time depends on what else runs on the machine; thread CPU time much less so
        System.out.printf("timing d=16 p=50 loss+gradient: cold %.0f ms wall, warm median %.0f ms wall (min %.0f, max %.0f),"
                + " warm median %.0f ms thread CPU (min %.0f); load average %.1f%n",
                coldMs, warm[1], warm[0], warm[2], cpu[1], cpu[0],
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        assertThat(warm[1]).as("warm median ms").isLessThan(5000);
    }
}
