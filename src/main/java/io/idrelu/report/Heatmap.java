package io.idrelu.report;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;

/**
 * A labelled grid of coloured cells (rows: {@code gamma}, columns: {@code d}) with the value written in
 * each cell, drawn once by one layout routine onto two targets: SVG text (small, real {@code <text>},
 * inlined in the HTML) and PNG (Java2D). XChart's line plots ({@link Plots}) have no annotated grid, so
 * the sweep's heatmaps are drawn here; the palette and fonts follow the report's.
 *
 * @param position colour position in {@code [0, 1]} per cell ({@code [row][col]}), NaN for "no value" (grey)
 * @param labels   text per cell; a second line after "\n" is drawn smaller under the first
 * @param lowLabel legend text of position 0, {@code highLabel} of position 1
 * @param reverse  {@code true} when a high position is good (green)
 */
public record Heatmap(String name, String title, String caption, String rowLabel, String colLabel, String[] rowTicks,
                      String[] colTicks, double[][] position, String[][] labels, String lowLabel, String highLabel,
                      boolean reverse) {

    /** Wide and tall enough for a two-line label ("1.2e-13" over "unpermuted 1.2e+00" in 10 px type). */
    static final int CELL_W = 112;
    static final int CELL_H = 40;
    static final int LEFT = 120;
    static final int TOP = 80;
    static final int LEGEND_H = 60;

    int width() {
        return Math.max(LEFT + colTicks.length * CELL_W + 30, Math.max(520, 20 + 9 * title.length()));
    }

    int height() {
        return TOP + rowTicks.length * CELL_H + 40 + LEGEND_H;
    }

    /** Drawing operations shared by the SVG and PNG targets. */
    private interface Canvas {
        void rect(double x, double y, double w, double h, Color fill, Color stroke);

        /** Text at baseline {@code (x, y)}; anchor -1 start, 0 middle, 1 end; {@code vertical} rotates -90 degrees. */
        void text(double x, double y, String s, int size, boolean bold, int anchor, boolean vertical, Color c);
    }

    private void draw(Canvas c) {
        int w = width();
        int h = height();
        c.rect(0, 0, w, h, Color.WHITE, null);
        c.text(w / 2.0, 24, title, 15, true, 0, false, new Color(0x22, 0x22, 0x22));
        int gw = colTicks.length * CELL_W;
        int gh = rowTicks.length * CELL_H;
        for (int r = 0; r < rowTicks.length; r++) {
            double y = TOP + r * CELL_H;
            c.text(LEFT - 8, y + CELL_H / 2.0 + 4, rowTicks[r], 12, false, 1, false, Color.DARK_GRAY);
            for (int k = 0; k < colTicks.length; k++) {
                double x = LEFT + k * CELL_W;
                double p = position[r][k];
                Color fill = colour(p);
                c.rect(x, y, CELL_W, CELL_H, fill, Color.WHITE);
                // a label may have a second, smaller line (a note under the value)
                String[] lines = labels[r][k].split("\n");
                double first = y + CELL_H / 2.0 + 4 - 7 * (lines.length - 1);
                for (int i = 0; i < lines.length; i++) {
                    c.text(x + CELL_W / 2.0, first + 14 * i, lines[i], i == 0 ? 12 : 10, false, 0, false, textColour(fill));
                }
            }
        }
        for (int k = 0; k < colTicks.length; k++) {
            // a tick may have two lines ("d = 4\neta 0.125")
            String[] lines = colTicks[k].split("\n");
            for (int i = 0; i < lines.length; i++) {
                c.text(LEFT + k * CELL_W + CELL_W / 2.0, TOP - 8 - 15 * (lines.length - 1 - i), lines[i], 12, i == 0, 0, false, Color.DARK_GRAY);
            }
        }
        c.text(LEFT - 8, TOP - 8, rowLabel.split(" ")[0] + " \\ " + colLabel.split(" ")[0], 12, true, 1, false, Color.DARK_GRAY);
        c.text(LEFT + gw / 2.0, TOP + gh + 22, "rows: " + rowLabel + ";  columns: " + colLabel, 12, false, 0, false,
                new Color(0x33, 0x33, 0x33));
        // legend: a ramp from position 0 to 1
        double ly = TOP + gh + 38;
        int steps = 20;
        double lw = 240;
        double lx = LEFT;
        for (int i = 0; i < steps; i++) {
            c.rect(lx + i * lw / steps, ly, lw / steps + 0.5, 12, colour(i / (steps - 1.0)), null);
        }
        c.text(lx, ly + 26, lowLabel, 11, false, -1, false, Color.DARK_GRAY);
        c.text(lx + lw, ly + 26, highLabel, 11, false, 1, false, Color.DARK_GRAY);
        c.rect(lx + lw + 20, ly, 14, 12, colour(Double.NaN), null);
        c.text(lx + lw + 40, ly + 10, "no value", 11, false, -1, false, Color.DARK_GRAY);
    }

    /** Red (bad) through amber to green (good); grey for NaN. */
    Color colour(double p) {
        if (Double.isNaN(p)) {
            return new Color(0xD0, 0xD0, 0xD0);
        }
        double q = Math.max(0, Math.min(1, reverse ? p : 1 - p));
        // the report's VIOLATED / INCONCLUSIVE / HOLDS hues, saturated enough to read as a scale
        int[] bad = {0xE0, 0x6C, 0x64};
        int[] mid = {0xF2, 0xC9, 0x4C};
        int[] good = {0x5F, 0xB8, 0x73};
        int[] a = q < 0.5 ? bad : mid;
        int[] b = q < 0.5 ? mid : good;
        double t = q < 0.5 ? q / 0.5 : (q - 0.5) / 0.5;
        return new Color((int) Math.round(a[0] + t * (b[0] - a[0])), (int) Math.round(a[1] + t * (b[1] - a[1])),
                (int) Math.round(a[2] + t * (b[2] - a[2])));
    }

    private static Color textColour(Color fill) {
        double lum = 0.299 * fill.getRed() + 0.587 * fill.getGreen() + 0.114 * fill.getBlue();
        return lum < 110 ? Color.WHITE : new Color(0x1A, 0x1A, 0x1A);
    }

    /** SVG text (no XML prolog, so it can be written as a file and inlined in HTML alike). */
    public String svg() {
        StringBuilder s = new StringBuilder(8192);
        s.append(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                        + "font-family=\"system-ui,-apple-system,Segoe UI,Roboto,sans-serif\">\n",
                width(), height(), width(), height()));
        s.append("<title>").append(Html.esc(title)).append("</title>\n");
        draw(new Canvas() {
            @Override
            public void rect(double x, double y, double w, double h, Color fill, Color stroke) {
                s.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"%s/>\n",
                        x, y, w, h, hex(fill), stroke == null ? "" : " stroke=\"" + hex(stroke) + "\" stroke-width=\"2\""));
            }

            @Override
            public void text(double x, double y, String t, int size, boolean bold, int anchor, boolean vertical, Color c) {
                String a = anchor < 0 ? "start" : anchor == 0 ? "middle" : "end";
                s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%d\"%s text-anchor=\"%s\" fill=\"%s\"%s>%s</text>\n",
                        x, y, size, bold ? " font-weight=\"bold\"" : "", a, hex(c),
                        vertical ? String.format(Locale.ROOT, " transform=\"rotate(-90 %.1f %.1f)\"", x, y) : "", Html.esc(t)));
            }
        });
        s.append("</svg>\n");
        return s.toString();
    }

    /** PNG bytes (headless Java2D, anti-aliased text). */
    public byte[] png() {
        System.setProperty("java.awt.headless", "true");
        BufferedImage img = new BufferedImage(width(), height(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            draw(new Canvas() {
                @Override
                public void rect(double x, double y, double w, double h, Color fill, Color stroke) {
                    g.setColor(fill);
                    g.fill(new java.awt.geom.Rectangle2D.Double(x, y, w, h));
                    if (stroke != null) {
                        g.setColor(stroke);
                        g.setStroke(new BasicStroke(2f));
                        g.draw(new java.awt.geom.Rectangle2D.Double(x, y, w, h));
                    }
                }

                @Override
                public void text(double x, double y, String t, int size, boolean bold, int anchor, boolean vertical, Color c) {
                    g.setFont(new Font(Font.SANS_SERIF, bold ? Font.BOLD : Font.PLAIN, size));
                    g.setColor(c);
                    FontMetrics fm = g.getFontMetrics();
                    double tw = fm.stringWidth(t);
                    double dx = anchor < 0 ? 0 : anchor == 0 ? -tw / 2 : -tw;
                    AffineTransform saved = g.getTransform();
                    g.translate(x, y);
                    if (vertical) {
                        g.rotate(-Math.PI / 2);
                    }
                    g.drawString(t, (float) dx, 0f);
                    g.setTransform(saved);
                }
            });
        } finally {
            g.dispose();
        }
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(img, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot render PNG " + name + ": " + e.getMessage(), e);
        }
    }

    private static String hex(Color c) {
        return String.format(Locale.ROOT, "#%02x%02x%02x", c.getRed(), c.getGreen(), c.getBlue());
    }
}
