package io.idrelu.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.idrelu.claims.ClaimResult;
import io.idrelu.claims.PaperConstants;
import io.idrelu.claims.Units;
import io.idrelu.claims.Verdict;
import io.idrelu.kernel.KernelProvider;
import io.idrelu.model.Matrices;
import io.idrelu.model.Problem;
import io.idrelu.sgd.OnlineSgd;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The series convention of claim details, and the figures run. */
class PlotsTest {
    private static JsonNode result(Map<String, Object> details) {
        ClaimResult r = new ClaimResult("C9", "s", Verdict.HOLDS, 1, 2, "<", Units.NONE, 1, Double.NaN, Double.NaN, 3, null, details, 0);
        return ResultJson.of(r, new io.idrelu.claims.Replay("C9", Map.of(), 1));
    }

    @Test
    void nestedAndFlatSeriesAreRead() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("series", Map.of("d", List.of(10, 20, 40), "T", new double[] {5, 9, Double.NaN}));
        d.put("plot.logY", true);
        d.put("plot.hline", Map.of("bound", 3.0));
        PlotSpec s = Plots.fromResult(result(d));
        assertThat(s.xLabel()).isEqualTo("d");
        assertThat(s.logY()).isTrue();
        assertThat(s.series()).hasSize(1);
        assertThat(s.series().get(0).x()).containsExactly(10, 20, 40);
        assertThat(s.series().get(0).y()[2]).isNaN();
        assertThat(s.hLines()).containsExactly(new PlotSpec.Marker("bound", 3.0));
        Map<String, Object> flat = new LinkedHashMap<>();
        flat.put("series.step", new double[] {0, 1});
        flat.put("series.loss", new double[] {1, 0.5});
        flat.put("series.g", new double[] {2, 1});
        assertThat(Plots.fromResult(result(flat)).series()).extracting(PlotSpec.Series::name).containsExactly("loss", "g");
        // control: no series, no plot
        assertThat(Plots.fromResult(result(Map.of("x", 1)))).isNull();
    }

    /** A log axis over less than two decades labels intermediate ticks (else d = 4, 8, 12 would have no label). */
    @Test
    void shortLogAxesLabelIntermediateTicks() {
        PlotSpec narrow = PlotSpec.of("n", "t", "c", "d", "T", true, true)
                .with(new PlotSpec.Series("T", new double[] {4, 8, 12}, new double[] {30, 60, 200}));
        org.knowm.xchart.XYChart c = Plots.chart(narrow);
        assertThat(c.getStyler().isXAxisLogarithmicDecadeOnly()).isFalse();
        assertThat(c.getStyler().isYAxisLogarithmicDecadeOnly()).isFalse();
        // control: six decades keep decade-only labels (intermediate labels would overlap)
        PlotSpec wide = PlotSpec.of("w", "t", "c", "step", "loss", true, true)
                .with(new PlotSpec.Series("loss", new double[] {1, 1e6}, new double[] {1, 1e-6}));
        org.knowm.xchart.XYChart w = Plots.chart(wide);
        assertThat(w.getStyler().isXAxisLogarithmicDecadeOnly()).isTrue();
        assertThat(w.getStyler().isYAxisLogarithmicDecadeOnly()).isTrue();
    }

    @Test
    void histogramIsADensity() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("series.ratio", new double[] {0.1, 0.2, 0.2, 0.3, 0.9});
        d.put("plot.kind", "histogram");
        PlotSpec s = Plots.fromResult(result(d));
        double[] c = s.series().get(0).x();
        double[] h = s.series().get(0).y();
        double area = 0;
        for (double v : h) {
            area += v * (c[1] - c[0]);
        }
        assertThat(area).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-12));
    }

    @Test
    void figureTrajectoryIsOnlineSgdAndCrossesThePhaseBoundary() {
        var k = KernelProvider.doubleKernel(KernelProvider.Choice.SCALAR);
        Problem random = Problem.random(FigureRun.D, FigureRun.GAMMA, 5, true);
        double[] start = new double[FigureRun.D * FigureRun.D];
        for (int i = 0; i < FigureRun.D; i++) {
            start[i * FigureRun.D + i] = -FigureRun.PHASE1_START;
        }
        Problem p = random.withStart(start);
        FigureRun.Trajectory t = FigureRun.trajectory(k, p, 8, 0.02, 5, 400, 50);
        OnlineSgd sgd = new OnlineSgd(k, p, 8, 0.02, 5);
        sgd.run(400, null);
        double last = t.distance()[t.distance().length - 1];
        assertThat(t.step()[t.step().length - 1]).isEqualTo(400);
        assertThat(last).isEqualTo(Matrices.squaredDistance(sgd.weights(), p.wStar()));
        double threshold = PaperConstants.RECALLED.phase1Threshold() * FigureRun.GAMMA * FigureRun.GAMMA;
        assertThat(t.potential()[0]).as("starts in Phase I").isGreaterThan(threshold);
        assertThat(t.firstBelow(threshold)).as("reaches Phase II").isBetween(1.0, 400.0);
        assertThat(last).as("converges").isLessThan(t.distance()[0] * 1e-2);
        // control: a threshold below every recorded g is never crossed
        assertThat(t.firstBelow(-1e9)).isNaN();
        List<PlotSpec> f = FigureRun.figures(k, 5, PaperConstants.RECALLED);
        assertThat(f).extracting(PlotSpec::name).containsExactly("trajectory-loss", "trajectory-potential", "identity-vs-vanilla");
        assertThat(f.get(0).vLines()).hasSize(1);
    }

    /** Legends that do not fit one row go vertical; log axes spanning less than a decade label intermediate ticks. */
    @Test
    void legendAndLogTicksAdaptToTheContent() {
        PlotSpec shortNames = PlotSpec.of("p", "t", "c", "d", "T", true, true)
                .with(new PlotSpec.Series("a", new double[] {2, 4, 8}, new double[] {10, 30, 90}))
                .with(new PlotSpec.Series("b", new double[] {2, 4, 8}, new double[] {1, 1e3, 1e5}));
        var chart = Plots.chart(shortNames);
        assertThat(chart.getStyler().getLegendLayout()).isEqualTo(org.knowm.xchart.style.Styler.LegendLayout.Horizontal);
        assertThat(chart.getStyler().isXAxisLogarithmicDecadeOnly()).as("x spans 2..8").isFalse();
        assertThat(chart.getStyler().isYAxisLogarithmicDecadeOnly()).as("y spans 1..1e5").isTrue();
        String longName = "x".repeat(60);
        PlotSpec longNames = shortNames.with(new PlotSpec.Series(longName, new double[] {2, 8}, new double[] {5, 5}))
                .with(new PlotSpec.Series(longName + "2", new double[] {2, 8}, new double[] {6, 6}));
        assertThat(Plots.chart(longNames).getStyler().getLegendLayout())
                .isEqualTo(org.knowm.xchart.style.Styler.LegendLayout.Vertical);
    }
}
