package io.idrelu.audit;

import io.idrelu.kernel.KernelProvider;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Plumbing of the {@code idrelu audit} entry point (accuracy itself: the A1..A3 claim tests). */
class AuditorTest {

    @Test
    void auditRandomCoversAllQuantitiesInBothPrecisionsAndPasses() {
        List<AuditReport> rs = Auditor.auditRandom(KernelProvider.doubleKernel(KernelProvider.Choice.SCALAR),
                KernelProvider.floatKernel(KernelProvider.Choice.SCALAR), 3, 5, Auditor.Options.forD(3).withSteps(5));
        assertThat(rs).extracting(AuditReport::quantity).contains("preActivation", "forward", "residual", "loss",
                "gradient", "gradientExactMask", "populationLoss", "populationGradient", "trajectory");
        assertThat(rs).extracting(AuditReport::precision).contains("double", "float");
        assertThat(Auditor.allPassed(rs)).as(Auditor.renderTable(rs)).isTrue();
        Map<String, Object> json = Auditor.toJson(rs);
        assertThat(json).containsEntry("passed", true);
        assertThat((List<?>) json.get("reports")).hasSize(rs.size());
        assertThat(Auditor.renderTable(rs).lines().count()).isEqualTo(rs.size() + 1);
    }

    @Test
    void inputIsCheckedAtTheBoundary() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Auditor.auditBatch(
                KernelProvider.doubleKernel(KernelProvider.Choice.SCALAR), 2, true, new double[3], new double[4],
                new double[2], 1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("!= 4");
    }
}
