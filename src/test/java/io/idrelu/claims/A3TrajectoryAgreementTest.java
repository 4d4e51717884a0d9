package io.idrelu.claims;

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
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

/** Claim A3: fast and reference SGD within the divergence envelope, same outcome; negative controls. */
class A3TrajectoryAgreementTest {
    static Kernel scalar() {
        return KernelProvider.doubleKernel(KernelProvider.Choice.SCALAR);
    }

    static FloatKernel scalarFloat() {
        return KernelProvider.floatKernel(KernelProvider.Choice.SCALAR);
    }

    static List<AuditReport> run(Kernel k, FloatKernel fk, int d, long seed, int steps) {
        return A3TrajectoryAgreement.runCase(k, fk, d, true, seed, A3TrajectoryAgreement.options(d, steps));
    }

    static void assertAllPass(List<AuditReport> reports) {
        for (AuditReport r : reports) {
            assertThat(r.passed()).as("%s", r.toMap()).isTrue();
            assertThat(r.maxRatio()).isLessThanOrEqualTo(1.0);
        }
    }

    @Test
    void scalarKernelsStayInTheEnvelopeAtAllSizes() {
        for (int d : new int[] {1, 3, 7, 13}) {
            assertAllPass(run(scalar(), scalarFloat(), d, 23L * d, 20));
        }
        assertAllPass(run(scalar(), scalarFloat(), 100, 2300, 20));
    }

    @Test
    @Tag("slow")
    void scalarKernelsStayInTheEnvelopeAtTheLargestSize() {
        assertAllPass(run(scalar(), scalarFloat(), 257, 23L * 257, 20));
    }

    @Test
    void vectorKernelsStayInTheEnvelope() {
        Assumptions.assumeTrue(KernelProvider.vectorAvailable(), "jdk.incubator.vector not readable");
        Kernel v = KernelProvider.doubleKernel(KernelProvider.Choice.VECTOR);
        FloatKernel vf = KernelProvider.floatKernel(KernelProvider.Choice.VECTOR);
        for (int d : new int[] {1, 3, 7, 13}) {
            assertAllPass(run(v, vf, d, 29L * d, 10));
        }
    }

    @Test
    void propertyOverDimensionsAndSeeds() {
        qt().withExamples(4).forAll(integers().between(1, 8), longs().all())
                .checkAssert((d, seed) -> assertAllPass(run(scalar(), scalarFloat(), d, seed, 10)));
    }

    /** The envelope is not vacuous: the observed divergence is non-zero and the envelope stays small. */
    @Test
    void envelopeIsInformative() {
        AuditReport r = run(scalar(), null, 7, 3, 30).get(0);
        assertThat((Double) r.notes().get("finalEnvelope")).isLessThan(1e-9);
        assertThat(r.notes()).containsKey("populationLossFast");
    }

    @Test
    void injectedBugsAreCaught() {
        for (int d : new int[] {1, 3, 7}) {
            assertThat(run(InjectedBugs.perturbedStep(scalar()), null, d, 31, 10)).as("perturbed step d=%d", d)
                    .anyMatch(r -> !r.passed());
            assertThat(run(InjectedBugs.floatAccumulation(scalar()), null, d, 31, 10)).as("float acc d=%d", d)
                    .anyMatch(r -> !r.passed());
            assertThat(run(InjectedBugs.droppedLastElement(scalar()), null, d, 31, 10)).as("dropped d=%d", d)
                    .anyMatch(r -> !r.passed());
        }
        assertThat(run(null, InjectedBugs.floatGeqMaskDroppedLast(scalarFloat()), 3, 31, 10)).anyMatch(r -> !r.passed());
    }

    @Test
    void claimHoldsOnScalarAndIsViolatedOnABrokenKernel() {
        ClaimContext ok = ClaimContext.of(scalar(), scalarFloat(), 42, Preset.QUICK);
        ClaimResult r = new A3TrajectoryAgreement().run(ok);
        assertThat(r.verdict()).as("%s", r.details()).isEqualTo(Verdict.HOLDS);
        ClaimResult bad = new A3TrajectoryAgreement().run(ok.withKernel(InjectedBugs.perturbedStep(scalar())));
        assertThat(bad.verdict()).isEqualTo(Verdict.VIOLATED);
        assertThat(Auditor.Options.forD(3).eta()).isPositive();
    }

    /**
     * The report's series (worst trajectory): steps 1..T, the observed divergence at or below the envelope at
     * every point when the claim holds; on a perturbed step (negative control) the same comparison fails.
     */
    @Test
    void seriesShowTheWorstTrajectoryWithinItsEnvelope() {
        ClaimContext ok = ClaimContext.of(scalar(), scalarFloat(), 42, Preset.QUICK);
        for (ClaimContext c : new ClaimContext[] {ok, ok.withKernel(InjectedBugs.perturbedStep(scalar()))}) {
            ClaimResult r = new A3TrajectoryAgreement().run(c);
            double[] step = SeriesOf.get(r, "step");
            double[] obs = SeriesOf.get(r, A3TrajectoryAgreement.SERIES_OBSERVED);
            double[] env = SeriesOf.get(r, A3TrajectoryAgreement.SERIES_ENVELOPE);
            assertThat(obs).hasSameSizeAs(step).hasSameSizeAs(env);
            assertThat(step.length).isGreaterThan(1);
            assertThat(step[0]).isEqualTo(1);
            boolean within = true;
            for (int i = 0; i < step.length; i++) {
                within &= obs[i] <= env[i];
                if (i > 0) {
                    assertThat(step[i]).isGreaterThan(step[i - 1]);
                }
            }
            assertThat(within).as("%s: divergence <= envelope at every plotted step", r.verdict())
                    .isEqualTo(r.verdict() == Verdict.HOLDS);
            assertThat(SeriesOf.plot(r).logY()).isTrue();
        }
    }
}
