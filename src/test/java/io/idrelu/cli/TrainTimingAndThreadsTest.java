package io.idrelu.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code idrelu train --threads K --warmup-steps N}: the summary splits the timed step loop into warm-up and steady
 * state, and the trajectory ([LY17] Theorem 3.1 dynamics) is the same, bit for bit, for every thread count.
 */
class TrainTimingAndThreadsTest {

    private static JsonNode train(String... extra) throws Exception {
        String[] base = {"train", "--d", "13", "--batch", "17", "--steps", "30", "--eta", "0.02", "--seed", "3", "--json"};
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        CliRun r = CliRun.of(args);
        assertThat(r.exit()).as(r.err()).isZero();
        return Json.MAPPER.readTree(r.out());
    }

    @Test
    void warmupAndSteadyStateAreReportedSeparately() throws Exception {
        JsonNode o = train("--warmup-steps", "10");
        assertThat(o.get("warmup_steps").asInt()).isEqualTo(10);
        assertThat(o.get("steady_steps").asInt()).isEqualTo(20);
        assertThat(o.get("warmup_seconds").asDouble()).isPositive();
        assertThat(o.get("steady_seconds_per_step").asDouble()).isPositive();
        // the total is the two parts together
        double total = o.get("seconds_per_step").asDouble() * 30;
        double parts = o.get("warmup_seconds").asDouble() + o.get("steady_seconds_per_step").asDouble() * 20;
        assertThat(parts).isCloseTo(total, org.assertj.core.data.Percentage.withPercentage(1e-6));
        JsonNode d = train();
        assertThat(d.get("warmup_steps").asInt()).as("default: a fifth of the steps").isEqualTo(6);
        JsonNode all = train("--warmup-steps", "30");
        assertThat(all.get("steady_steps").asInt()).isZero();
        assertThat(all.get("steady_seconds_per_step").isNull()).isTrue();
    }

    @Test
    void sameBitsForEveryThreadCount() throws Exception {
        for (String precision : new String[] {"double", "float"}) {
            for (String net : new String[] {"", "--vanilla"}) {
                String[] one = net.isEmpty() ? new String[] {"--precision", precision, "--threads", "1"}
                        : new String[] {"--precision", precision, "--threads", "1", net};
                JsonNode k1 = train(one);
                assertThat(k1.get("threads").asInt()).isEqualTo(1);
                for (String k : new String[] {"2", "3", "8"}) {
                    one[3] = k;
                    JsonNode kk = train(one);
                    assertThat(kk.get("threads").asInt()).isEqualTo(Integer.parseInt(k));
                    for (String key : new String[] {"population_loss", "distance_squared", "potential"}) {
                        assertThat(kk.get(key).asDouble()).as("%s %s %s K=%s", key, precision, net, k)
                                .isEqualTo(k1.get(key).asDouble());
                    }
                }
            }
        }
    }

    /**
     * At batch 1 the fused one-pass step runs on the calling thread whatever {@code --threads} says (splitting it was
     * slower); the user is told so, and the bits are those of {@code --threads 1}. Control: at batch 17 the same
     * {@code --threads 2} prints no such note.
     */
    @Test
    void batchOneRunsTheFusedStepAndSaysSo() throws Exception {
        String[] one = {"train", "--d", "13", "--batch", "1", "--steps", "40", "--eta", "0.02", "--seed", "3", "--json",
                "--kernel", "vector", "--threads", "1"};
        CliRun r1 = CliRun.of(one);
        org.junit.jupiter.api.Assumptions.assumeTrue(r1.exit() == 0, "vector kernel unavailable: " + r1.err());
        one[one.length - 1] = "2";
        CliRun r2 = CliRun.of(one);
        assertThat(r2.exit()).as(r2.err()).isZero();
        assertThat(r2.err()).contains("at --batch 1 each step is one pass over W on one thread");
        JsonNode a = Json.MAPPER.readTree(r1.out());
        JsonNode b = Json.MAPPER.readTree(r2.out());
        assertThat(b.get("population_loss").asDouble()).isEqualTo(a.get("population_loss").asDouble());
        assertThat(train("--kernel", "vector", "--threads", "2").get("threads").asInt()).isEqualTo(2);
        CliRun batch17 = CliRun.of("train", "--d", "13", "--batch", "17", "--steps", "5", "--eta", "0.02", "--kernel",
                "vector", "--threads", "2");
        assertThat(batch17.err()).doesNotContain("one pass over W");
    }

    @Test
    void badTimingOptionsAreUsageErrors() {
        for (String[] bad : new String[][] {{"--threads", "0"}, {"--threads", "100000"}, {"--warmup-steps", "-1"},
                {"--warmup-steps", "31"}}) {
            CliRun r = CliRun.of("train", "--d", "3", "--steps", "30", "--eta", "0.1", bad[0], bad[1]);
            assertThat(r.exit()).as(String.join(" ", bad)).isEqualTo(2);
            assertThat(r.err()).contains(bad[0] + " " + bad[1]).doesNotContain("\tat ");
            assertThat(r.out()).isEmpty();
        }
    }
}
