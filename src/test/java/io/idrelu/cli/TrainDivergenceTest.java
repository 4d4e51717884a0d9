package io.idrelu.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12: {@code idrelu train} stops a diverging run (non-finite batch loss, weight or population loss, or a
 * population loss above {@link TrainCommand#DIVERGENCE_FACTOR} x max(L(W0), E f(x,W*)^2)) with the step and
 * value on stderr and exit 1, on the fast path (double and float) and the reference; the controls (the same
 * settings with a batch that makes them stable) exit 0.
 */
class TrainDivergenceTest {
    private static final Pattern STEP = Pattern.compile("diverged at step (\\d+): ");

    private static CliRun train(String... args) {
        List<String> a = new ArrayList<>(List.of("train", "--kernel", "scalar"));
        a.addAll(List.of(args));
        return CliRun.of(a.toArray(String[]::new));
    }

    private static int divergedAt(CliRun r) {
        assertThat(r.exit()).as(r.err()).isEqualTo(1);
        Matcher m = STEP.matcher(r.err());
        assertThat(m.find()).as(r.err()).isTrue();
        assertThat(r.err()).doesNotContain("\tat ").contains("idrelu train: ", "stopped");
        return Integer.parseInt(m.group(1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"double", "float"})
    void theFormerReadmeExampleDivergesAndSaysSo(String precision) throws Exception {
        // README example before issue 12: batch 1 at d = 32, eta 0.02 (below 4/d = 0.125 but not for batch 1)
        CliRun r = train("--d", "32", "--steps", "5000", "--eta", "0.02", "--vanilla", "--precision", precision, "--json");
        int step = divergedAt(r);
        assertThat(step).isBetween(1, 5000);
        assertThat(r.err()).contains("population loss = ", "x max(L(W0), E f(x,W*)^2)", "4/d = 0.125");
        JsonNode o = Json.MAPPER.readTree(r.out());
        assertThat(o.path("diverged").path("step").asInt()).isEqualTo(step);
        assertThat(o.path("steps_done").asInt()).isEqualTo(step).isLessThan(5000);
        assertThat(o.path("diverged").path("value").asDouble()).isGreaterThan(o.path("diverged").path("threshold").asDouble());
    }

    @ParameterizedTest
    @ValueSource(strings = {"double", "float"})
    void aNonFiniteBatchLossStopsAtItsOwnStepBetweenTraceRows(String precision) {
        // no trace row before step 100000: only the per-step check can see it
        CliRun r = train("--d", "32", "--steps", "3000", "--eta", "0.02", "--vanilla", "--every", "100000", "--precision", precision);
        int step = divergedAt(r);
        assertThat(r.err()).contains("batch loss (fast path) = ");
        assertThat(r.out()).contains("DIVERGED: diverged at step " + step);
        assertThat(step).isLessThan(3000);
    }

    @Test
    void referenceAndBothPathsStopToo() {
        // the reference's BigDecimal weights never overflow: the threshold is what stops it
        int ref = divergedAt(train("--d", "6", "--steps", "400", "--eta", "1.5", "--every", "5", "--path", "reference", "--digits", "20"));
        assertThat(ref).isLessThanOrEqualTo(400);
        CliRun both = train("--d", "6", "--steps", "400", "--eta", "1.5", "--every", "5", "--path", "both", "--digits", "20");
        assertThat(divergedAt(both)).isEqualTo(ref);
    }

    @Test
    void controlsWithAStableBatchRunToTheEnd() throws Exception {
        CliRun r = train("--d", "32", "--batch", "64", "--steps", "300", "--eta", "0.02", "--vanilla", "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).doesNotContain("diverged");
        JsonNode o = Json.MAPPER.readTree(r.out());
        assertThat(o.has("diverged")).isFalse();
        assertThat(o.path("steps_done").asInt()).isEqualTo(300);
        assertThat(o.path("population_loss").asDouble()).isLessThan(o.path("initial_population_loss").asDouble());
        CliRun small = train("--d", "6", "--steps", "400", "--eta", "0.05", "--every", "5", "--path", "both", "--digits", "20");
        assertThat(small.exit()).as(small.err()).isZero();
    }
}
