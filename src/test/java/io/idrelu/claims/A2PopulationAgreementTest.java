package io.idrelu.claims;

import io.idrelu.audit.AngleModel;
import io.idrelu.audit.AuditReport;
import io.idrelu.audit.Auditor;
import io.idrelu.kernel.FloatKernel;
import io.idrelu.kernel.Kernel;
import io.idrelu.kernel.KernelProvider;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

/** Claim A2: fast closed-form population loss and gradient within the derived bound; negative controls. */
class A2PopulationAgreementTest {
    static final AngleModel M = Auditor.DEFAULT_ANGLE_MODEL;

    static Kernel scalar() {
        return KernelProvider.doubleKernel(KernelProvider.Choice.SCALAR);
    }

    static FloatKernel scalarFloat() {
        return KernelProvider.floatKernel(KernelProvider.Choice.SCALAR);
    }

    static void assertAllPass(List<AuditReport> reports) {
        for (AuditReport r : reports) {
            assertThat(r.passed()).as("%s", r.toMap()).isTrue();
        }
    }

    @Test
    void scalarKernelsAgreeAtSmallSizes() {
        for (int d : new int[] {1, 3, 7, 13}) {
            assertAllPass(A2PopulationAgreement.runCase(scalar(), scalarFloat(), d, true, 17L * d, M));
        }
    }

    @Test
    @Tag("slow")
    void scalarKernelsAgreeAtLargeSizes() {
        for (int d : new int[] {100, 257}) {
            assertAllPass(A2PopulationAgreement.runCase(scalar(), scalarFloat(), d, true, 17L * d, M));
        }
    }

    @Test
    void vectorKernelsAgree() {
        Assumptions.assumeTrue(KernelProvider.vectorAvailable(), "jdk.incubator.vector not readable");
        Kernel v = KernelProvider.doubleKernel(KernelProvider.Choice.VECTOR);
        FloatKernel vf = KernelProvider.floatKernel(KernelProvider.Choice.VECTOR);
        for (int d : new int[] {1, 3, 7, 13}) {
            assertAllPass(A2PopulationAgreement.runCase(v, vf, d, true, 19L * d, M));
        }
    }

    @Test
    void propertyOverDimensionsSeedsAndMapping() {
        qt().withExamples(5).forAll(integers().between(1, 7), longs().all(), booleans().all())
                .checkAssert((d, seed, id) -> assertAllPass(A2PopulationAgreement.runCase(scalar(), scalarFloat(), d, id, seed, M)));
    }

    @Test
    void injectedBugsAreCaught() {
        for (int d : new int[] {1, 3, 7}) {
            assertThat(A2PopulationAgreement.runCase(InjectedBugs.floatAccumulation(scalar()), null, d, true, 5, M))
                    .as("float accumulation d=%d", d).anyMatch(r -> !r.passed());
            assertThat(A2PopulationAgreement.runCase(InjectedBugs.droppedLastElement(scalar()), null, d, true, 5, M))
                    .as("dropped last d=%d", d).anyMatch(r -> !r.passed());
        }
        assertThat(A2PopulationAgreement.runCase(null, InjectedBugs.floatGeqMaskDroppedLast(scalarFloat()), 3, true, 5, M))
                .anyMatch(r -> !r.passed());
    }

    @Test
    void aPerturbedAngleIsCaughtAndTheClaimIsViolated() {
        // The audit must stay able to fail on the angle evaluation itself (the population fast path's largest
        // non-product cost, the place a cheaper arccos would go): Gram-route angles off by 1e-9 relative.
        for (int d : new int[] {3, 7, 13}) {
            assertThat(A2PopulationAgreement.runCase(InjectedBugs.perturbedAngle(scalar()), null, d, true, 5, M))
                    .as("perturbed angle d=%d", d).anyMatch(r -> !r.passed());
        }
        ClaimContext ok = ClaimContext.of(scalar(), scalarFloat(), 42, Preset.QUICK);
        ClaimResult bad = new A2PopulationAgreement().run(ok.withKernel(InjectedBugs.perturbedAngle(scalar())));
        assertThat(bad.verdict()).as("%s", bad.details()).isEqualTo(Verdict.VIOLATED);
    }

    @Test
    void claimHoldsOnScalarAndIsViolatedOnABrokenKernel() {
        ClaimContext ok = ClaimContext.of(scalar(), scalarFloat(), 42, Preset.QUICK);
        ClaimResult r = new A2PopulationAgreement().run(ok);
        assertThat(r.verdict()).as("%s", r.details()).isEqualTo(Verdict.HOLDS);
        ClaimResult bad = new A2PopulationAgreement().run(ok.withKernel(InjectedBugs.floatAccumulation(scalar())));
        assertThat(bad.verdict()).isEqualTo(Verdict.VIOLATED);
    }
}
