package io.idrelu.report;

import java.util.ArrayList;
import java.util.List;

/**
 * One figure of the report: named (x, y) series plus horizontal reference lines (a bound such as
 * {@code 197 gamma^2} or {@code 0.084}) and vertical markers (the Phase I / Phase II boundary).
 *
 * @param name    file name stem under {@code plots/} (letters, digits, '-', '_')
 * @param title   heading shown above the plot
 * @param caption one sentence saying what to look for
 */
public record PlotSpec(String name, String title, String caption, String xLabel, String yLabel, boolean logX,
                       boolean logY, List<Series> series, List<Marker> hLines, List<Marker> vLines) {

    /** A line {@code y} against {@code x}. */
    public record Series(String name, double[] x, double[] y) { }

    /** A reference line at {@code value}. */
    public record Marker(String name, double value) { }

    public PlotSpec {
        series = List.copyOf(series);
        hLines = List.copyOf(hLines);
        vLines = List.copyOf(vLines);
    }

    /** A builder-friendly start. */
    public static PlotSpec of(String name, String title, String caption, String xLabel, String yLabel,
                              boolean logX, boolean logY) {
        return new PlotSpec(name, title, caption, xLabel, yLabel, logX, logY, List.of(), List.of(), List.of());
    }

    public PlotSpec with(Series s) {
        List<Series> l = new ArrayList<>(series);
        l.add(s);
        return new PlotSpec(name, title, caption, xLabel, yLabel, logX, logY, l, hLines, vLines);
    }

    public PlotSpec withHLine(String label, double value) {
        List<Marker> l = new ArrayList<>(hLines);
        l.add(new Marker(label, value));
        return new PlotSpec(name, title, caption, xLabel, yLabel, logX, logY, series, l, vLines);
    }

    public PlotSpec withVLine(String label, double value) {
        List<Marker> l = new ArrayList<>(vLines);
        l.add(new Marker(label, value));
        return new PlotSpec(name, title, caption, xLabel, yLabel, logX, logY, series, hLines, l);
    }
}
