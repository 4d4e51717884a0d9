package io.idrelu.report;

import com.fasterxml.jackson.databind.JsonNode;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Plots of the report: reads the series a claim put in its result's details and renders any
 * {@link PlotSpec} with XChart to SVG and PNG (headless).
 *
 * <p>Series convention for claims ({@code ClaimResult.details}):
 * <ul>
 *   <li>{@code "series"} -> {@code Map<String, double[] or List<Number>>}, or flat keys
 *       {@code "series.NAME"} -> {@code double[]} / {@code List<Number>}. The x axis is the series named
 *       {@code x}, {@code step}, {@code d} or {@code eps} (first present), else the index 0, 1, ...;
 *       every other series is one line against it (equal lengths; non-finite points are skipped).</li>
 *   <li>Optional {@code "plot"} -> map (or flat {@code "plot.KEY"} keys): {@code title}, {@code caption},
 *       {@code xLabel}, {@code yLabel}, {@code logX}, {@code logY} (booleans), {@code kind} =
 *       {@code "histogram"} (each series is a sample, drawn as a density over 30 bins),
 *       {@code hline} -> map name -> value (reference line, e.g. {@code "0.084 (paper)"} -> 0.084) and
 *       {@code vline} -> map name -> value (vertical marker, e.g. the Phase I / II boundary step).</li>
 * </ul>
 */
public final class Plots {
    private static final String[] X_NAMES = {"x", "step", "d", "eps"};
    static final int WIDTH = 760;
    static final int HEIGHT = 420;

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private Plots() { }

