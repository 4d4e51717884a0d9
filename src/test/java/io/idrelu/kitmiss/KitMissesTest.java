package io.idrelu.kitmiss;

import io.idrelu.audit.AuditReport;
import io.idrelu.audit.Auditor;
import io.idrelu.audit.ConformanceBattery;
import io.idrelu.claims.A1BatchGradientAgreement;
import io.idrelu.claims.A3TrajectoryAgreement;
import io.idrelu.claims.ClaimContext;
import io.idrelu.claims.ClaimResult;
import io.idrelu.claims.Preset;
import io.idrelu.claims.Verdict;
import io.idrelu.kernel.Kernel;
import io.idrelu.kernel.ScalarKernel;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12, "Conformance kit misses": each faulty kernel passed every check it names before the change and is
 * caught now, by each place the issue names; our scalar kernel is the control.
 */
class KitMissesTest {
    static ConformanceBattery.Check battery(Kernel k, String name) {
        List<ConformanceBattery.Case> cs = ConformanceBattery.plan(k, null, ConformanceBattery.Options.defaults()).stream()
                .filter(c -> c.name().equals(name)).toList();
        assertThat(cs).as(name).hasSize(1);
        return cs.get(0).run();
    }

    static List<AuditReport> failed(List<AuditReport> rs) {
        return rs.stream().filter(r -> !r.passed()).toList();
    }

    // ------------------------------------------------------------------ batch 1

    @Test
    void halfGradientAtBatchOneIsCaughtByTheAudit() {
        Kernel half = new HalfGradientAtBatchOneKernel();
        // (d = 1 is no use here: the random d = 1 instance has W0 = W*, so every gradient is 0)
        for (int d : new int[] {3, 7}) {
            List<AuditReport> rs = Auditor.auditRandom(half, null, d, 1, Auditor.Options.forD(d));
            // only the batch-1 quantities fail: the gradient (A1) and the trajectory (A3); batches 2, 3 and the
            // audit's own batch pass, as they did before
            assertThat(failed(rs)).as("d=%d", d).isNotEmpty().allMatch(r -> r.batch() == 1 || r.quantity().equals("trajectory"));
            assertThat(failed(rs)).extracting(AuditReport::quantity).contains("gradient", "trajectory");
            assertThat(rs).filteredOn(r -> r.quantity().equals("trajectory") && r.batch() > 1).allMatch(AuditReport::passed);
            assertThat(rs).filteredOn(r -> r.claimId().equals("A1") && r.batch() > 1).allMatch(AuditReport::passed);
            assertThat(Auditor.allPassed(Auditor.auditRandom(new ScalarKernel(), null, d, 1, Auditor.Options.forD(d)))).isTrue();
        }
    }

    @Test
    void halfGradientAtBatchOneViolatesA1AndA3() {
        Kernel half = new HalfGradientAtBatchOneKernel();
        ClaimContext ctx = ClaimContext.of(half, null, 42, Preset.QUICK);
        ClaimResult a1 = new A1BatchGradientAgreement().run(ctx);
        assertThat(a1.verdict()).isEqualTo(Verdict.VIOLATED);
        assertThat(a1.worst().config()).containsEntry("gaussianRows", 1).containsEntry("kinkRows", 0);
        ClaimResult a3 = new A3TrajectoryAgreement().run(ctx);
        assertThat(a3.verdict()).isEqualTo(Verdict.VIOLATED);
        assertThat(a3.worst().config()).containsEntry("batch", 1);
        ClaimContext ok = ClaimContext.of(new ScalarKernel(), null, 42, Preset.QUICK);
        assertThat(new A1BatchGradientAgreement().run(ok).verdict()).isEqualTo(Verdict.HOLDS);
        assertThat(new A3TrajectoryAgreement().run(ok).verdict()).isEqualTo(Verdict.HOLDS);
    }

    @Test
    void halfGradientAtBatchOneFailsTheBatteryAtBatchOneOnly() {
        Kernel half = new HalfGradientAtBatchOneKernel();
        for (String name : new String[] {"A1 batch d=7 B=1 identity", "A1 batch d=67 B=1 identity", "A3 trajectory d=3 B=1"}) {
            ConformanceBattery.Check c = battery(half, name);
            assertThat(c.passed()).as(c.describe()).isFalse();
            assertThat(c.message()).contains(name.startsWith("A1") ? "A1 gradient" : "A3 trajectory");
            assertThat(battery(new ScalarKernel(), name).passed()).as("control %s", name).isTrue();
        }
        // the cases that existed before all pass: that is the miss
        for (String name : new String[] {"A1 batch d=7 identity", "A1 batch d=7 B=2 identity", "A1 batch d=7 B=3 identity",
                "A3 trajectory d=3", "A3 trajectory d=3 B=2", "A3 trajectory d=3 B=3"}) {
            assertThat(battery(half, name).passed()).as(name).isTrue();
        }
    }

    // ------------------------------------------------------------------ quick preset: output reuse, d > 64

    static ClaimResult a1Quick(Kernel k) {
        return new A1BatchGradientAgreement().run(ClaimContext.of(k, null, 42, Preset.QUICK));
    }

    @Test
    void theQuickPresetCatchesAKernelThatAccumulatesIntoItsOutput() {
        ClaimResult r = a1Quick(new AccumulatingGradientKernel());
        assertThat(r.verdict()).isEqualTo(Verdict.VIOLATED);
        assertThat(r.worst().config()).containsEntry("quantity", "repeatability");
        @SuppressWarnings("unchecked")
        List<String> failures = (List<String>) r.details().get("failures");
        assertThat(failures).isNotEmpty().allMatch(f -> f.startsWith("repeatability/double/accumulating-gradient"))
                .anyMatch(f -> f.contains("adds into its outputs"));
    }

    @Test
    void theQuickPresetCatchesAKernelWrongOnlyPastD64() {
        ClaimResult r = a1Quick(new WrongPastD64Kernel());
        assertThat(r.verdict()).isEqualTo(Verdict.VIOLATED);
        assertThat(r.worst().config()).containsEntry("d", 67).containsEntry("quantity", "gradient");
        // and every d <= 64 of the preset passes: only the new d = 67 sees it
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> reports = (List<Map<String, Object>>) r.details().get("reports");
        Map<Integer, Boolean> passedByD = reports.stream().collect(Collectors.groupingBy(m -> (Integer) m.get("d"),
                Collectors.reducing(true, m -> (Boolean) m.get("passed"), Boolean::logicalAnd)));
        assertThat(passedByD).containsEntry(1, true).containsEntry(3, true).containsEntry(7, true).containsEntry(67, false);
    }

    @Test
    void theQuickPresetStillHoldsOnTheScalarKernelAndChecksRepeatabilityEverywhere() {
        ClaimResult r = a1Quick(new ScalarKernel());
        assertThat(r.verdict()).isEqualTo(Verdict.HOLDS);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> reports = (List<Map<String, Object>>) r.details().get("reports");
        // one repeatability report per audited batch, batches 1-3 included, and d > 64 covered
        long batches = reports.stream().filter(m -> m.get("quantity").equals("gradient")).count();
        assertThat(reports.stream().filter(m -> m.get("quantity").equals("repeatability")).count()).isEqualTo(batches);
        assertThat(reports).extracting(m -> m.get("batch")).contains(1, 2, 3);
        assertThat(reports).extracting(m -> (Integer) m.get("d")).anyMatch(d -> d > 64 && d % 2 == 1);
    }
}
