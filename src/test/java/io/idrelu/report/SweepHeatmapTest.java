package io.idrelu.report;

import io.idrelu.model.GaussianSampler;
import io.idrelu.model.Potential;
import io.idrelu.model.Problem;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the sweep's heatmaps show (issue 12 "Sweep page"): the final-error map colours the distance to the
 * nearest global minimum (permutation-aware), so a cell whose trials all reached a relabelled teacher is green
 * and says how far the unpermuted distance is; the Phase I map says why its lengths are 0 (the start is
 * already below the threshold: g(W_0) / (197 gamma^2) under each length) and says when that holds everywhere.
 */
class SweepHeatmapTest {
    private static final double THRESHOLD = 197;

    private static SweepConfig config() {
        return new SweepConfig(new double[] {0.1, 1.5}, new int[] {4}, true, 3000, 4, Double.NaN, 0.5, 32, 1e-6, 1L,
                THRESHOLD, "scalar", "double");
    }

    private static Sweep.Cell cell(int index, double gamma, int phase1, double plain, double permuted, double g0) {
        List<Sweep.Trial> t = new ArrayList<>();
        for (int k = 0; k < 4; k++) {
            t.add(new Sweep.Trial(k, k, permuted < 1e-6, false, phase1, 3000, 1.0, permuted * 0.2, plain, permuted, g0));
        }
        return new Sweep.Cell(index, gamma, 4, 0.125, t, 0.1);
    }

    private static Heatmap map(List<Sweep.Cell> cells, String name) {
        SweepReport r = new SweepReport(config(), cells, Report.environment("scalar", "double"), 1);
        return r.heatmaps().stream().filter(h -> h.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void finalErrorIsPermutationAwareSoARelabelledTeacherIsGreen() {
        // row 0: converged to a relabelled teacher (plain distance 1.2, permuted 1e-13), all 4 succeeded;
        // row 1 (control): stuck at permuted distance 0.3
        Heatmap h = map(List.of(cell(0, 0.1, 0, 1.2, 1e-13, 0.01), cell(1, 1.5, 0, 3.2, 0.3, 0.01)), "sweep-final-error");
        assertThat(h.position()[0][0]).as("relabelled teacher: green end").isEqualTo(1.0);
        assertThat(h.colour(h.position()[0][0])).isEqualTo(h.colour(1.0));
        assertThat(h.labels()[0][0]).startsWith("1.0e-13").contains("unpermuted 1.2e+00");
        assertThat(h.position()[1][0]).as("stuck cell: red end").isEqualTo(0.0);
        assertThat(h.labels()[1][0]).startsWith("3.0e-01");
        assertThat(h.title()).contains("min_P");
    }

    @Test
    void phaseOneMapSaysWhyItIsZero() {
        Heatmap h = map(List.of(cell(0, 0.1, 0, 1e-20, 1e-20, 0.0155 * THRESHOLD * 0.01),
                cell(1, 1.5, 0, 1e-20, 1e-20, -0.002 * THRESHOLD * 2.25)), "sweep-phase1");
        assertThat(h.labels()[0][0]).isEqualTo("0\ng0/thr 0.0155");
        assertThat(h.labels()[1][0]).isEqualTo("0\ng0/thr -0.002");
        assertThat(h.title()).endsWith("0 everywhere");
        assertThat(h.caption()).contains("genuinely empty");
        // control: one cell with a real Phase I (13 steps, started above the threshold)
        Heatmap c = map(List.of(cell(0, 0.1, 13, 1e-20, 1e-20, 3.0 * THRESHOLD * 0.01), cell(1, 1.5, 0, 1e-20, 1e-20, 0)),
                "sweep-phase1");
        assertThat(c.labels()[0][0]).isEqualTo("13\ng0/thr 3");
        assertThat(c.title()).doesNotContain("everywhere");
        assertThat(c.caption()).doesNotContain("genuinely empty");
        assertThat(c.position()[0][0]).isLessThan(c.position()[1][0]);
    }

    @Test
    void identityStartsOnTheSweepGridAreBelowTheThreshold() {
        // the measured fact behind "0 everywhere" (proofs-notes/sweep.md finding 3), on real problems
        for (double gamma : new double[] {0.1, 0.8, 1.5}) {
            for (int d : new int[] {4, 16}) {
                Problem p = Problem.random(d, gamma, GaussianSampler.trialSeed(20170524L, d), true);
                double g0 = Potential.of(d, true, p.w0(), p.wStar());
                assertThat(Math.abs(g0)).as("d=%d gamma=%s", d, gamma).isLessThan(THRESHOLD * gamma * gamma);
                // and for the vanilla net at small gamma the start is above it: Phase I is real there
                Problem v = Problem.random(d, 0.1, GaussianSampler.trialSeed(20170524L, d), false);
                assertThat(Potential.of(d, false, v.w0(), v.wStar())).isGreaterThan(THRESHOLD * 0.01);
            }
        }
    }

    @Test
    void lineFigureShowsLog10OfThePermutedError() {
        SweepReport r = new SweepReport(config(), List.of(cell(0, 0.1, 0, 1.2, 1e-13, 0), cell(1, 1.5, 0, 3.2, 0.3, 0)),
                Report.environment("scalar", "double"), 1);
        PlotSpec err = r.lines().get(1);
        assertThat(err.logY()).isFalse();
        assertThat(err.series().get(0).y()).containsExactly(-13.0, Math.log10(0.3));
    }
}