    /** The plot a result's details describe, or {@code null} when it carries no series. */
    public static PlotSpec fromResult(JsonNode result) {
        JsonNode details = result.path("details");
        Map<String, double[]> series = new LinkedHashMap<>();
        Map<String, JsonNode> opts = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = details.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String k = e.getKey();
            if (k.equals("series") && e.getValue().isObject()) {
                e.getValue().fields().forEachRemaining(s -> putSeries(series, s.getKey(), s.getValue()));
            } else if (k.startsWith("series.")) {
                putSeries(series, k.substring("series.".length()), e.getValue());
            } else if (k.equals("plot") && e.getValue().isObject()) {
                e.getValue().fields().forEachRemaining(s -> opts.put(s.getKey(), s.getValue()));
            } else if (k.startsWith("plot.")) {
                opts.put(k.substring("plot.".length()), e.getValue());
            }
        }
        if (series.isEmpty()) {
            return null;
        }
        String id = result.path("id").asText("claim");
        String title = text(opts.get("title"), id + ": " + result.path("statement").asText(""));
        String caption = text(opts.get("caption"), "Series reported by claim " + id + ".");
        boolean histogram = "histogram".equalsIgnoreCase(text(opts.get("kind"), ""));
        String xName = null;
        if (!histogram) {
            for (String c : X_NAMES) {
                if (series.containsKey(c)) {
                    xName = c;
                    break;
                }
            }
        }
        PlotSpec spec = PlotSpec.of(slug(id), title, caption,
                text(opts.get("xLabel"), histogram ? "value" : xName == null ? "index" : xName),
                text(opts.get("yLabel"), histogram ? "density" : "value"),
                bool(opts.get("logX")), bool(opts.get("logY")));
        double[] x = xName == null ? null : series.get(xName);
        for (Map.Entry<String, double[]> e : series.entrySet()) {
            if (e.getKey().equals(xName)) {
                continue;
            }
            double[] y = e.getValue();
            if (histogram) {
                double[][] h = density(y, 30);
                spec = spec.with(new PlotSpec.Series(e.getKey(), h[0], h[1]));
            } else {
                double[] xs = x;
                if (xs == null || xs.length != y.length) {
                    xs = new double[y.length];
                    for (int i = 0; i < xs.length; i++) {
                        xs[i] = i;
                    }
                }
                spec = spec.with(new PlotSpec.Series(e.getKey(), xs, y));
            }
        }
        JsonNode h = opts.get("hline");
        if (h != null && h.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = h.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                spec = spec.withHLine(e.getKey(), ResultJson.number(e.getValue()));
            }
        }
        JsonNode v = opts.get("vline");
        if (v != null && v.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                spec = spec.withVLine(e.getKey(), ResultJson.number(e.getValue()));
            }
        }
        return spec;
    }

    private static void putSeries(Map<String, double[]> out, String name, JsonNode arr) {
        if (!arr.isArray()) {
            return;
        }
        double[] v = new double[arr.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = ResultJson.number(arr.get(i));
        }
        out.put(name, v);
    }

    private static String text(JsonNode n, String dflt) {
        return n == null || n.isNull() ? dflt : n.asText();
    }

    private static boolean bool(JsonNode n) {
        return n != null && n.asBoolean(false);
    }

    static String slug(String s) {
        String t = s.replaceAll("[^A-Za-z0-9_-]+", "-");
        return t.isEmpty() ? "plot" : t;
    }

    /** Density histogram of the finite values: bin centres and heights (area 1). */
    static double[][] density(double[] sample, int bins) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        int n = 0;
        for (double s : sample) {
            if (Double.isFinite(s)) {
                lo = Math.min(lo, s);
                hi = Math.max(hi, s);
                n++;
            }
        }
        if (n == 0) {
            return new double[][] {new double[0], new double[0]};
        }
        if (hi == lo) {
            hi = lo + 1;
        }
        double w = (hi - lo) / bins;
        double[] c = new double[bins];
        double[] h = new double[bins];
        for (double s : sample) {
            if (Double.isFinite(s)) {
                int b = Math.min(bins - 1, (int) ((s - lo) / w));
                h[b]++;
            }
        }
        for (int i = 0; i < bins; i++) {
            c[i] = lo + (i + 0.5) * w;
            h[i] /= n * w;
        }
        return new double[][] {c, h};
    }

    /** The XChart chart of a spec (points that cannot be drawn, non-finite or <= 0 on a log axis, are left out). */
    public static XYChart chart(PlotSpec spec) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(spec.title())
                .xAxisTitle(spec.xLabel()).yAxisTitle(spec.yLabel()).build();
        org.knowm.xchart.style.XYStyler st = chart.getStyler();
        chart.getStyler().setXAxisLogarithmic(spec.logX());
        chart.getStyler().setYAxisLogarithmic(spec.logY());
        st.setLegendPosition(Styler.LegendPosition.OutsideS);
        st.setLegendLayout(Styler.LegendLayout.Horizontal);
        st.setChartBackgroundColor(Color.WHITE);
        st.setPlotBackgroundColor(Color.WHITE);
        st.setPlotGridLinesColor(new Color(0xE4, 0xE4, 0xE4));
        // Solid grid lines: a dashed stroke becomes one SVG rectangle per dash (megabytes on log axes).
        st.setPlotGridLinesStroke(new BasicStroke(0.8f));
        st.setChartTitleBoxVisible(false);
        st.setPlotBorderVisible(true);
        // markers are drawn only on short series (<= 12 points, e.g. one per d), so they can be visible
        chart.getStyler().setMarkerSize(7);
        double xmin = Double.POSITIVE_INFINITY;
        double xmax = Double.NEGATIVE_INFINITY;
        double ymin = Double.POSITIVE_INFINITY;
        double ymax = Double.NEGATIVE_INFINITY;
        int drawn = 0;
        for (PlotSpec.Series s : spec.series()) {
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            int n = Math.min(s.x().length, s.y().length);
            for (int i = 0; i < n; i++) {
                double x = s.x()[i];
                double y = s.y()[i];
                if (drawable(x, spec.logX()) && drawable(y, spec.logY())) {
                    xs.add(x);
                    ys.add(y);
                    xmin = Math.min(xmin, x);
                    xmax = Math.max(xmax, x);
                    ymin = Math.min(ymin, y);
                    ymax = Math.max(ymax, y);
                }
            }
            if (xs.isEmpty()) {
                continue;
            }
            XYSeries xy = chart.addSeries(uniqueName(chart, s.name()), xs, ys);
            xy.setMarker(xs.size() <= 12 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
            drawn++;
        }
        // XChart labels only powers of ten on a log axis; over less than two decades (e.g. C12's d = 4..12) that
        // leaves the measured points without a label, so intermediate ticks are labelled too.
        chart.getStyler().setXAxisLogarithmicDecadeOnly(!(spec.logX() && xmax <= 100 * xmin));
        chart.getStyler().setYAxisLogarithmicDecadeOnly(!(spec.logY() && ymax <= 100 * ymin));
        for (PlotSpec.Marker m : spec.hLines()) {
            if (drawable(m.value(), spec.logY())) {
                ymin = Math.min(ymin, m.value());
                ymax = Math.max(ymax, m.value());
            }
        }
        if (drawn == 0) {
            XYSeries xy = chart.addSeries("(no drawable points)", new double[] {0, 1}, new double[] {1, 1});
            xy.setLineColor(Color.WHITE);
            return chart;
        }
        if (xmin == xmax) {
            xmax = xmin + 1;
        }
        // a log axis spanning less than a decade (e.g. d = 2..8) has at most one labelled decade tick:
        // label the intermediate ticks too (over a wider span they would crowd each other)
        st.setXAxisLogarithmicDecadeOnly(!spec.logX() || xmax / xmin >= 10);
        st.setYAxisLogarithmicDecadeOnly(!spec.logY() || ymax / ymin >= 10);
        for (PlotSpec.Marker m : spec.hLines()) {
            if (drawable(m.value(), spec.logY())) {
                XYSeries xy = chart.addSeries(uniqueName(chart, m.name()), new double[] {xmin, xmax},
                        new double[] {m.value(), m.value()});
                xy.setMarker(SeriesMarkers.NONE);
                xy.setLineColor(new Color(0xC0, 0x39, 0x2B));
                xy.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
            }
        }
        for (PlotSpec.Marker m : spec.vLines()) {
            if (drawable(m.value(), spec.logX()) && ymin <= ymax) {
                XYSeries xy = chart.addSeries(uniqueName(chart, m.name()), new double[] {m.value(), m.value()},
                        new double[] {ymin, ymax});
                xy.setMarker(SeriesMarkers.NONE);
                xy.setLineColor(new Color(0x55, 0x55, 0x55));
                xy.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {2f, 3f}, 0f));
            }
        }
        if (legendWidth(chart) > WIDTH - 20) {
            // one row would be cut at the chart's edges: one entry per line instead
            st.setLegendLayout(Styler.LegendLayout.Vertical);
        }
        return chart;
    }

    /** Rough width in pixels of a one-row legend (about 6 px per character plus the line sample per entry). */
    static int legendWidth(XYChart chart) {
        int w = 0;
        for (String n : chart.getSeriesMap().keySet()) {
            w += 6 * n.length() + 45;
        }
        return w;
    }

    private static String uniqueName(XYChart chart, String name) {
        String n = name;
        int i = 2;
        while (chart.getSeriesMap().containsKey(n)) {
            n = name + " (" + i++ + ")";
        }
        return n;
    }

    private static boolean drawable(double v, boolean log) {
        return Double.isFinite(v) && (!log || v > 0);
    }

    /** A plot rendered to SVG text and PNG bytes. */
    public record Rendered(String svg, byte[] png) { }

    private static final int CACHE_SIZE = 64;
    private static final Map<String, Rendered> CACHE = java.util.Collections.synchronizedMap(
            new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Rendered> e) {
                    return size() > CACHE_SIZE;
                }
            });

    /**
     * The SVG and PNG of a spec. Rendering is slow (XChart draws every glyph as a path), and the output
     * is a function of the spec's content, so renderings are memoised by a digest of that content.
     */
    public static Rendered render(PlotSpec spec) {
        String key = digest(spec);
        Rendered r = CACHE.get(key);
        if (r == null) {
            XYChart chart = chart(spec);
            r = new Rendered(svg(chart), png(chart));
            CACHE.put(key, r);
        }
        return r;
    }

    static String digest(PlotSpec s) {
        try {
            java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8);
            java.util.function.Consumer<String> text = t -> md.update((t + "\n").getBytes(StandardCharsets.UTF_8));
            java.util.function.DoubleConsumer num = v -> {
                b.clear();
                b.putDouble(v);
                md.update(b.array());
            };
            text.accept(s.name() + "|" + s.title() + "|" + s.caption() + "|" + s.xLabel() + "|" + s.yLabel() + "|" + s.logX() + "|" + s.logY());
            for (PlotSpec.Series x : s.series()) {
                text.accept("S" + x.name() + "|" + x.x().length + "|" + x.y().length);
                for (double v : x.x()) {
                    num.accept(v);
                }
                for (double v : x.y()) {
                    num.accept(v);
                }
            }
            for (PlotSpec.Marker m : s.hLines()) {
                text.accept("H" + m.name());
                num.accept(m.value());
            }
            for (PlotSpec.Marker m : s.vLines()) {
                text.accept("V" + m.name());
                num.accept(m.value());
            }
            return java.util.HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    /** SVG text of the chart (no XML prolog, so it can be inlined in HTML). */
    public static String svg(XYChart chart) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            VectorGraphicsEncoder.saveVectorGraphic(chart, out, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
            return out.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot render SVG: " + e.getMessage(), e);
        }
    }

    /** PNG bytes of the chart. */
    public static byte[] png(XYChart chart) {
        try {
            return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot render PNG: " + e.getMessage(), e);
        }
    }

    /** The SVG without its XML prolog and doctype, sized to the page width. */
    public static String inlineSvg(String svg) {
        String s = svg.replaceFirst("(?s)^\\s*<\\?xml[^>]*\\?>", "").replaceFirst("(?s)^\\s*<!DOCTYPE[^>]*>", "").trim();
        return s.replaceFirst("<svg ", "<svg class=\"plot\" ");
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
