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
        // second A1 case: seed trialSeed(seed, 101); 13 Gaussian + 3d = 9 near-kink rows (catches d < 3 -> d <= 3)
        assertThat(a1.replay()).startsWith("d=3, identity=true, seed=" + seed(101) + ", size=22 (13 Gaussian rows");
        Check a2 = only(bug, null, "A2 population d=3");
        assertThat(a2.passed()).as(a2.describe()).isFalse();
        assertThat(a2.message()).contains("populationGradient").contains("[2][2]");
        assertThat(a2.replay()).startsWith("d=3, identity=true, seed=" + seed(203) + ", size=0");
        assertThat(only(new ScalarKernel(), null, "A2 population d=3").passed()).isTrue();
    }

    @Test
    void tailBugIsCaughtAtOddSizesOnly() {
        Kernel bug = new TailBug(new ScalarKernel());
        Check d13 = only(bug, null, "A1 batch d=13 identity");
        assertThat(d13.passed()).isFalse();
        // d = 13 still has 13 Gaussian rows and 3d = 39 near-kink rows (catches d <= 13 -> d < 13 in either count)
        assertThat(d13.replay()).contains("size=52 (13 Gaussian rows").contains("+ 39 near-kink rows");
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
        // batch min(16, 20000 / d^2) = 16, 30 steps, eta min(0.05, 0.1 / d) = 1/30, seed trialSeed(seed, 303)
        assertThat(ok.replay()).isEqualTo(String.format(java.util.Locale.ROOT, "d=3, identity=true, seed=%d, size=16 (batch 16 x 30 "
                + "steps, eta %s, samples new GaussianSampler(%d), start Auditor.quickProblem(d, 0.5, seed, true))", seed(303),
                Math.min(0.05, 0.1 / 3), io.idrelu.model.GaussianSampler.trialSeed(seed(303), 1)));
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
        Check det = only(new ScalarKernel(), null, "determinism d=7");
        assertThat(det.passed()).isTrue();
        assertThat(det.replay()).startsWith("d=7, identity=true, seed=" + seed(400) + ", size=13");
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
        assertThat(stale.replay()).startsWith("d=13, identity=false, seed=" + seed(401) + ", size=3");
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
        assertThat(c.message()).startsWith("concurrent calls to lossAndGradient on one instance differ from the "
                + "single-threaded reference (the kernel keeps mutable state in a field or a static?): thread ")
                .contains(", call ").contains(", input ").contains("gradient[");
        assertThat(c.replay()).startsWith("d=13, identity=true, seed=" + seed(500) + ", size=7 (16 batches");
    }

    @Test
    void threadSafetyReportsAKernelThatThrowsOnlyInAnotherThread() {
        Thread main = Thread.currentThread();
        Kernel k = new Base(new ScalarKernel()) {
            @Override public double lossAndGradient(int d, boolean id, double[] w, double[] ws, double[] x, int b, double[] res, double[] g) {
                if (Thread.currentThread() != main) {
                    throw new IllegalStateException("wrong thread");
                }
                return k.lossAndGradient(d, id, w, ws, x, b, res, g);
            }
        };
        Check c = only(k, null, "thread safety d=13");
        assertThat(c.passed()).isFalse();
        assertThat(c.message()).isEqualTo("a concurrent call to lossAndGradient threw java.lang.IllegalStateException: wrong thread");
        assertThat(c.replay()).contains("16 threads started at a barrier");
    }

    @Test
    void anInterruptedThreadSafetyCheckKeepsTheInterruptFlag() {
        // the waiting thread is interrupted: the check fails (it could not decide) and the flag is restored for the caller
        Thread.currentThread().interrupt();
        Check c;
        try {
            c = only(new ScalarKernel(), null, "thread safety d=13");
        } finally {
            assertThat(Thread.interrupted()).as("interrupt flag restored").isTrue();
        }
        assertThat(c.passed()).isFalse();
        assertThat(c.message()).startsWith("interrupted while waiting").contains("not from the kernel");
    }

    @Test
    void convergenceCatchesAscent() {
        Check ok = only(new ScalarKernel(), null, "convergence d=5");
        assertThat(ok.passed()).as(ok.describe()).isTrue();
        Check c = only(new Ascent(new ScalarKernel()), null, "convergence d=5");
        assertThat(c.passed()).isFalse();
        assertThat(c.message()).contains("does not converge").contains("required >= 10");
        assertThat(ok.message()).isEqualTo(convergenceMessage(false));
        assertThat(ok.replay()).startsWith("d=5, identity=true, seed=" + seed(600) + ", size=8");
    }

    @Test
    void floatConvergenceReportsTheLossesOfTheReplay() {
        Check ok = only(null, new ScalarFloatKernel(), "convergence d=5");
        assertThat(ok.passed()).as(ok.describe()).isTrue();
        assertThat(ok.message()).isEqualTo(convergenceMessage(true));
    }

    /**
     * The passing convergence message recomputed from its replay line: W0 = 0.2 x quickProblem(5, 0.5, seed, true).w0()
     * (rounded to float on the float path), 400 sgdStep calls of batch 8 with eta 0.05 on new GaussianSampler(seed),
     * losses by ScalarKernel's population closed form. Catches a wrong start, a step too many, a wrong factor.
     */
    static String convergenceMessage(boolean flt) {
        long seed = seed(600);
        int d = 5;
        io.idrelu.model.Problem pr = Auditor.quickProblem(d, 0.5, seed, true);
        double[] w0 = new double[d * d];
        for (int i = 0; i < w0.length; i++) {
            w0[i] = 0.2 * pr.w0()[i];
        }
        io.idrelu.model.GaussianSampler s = new io.idrelu.model.GaussianSampler(seed);
        double[] ws = pr.wStar();
        double[] end;
        if (flt) {
            float[] w = io.idrelu.model.Matrices.toFloat(w0);
            float[] wsf = io.idrelu.model.Matrices.toFloat(ws);
            w0 = io.idrelu.model.Matrices.toDouble(w);
            ws = io.idrelu.model.Matrices.toDouble(wsf);
            ScalarFloatKernel k = new ScalarFloatKernel();
            FloatKernel.Scratch sc = k.newScratch(d, 8);
            for (int t = 0; t < 400; t++) {
                k.sgdStep(d, true, w, wsf.clone(), io.idrelu.model.Matrices.toFloat(s.batch(8, d)), 8, 0.05f, sc);
            }
            end = io.idrelu.model.Matrices.toDouble(w);
        } else {
            ScalarKernel k = new ScalarKernel();
            Kernel.Scratch sc = k.newScratch(d, 8);
            end = w0.clone();
            for (int t = 0; t < 400; t++) {
                k.sgdStep(d, true, end, ws.clone(), s.batch(8, d), 8, 0.05, sc);
            }
        }
        ScalarKernel judge = new ScalarKernel();
        double l0 = judge.populationLossAndGradient(d, true, w0, ws, null);
        double lT = judge.populationLossAndGradient(d, true, end, ws, null);
        assertThat(lT).isLessThan(l0 / 10);
        return String.format(java.util.Locale.ROOT, "population loss (our ScalarKernel at the kernel's iterates) %.4g -> %.4g "
                + "after 400 steps (factor %.3g; required >= 10.0)", l0, lT, l0 / lT);
    }

    @Test
    void convergenceFailsAKernelThatDoesNotMove() {
        // loss unchanged (factor 1): fails; catches the rule loosened to lT <= 10 l0
        Kernel frozen = new Base(new ScalarKernel()) {
            @Override public double sgdStep(int d, boolean id, double[] w, double[] ws, double[] x, int b, double eta, Scratch s) {
                return k.lossAndGradient(d, id, w, ws, x, b, null, new double[d * d]);
            }
        };
        Check c = only(frozen, null, "convergence d=5");
        assertThat(c.passed()).isFalse();
        assertThat(c.message()).startsWith("SGD does not converge: population loss (our ScalarKernel at the kernel's iterates) ")
                .contains("after 400 steps (factor 1.00; required >= 10.0)");
    }

    @Test
    void planListsEveryCaseOncePerPrecisionInOrder() {
        List<String> names = List.of("A1 batch d=1 identity", "A1 batch d=3 identity", "A1 batch d=3 vanilla",
                "A1 batch d=7 identity", "A1 batch d=7 vanilla", "A1 batch d=13 identity", "A1 batch d=100 identity",
                "A1 batch d=7 B=1 identity", "A1 batch d=67 B=1 identity", "A1 batch d=7 B=2 identity",
                "A1 batch d=67 B=2 identity", "A1 batch d=7 B=3 identity", "A1 batch d=67 B=3 identity",
                "A2 population d=1", "A2 population d=3", "A2 population d=7", "A2 population d=13", "A3 trajectory d=3",
                "A3 trajectory d=7", "A3 trajectory d=3 B=1", "A3 trajectory d=3 B=2", "A3 trajectory d=3 B=3",
                "determinism d=7", "determinism d=13 vanilla", "thread safety d=13", "convergence d=5");
        List<ConformanceBattery.Case> both = ConformanceBattery.plan(new ScalarKernel(), new ScalarFloatKernel(),
                ConformanceBattery.Options.defaults());
        List<String> expected = new java.util.ArrayList<>(names);
        expected.addAll(names);
        assertThat(both).extracting(ConformanceBattery.Case::name).containsExactlyElementsOf(expected);
        assertThat(both).extracting(ConformanceBattery.Case::precision).containsOnly("double", "float");
        assertThat(both.get(0).precision()).isEqualTo("double");
        assertThat(both.get(names.size()).precision()).isEqualTo("float");
        assertThat(ConformanceBattery.plan(null, null, ConformanceBattery.Options.defaults())).isEmpty();
    }

    @Test
    void runRunsEveryCaseOfThePlan() {
        // a kernel that throws at once: every case runs (and fails) in milliseconds
        Kernel dead = new Base(new ScalarKernel()) {
            @Override public void preActivations(int d, boolean id, double[] w, double[] x, int b, double[] h) { throw new IllegalStateException("dead"); }
            @Override public void forward(int d, boolean id, double[] w, double[] x, int b, double[] out) { throw new IllegalStateException("dead"); }
            @Override public double lossAndGradient(int d, boolean id, double[] w, double[] ws, double[] x, int b, double[] res, double[] g) { throw new IllegalStateException("dead"); }
            @Override public Scratch newScratch(int d, int b) { throw new IllegalStateException("dead"); }
            @Override public double populationLossAndGradient(int d, boolean id, double[] w, double[] ws, double[] g) { throw new IllegalStateException("dead"); }
        };
        List<Check> cs = ConformanceBattery.run(dead, null, ConformanceBattery.Options.defaults());
        assertThat(cs).extracting(Check::name).containsExactlyElementsOf(ConformanceBattery.plan(dead, null,
                ConformanceBattery.Options.defaults()).stream().map(ConformanceBattery.Case::name).toList());
        assertThat(cs).noneMatch(Check::passed);
        assertThat(ConformanceBattery.allPassed(cs)).isFalse();
        assertThat(cs.get(0).message()).contains("dead");
    }

    @Test
    void theA1ReplayLineReproducesTheCheck() {
        // the replay line of "A1 batch d=3 identity" followed literally gives the same reports: catches a wrong seed,
        // row count, or W0 whose column 0 is not shortened at d = 3 (d >= 3 -> d > 3)
        Check c = only(new ScalarKernel(), null, "A1 batch d=3 identity");
        long seed = seed(101);
        io.idrelu.model.Problem p = Auditor.quickProblem(3, 0.5, seed, true);
        double[] w = NearKink.roundColumn(p.w0(), 3, 0, 12);
        double[] x = NearKink.concat(io.idrelu.model.GaussianSampler.forTrial(seed, 0).batch(13, 3),
                NearKink.batch(w, 3, 9, seed, Precision.DOUBLE));
        assertThat(c.reports()).isEqualTo(Auditor.auditBatch(new ScalarKernel(), 3, true, w, p.wStar(), x, 22));
        assertThat(c.replay()).contains("(13 Gaussian rows from GaussianSampler.forTrial(seed, 0) + 9 near-kink rows");
    }

    @Test
    void populationIsAuditedAtW0WStarAndNextToWStar() {
        // A2 d = 1 (cheap): the three points of the replay line, the third one W* + 1e-3 (W0 - W*) computed here
        Check c = only(new ScalarKernel(), null, "A2 population d=1");
        assertThat(c.passed()).as(c.describe()).isTrue();
        long seed = seed(201);
        assertThat(c.replay()).startsWith("d=1, identity=true, seed=" + seed + ", size=0");
        io.idrelu.model.Problem p = Auditor.quickProblem(1, 0.5, seed, true);
        double[] near = {p.wStar()[0] + 1e-3 * (p.w0()[0] - p.wStar()[0])};
        ScalarKernel k = new ScalarKernel();
        List<AuditReport> losses = c.reports().stream().filter(r -> r.quantity().equals("populationLoss")).toList();
        assertThat(losses).extracting(r -> r.notes().get("point")).containsExactly("W0", "W*", "W* + 1e-3 (W0 - W*)");
        double[][] points = {p.w0(), p.wStar(), near};
        for (int i = 0; i < 3; i++) {
            assertThat(losses.get(i).worstFast()).as("point %d", i)
                    .isEqualTo(k.populationLossAndGradient(1, true, points[i], p.wStar(), null));
        }
    }

    @Test
    void floatDeterminismCatchesAStaleScratch() {
        FloatKernel stale = new FloatBug(new ScalarFloatKernel(), false) {
            final class Acc implements Scratch {
                float[] g;
            }

            @Override public Scratch newScratch(int d, int b) { return new Acc(); }

            @Override public float populationLossAndGradient(int d, boolean id, float[] w, float[] ws, float[] g) {
                return k.populationLossAndGradient(d, id, w, ws, g);
            }

            @Override public float sgdStep(int d, boolean id, float[] w, float[] ws, float[] x, int b, float eta, Scratch s) {
                Acc a = (Acc) s;
                if (a.g == null) {
                    a.g = new float[d * d];
                }
                float[] g = new float[d * d];
                float l = k.lossAndGradient(d, id, w, ws, x, b, null, g);
                for (int i = 0; i < g.length; i++) {
                    a.g[i] += g[i];
                    w[i] -= eta * a.g[i];
                }
                return l;
            }
        };
        Check c = only(null, stale, "determinism d=13 vanilla");
        assertThat(c.passed()).as(c.describe()).isFalse();
        assertThat(c.message()).startsWith("same input twice, different bits: sgdStep");
    }

    static long seed(int caseIndex) {
        return io.idrelu.model.GaussianSampler.trialSeed(ConformanceBattery.DEFAULT_SEED, caseIndex);
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
    static class FloatBug implements FloatKernel {
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
