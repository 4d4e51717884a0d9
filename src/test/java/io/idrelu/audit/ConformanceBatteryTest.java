package io.idrelu.audit;

import io.idrelu.audit.ConformanceBattery;
import io.idrelu.audit.ConformanceBattery.Check;
import io.idrelu.claims.InjectedBugs;
import io.idrelu.kernel.FloatKernel;
import io.idrelu.kernel.Kernel;
import io.idrelu.kernel.ScalarFloatKernel;
import io.idrelu.kernel.ScalarKernel;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Negative controls of the conformance battery (claims A1-A3 as applied to users' kernels): each check that
 * passes on {@link ScalarKernel} ({@link io.idrelu.kernel.ScalarKernelConformanceTest}) must fail on a kernel with the bug it
 * exists for, and its message must name the worst element, both values, the bound and the replay line.
 */
class ConformanceBatteryTest {
    static Check only(Kernel k, FloatKernel fk, String name) {
        ConformanceBattery.Options o = ConformanceBattery.Options.defaults();
        assertThat(o.seed()).isEqualTo(ConformanceBattery.DEFAULT_SEED);
        List<ConformanceBattery.Case> cs = ConformanceBattery.plan(k, fk, o).stream()
                .filter(c -> c.name().equals(name)).toList();
        assertThat(cs).as("case %s", name).hasSize(fk != null && k != null ? 2 : 1);
        return cs.get(0).run();
    }

    @Test
    void geqMaskFailsA1OnNearKinkRowsWithAUsefulMessage() {
        Kernel bug = InjectedBugs.geqMask(new ScalarKernel());
        assertThat(only(new ScalarKernel(), null, "A1 batch d=7 identity").passed()).isTrue();
        Check c = only(bug, null, "A1 batch d=7 identity");
        assertThat(c.passed()).as(c.describe()).isFalse();
        assertThat(c.message()).contains("A1 gradient").contains("worst element [").contains("kernel ")
                .contains("exact ").contains("> bound").contains("ratio");
        assertThat(c.replay()).contains("d=7").contains("seed=").contains("size=34");
        assertThat(c.describe()).contains("FAIL A1 batch d=7 identity [double]").contains("replay: d=7");
        // d = 1 has no near-kink rows and Gaussian rows never hit h = 0 exactly: the >= bug is invisible there,
        // which is why the battery constructs kink rows
        assertThat(only(bug, null, "A1 batch d=1 identity").passed()).isTrue();
    }

    @Test
    void droppedLastElementFailsA1AndA2() {
        Kernel bug = InjectedBugs.droppedLastElement(new ScalarKernel());
        Check a1 = only(bug, null, "A1 batch d=3 identity");
        assertThat(a1.passed()).isFalse();
        assertThat(a1.message()).contains("worst element [2][2]");
        Check a2 = only(bug, null, "A2 population d=3");
        assertThat(a2.passed()).as(a2.describe()).isFalse();
        assertThat(a2.message()).contains("populationGradient").contains("[2][2]");
        assertThat(only(new ScalarKernel(), null, "A2 population d=3").passed()).isTrue();
    }

    @Test
    void tailBugIsCaughtAtOddSizesOnly() {
        Kernel bug = new TailBug(new ScalarKernel());
        assertThat(only(bug, null, "A1 batch d=13 identity").passed()).isFalse();
        assertThat(only(bug, null, "A1 batch d=7 vanilla").passed()).isFalse();
        // d = 100 is a multiple of the block: the bug is silent there, hence the odd sizes
        assertThat(only(bug, null, "A1 batch d=100 identity").passed()).isTrue();
    }

    @Test
    void perturbedStepFailsA3() {
        Check ok = only(new ScalarKernel(), null, "A3 trajectory d=3");
        assertThat(ok.passed()).as(ok.describe()).isTrue();
        Check c = only(InjectedBugs.perturbedStep(new ScalarKernel()), null, "A3 trajectory d=3");
        assertThat(c.passed()).as(c.describe()).isFalse();
        assertThat(c.message()).contains("A3 trajectory");
        assertThat(c.replay()).contains("d=3").contains("steps");
    }

    @Test
    void floatBugFailsTheFloatPath() {
        Check ok = only(null, new ScalarFloatKernel(), "A1 batch d=3 identity");
        assertThat(ok.passed()).as(ok.describe()).isTrue();
        Check c = only(null, InjectedBugs.floatGeqMaskDroppedLast(new ScalarFloatKernel()), "A1 batch d=3 identity");
        assertThat(c.passed()).isFalse();
        assertThat(c.precision()).isEqualTo("float");
    }

    @Test
    void determinismCatchesStateAndInputMutation() {
        assertThat(only(new ScalarKernel(), null, "determinism d=7").passed()).isTrue();
        Check noisy = only(new NonDeterministic(new ScalarKernel()), null, "determinism d=7");
        assertThat(noisy.passed()).isFalse();
        assertThat(noisy.message()).contains("same input twice, different bits").contains("then");
        Check mut = only(new MutatesInput(new ScalarKernel()), null, "determinism d=7");
        assertThat(mut.passed()).isFalse();
        assertThat(mut.message()).contains("modified its input").contains("x changed");
        Check acc = only(new AccumulatesPopulationGradient(new ScalarKernel()), null, "determinism d=7");
        assertThat(acc.passed()).as(acc.describe()).isFalse();
        assertThat(acc.message()).contains("populationLossAndGradient gradient").contains("NaN");
        Check stale = only(new StaleScratch(new ScalarKernel()), null, "determinism d=13 vanilla");
        assertThat(stale.passed()).as(stale.describe()).isFalse();
        assertThat(stale.message()).contains("sgdStep");
    }

    @Test
    void determinismCatchesInputMutationInTheStep() {
        Check c = only(new MutatesInputInStep(new ScalarKernel()), null, "determinism d=7");
        assertThat(c.passed()).as(c.describe()).isFalse();
        assertThat(c.message()).contains("x changed by sgdStep");
    }

    @Test
    void floatDeterminismCatchesAccumulationAndInputMutation() {
        Check ok = only(null, new ScalarFloatKernel(), "determinism d=7");
        assertThat(ok.passed()).as(ok.describe()).isTrue();
        assertThat(ok.precision()).isEqualTo("float");
        assertThat(ok.describe()).startsWith("PASS determinism d=7 [float]").contains("replay: d=7");
        Check acc = only(null, new FloatBug(new ScalarFloatKernel(), false), "determinism d=7");
        assertThat(acc.passed()).as(acc.describe()).isFalse();
        assertThat(acc.message()).contains("populationLossAndGradient gradient").contains("NaN");
        Check mut = only(null, new FloatBug(new ScalarFloatKernel(), true), "determinism d=7");
        assertThat(mut.passed()).as(mut.describe()).isFalse();
        assertThat(mut.message()).contains("x changed by sgdStep");
    }

    @Test
    void threadSafetyCatchesSharedBuffers() {
        assertThat(only(new ScalarKernel(), null, "thread safety d=13").passed()).isTrue();
        Kernel shared = new SharedBuffer(new ScalarKernel());
        // serially the shared buffer is harmless: only the concurrent check sees it
        assertThat(only(shared, null, "determinism d=7").passed()).isTrue();
        Check c = only(shared, null, "thread safety d=13");
        assertThat(c.passed()).as(c.describe()).isFalse();
        assertThat(c.message()).contains("concurrent");
    }

    @Test
    void convergenceCatchesAscent() {
        Check ok = only(new ScalarKernel(), null, "convergence d=5");
        assertThat(ok.passed()).as(ok.describe()).isTrue();
        Check c = only(new Ascent(new ScalarKernel()), null, "convergence d=5");
        assertThat(c.passed()).isFalse();
        assertThat(c.message()).contains("does not converge").contains("required >= 10");
    }

    @Test
    void aThrowingKernelIsAFailedCheckNotACrash() {
        Check c = only(new Throwing(new ScalarKernel()), null, "A1 batch d=1 identity");
        assertThat(c.passed()).isFalse();
        assertThat(c.message()).contains("threw").contains("ArrayIndexOutOfBounds");
    }

    // ------------------------------------------------------------------ buggy kernels

    /** Delegates everything. */
    static class Base implements Kernel {
        final Kernel k;

        Base(Kernel k) {
            this.k = k;
        }

        @Override public String name() { return "bug"; }
        @Override public void preActivations(int d, boolean id, double[] w, double[] x, int b, double[] h) { k.preActivations(d, id, w, x, b, h); }
        @Override public void forward(int d, boolean id, double[] w, double[] x, int b, double[] out) { k.forward(d, id, w, x, b, out); }
        @Override public double lossAndGradient(int d, boolean id, double[] w, double[] ws, double[] x, int b, double[] res, double[] g) {
            return k.lossAndGradient(d, id, w, ws, x, b, res, g);
        }
        @Override public double sgdStep(int d, boolean id, double[] w, double[] ws, double[] x, int b, double eta, Scratch s) {
            return k.sgdStep(d, id, w, ws, x, b, eta, s);
        }
        @Override public Scratch newScratch(int d, int b) { return k.newScratch(d, b); }
        @Override public double populationLossAndGradient(int d, boolean id, double[] w, double[] ws, double[] g) {
            return k.populationLossAndGradient(d, id, w, ws, g);
        }
    }

    /** A blocked loop (block 4) whose tail skips the last gradient row when d is not a multiple of 4. */
    static final class TailBug extends Base {
        TailBug(Kernel k) { super(k); }

        @Override public double lossAndGradient(int d, boolean id, double[] w, double[] ws, double[] x, int b, double[] res, double[] g) {
            double l = k.lossAndGradient(d, id, w, ws, x, b, res, g);
            if (d % 4 != 0) {
                java.util.Arrays.fill(g, (d - 1) * d, d * d, 0.0);
            }
            return l;
        }
    }

    /** Every second call adds one ulp to the loss: not reproducible. */
    static final class NonDeterministic extends Base {
        private int calls;

        NonDeterministic(Kernel k) { super(k); }

        @Override public double lossAndGradient(int d, boolean id, double[] w, double[] ws, double[] x, int b, double[] res, double[] g) {
            double l = k.lossAndGradient(d, id, w, ws, x, b, res, g);
            return calls++ % 2 == 0 ? l : Math.nextUp(l);
        }
    }

    /** Uses x as scratch space (the contract says inputs are read only). */
    static final class MutatesInput extends Base {
        MutatesInput(Kernel k) { super(k); }

        @Override public double lossAndGradient(int d, boolean id, double[] w, double[] ws, double[] x, int b, double[] res, double[] g) {
            double l = k.lossAndGradient(d, id, w, ws, x, b, res, g);
            x[0] = 0;
            return l;
        }
    }

    /** Adds the population gradient to whatever {@code grad} held (outputs must be overwritten). */
    static final class AccumulatesPopulationGradient extends Base {
        AccumulatesPopulationGradient(Kernel k) { super(k); }

        @Override public double populationLossAndGradient(int d, boolean id, double[] w, double[] ws, double[] g) {
            double[] mine = new double[d * d];
            double l = k.populationLossAndGradient(d, id, w, ws, mine);
            for (int i = 0; i < mine.length; i++) {
                g[i] += mine[i];
            }
            return l;
        }
    }

    /** The step accumulates into a scratch gradient without clearing it first. */
    static final class StaleScratch extends Base {
        StaleScratch(Kernel k) { super(k); }

        static final class Acc implements Scratch {
            double[] g;
        }

        @Override public Scratch newScratch(int d, int b) { return new Acc(); }

        @Override public double sgdStep(int d, boolean id, double[] w, double[] ws, double[] x, int b, double eta, Scratch s) {
            Acc a = (Acc) s;
            if (a.g == null) {
                a.g = new double[d * d];
            }
            double[] g = new double[d * d];
            double l = k.lossAndGradient(d, id, w, ws, x, b, null, g);
            for (int i = 0; i < g.length; i++) {
                a.g[i] += g[i];
                w[i] -= eta * a.g[i];
            }
            return l;
        }
    }

    /** Keeps the gradient in an instance buffer between computing and copying it out (not thread-safe). */
    static final class SharedBuffer extends Base {
        private double[] buf = new double[0];

        SharedBuffer(Kernel k) { super(k); }

        @Override public double lossAndGradient(int d, boolean id, double[] w, double[] ws, double[] x, int b, double[] res, double[] g) {
            if (buf.length != d * d) {
                buf = new double[d * d];
            }
            double l = k.lossAndGradient(d, id, w, ws, x, b, res, buf);
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            System.arraycopy(buf, 0, g, 0, d * d);
            return l;
        }
    }

    /** Uses x as scratch in the step (x is read only there too). */
    static final class MutatesInputInStep extends Base {
        MutatesInputInStep(Kernel k) { super(k); }

        @Override public double sgdStep(int d, boolean id, double[] w, double[] ws, double[] x, int b, double eta, Scratch s) {
            double l = k.sgdStep(d, id, w, ws, x, b, eta, s);
            x[x.length - 1] = 0;
            return l;
        }
    }

    /** Float kernel that accumulates into the population gradient, or scribbles on x in the step. */
    static final class FloatBug implements FloatKernel {
        final FloatKernel k;
        final boolean stepMutatesX;

        FloatBug(FloatKernel k, boolean stepMutatesX) {
            this.k = k;
            this.stepMutatesX = stepMutatesX;
        }

        @Override public String name() { return "float-bug"; }
        @Override public void preActivations(int d, boolean id, float[] w, float[] x, int b, float[] h) { k.preActivations(d, id, w, x, b, h); }
        @Override public void forward(int d, boolean id, float[] w, float[] x, int b, float[] o) { k.forward(d, id, w, x, b, o); }
        @Override public float lossAndGradient(int d, boolean id, float[] w, float[] ws, float[] x, int b, float[] r, float[] g) {
            return k.lossAndGradient(d, id, w, ws, x, b, r, g);
        }
        @Override public float sgdStep(int d, boolean id, float[] w, float[] ws, float[] x, int b, float eta, Scratch s) {
            float l = k.sgdStep(d, id, w, ws, x, b, eta, s);
            if (stepMutatesX) {
                x[x.length - 1] = 0;
            }
            return l;
        }
        @Override public Scratch newScratch(int d, int b) { return k.newScratch(d, b); }
        @Override public float populationLossAndGradient(int d, boolean id, float[] w, float[] ws, float[] g) {
            if (stepMutatesX) {
                return k.populationLossAndGradient(d, id, w, ws, g);
            }
            float[] mine = new float[d * d];
            float l = k.populationLossAndGradient(d, id, w, ws, mine);
            for (int i = 0; i < mine.length; i++) {
                g[i] += mine[i];
            }
            return l;
        }
    }

    /** Gradient ascent: the sign of the update is wrong. */
    static final class Ascent extends Base {
        Ascent(Kernel k) { super(k); }

        @Override public double sgdStep(int d, boolean id, double[] w, double[] ws, double[] x, int b, double eta, Scratch s) {
            return k.sgdStep(d, id, w, ws, x, b, -eta, s);
        }
    }

    /** Reads past the end of the batch (a classic tail bug that throws). */
    static final class Throwing extends Base {
        Throwing(Kernel k) { super(k); }

        @Override public void preActivations(int d, boolean id, double[] w, double[] x, int b, double[] h) {
            h[b * d] = x[b * d];
        }
    }
}
