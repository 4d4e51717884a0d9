package io.idrelu.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.idrelu.audit.PopulationLossBoundTest;
import io.idrelu.claims.PaperConstants;
import io.idrelu.kernel.ScalarKernel;
import io.idrelu.model.Problem;
import io.idrelu.report.FigureRun;
import io.idrelu.report.PlotSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12: rounding-negative population losses ({@code -5.55e-16} next to {@code W*}) are reported as 0 with
 * the A2 bound stated, in {@code train} (summary, JSON, trace), {@code eval --path fast} and the trajectory
 * figures, which draw values below the bound at the bound (never a non-positive value on a log axis). Each
 * case asserts that a negative value was really computed (so the clamp was exercised).
 */
class NegativeLossTest {
    @TempDir
    Path dir;

    /** Converges to rounding level within 3000 steps; its last computed population loss is -5.55e-16. */
    private static final String[] CONVERGING = {"--d", "8", "--batch", "16", "--steps", "3000", "--eta", "0.1", "--seed", "1"};

    @Test
    void trainReportsZeroWithTheBoundInsteadOfANegativeLoss() throws Exception {
        Path trace = dir.resolve("t.csv");
        String[] a = new String[CONVERGING.length + 6];
        System.arraycopy(CONVERGING, 0, a, 1, CONVERGING.length);
        a[0] = "train";
        System.arraycopy(new String[] {"--kernel", "scalar", "--json", "--trace", trace.toString()}, 0, a, CONVERGING.length + 1, 5);
        CliRun r = CliRun.of(a);
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode o = Json.MAPPER.readTree(r.out());
        assertThat(o.path("population_loss_unclamped").asDouble()).as("a negative value was computed").isNegative();
        assertThat(o.path("population_loss").asDouble()).isZero();
        assertThat(o.path("population_loss_bound").asDouble()).isGreaterThanOrEqualTo(-o.path("population_loss_unclamped").asDouble());
        List<String> lines = Files.readAllLines(trace);
        assertThat(lines.get(0)).endsWith(",population_loss_bound");
        long zeros = 0;
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            assertThat(Double.parseDouble(f[2])).as(line).isGreaterThanOrEqualTo(0);
            assertThat(Double.parseDouble(f[f.length - 1])).as(line).isPositive();
            zeros += Double.parseDouble(f[2]) == 0 ? 1 : 0;
        }
        assertThat(zeros).as("rows clamped").isPositive();
        // the text summary says what was computed and the bound
        String[] t = Arrays.copyOf(a, CONVERGING.length + 3);
        CliRun text = CliRun.of(t);
        assertThat(text.out()).contains("population loss    0.000000e+00", "[computed -", "within the closed form's bound", "(A2)");
    }

    @Test
    void evalFastClampsAndStatesTheBound() throws Exception {
        int d = 8;
        double[] both = PopulationLossBoundTest.negativeNearOptimum(d, 1)[0];
        Path f = dir.resolve("near.json");
        Files.writeString(f, "{\"d\": " + d + ", \"W\": " + matrix(both, 0, d) + ", \"Wstar\": " + matrix(both, d * d, d) + "}");
        CliRun r = CliRun.of("eval", "--fixture", f.toString(), "--quantity", "population", "--path", "fast", "--kernel", "scalar");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode o = Json.MAPPER.readTree(r.out());
        assertThat(new BigDecimal(o.path("loss_unclamped").asText())).as("a negative value was computed").isNegative();
        assertThat(new BigDecimal(o.path("loss").asText())).isZero();
        assertThat(new BigDecimal(o.path("loss_error_bound").asText()))
                .isGreaterThanOrEqualTo(new BigDecimal(o.path("loss_unclamped").asText()).negate());
        // float path: same fields, never negative
        CliRun fl = CliRun.of("eval", "--fixture", f.toString(), "--quantity", "population", "--path", "fast", "--kernel", "scalar",
                "--precision", "float");
        JsonNode of = Json.MAPPER.readTree(fl.out());
        assertThat(new BigDecimal(of.path("loss").asText()).signum()).isGreaterThanOrEqualTo(0);
        assertThat(new BigDecimal(of.path("loss_error_bound").asText())).isPositive();
        // the reference is exact enough to show the truth: tiny, and not negative
        CliRun ref = CliRun.of("eval", "--fixture", f.toString(), "--quantity", "population", "--digits", "30");
        assertThat(new BigDecimal(Json.MAPPER.readTree(ref.out()).path("loss").asText()).signum()).isGreaterThanOrEqualTo(0);
    }

    @Test
    void trajectoryFiguresNeverDrawANonPositiveLoss() {
        ScalarKernel k = new ScalarKernel();
        Problem p = Problem.random(8, 0.3, 1, true);
        FigureRun.Trajectory t = FigureRun.trajectory(k, p, 16, 0.1, 1, 3000, 30);
        double rawLast = k.populationLossAndGradient(8, true, lastWeights(k, p), p.wStar(), null);
        assertThat(rawLast).as("the run really reaches a rounding-negative loss").isNegative();
        assertThat(Arrays.stream(t.loss()).allMatch(v -> v > 0)).as(Arrays.toString(t.loss())).isTrue();
        for (PlotSpec s : FigureRun.figures(k, FigureRun.FIGURE_SEED, PaperConstants.RECALLED)) {
            if (s.logY()) {
                for (PlotSpec.Series series : s.series()) {
                    assertThat(Arrays.stream(series.y()).allMatch(v -> v > 0 || Double.isNaN(v))).as(s.name() + " / " + series.name()).isTrue();
                }
            }
        }
    }

    private static double[] lastWeights(ScalarKernel k, Problem p) {
        io.idrelu.sgd.OnlineSgd sgd = new io.idrelu.sgd.OnlineSgd(k, p, 16, 0.1, 1);
        sgd.run(3000, null);
        return sgd.weights();
    }

    private static String matrix(double[] a, int from, int d) {
        StringBuilder b = new StringBuilder("[");
        for (int r = 0; r < d; r++) {
            b.append(r == 0 ? "[" : ", [");
            for (int c = 0; c < d; c++) {
                b.append(c == 0 ? "" : ", ").append('"').append(new BigDecimal(a[from + r * d + c]).toString()).append('"');
            }
            b.append(']');
        }
        return b.append(']').toString();
    }
}
