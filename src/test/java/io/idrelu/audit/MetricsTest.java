package io.idrelu.audit;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;

/** Metrics of the accuracy audit (A1..A3): ulp distance, gamma_n, exact bound comparison, reports. */
class MetricsTest {

    @Test
    void ulpDistanceCountsRepresentableSteps() {
        assertThat(Precision.DOUBLE.ulpDistance(1.0, Math.nextUp(1.0))).isEqualTo(1);
        assertThat(Precision.DOUBLE.ulpDistance(-0.0, 0.0)).isZero();
        assertThat(Precision.DOUBLE.ulpDistance(Double.MIN_VALUE, -Double.MIN_VALUE)).isEqualTo(2);
        assertThat(Precision.FLOAT.ulpDistance(1.0, Math.nextUp(1.0f))).isEqualTo(1);
        qt().forAll(doubles().between(-1e6, 1e6), integers().between(0, 50)).checkAssert((x, k) -> {
            double y = x;
            for (int i = 0; i < k; i++) {
                y = Math.nextUp(y);
            }
            assertThat(Precision.DOUBLE.ulpDistance(x, y)).isEqualTo((long) k);
        });
    }

    @Test
    void gammaIsNeverBelowItsDefinition() {
        qt().forAll(integers().between(1, 1_000_000)).checkAssert(n -> {
            double u = 0x1.0p-53;
            BigDecimal nu = new BigDecimal(n).multiply(new BigDecimal(u));
            BigDecimal exact = nu.divide(BigDecimal.ONE.subtract(nu), java.math.MathContext.DECIMAL128);
            assertThat(new BigDecimal(Precision.DOUBLE.gamma(n))).isGreaterThanOrEqualTo(exact);
        });
        assertThat(Precision.FLOAT.gamma(0)).isZero();
    }

    /** The comparison is exact: an error of one ulp beyond the bound is a violation (negative control). */
    @Test
    void errorStatsComparesExactly() {
        ErrorStats ok = new ErrorStats(Precision.DOUBLE);
        BigDecimal exact = new BigDecimal("0.1");
        double fast = 0.1;
        double err = new BigDecimal(fast).subtract(exact).abs().doubleValue();
        ok.add("[0]", fast, exact, Math.nextUp(err) * 1.0000001);
        assertThat(ok.violations()).isZero();
        assertThat(ok.maxUlp()).isZero();
        assertThat(ok.minBitsCorrect()).isGreaterThan(50);
        ErrorStats bad = new ErrorStats(Precision.DOUBLE);
        bad.add("[0]", Math.nextUp(fast), exact, err * 1.0000001);
        assertThat(bad.violations()).isEqualTo(1);
        assertThat(bad.maxUlp()).isEqualTo(1);
        assertThat(bad.worstIndex()).isEqualTo("[0]");
    }

    @Test
    void reportIsJsonFriendlyAndRendered() {
        ErrorStats s = new ErrorStats(Precision.FLOAT);
        s.add("[1]", 1.0f, BigDecimal.ONE, 1e-7);
        AuditReport r = AuditReport.of("A1", "loss", "scalar", Precision.FLOAT, 3, 4, "none", s, 2, 1, "b",
                Map.of("k", Double.NaN));
        assertThat(r.passed()).isFalse();
        assertThat(r.disallowedFlips()).isEqualTo(1);
        assertThat(r.toMap()).containsEntry("precision", "float").containsKey("notes");
        assertThat(((Map<?, ?>) r.toMap().get("notes")).get("k")).isEqualTo("NaN");
        String table = Auditor.renderTable(List.of(r));
        assertThat(table).contains("loss").contains("FAIL");
        assertThat(Auditor.toJson(List.of(r))).containsEntry("passed", false);
    }

    @Test
    void nearKinkRowsAreOnTheKink() {
        double[] w = {0.3, 0.7, -0.2, 0.11, -0.5, 0.9, 0.25, 0.4, -0.35};
        double[] ws = NearKink.roundColumn(w, 3, 0, NearKink.SHORT_BITS);
        double[] x = NearKink.batch(ws, 3, 3, 1, Precision.DOUBLE);
        // row 0 targets unit 0 with the shortened column: the fma chain is exactly 0
        double h = 0;
        for (int r = 0; r < 3; r++) {
            h = Math.fma(x[r], ws[r * 3], h);
        }
        h += x[0];
        assertThat(h).isZero();
        assertThat(x[0]).isZero();
    }
}
