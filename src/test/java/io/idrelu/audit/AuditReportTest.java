package io.idrelu.audit;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link AuditReport} serialisation and the {@link AuditTable} text of {@code idrelu audit} (claims A1-A3) on
 * hand-made reports: every field reaches the JSON map, non-finite numbers become strings (JSON has no NaN), an
 * infinite ULP distance prints as {@code inf}, a failing row says FAIL.
 */
class AuditReportTest {
    static AuditReport report(double maxRel, long maxUlp, boolean passed, Map<String, Object> notes) {
        return new AuditReport("A1", "gradient", "scalar", "double", 3, 4, "true", 9, 1.5e-3, maxRel, maxUlp, 11.5,
                "[1][2]", 0.125, "0.1234", 1.5e-3, 3e-3, 0.5, passed ? 0 : 2, 3, 2, passed ? 0 : 1, passed,
                "gamma_{d+1} sum|x||W|", notes);
    }

    @Test
    void toMapHasEveryFieldInOrderAndNonFiniteNumbersAsStrings() {
        Map<String, Object> notes = new LinkedHashMap<>();
        notes.put("finite", 0.25);
        notes.put("nan", Double.NaN);
        notes.put("label", "x");
        Map<String, Object> m = report(Double.POSITIVE_INFINITY, 7, true, notes).toMap();
        assertThat(m.keySet()).containsExactly("claimId", "quantity", "kernel", "precision", "d", "batch", "units",
                "elements", "maxAbsError", "maxRelError", "maxUlp", "minBitsCorrect", "worstIndex", "worstFast", "worstExact",
                "worstError", "worstBound", "maxRatio", "violations", "flips", "allowedFlips", "disallowedFlips", "passed",
                "bound", "notes");
        assertThat(m).containsEntry("maxAbsError", 1.5e-3).containsEntry("maxRelError", "Infinity")
                .containsEntry("maxUlp", 7L).containsEntry("worstFast", 0.125).containsEntry("worstExact", "0.1234")
                .containsEntry("minBitsCorrect", 11.5).containsEntry("worstBound", 3e-3).containsEntry("maxRatio", 0.5)
                .containsEntry("elements", 9L).containsEntry("flips", 3L).containsEntry("allowedFlips", 2L)
                .containsEntry("passed", true).containsEntry("d", 3).containsEntry("batch", 4);
        Map<String, Object> expectedNotes = new LinkedHashMap<>();
        expectedNotes.put("finite", 0.25);
        expectedNotes.put("nan", "NaN");
        expectedNotes.put("label", "x");
        assertThat(m.get("notes")).isEqualTo(expectedNotes);
        assertThat(List.copyOf(((Map<?, ?>) m.get("notes")).keySet())).isEqualTo(List.of("finite", "nan", "label"));
    }

    @Test
    void failedKeepsEveryFieldAndAddsTheReason() {
        AuditReport r = report(2e-4, 7, true, Map.of("a", 1));
        AuditReport f = r.failed("diverged");
        assertThat(f.passed()).isFalse();
        assertThat(f.notes()).containsEntry("a", 1).containsEntry("failure", "diverged");
        Map<String, Object> fm = new LinkedHashMap<>(f.toMap());
        Map<String, Object> rm = new LinkedHashMap<>(r.toMap());
        fm.remove("passed");
        fm.remove("notes");
        rm.remove("passed");
        rm.remove("notes");
        assertThat(fm).isEqualTo(rm);
    }

    @Test
    void tableHasAHeaderAndOneLinePerReport() {
        String t = AuditTable.render(List.of(report(2e-4, 7, true, Map.of()), report(2e-4, Long.MAX_VALUE, false, Map.of())));
        List<String> lines = t.lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0).split(" +")).containsExactly("id", "quantity", "kernel", "prec", "d", "batch", "units",
                "maxAbsErr", "maxRelErr", "maxUlp", "bits", "worstErr", "worstBnd", "ratio", "flips", "allowed", "ok");
        // numbers: %.3e for errors and bounds, %.1f bits, %.2e ratio; ULPs as an integer or inf
        assertThat(lines.get(1).split(" +")).containsExactly("A1", "gradient", "scalar", "double", "3", "4", "true",
                "1.500e-03", "2.000e-04", "7", "11.5", "1.500e-03", "3.000e-03", "5.00e-01", "3", "2", "PASS");
        assertThat(lines.get(2).split(" +")).containsExactly("A1", "gradient", "scalar", "double", "3", "4", "true",
                "1.500e-03", "2.000e-04", "inf", "11.5", "1.500e-03", "3.000e-03", "5.00e-01", "3", "2", "FAIL");
        assertThat(Auditor.renderTable(List.of())).isEqualTo(lines.get(0) + System.lineSeparator());
    }
}
