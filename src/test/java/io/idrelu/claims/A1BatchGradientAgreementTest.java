package io.idrelu.claims;

import io.idrelu.audit.AuditReport;
import io.idrelu.kernel.FloatKernel;
import io.idrelu.kernel.Kernel;
import io.idrelu.kernel.KernelProvider;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

/** Claim A1: fast batch quantities within the derived bound, flips only near the kink; negative controls. */
class A1BatchGradientAgreementTest {
    static final int[] SIZES = {1, 3, 7, 13, 100, 257};

    static Kernel scalar() {
        return KernelProvider.doubleKernel(KernelProvider.Choice.SCALAR);
    }

    static FloatKernel scalarFloat() {
        return KernelProvider.floatKernel(KernelProvider.Choice.SCALAR);
    }

    static List<AuditReport> run(Kernel k, FloatKernel fk, int d, boolean identity, long seed) {
        return A1BatchGradientAgreement.runCase(k, fk, d, identity, A1BatchGradientAgreement.gaussianRows(d),
                A1BatchGradientAgreement.kinkRows(d), seed);
    }

    static void assertAllPass(List<AuditReport> reports) {
        for (AuditReport r : reports) {
            assertThat(r.passed()).as("%s", r.toMap()).isTrue();
            assertThat(r.maxRatio()).as("%s", r.toMap()).isLessThanOrEqualTo(1.0);
        }
    }

    @Test
    void scalarKernelsAgreeAtAllSizes() {
        for (int d : SIZES) {
            assertAllPass(run(scalar(), scalarFloat(), d, true, 11L * d));
        }
    }

    @Test
    void vectorKernelsAgreeAtAllButTheLargestSize() {
        Assumptions.assumeTrue(KernelProvider.vectorAvailable(), "jdk.incubator.vector not readable");
        Kernel v = KernelProvider.doubleKernel(KernelProvider.Choice.VECTOR);
        FloatKernel vf = KernelProvider.floatKernel(KernelProvider.Choice.VECTOR);
        for (int d : new int[] {1, 3, 7, 13, 100}) {
            assertAllPass(run(v, vf, d, true, 13L * d));
        }
    }

    /** d = 257 on the vector kernels: seconds of un-warmed Vector API code, so in the slow tier. */
    @Test
    @Tag("slow")
    void vectorKernelsAgreeAtTheLargestSize() {
        Assumptions.assumeTrue(KernelProvider.vectorAvailable(), "jdk.incubator.vector not readable");
        assertAllPass(run(KernelProvider.doubleKernel(KernelProvider.Choice.VECTOR),
                KernelProvider.floatKernel(KernelProvider.Choice.VECTOR), 257, true, 13L * 257));
    }

    @Test
    void propertyOverDimensionsSeedsAndMapping() {
        qt().withExamples(8).forAll(integers().between(1, 13), longs().all(), booleans().all())
                .checkAssert((d, seed, identity) -> assertAllPass(run(scalar(), scalarFloat(), d, identity, seed)));
    }

    /** Both activation states, exact zeros, and real (allowed) flips occur in both precisions. */
    @Test
    void nearKinkCoverageIsExercised() {
        long flipsD = 0;
        long flipsF = 0;
        long zeros = 0;
        long active = 0;
        long inactive = 0;
        for (int d : new int[] {3, 7, 13}) {
            for (AuditReport r : run(scalar(), scalarFloat(), d, true, 5L * d)) {
                if (!r.quantity().equals("preActivation")) {
                    continue;
                }
                assertThat(r.disallowedFlips()).isZero();
                assertThat(r.allowedFlips()).isEqualTo(r.flips());
                if (r.precision().equals("double")) {
                    flipsD += r.flips();
                } else {
                    flipsF += r.flips();
                }
                zeros += ((Number) r.notes().get("exactZeroPreActivations")).longValue();
                active += ((Number) r.notes().get("activeExact")).longValue();
                inactive += ((Number) r.notes().get("inactiveExact")).longValue();
            }
        }
        assertThat(flipsD).as("double flips exercised").isPositive();
        assertThat(flipsF).as("float flips exercised").isPositive();
        assertThat(zeros).isPositive();
        assertThat(active).isPositive();
        assertThat(inactive).isPositive();
    }

    static boolean caught(Function<Kernel, Kernel> bug, int d) {
        return run(bug.apply(scalar()), null, d, true, 7L * d).stream().anyMatch(r -> !r.passed());
    }

    @Test
    void injectedBugsAreCaught() {
        for (int d : new int[] {3, 7, 13}) {
            assertThat(caught(InjectedBugs::droppedLastElement, d)).as("dropped last, d=%d", d).isTrue();
            assertThat(caught(InjectedBugs::geqMask, d)).as(">= mask, d=%d", d).isTrue();
            assertThat(caught(InjectedBugs::floatAccumulation, d)).as("float accumulation, d=%d", d).isTrue();
        }
        assertThat(caught(InjectedBugs::droppedLastElement, 1)).isTrue();
        assertThat(caught(InjectedBugs::floatAccumulation, 1)).isTrue();
        List<AuditReport> f = run(null, InjectedBugs.floatGeqMaskDroppedLast(scalarFloat()), 7, true, 3);
        assertThat(f).anyMatch(r -> !r.passed());
    }

    /** The >= bug is caught by the fast-mask gradient check exactly at the constructed exact zeros. */
    @Test
    void geqMaskIsCaughtByTheGradientCheck() {
        List<AuditReport> rs = run(InjectedBugs.geqMask(scalar()), null, 7, true, 21);
        AuditReport g = rs.stream().filter(r -> r.quantity().equals("gradient")).findFirst().orElseThrow();
        assertThat(g.passed()).isFalse();
        assertThat(g.worstIndex()).endsWith("[0]");
    }

    @Test
    void claimHoldsOnScalarAndIsViolatedOnABrokenKernel() {
        ClaimContext ok = ClaimContext.of(scalar(), scalarFloat(), 42, Preset.QUICK);
        ClaimResult r = new A1BatchGradientAgreement().run(ok);
        assertThat(r.verdict()).as("%s", r.details()).isEqualTo(Verdict.HOLDS);
        assertThat(r.measured()).isLessThanOrEqualTo(1.0);
        ClaimResult bad = new A1BatchGradientAgreement().run(ok.withKernel(InjectedBugs.geqMask(scalar())));
        assertThat(bad.verdict()).isEqualTo(Verdict.VIOLATED);
        assertThat(bad.worst()).isNotNull();
    }
}
