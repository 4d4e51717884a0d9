package io.idrelu.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.idrelu.claims.Applicability;
import io.idrelu.cli.AtomicFiles;
import io.idrelu.cli.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The report of a {@link Sweep}: {@code sweep.json}, a self-contained {@code sweep.html} (inline CSS and
 * SVG) and {@code plots/sweep-*.svg|png}, all written atomically, the JSON last (so a {@code sweep.json}
 * on disk always belongs to a complete report). Heatmaps are {@link Heatmap}s; the line figures are
 * {@link PlotSpec}s rendered by {@link Plots} like the check report's.
 *
 * <p>{@code sweep.json}: {@code format}; {@code configuration} ({@link SweepConfig#toJson}); {@code definitions}
 * (success, Phase I, final error, in words); {@code cells} (row-major, rows gamma, columns d; per cell the
 * aggregates and {@code per_trial} with each trial's seed and {@code idrelu train} replay command);
 * {@code environment}; {@code timings}; {@code plots}. The first four depend only on the configuration.
 */
public final class SweepReport {
    public static final String FORMAT = "idrelu-sweep/1";
    public static final String JSON_FILE = "sweep.json";
    public static final String HTML_FILE = "sweep.html";

    private final SweepConfig config;
    private final List<Sweep.Cell> cells;
    private final ObjectNode environment;
    private final double totalSeconds;

    public SweepReport(SweepConfig config, List<Sweep.Cell> cells, ObjectNode environment, double totalSeconds) {
        this.config = config;
        this.cells = List.copyOf(cells);
        this.environment = environment;
        this.totalSeconds = totalSeconds;
    }

    /** The definitions, as stored in the JSON and shown in the HTML. */
    public ObjectNode definitions() {
        ObjectNode d = Json.MAPPER.createObjectNode();
        if (config.isLy17()) {
            d.put("success", "the final iterate W_T is finite and its closed-form population loss L(W_T) = E[(f(x,W_T) - f(x,W*))^2]"
                    + " (true units) is <= eps = " + config.eps() + ", after exactly T = " + config.steps() + " online SGD steps");
        } else {
            d.put("success", "the final iterate W_T (every block) is finite after exactly T = " + config.steps()
                    + " SGD steps on the generic fast path (SettingSgd), and its " + SettingTrial.rule(config.setting(), config.eps()));
            d.put("undecided", "the Monte Carlo interval of L(W_T) contains eps: neither success nor failure (only without a"
                    + " closed form or finite law); shown as ?N after successes/trials");
            d.put("setting", Applicability.label(config.setting()) + " (" + Applicability.describe(config.setting())
                    + "); d and gamma come from each cell");
        }
        d.put("phase1_steps", "first step t >= 1 with potential g(W_t) < " + Table.num(config.phase1Threshold())
                + " gamma^2 ([LY17] Theorem 3.1 Phase I, constant recalled); 0 if g(W_0) is already below; null if not reached within T");
        d.put("final_error", "||U_T - V||_F^2 with U = I + W_T (identity) or W_T (vanilla) and V = I + W*;"
                + " for the identity net this is ||W_T - W*||_F^2");
        d.put("final_error_permuted", "min over permutation matrices P of ||U_T - V P||_F^2: every column"
                + " permutation of V gives zero loss for both nets (f is a sum over units), so this is the distance to the nearest"
                + " global minimum; final_error >> final_error_permuted means SGD found a relabelled teacher. Exact for every d:"
                + " the minimum over all d! permutations is a linear assignment problem, solved by the Hungarian algorithm in"
                + " O(d^3) (tested against exhaustive search for d <= 8). The heatmap and the line plot show this error");
        d.put("initial_potential", "g(W_0) = sum_i |v_i| - |u_i| at the start; when g(W_0) < " + Table.num(config.phase1Threshold())
                + " gamma^2 the trial starts in Phase II and its Phase I length is 0 by definition (the heatmap shows the median"
                + " g(W_0) / (" + Table.num(config.phase1Threshold()) + " gamma^2) under each length)");
        d.put("diverged", "a batch loss or W_T became non-finite (the trial stops there and fails)");
        d.put("trial_seed", "GaussianSampler.trialSeed(seed, cell * K + k); the same seed draws W0, W* (Problem.random) and the samples"
                + " (OnlineSgd), so the 'replay' command repeats the trial");
        d.put("medians", "Phase I median counts not-reached trials as +inf (null when the median is not reached);"
                + " final-loss and final-error medians count diverged trials as +inf (null when the median is +inf)");
        d.put("success_rate_wilson95", "95% Wilson score interval of the success probability from K trials");
        return d;
    }

    /** The full JSON; {@code plots} lists the plot file stems. */
    public ObjectNode json(List<String> plots) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("format", FORMAT);
        o.set("configuration", config.toJson());
        o.set("definitions", definitions());
        ArrayNode c = o.putArray("cells");
        cells.forEach(x -> c.add(x.toJson(config)));
        o.set("environment", environment.deepCopy());
        ObjectNode t = o.putObject("timings");
        t.put("total_seconds", totalSeconds);
        ArrayNode per = t.putArray("cell_seconds");
        cells.forEach(x -> per.add(x.seconds()));
        ArrayNode p = o.putArray("plots");
        plots.forEach(p::add);
        return o;
    }

    /** The part of a sweep JSON that depends only on the configuration (compare across runs and thread counts). */
    public static ObjectNode deterministic(JsonNode sweep) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.set("configuration", sweep.path("configuration").deepCopy());
        o.set("definitions", sweep.path("definitions").deepCopy());
        ArrayNode cs = o.putArray("cells");
        for (JsonNode c : sweep.path("cells")) {
            ObjectNode x = c.deepCopy();
            x.remove("seconds");
            cs.add(x);
        }
        return o;
    }

    /** Writes plots, sweep.html and sweep.json into {@code dir}; returns the JSON written. */
    public ObjectNode write(Path dir) {
        try {
            Files.createDirectories(dir.resolve("plots"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir + ": " + e.getMessage(), e);
        }
        List<String> names = new ArrayList<>();
        List<String[]> figures = new ArrayList<>(); // name, title, caption, inline svg
        for (Heatmap h : heatmaps()) {
            String svg = h.svg();
            AtomicFiles.write(dir.resolve("plots").resolve(h.name() + ".svg"), svg);
            AtomicFiles.write(dir.resolve("plots").resolve(h.name() + ".png"), h.png());
            names.add(h.name());
            figures.add(new String[] {h.name(), h.title(), h.caption(), Plots.inlineSvg(svg)});
        }
        for (PlotSpec s : lines()) {
            Plots.Rendered r = Plots.render(s);
            AtomicFiles.write(dir.resolve("plots").resolve(s.name() + ".svg"), r.svg());
            AtomicFiles.write(dir.resolve("plots").resolve(s.name() + ".png"), r.png());
            names.add(s.name());
            figures.add(new String[] {s.name(), s.title(), s.caption(), Plots.inlineSvg(r.svg())});
        }
        ObjectNode json = json(names);
        AtomicFiles.write(dir.resolve(HTML_FILE), html(json, figures));
        AtomicFiles.write(dir.resolve(JSON_FILE), Json.write(json) + "\n");
        return json;
    }

    private String setting() {
        return (config.isLy17() ? "" : "setting " + Applicability.label(config.setting()) + ", ") + (config.vanilla() ? "vanilla student u_i = w_i" : "identity-mapped student u_i = e_i + w_i")
                + ", ||W0||_2 = ||W*||_2 = gamma, " + config.etaRule() + ", batch " + config.batch() + ", T = " + config.steps()
                + " steps, K = " + config.seeds() + " seeds per cell, base seed " + config.seed();
    }

    private String[] rowTicks() {
        double[] g = config.gammas();
        String[] t = new String[g.length];
        for (int i = 0; i < g.length; i++) {
            t[i] = Table.num(g[i]);
        }
        return t;
    }

    private String[] colTicks() {
        int[] ds = config.ds();
        String[] t = new String[ds.length];
        for (int i = 0; i < ds.length; i++) {
            t[i] = "d = " + ds[i] + "\neta " + Table.num(config.etaFor(ds[i]));
        }
        return t;
    }

    private Sweep.Cell cell(int gi, int di) {
        return cells.get(config.cellIndex(gi, di));
    }

    /** Success rate, Phase I length, final error. */
    public List<Heatmap> heatmaps() {
        int ng = config.gammas().length;
        int nd = config.ds().length;
        double[][] sp = new double[ng][nd];
        String[][] sl = new String[ng][nd];
        double[][] pp = new double[ng][nd];
        String[][] pl = new String[ng][nd];
        double[][] ep = new double[ng][nd];
        String[][] el = new String[ng][nd];
        double logT = Math.log1p(Math.max(1, config.steps()));
        // final-error colour: log10 from eps (good) to the largest finite median (bad), of the permutation-aware
        // error: a relabelled teacher is a global minimum (zero loss), so it must not be coloured as a failure
        double lo = Math.log10(config.eps());
        double hi = lo + 1;
        boolean phase1Empty = true;
        for (Sweep.Cell c : cells) {
            phase1Empty &= c.medianPhase1() == 0;
            double e = c.medianFinalErrorPermuted();
            if (Double.isFinite(e) && e > 0) {
                hi = Math.max(hi, Math.log10(e));
            }
        }
        for (int gi = 0; gi < ng; gi++) {
            for (int di = 0; di < nd; di++) {
                Sweep.Cell c = cell(gi, di);
                sp[gi][di] = c.successRate();
                sl[gi][di] = c.successes() + "/" + c.trials().size() + (c.diverged() > 0 ? " (" + c.diverged() + " div)" : "");
                double m = c.medianPhase1();
                pp[gi][di] = Double.isFinite(m) ? 1 - Math.log1p(m) / logT : Double.NaN;
                pl[gi][di] = (Double.isFinite(m) ? String.format(Locale.ROOT, "%d", (long) m)
                        + (c.phase1Reached() < c.trials().size() ? " (" + c.phase1Reached() + "/" + c.trials().size() + ")" : "")
                        : "> T (" + c.phase1Reached() + "/" + c.trials().size() + ")")
                        + "\ng0/thr " + Table.num(c.medianInitialPotentialOverThreshold(config.phase1Threshold()));
                double e = c.medianFinalErrorPermuted();
                double plain = c.medianFinalError();
                ep[gi][di] = !Double.isFinite(e) ? 0 : e <= 0 ? 1 : 1 - Math.max(0, Math.min(1, (Math.log10(e) - lo) / (hi - lo)));
                el[gi][di] = (Double.isFinite(e) ? String.format(Locale.ROOT, "%.1e", e) : "diverged")
                        // the plain distance too when SGD found a relabelled teacher (it is far from V but at zero loss)
                        + (Double.isFinite(e) && Double.isFinite(plain) && plain > 2 * e && plain > config.eps()
                        ? String.format(Locale.ROOT, "\nunpermuted %.1e", plain) : "");
            }
        }
        String s = setting() + ".";
        List<Heatmap> h = new ArrayList<>();
        h.add(new Heatmap("sweep-success", "Success rate: L(W_T) <= " + Table.num(config.eps()) + " after T = " + config.steps() + " steps",
                "Successful trials / trials per cell (green all, red none; 'div' counts diverged trials); " + s,
                "gamma = ||W0||_2 = ||W*||_2", "d (eta below)", rowTicks(), colTicks(), sp, sl, "0 %", "100 %", true));
        String thr = Table.num(config.phase1Threshold());
        h.add(new Heatmap("sweep-phase1", "Phase I length: first step with g < " + thr + " gamma^2 (median)"
                        + (phase1Empty ? ": 0 everywhere" : ""),
                "Median over trials of the first step with potential g(W_t) < " + thr
                        + " gamma^2 (0: already there at W_0; '> T': the median trial never got there; in brackets: trials that did, when not all);"
                        + " below it, the median g(W_0) / (" + thr + " gamma^2): a start below 1 is inside Phase II, so its Phase I length is 0 by"
                        + " definition, not by a fault of the measurement. "
                        + (phase1Empty ? "Here every cell starts below the threshold: Phase I is genuinely empty on this grid (|g(W_0)| is"
                        + " about gamma sqrt(d) while the threshold is " + thr + " gamma^2). " : "")
                        + "Colour: Phase I length on a log(1 + t) scale. " + s,
                "gamma = ||W0||_2 = ||W*||_2", "d (eta below)", rowTicks(), colTicks(), pp, pl, "T steps", "0 steps", true));
        h.add(new Heatmap("sweep-final-error", "Final error up to relabelling: min_P ||U_T - V P||_F^2 (median)",
                "Median over trials of the distance to the nearest global minimum, min over column permutations P of ||U_T - V P||_F^2"
                        + " (exact, Hungarian assignment); every V P has zero loss, so a trial that converged to a relabelled teacher"
                        + " is at distance ~0 here. Where the unpermuted median ||U_T - V||_F^2 differs, it is shown below. Colour log10 from eps = "
                        + Table.num(config.eps()) + " (green) to the largest median (red). " + s,
                "gamma = ||W0||_2 = ||W*||_2", "d (eta below)", rowTicks(), colTicks(), ep, el,
                Table.num(Math.pow(10, hi)), "<= " + Table.num(config.eps()), true));
        return h;
    }

    /** Success rate and final error against gamma, one line per d (XChart, like the check report's plots). */
    public List<PlotSpec> lines() {
        double[] g = config.gammas();
        int[] ds = config.ds();
        PlotSpec rate = PlotSpec.of("sweep-success-lines", "Success rate against gamma, one line per d",
                "Fraction of the K = " + config.seeds() + " trials with L(W_T) <= " + Table.num(config.eps()) + "; " + setting() + ".",
                "gamma = ||W0||_2 = ||W*||_2", "success rate", false, false);
        // log10 of the error on a linear axis: converged cells reach 1e-33, and a log axis with a label per decade
        // over 30+ decades is unreadable (XChart does not thin decade labels)
        PlotSpec err = PlotSpec.of("sweep-final-error-lines", "Median final error up to relabelling against gamma, one line per d",
                "log10 of the median over trials of min_P ||U_T - V P||_F^2 (the distance to the nearest global minimum; diverged"
                        + " cells left out); dashed: log10 eps; " + setting() + ".",
                "gamma = ||W0||_2 = ||W*||_2", "log10 median min_P ||U_T - V P||_F^2", false, false);
        for (int di = 0; di < ds.length; di++) {
            double[] r = new double[g.length];
            double[] e = new double[g.length];
            for (int gi = 0; gi < g.length; gi++) {
                r[gi] = cell(gi, di).successRate();
                double m = cell(gi, di).medianFinalErrorPermuted();
                e[gi] = Double.isFinite(m) && m > 0 ? Math.log10(m) : Double.NaN;
            }
            rate = rate.with(new PlotSpec.Series("d = " + ds[di], g, r));
            err = err.with(new PlotSpec.Series("d = " + ds[di], g, e));
        }
        err = err.withHLine("log10 eps", Math.log10(config.eps()));
        return List.of(rate, err);
    }

    /** True when some trial was judged by Monte Carlo (so "undecided" can occur). */
    private boolean monteCarlo() {
        return cells.stream().flatMap(c -> c.trials().stream()).anyMatch(t -> "monte_carlo".equals(t.route()));
    }

    /** Text table of success rates (rows gamma, columns d) for stdout. */
    public String table() {
        double[] g = config.gammas();
        int[] ds = config.ds();
        StringBuilder s = new StringBuilder();
        s.append("Success (L(W_T) <= ").append(Table.num(config.eps())).append(" after T = ").append(config.steps())
                .append(" steps), successes/trials per cell; ").append(config.vanilla() ? "vanilla" : "identity")
                .append(", ").append(config.etaRule()).append(", batch ").append(config.batch())
                .append(config.isLy17() ? "" : "; setting " + Applicability.label(config.setting()) + ", excess population loss"
                        + (monteCarlo() ? ", ?N = undecided (Monte Carlo interval contains eps)" : "")).append('\n');
        String[] head = new String[ds.length + 1];
        head[0] = "gamma \\ d";
        for (int i = 0; i < ds.length; i++) {
            head[i + 1] = Integer.toString(ds[i]);
        }
        String[][] rows = new String[g.length][ds.length + 1];
        for (int gi = 0; gi < g.length; gi++) {
            rows[gi][0] = Table.num(g[gi]);
            for (int di = 0; di < ds.length; di++) {
                Sweep.Cell c = cell(gi, di);
                rows[gi][di + 1] = c.successes() + "/" + c.trials().size() + (c.undecided() > 0 ? "?" + c.undecided() : "")
                        + (c.diverged() > 0 ? "*" : "");
            }
        }
        int[] w = new int[head.length];
        for (int i = 0; i < head.length; i++) {
            w[i] = head[i].length();
            for (String[] r : rows) {
                w[i] = Math.max(w[i], r[i].length());
            }
        }
        appendRow(s, head, w);
        for (String[] r : rows) {
            appendRow(s, r, w);
        }
        if (cells.stream().anyMatch(c -> c.diverged() > 0)) {
            s.append("* some trials diverged (non-finite loss)\n");
        }
        return s.toString();
    }

    private static void appendRow(StringBuilder s, String[] r, int[] w) {
        for (int i = 0; i < r.length; i++) {
            String f = i == 0 ? "%-" + w[i] + "s" : "  %" + w[i] + "s";
            s.append(String.format(Locale.ROOT, f, r[i]));
        }
        s.append('\n');
    }


    private String html(ObjectNode json, List<String[]> figures) {
        StringBuilder h = new StringBuilder(64 * 1024);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>idrelu sweep</title><style>").append(Html.CSS).append("</style></head><body><main>\n");
        h.append("<h1>idrelu sweep: where does online SGD still converge?</h1>\n");
        h.append("<p class=\"sub\">Li &amp; Yuan (NeurIPS 2017) Theorem 3.1 assumes ||W<sub>0</sub>||<sub>2</sub>, ||W*||<sub>2</sub> &le; "
                        + "&gamma;<sub>0</sub> small, d &ge; 100 and a small step size. This sweep leaves those assumptions: ")
                .append(Html.esc(setting())).append(String.format(Locale.ROOT, ". %d cells, %.1f s wall time.", cells.size(), totalSeconds))
                .append("</p>\n<h2>Definitions</h2>\n<dl class=\"kv\">");
        json.path("definitions").fields().forEachRemaining(e -> kv(h, e.getKey(), e.getValue().asText()));
        h.append("</dl>\n<h2>Plots</h2>\n");
        for (String[] f : figures) {
            String n = Html.esc(f[0]);
            h.append("<figure id=\"plot-").append(n).append("\"><h3>").append(Html.esc(f[1])).append("</h3><figcaption>")
                    .append(Html.esc(f[2])).append(" Files: <a href=\"plots/").append(n).append(".svg\">SVG</a>, <a href=\"plots/")
                    .append(n).append(".png\">PNG</a>.</figcaption>\n").append(f[3]).append("\n</figure>\n");
        }
        h.append("<h2>Cells</h2>\n<table><thead><tr>");
        for (String c : new String[] {"gamma", "d", "eta", "success", "95% Wilson", "diverged", "Phase I median (reached)",
            "final error median", "permuted error median", "final loss median", "seconds"}) {
            h.append("<th>").append(c).append("</th>");
        }
        h.append("</tr></thead><tbody>\n");
        for (Sweep.Cell c : cells) {
            double[] w = c.wilson95();
            double m = c.medianPhase1();
            h.append("<tr>");
            td(h, Table.num(c.gamma()));
            td(h, Integer.toString(c.d()));
            td(h, Table.num(c.eta()));
            td(h, c.successes() + "/" + c.trials().size());
            td(h, String.format(Locale.ROOT, "[%.2f, %.2f]", w[0], w[1]));
            td(h, Integer.toString(c.diverged()));
            td(h, (Double.isFinite(m) ? Long.toString((long) m) : "> T") + " (" + c.phase1Reached() + "/" + c.trials().size() + ")");
            td(h, Table.num(c.medianFinalError()));
            td(h, Table.num(c.medianFinalErrorPermuted()));
            td(h, Table.num(c.medianFinalLoss()));
            td(h, String.format(Locale.ROOT, "%.2f", c.seconds()));
            h.append("</tr>\n");
        }
        h.append("</tbody></table>\n<h2>Trials</h2>\n<p class=\"sub\">Each trial is replayed alone, bit for bit, by its command.</p>\n");
        for (Sweep.Cell c : cells) {
            h.append("<details><summary>gamma ").append(Html.esc(Table.num(c.gamma()))).append(", d = ").append(c.d())
                    .append(": ").append(c.successes()).append("/").append(c.trials().size()).append(" succeeded</summary>\n<table><thead><tr>");
            for (String col : new String[] {"k", "seed", "success", "Phase I", "L(W_0)", "L(W_T)", "final error", "permuted error", "replay"}) {
                h.append("<th>").append(col).append("</th>");
            }
            h.append("</tr></thead><tbody>\n");
            for (Sweep.Trial t : c.trials()) {
                h.append("<tr>");
                td(h, Integer.toString(t.k()));
                td(h, Long.toString(t.seed()));
                td(h, t.success() ? "yes" : t.diverged() ? "no (diverged)" : t.undecided() ? "undecided" : "no");
                td(h, t.phase1Steps() < 0 ? "> T" : Integer.toString(t.phase1Steps()));
                td(h, Table.num(t.initialLoss()));
                td(h, Table.num(t.finalLoss()));
                td(h, Table.num(t.finalError()));
                td(h, Table.num(t.finalErrorPermuted()));
                h.append("<td class=\"mono\">").append(Html.esc(Sweep.replayCommand(config, c.gamma(), c.d(), c.eta(), t.seed())))
                        .append("</td></tr>\n");
            }
            h.append("</tbody></table></details>\n");
        }
        h.append("<h2>Configuration and environment</h2>\n<div class=\"cols\"><div><h3>Configuration</h3><dl class=\"kv\">");
        json.path("configuration").fields().forEachRemaining(e -> kv(h, e.getKey(), flat(e.getValue())));
        h.append("</dl></div><div><h3>Environment</h3><dl class=\"kv\">");
        json.path("environment").fields().forEachRemaining(e -> kv(h, e.getKey(), flat(e.getValue())));
        h.append("</dl></div></div>\n</main></body></html>\n");
        return h.toString();
    }

    private static String flat(JsonNode n) {
        if (n.isArray()) {
            StringBuilder s = new StringBuilder();
            n.forEach(x -> s.append(s.length() == 0 ? "" : ",").append(x.asText()));
            return s.toString();
        }
        return n.asText();
    }

    private static void td(StringBuilder h, String v) {
        h.append("<td class=\"num\">").append(Html.esc(v)).append("</td>");
    }

    private static void kv(StringBuilder h, String k, String v) {
        h.append("<dt>").append(Html.esc(k)).append("</dt><dd>").append(Html.esc(v)).append("</dd>");
    }
}
