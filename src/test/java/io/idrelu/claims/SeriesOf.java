package io.idrelu.claims;

import io.idrelu.report.PlotSpec;
import io.idrelu.report.Plots;
import io.idrelu.report.ResultJson;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Reads the plot series a claim put into its details (the report's convention), for the claims' tests. */
final class SeriesOf {
    private SeriesOf() { }

    /** The series {@code name}, which must exist and hold numbers. */
    static double[] get(ClaimResult r, String name) {
        assertThat(r.details()).containsKeys("series", "plot");
        @SuppressWarnings("unchecked")
        Map<String, Object> series = (Map<String, Object>) r.details().get("series");
        assertThat(series).as("series of %s", r.id()).containsKey(name);
        List<?> v = (List<?>) series.get(name);
        double[] out = new double[v.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ((Number) v.get(i)).doubleValue();
        }
        return out;
    }

    /**
     * The plot the report draws from the result, read back from the result's JSON (so the details are
     * JSON-serialisable and follow the convention); named after the claim.
     */
    static PlotSpec plot(ClaimResult r) {
        PlotSpec s = Plots.fromResult(ResultJson.of(r, new Replay(r.id(), Map.of(), 0)));
        assertThat(s).as("plot of %s", r.id()).isNotNull();
        assertThat(s.name()).isEqualTo(r.id());
        for (PlotSpec.Series x : s.series()) {
            assertThat(x.x().length).as("x of %s", x.name()).isEqualTo(x.y().length).isLessThanOrEqualTo(PlotSeries.MAX_POINTS);
        }
        return s;
    }
}
