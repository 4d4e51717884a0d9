package io.idrelu.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** End-to-end {@code idrelu eval} and {@code idrelu train}: JSON shape, units, and agreement of the paths. */
class EvalAndTrainCommandTest {
    @TempDir
    Path dir;

    private static final String FIXTURE = "{\"d\": 2, \"identity\": true, \"W\": [[0.1, -0.2], [\"0.05\", 0.3]],"
            + " \"Wstar\": [[0, 0.1], [0.2, 0]], \"X\": [[1.5, -0.5], [0.25, 2.0]]}";

    private JsonNode eval(String... extra) throws Exception {
        Path f = dir.resolve("f.json");
        Files.writeString(f, FIXTURE);
        String[] args = new String[4 + extra.length];
        args[0] = "eval";
        args[1] = "--fixture";
        args[2] = f.toString();
        args[3] = "--repeat=1";
        System.arraycopy(extra, 0, args, 4, extra.length);
        CliRun r = CliRun.of(args);
        assertThat(r.exit()).as(r.err()).isZero();
        return Json.MAPPER.readTree(r.out());
    }

    @Test
    void batchOnTheReferenceIsExactAndMatchesHandComputation() throws Exception {
        JsonNode o = eval("--quantity", "batch");
        assertThat(o.get("units").asText()).isEqualTo("true");
        assertThat(o.get("exact").asBoolean()).isTrue();
        // B = 2: 1/B and 2/B are finite decimals, so the loss is exact. Recompute it here in BigDecimal.
        BigDecimal[][] u = {{new BigDecimal(0.1).add(BigDecimal.ONE), new BigDecimal(-0.2)},
                {new BigDecimal("0.05"), new BigDecimal(0.3).add(BigDecimal.ONE)}};
        BigDecimal[][] v = {{BigDecimal.ONE, new BigDecimal(0.1)}, {new BigDecimal(0.2), BigDecimal.ONE}};
        double[][] x = {{1.5, -0.5}, {0.25, 2.0}};
        BigDecimal sum = BigDecimal.ZERO;
        for (double[] row : x) {
            BigDecimal r = f(u, row).subtract(f(v, row));
            sum = sum.add(r.multiply(r));
        }
        assertThat(new BigDecimal(o.get("loss").asText())).isEqualByComparingTo(sum.divide(BigDecimal.valueOf(2)));
    }

    private static BigDecimal f(BigDecimal[][] m, double[] x) {
        BigDecimal out = BigDecimal.ZERO;
        for (int j = 0; j < 2; j++) {
            BigDecimal h = m[0][j].multiply(new BigDecimal(x[0])).add(m[1][j].multiply(new BigDecimal(x[1])));
            out = out.add(h.max(BigDecimal.ZERO));
        }
        return out;
    }

    @Test
    void fastPopulationAgreesWithTheReferenceAndReportsKernelAndPaperUnits() throws Exception {
        JsonNode ref = eval("--quantity", "population", "--digits", "40");
        JsonNode fast = eval("--quantity", "population", "--path", "fast");
        assertThat(fast.get("kernel").asText()).isIn("scalar", "vector");
        assertThat(fast.get("precision").asText()).isEqualTo("double");
        double l = new BigDecimal(ref.get("loss").asText()).doubleValue();
        // A2 derives the real bound; here only plumbing: the same quantity, same orientation, same sign.
        assertThat(fast.get("loss").asDouble()).isCloseTo(l, org.assertj.core.data.Offset.offset(1e-12));
        for (int r = 0; r < 2; r++) {
            for (int c = 0; c < 2; c++) {
                double g = new BigDecimal(ref.get("grad").get(r).get(c).asText()).doubleValue();
                double pg = new BigDecimal(ref.get("paper_grad").get(r).get(c).asText()).doubleValue();
                assertThat(fast.get("grad").get(r).get(c).asDouble()).isCloseTo(g, org.assertj.core.data.Offset.offset(1e-12));
                assertThat(pg).isCloseTo(-Math.PI * g, org.assertj.core.data.Offset.offset(1e-12));
            }
        }
        assertThat(ref.get("potential")).isNotNull();
        assertThat(ref.get("seconds_per_eval").asDouble()).isPositive();
    }

    @Test
    void forwardGivesOutputsAndResidualsPerRow() throws Exception {
        JsonNode o = eval("--quantity", "forward");
        assertThat(o.get("outputs")).hasSize(2);
        assertThat(o.get("residuals")).hasSize(2);
        JsonNode fast = eval("--quantity", "forward", "--path", "fast", "--precision", "float");
        assertThat(fast.get("precision").asText()).isEqualTo("float");
        assertThat(fast.get("outputs").get(0).asDouble())
                .isCloseTo(new BigDecimal(o.get("outputs").get(0).asText()).doubleValue(), org.assertj.core.data.Offset.offset(1e-5));
    }

    @Test
    void trainBothPathsStayTogetherAndWriteATrace() throws Exception {
        Path trace = dir.resolve("run.csv");
        CliRun r = CliRun.of("train", "--d", "3", "--batch", "4", "--steps", "40", "--eta", "0.05", "--seed", "7",
                "--path", "both", "--json", "--trace", trace.toString(), "--every", "10");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode o = Json.MAPPER.readTree(r.out());
        assertThat(o.get("steps").asInt()).isEqualTo(40);
        assertThat(o.get("eta_units").asText()).isEqualTo("true");
        // Same samples on both paths: the divergence is rounding-sized (A3 derives the envelope).
        assertThat(o.get("max_divergence_fro").asDouble()).isLessThan(1e-10);
        assertThat(o.get("population_loss").asDouble()).isLessThan(o.get("initial_population_loss").asDouble());
        assertThat(Files.readAllLines(trace)).hasSize(1 + 5).first().asString().startsWith("step,batch_loss");
    }

    @Test
    void trainRejectsBadOptionsWithoutWritingTheTrace() {
        Path trace = dir.resolve("never.csv");
        for (String[] bad : new String[][] {{"--eta", "-1"}, {"--eta", "NaN"}, {"--gamma", "-0.1"}, {"--batch", "0"}}) {
            String[] args = {"train", "--d", "3", "--steps", "5", "--eta", "0.1", "--trace", trace.toString(), bad[0], bad[1]};
            CliRun r = CliRun.of(args);
            assertThat(r.exit()).as(String.join(" ", bad)).isEqualTo(2);
            assertThat(r.err()).contains(bad[0]).doesNotContain("\tat ");
            assertThat(trace).doesNotExist();
        }
        CliRun r = CliRun.of("train", "--d", "0", "--steps", "5", "--eta", "0.1");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--d 0");
    }
}
