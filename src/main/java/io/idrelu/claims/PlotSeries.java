package io.idrelu.claims;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Helpers for the plot series a claim puts into its {@link ClaimResult#details()} (the report's convention,
 * {@code io.idrelu.report.Plots}: key {@code "series"} -> name -> numbers, key {@code "plot"} -> options).
 * Series are illustrations, never inputs to a verdict: line series are kept short (at most
 * {@link #MAX_POINTS} points) so the report stays light, and hold plain lists of doubles so the details
 * stay JSON-serialisable.
 */
public final class PlotSeries {
    /** Largest number of points of one line series. */
    public static final int MAX_POINTS = 300;

    private PlotSeries() { }

    /** {@code v} as a JSON-friendly list. */
    public static List<Double> list(double[] v) {
        List<Double> out = new ArrayList<>(v.length);
        for (double x : v) {
            out.add(x);
        }
        return out;
    }

    /** Plot options: title, caption, axis labels, log axes (further keys are put by the caller). */
    public static Map<String, Object> options(String title, String caption, String xLabel, String yLabel,
                                              boolean logX, boolean logY) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("title", title);
        p.put("caption", caption);
        p.put("xLabel", xLabel);
        p.put("yLabel", yLabel);
        p.put("logX", logX);
        p.put("logY", logY);
        return p;
    }
}
