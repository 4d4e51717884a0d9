package io.idrelu.claims;

import io.idrelu.audit.AuditReport;
import io.idrelu.audit.Auditor;
import io.idrelu.kernel.FloatKernel;
import io.idrelu.kernel.Kernel;
import io.idrelu.kernel.KernelProvider;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The measurements quoted in proofs-notes/A1.md, proofs-notes/A2.md, proofs-notes/A3.md (observed/bound per quantity, flips,
 * and how far the injected bugs land outside the bounds). Writes target/audit-measurements.txt.
 * Run: {@code mvn -B -ntp -o test -Pdeep -Dtest=AuditMeasurementsTest}.
 */
@Tag("deep")
class AuditMeasurementsTest {

    @Test
    void measure() throws IOException {
        List<Kernel> ks = new ArrayList<>(List.of(KernelProvider.doubleKernel(KernelProvider.Choice.SCALAR)));
        List<FloatKernel> fks = new ArrayList<>(List.of(KernelProvider.floatKernel(KernelProvider.Choice.SCALAR)));
        if (KernelProvider.vectorAvailable()) {
            ks.add(KernelProvider.doubleKernel(KernelProvider.Choice.VECTOR));
            fks.add(KernelProvider.floatKernel(KernelProvider.Choice.VECTOR));
        }
        List<AuditReport> a1 = new ArrayList<>();
        List<AuditReport> a2 = new ArrayList<>();
        List<AuditReport> a3 = new ArrayList<>();
        for (int i = 0; i < ks.size(); i++) {
            for (int d : new int[] {1, 3, 7, 13, 100, 257}) {
                a1.addAll(A1BatchGradientAgreement.runCase(ks.get(i), fks.get(i), d, true,
                        A1BatchGradientAgreement.gaussianRows(d), A1BatchGradientAgreement.kinkRows(d), 100 + d));
            }
            for (int d : new int[] {1, 3, 7, 13, 100}) {
                a2.addAll(A2PopulationAgreement.runCase(ks.get(i), fks.get(i), d, true, 200 + d, Auditor.DEFAULT_ANGLE_MODEL));
            }
            for (int d : new int[] {1, 3, 7, 13, 100}) {
                a3.addAll(A3TrajectoryAgreement.runCase(ks.get(i), fks.get(i), d, true, 300 + d,
                        A3TrajectoryAgreement.options(d, 50)));
            }
        }
        Kernel s = ks.get(0);
        List<AuditReport> bugs = new ArrayList<>();
        bugs.addAll(A1BatchGradientAgreement.runCase(InjectedBugs.geqMask(s), null, 7, true, 4, 21, 7));
        bugs.addAll(A1BatchGradientAgreement.runCase(InjectedBugs.droppedLastElement(s), null, 7, true, 4, 21, 7));
        bugs.addAll(A1BatchGradientAgreement.runCase(InjectedBugs.floatAccumulation(s), null, 7, true, 4, 21, 7));
        bugs.addAll(A2PopulationAgreement.runCase(InjectedBugs.floatAccumulation(s), null, 7, true, 7, Auditor.DEFAULT_ANGLE_MODEL));
        bugs.addAll(A3TrajectoryAgreement.runCase(InjectedBugs.perturbedStep(s), null, 7, true, 7, A3TrajectoryAgreement.options(7, 30)));
        StringBuilder sb = new StringBuilder();
        sb.append("# A1\n").append(Auditor.renderTable(a1));
        sb.append("# A2\n").append(Auditor.renderTable(a2));
        for (AuditReport r : a2) {
            if (r.quantity().equals("populationLoss") && r.d() == 13) {
                sb.append("# A2 function ulps (").append(r.precision()).append(", ").append(r.kernel()).append("): ")
                        .append(r.notes()).append('\n');
            }
        }
        sb.append("# A3\n").append(Auditor.renderTable(a3));
        for (AuditReport r : a3) {
            sb.append("# A3 ").append(r.kernel()).append('/').append(r.precision()).append(" d=").append(r.d())
                    .append(" finalObserved=").append(r.notes().get("finalObserved"))
                    .append(" finalEnvelope=").append(r.notes().get("finalEnvelope"))
                    .append(" maxAmplification=").append(r.notes().get("maxAmplification"))
                    .append(" L0=").append(r.notes().get("populationLoss0"))
                    .append(" Lfast=").append(r.notes().get("populationLossFast"))
                    .append(" Lref=").append(r.notes().get("populationLossReference")).append('\n');
        }
        sb.append("# injected bugs (must FAIL)\n").append(Auditor.renderTable(bugs));
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target/audit-measurements.txt"), sb.toString());
        System.err.println(sb);
        assertThat(Auditor.allPassed(a1) && Auditor.allPassed(a2) && Auditor.allPassed(a3)).isTrue();
    }
}
