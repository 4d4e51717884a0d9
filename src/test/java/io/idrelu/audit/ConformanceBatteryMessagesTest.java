package io.idrelu.audit;

import io.idrelu.audit.ConformanceBattery.Check;
import io.idrelu.audit.ConformanceBattery.DoubleTarget;
import io.idrelu.audit.ConformanceBattery.FloatTarget;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The messages of the conformance battery (issue 6: a failure names the worst element, both values, the bound and
 * the replay line; claims A1-A3 as applied to users' kernels) on hand-made {@link AuditReport}s, so that every
 * branch of {@link ConformanceBattery#fromReports} is pinned without running a kernel (milliseconds). Each test
 * says which wrong message it catches.
 */
class ConformanceBatteryMessagesTest {
    private static final ConformanceBattery.Target DOUBLE = new DoubleTarget(null);

    /** A report with the fields the message reads; violations / disallowed flips / passed as given. */
    static AuditReport rep(String claim, String quantity, double ratio, long violations, long allowed, long disallowed,
                           String worstIndex, String exact, Map<String, Object> notes) {
        boolean passed = violations == 0 && disallowed == 0;
        return new AuditReport(claim, quantity, "bug", "double", 3, 4, quantity.contains("radient") ? "true" : "none",
                12, 1.5e-3, 2.5e-4, 7, 11.5, worstIndex, 0.125, exact, 1.5e-3, 1.5e-3 / ratio, ratio, violations,
                allowed + disallowed, allowed, disallowed, passed, "gamma_{d+1} sum|x||W|", notes);
    }

    static AuditReport rep(String claim, String quantity, double ratio, long violations) {
        return rep(claim, quantity, ratio, violations, 0, 0, "[1][2]", "0.1234", Map.of());
    }

    static Map<String, Object> notes(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void failureNamesWorstElementBothValuesBoundAndCounts() {
        AuditReport g = rep("A1", "gradient", 2.0, 3);
        Check c = ConformanceBattery.fromReports("A1 batch d=3 identity", DOUBLE,
                List.of(rep("A1", "forward", 0.5, 0), g), "d=3, seed=5, size=4");
        assertThat(c.passed()).isFalse();
        assertThat(c.precision()).isEqualTo("double");
        assertThat(c.replay()).isEqualTo("d=3, seed=5, size=4");
        assertThat(c.reports()).hasSize(2);
        // every number formatted as the spec says: %.4g error, bound, ratio; element counts; the bound's formula
        assertThat(c.message()).isEqualTo("A1 gradient (units true) exceeds its bound: worst element [1][2]: kernel 0.125, "
                + "exact 0.1234, |error| 0.001500 > bound 0.0007500 (ratio 2.000); 3 of 12 elements over the bound; "
                + "bound gamma_{d+1} sum|x||W|");
        assertThat(c.describe()).isEqualTo("FAIL A1 batch d=3 identity [double]: " + c.message() + System.lineSeparator()
                + "  replay: d=3, seed=5, size=4");
    }

    @Test
    void failureAtAPopulationPointNamesThePointAndTheOtherFailures() {
        // catches: the point dropped from the worst element or from the 'also failing' list, the worst report listed
        // again among the others, 'also failing' printed for a single failure
        AuditReport worst = rep("A2", "populationGradient", 3.0, 2, 0, 0, "[0][1]", "1.0", notes("point", "W*"));
        AuditReport other = rep("A2", "populationLoss", 1.5, 1, 0, 0, "", "2.0", notes("point", "W0"));
        AuditReport noPoint = rep("A2", "populationLoss", 1.2, 1);
        Check c = ConformanceBattery.fromReports("A2 population d=3", DOUBLE,
                List.of(rep("A2", "populationLoss", 0.1, 0), other, worst, noPoint), "r");
        assertThat(c.message()).startsWith("A2 populationGradient (units true) exceeds its bound: worst element [0][1] at W*: "
                + "kernel 0.125, exact 1.0,");
        assertThat(c.message()).endsWith("; bound gamma_{d+1} sum|x||W|; also failing: A2 populationLoss at W0, A2 populationLoss");
        Check single = ConformanceBattery.fromReports("A2 population d=3", DOUBLE, List.of(worst), "r");
        assertThat(single.message()).doesNotContain("also failing").endsWith("; bound gamma_{d+1} sum|x||W|");
    }

    @Test
    void trajectoryFailureExplainsTheMissingExactValueAndTheReason() {
        // catches: the empty exact value printed as is, the A3 failure reason (notes "failure") dropped
        AuditReport t = rep("A3", "trajectory", 0.5, 0, 0, 0, "step 30", "", Map.of()).failed("SGD diverged");
        Check c = ConformanceBattery.fromReports("A3 trajectory d=3", DOUBLE, List.of(t), "r");
        assertThat(c.passed()).isFalse();
        assertThat(c.message()).isEqualTo("A3 trajectory (units none) exceeds its bound: worst element step 30: kernel 0.125, "
                + "exact (reference trajectory; kernel value = observed distance), |error| 0.001500 > bound 0.003000 "
                + "(ratio 0.5000); 0 of 12 elements over the bound; SGD diverged; bound gamma_{d+1} sum|x||W|");
    }

    @Test
    void disallowedFlipsAreReportedWithTheirWitness() {
        // catches: flips not reported (> 0 -> >= 0 prints '0 activation flips', dropped branch prints none)
        AuditReport flips = rep("A1", "preActivation", 0.25, 0, 1, 2, "[4][0]", "0", notes("disallowedFlipWitness", "row 4 unit 0"));
        Check c = ConformanceBattery.fromReports("A1", DOUBLE, List.of(flips), "r");
        assertThat(c.message()).contains("; 0 of 12 elements over the bound; 2 activation flips away from the kink (row 4 unit 0); bound");
        AuditReport noWitness = rep("A1", "preActivation", 0.25, 0, 0, 1, "[4][0]", "0", Map.of());
        assertThat(ConformanceBattery.fromReports("A1", DOUBLE, List.of(noWitness), "r").message())
                .contains("; 1 activation flips away from the kink (see preActivation); bound");
        AuditReport noFlips = rep("A1", "gradient", 2, 1);
        assertThat(ConformanceBattery.fromReports("A1", DOUBLE, List.of(noFlips), "r").message()).doesNotContain("flips");
    }

    @Test
    void theWorstFailureIsTheLargestRatioAmongViolationsThenTheMostFlips() {
        // a report failing by flips only (no violation) ranks below any violation whatever its ratio (0.9 < 1 here)
        AuditReport byFlips = rep("A1", "preActivation", 0.9, 0, 0, 5, "[0][0]", "0", Map.of());
        AuditReport violating = rep("A1", "gradient", 1.1, 1);
        AuditReport worse = rep("A1", "forward", 4.0, 1);
        assertThat(ConformanceBattery.fromReports("A1", DOUBLE, List.of(worse, byFlips, violating), "r").message())
                .startsWith("A1 forward ");
        assertThat(ConformanceBattery.fromReports("A1", DOUBLE, List.of(violating, byFlips), "r").message())
                .startsWith("A1 gradient ");
        // among flip-only failures the most flips wins, not the larger ratio (catches violations > 0 -> >= 0)
        AuditReport fewFlipsHighRatio = rep("A1", "gradientExactMask", 0.95, 0, 0, 1, "[1][1]", "0", Map.of());
        AuditReport manyFlipsLowRatio = rep("A1", "preActivation", 0.05, 0, 0, 3, "[2][2]", "0", Map.of());
        assertThat(ConformanceBattery.fromReports("A1", DOUBLE, List.of(fewFlipsHighRatio, manyFlipsLowRatio), "r").message())
                .startsWith("A1 preActivation ");
        // catches the ratio ignored altogether (ranking by flips only)
        AuditReport bigViolation = rep("A1", "gradient", 2.0, 1, 0, 0, "[0][0]", "0", Map.of());
        AuditReport manyFlips = rep("A1", "preActivation", 0.5, 0, 0, 3, "[2][2]", "0", Map.of());
        assertThat(ConformanceBattery.fromReports("A1", DOUBLE, List.of(manyFlips, bigViolation), "r").message())
                .startsWith("A1 gradient ");
    }

    @Test
    void passMessageGivesTheMarginWithoutTheFlipAllowanceAndCountsAllowedFlips() {
        // gradientExactMask uses its flip allowance fully (ratio ~1): the margin is read from the other quantities;
        // the allowed flips are those of preActivation only (the other reports repeat them)
        Check c = ConformanceBattery.fromReports("A1 batch d=3 identity", new FloatTarget(null), List.of(
                rep("A1", "preActivation", 0.25, 0, 3, 0, "[0][0]", "0", Map.of()),
                rep("A1", "gradientExactMask", 0.99, 0, 5, 0, "[0][0]", "0", Map.of()),
                rep("A1", "gradient", 0.5, 0, 7, 0, "[0][0]", "0", Map.of())), "r");
        assertThat(c.passed()).isTrue();
        assertThat(c.precision()).isEqualTo("float");
        assertThat(c.message()).isEqualTo("3 quantities within their bounds; largest error/bound 0.500 (A1 gradient); "
                + "3 allowed activation flips at the kink");
        assertThat(c.describe()).startsWith("PASS A1 batch d=3 identity [float]: 3 quantities");
        // A2 / A3 have no flips: no flip count
        Check a2 = ConformanceBattery.fromReports("A2", DOUBLE, List.of(rep("A2", "populationLoss", 0.125, 0)), "r");
        assertThat(a2.message()).isEqualTo("1 quantities within their bounds; largest error/bound 0.125 (A2 populationLoss)");
        // only gradientExactMask: it is the one shown
        Check mask = ConformanceBattery.fromReports("A1", DOUBLE, List.of(rep("A1", "gradientExactMask", 0.75, 0)), "r");
        assertThat(mask.message()).startsWith("1 quantities within their bounds; largest error/bound 0.750 (A1 gradientExactMask); "
                + "0 allowed");
    }

    @Test
    void changedNamesTheFirstModifiedInput() {
        double[] a = {1, 2};
        double[] b = {1, 3};
        assertThat(ConformanceBattery.changed(a, a.clone(), a, a.clone(), a, a.clone(), " by sgdStep")).isNull();
        assertThat(ConformanceBattery.changed(a, b, a, b, a, b, " by sgdStep")).isEqualTo("w changed by sgdStep");
        assertThat(ConformanceBattery.changed(a, a, a, b, a, b, "")).isEqualTo("wStar changed");
        assertThat(ConformanceBattery.changed(a, a, a, a, a, b, " by sgdStep")).isEqualTo("x changed by sgdStep");
    }

    @Test
    void allPassedIsTheConjunction() {
        Check pass = new Check("a", "double", true, "ok", "r", List.of());
        Check fail = new Check("b", "double", false, "no", "r", List.of());
        assertThat(ConformanceBattery.allPassed(List.of(pass, pass))).isTrue();
        assertThat(ConformanceBattery.allPassed(List.of(pass, fail))).isFalse();
    }
}
