package io.idrelu.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.idrelu.audit.PopulationLossBound;
import io.idrelu.audit.Precision;
import io.idrelu.kernel.FloatKernel;
import io.idrelu.kernel.Kernel;
import io.idrelu.kernel.Parallel;
import io.idrelu.model.Fixture;
import io.idrelu.model.Matrices;
import io.idrelu.model.Potential;
import io.idrelu.reference.BatchValues;
import io.idrelu.reference.ExactBatch;
import io.idrelu.reference.PopulationReference;
import io.idrelu.reference.PopulationValues;
import io.idrelu.reference.Vouched;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * {@code idrelu eval}: one quantity of MATH.md at a fixture, on the exact reference or the fast path,
 * as one JSON object on stdout. Gradients are in true units ({@code "units": "true"}); the paper's
 * {@code B = -pi dL/dW} is given separately as {@code paper_grad}.
 */
@Command(name = "eval", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = {
                "Evaluates one quantity at a fixture and prints one JSON object on stdout.",
                "  forward     outputs f(x_b, W) and residuals f(x_b, W) - f(x_b, W*) for each row of X",
                "  batch       batch loss (1/B) sum r_b^2 and its gradient (2/B) sum r_b x_b[r] [<u_j,x_b> > 0]",
                "  population  closed-form L(W) = E (f(x,W) - f(x,W*))^2 for x ~ N(0,I), its gradient, the paper's",
                "              B = -pi dL/dW (paper_grad) and the potential g(W) = sum_i |v_i| - |u_i|",
                "The reference path is exact for forward/batch (no rounding; when 1/B has no finite decimal",
                "expansion the loss and gradient are rounded to --digits and \"exact\" is false). For population",
                "it prints P = --digits significant digits where its error bound vouches for them, never more",
                "(fewer where the value cancels, e.g. the gradient at W*), each with *_error_bound: a bound on",
                "|printed - exact|, at most one unit in the last printed digit.",
                "",
                "Fixture: {\"d\": 3, \"identity\": true, \"W\": [[..],..], \"Wstar\": [[..],..], \"X\": [[..],..]}",
                "  W[r][c] is row r, column c; unit i uses column i. JSON numbers are read as the nearest double;",
                "  decimal strings (\"0.1\") are exact on the reference path and rounded on the fast path.",
                "",
                "Example: idrelu eval --fixture f.json --quantity population --digits 60",
                "",
                "Settings (issue 11): the setting options are check's (one block: a fixture holds one W). Under a setting",
                "other than [LY17]'s: forward and batch on the generic network kernel or its exact reference; population",
                "by the setting's closed form (with its error bounds) or exactly over a finite law (a data set's rows);",
                "label noise adds sigma^2 to the population loss. Example: --activation leaky-relu:0.1 --quantity population"})
public final class EvalCommand implements Runnable {

    /** Which quantity to evaluate. */
    public enum Quantity { FORWARD, BATCH, POPULATION }

    /** Which arithmetic. */
    public enum PathChoice { REFERENCE, FAST }

    @Option(names = "--fixture", required = true, paramLabel = "FILE", description = "Fixture JSON file (see above).")
    Path fixture;

    @Option(names = "--quantity", required = true, paramLabel = "forward|batch|population",
            converter = QuantityConverter.class, description = "What to evaluate.")
    Quantity quantity;

    @Option(names = "--path", defaultValue = "reference", paramLabel = "reference|fast", converter = PathConverter.class,
            description = "Exact BigDecimal reference, or the fast floating-point kernels. Default: ${DEFAULT-VALUE}.")
    PathChoice path = PathChoice.REFERENCE;

    @Option(names = "--digits", defaultValue = "50", paramLabel = "P",
            description = "Significant digits printed by the reference (population: only digits its error bound vouches for; inexact batch quotients: rounded to P). Default: ${DEFAULT-VALUE}.")
    int digits = 50;

    @Option(names = "--repeat", defaultValue = "1", paramLabel = "N",
            description = {"Time N evaluations (after the warm-up) and report their median and minimum seconds",
                    "(seconds_per_eval, seconds_min). Only the evaluation is timed: not fixture parsing, not",
                    "input conversion, not JSON building or printing. Default: ${DEFAULT-VALUE}."})
    int repeat = 1;

    @Option(names = "--warmup", defaultValue = "1", paramLabel = "W",
            description = "Untimed evaluations before the timed ones (JIT warm-up); the printed values come from "
                    + "the first evaluation. Default: ${DEFAULT-VALUE}.")
    int warmup = 1;

    @Option(names = "--threads", defaultValue = "1", paramLabel = "K",
            description = "Population on the fast path in double, or on the reference path: spread one evaluation over K "
                    + "threads (a pool created once); the values are bit-identical for every K. Default: ${DEFAULT-VALUE}.")
    int threads = 1;

    /** The pool of {@code --threads} while {@link #run} evaluates (serial otherwise). */
    private Parallel parallel = Parallel.SERIAL;

    @Mixin
    KernelOptions kernelOptions = new KernelOptions();

    /** The setting options (as {@code check}'s): off [LY17]'s setting {@link EvalUnderSetting} evaluates. */
    @Mixin
    SettingOptions settingOptions = new SettingOptions();

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        if (digits < 1 || digits > 10_000) {
            throw new UsageException("--digits " + digits + ": expected 1 <= P <= 10000");
        }
        if (repeat < 1 || repeat > 1_000_000) {
            throw new UsageException("--repeat " + repeat + ": expected 1 <= N <= 1000000");
        }
        if (warmup < 0 || warmup > 1_000_000) {
            throw new UsageException("--warmup " + warmup + ": expected 0 <= W <= 1000000");
        }
        if (threads < 1 || threads > Parallel.MAX_THREADS) {
            throw new UsageException("--threads " + threads + ": expected 1 <= K <= " + Parallel.MAX_THREADS);
        }
        if (threads > 1 && (quantity != Quantity.POPULATION || (path == PathChoice.FAST && kernelOptions.isFloat()))) {
            throw new UsageException("--threads " + threads + ": only --quantity population (reference, or fast in double "
                    + "precision) uses threads; expected --threads 1 here");
        }
        Fixture f = Fixture.read(fixture);
        if (quantity != Quantity.POPULATION && !f.hasBatch()) {
            throw new UsageException("--quantity " + name(quantity) + " needs a batch: fixture " + fixture
                    + " has no \"X\" (expected an array of rows of " + f.d() + " numbers)");
        }
        io.idrelu.setting.Setting setting = settingOptions.given() ? SettingArguments.atFixture(settingOptions, f, fixture) : null;
        boolean underSetting = setting != null && !setting.isLy17();
        Evaluation<?> evaluation = underSetting ? new EvalUnderSetting(this, f, setting).evaluation()
                : path == PathChoice.REFERENCE ? reference(f) : fast(f);
        ObjectNode out;
        try (Parallel pool = threads == 1 ? Parallel.SERIAL : new Parallel(threads)) {
            parallel = pool;
            out = evaluation.timed(repeat, warmup);
        } finally {
            parallel = Parallel.SERIAL;
        }
        if (path == PathChoice.FAST && quantity == Quantity.POPULATION && !kernelOptions.isFloat() && !underSetting) {
            out.put("threads", threads);
        }
        if (path == PathChoice.FAST) {
            refuseOverflow(out, f);
        }
        spec.commandLine().getOut().println(Json.write(out));
        spec.commandLine().getOut().flush();
    }

    /**
     * A computation and, separately, how its result becomes JSON, so that {@code --repeat} times the
     * computation alone. {@code compute} does all the arithmetic a user asked for (every printed quantity);
     * {@code render} only formats.
     */
    record Evaluation<T>(Supplier<T> compute, java.util.function.Function<T, ObjectNode> render) {
        /**
         * The printed object: the first evaluation's values plus timing fields. {@code warmup} untimed
         * evaluations (the first one's result is printed; with {@code warmup = 0} the first timed one's is),
         * then {@code repeat} timed ones, each timed alone by {@link System#nanoTime()}.
         */
        ObjectNode timed(int repeat, int warmup) {
            T first = null;
            for (int i = 0; i < warmup; i++) {
                T r = compute.get();
                if (first == null) {
                    first = r;
                }
            }
            double[] times = new double[repeat];
            for (int i = 0; i < repeat; i++) {
                long t0 = System.nanoTime();
                T r = compute.get();
                times[i] = (System.nanoTime() - t0) * 1e-9;
                if (first == null) {
                    first = r;
                }
            }
            ObjectNode out = render.apply(first);
            Arrays.sort(times);
            double median = repeat % 2 == 1 ? times[repeat / 2] : 0.5 * (times[repeat / 2 - 1] + times[repeat / 2]);
            out.put("seconds_per_eval", median);
            out.put("seconds_min", times[0]);
            out.put("repeat", repeat);
            out.put("warmup", warmup);
            out.put("timed", "evaluation only (no fixture parsing, no input conversion, no JSON)");
            return out;
        }
    }

    ObjectNode header() {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("quantity", name(quantity));
        o.put("path", path == PathChoice.REFERENCE ? "reference" : "fast");
        o.put("units", "true");
        o.put("digits", digits);
        return o;
    }

    private Evaluation<?> reference(Fixture f) {
        boolean id = f.identity();
        BigDecimal[][] w = f.w();
        BigDecimal[][] ws = f.wStar();
        MathContext mc = new MathContext(digits);
        return switch (quantity) {
            case FORWARD -> new Evaluation<>(() -> ExactBatch.evaluate(id, w, ws, f.x()), v -> {
                ObjectNode o = header();
                o.put("exact", true);
                o.set("outputs", Json.row(v.outputs()));
                o.set("residuals", Json.row(v.residuals()));
                return o;
            });
            case BATCH -> new Evaluation<>(() -> {
                BatchValues v = ExactBatch.evaluate(id, w, ws, f.x());
                return new Object[] {v, v.loss(mc), v.gradient(mc)};
            }, r -> {
                ObjectNode o = header();
                o.put("exact", ((BatchValues) r[0]).quotientsExact());
                o.put("loss", Json.decimal((BigDecimal) r[1]));
                o.set("grad", Json.matrix((BigDecimal[][]) r[2]));
                return o;
            });
            case POPULATION -> new Evaluation<>(() -> populationReference(id, w, ws), this::population);
        };
    }

    /**
     * Digits beyond {@code --digits} of the first reference evaluation. A value {@code v} gets its {@code P} digits from
     * working precision {@code p} when {@code |v| >= 10^-(p-P-1) M} (its terms' magnitude): with 8, one evaluation serves
     * every value that cancels by less than about {@code 10^-7} of its terms (at d = 16 the random fixture of
     * benchmarks/side-by-side.sh needed 55 digits for 50: with 2 it was evaluated twice). The binary pipeline's cost
     * grows slowly with {@code p} (64-bit words), so the extra digits cost less than a second evaluation.
     */
    static final int FIRST_EXTRA_DIGITS = 8;

    /** The reference closed forms at working precision {@code p}, and the paper's gradient from them. */
    private record ReferencePopulation(PopulationValues values, BigDecimal[][] paperGradient, int p) { }

    /**
     * The closed forms on the reference, printed to the digits their bounds vouch for ({@link Vouched}): each value
     * {@code v} of {@code PopulationReference(p)} is within {@code 10^-p M} (M: the sum of the absolute values of
     * its terms, proofs-notes/reference-error-bound.md); it is printed with {@code --digits} significant digits
     * where that bound allows, never more, and with {@code *_error_bound}, a bound on |printed - exact| that
     * includes the rounding to the printed digits. The working precision {@code p} starts at
     * {@code P + FIRST_EXTRA_DIGITS} and is raised once per shortfall, so values larger than {@code 10^-P M} get their
     * {@code P} digits; smaller ones (cancellation, e.g. the gradient at {@code W*}) are printed to the place the bound
     * vouches for.
     */
    private ReferencePopulation populationReference(boolean id, BigDecimal[][] w, BigDecimal[][] ws) {
        int cap = Math.min(10_000, 2 * digits + 10);
        int p = Math.min(cap, digits + FIRST_EXTRA_DIGITS);
        PopulationValues v;
        while (true) {
            v = new PopulationReference(p).evaluate(id, w, ws, parallel);
            int shortfall = shortfall(v.loss(), v.lossScale(), p);
            shortfall = Math.max(shortfall, shortfall(v.potential(), v.potentialScale(), p));
            for (int r = 0; r < v.gradient().length; r++) {
                for (int c = 0; c < v.gradient()[r].length; c++) {
                    shortfall = Math.max(shortfall, shortfall(v.gradient()[r][c], v.gradientScale()[r][c], p));
                }
            }
            if (shortfall <= 0 || p >= cap) {
                break;
            }
            p = Math.min(cap, p + shortfall + 1);
        }
        return new ReferencePopulation(v, new PopulationReference(p).paperGradient(v.gradient()), p);
    }

    /** Renders {@link #populationReference}'s values with their vouched digits and error bounds (formatting only). */
    private ObjectNode population(ReferencePopulation ref) {
        PopulationValues v = ref.values();
        BigDecimal[][] paper = ref.paperGradient();
        int p = ref.p();
        ObjectNode o = header();
        o.put("working_digits", p);
        o.put("error_bound_meaning", "absolute bound on |printed - exact| (10^-working_digits * sum of |terms|, plus the "
                + "rounding to the printed digits); at most one unit in the last printed digit");
        Vouched loss = vouched(v.loss(), v.lossScale(), p);
        o.put("loss", Json.decimal(loss.value()));
        o.put("loss_error_bound", Json.decimal(loss.errorBound()));
        int d = v.gradient().length;
        BigDecimal[][] g = new BigDecimal[d][d];
        BigDecimal[][] gb = new BigDecimal[d][d];
        BigDecimal[][] pg = new BigDecimal[d][d];
        BigDecimal[][] pgb = new BigDecimal[d][d];
        for (int r = 0; r < d; r++) {
            for (int c = 0; c < d; c++) {
                Vouched x = vouched(v.gradient()[r][c], v.gradientScale()[r][c], p);
                g[r][c] = x.value();
                gb[r][c] = x.errorBound();
                // paperGradient's bound: 10^-p pi M_G (PopulationReference); PI_UP >= pi
                Vouched y = vouched(paper[r][c], v.gradientScale()[r][c].multiply(PI_UP), p);
                pg[r][c] = y.value();
                pgb[r][c] = y.errorBound();
            }
        }
        o.set("grad", Json.matrix(g));
        o.set("grad_error_bound", Json.matrix(gb));
        o.set("paper_grad", Json.matrix(pg));
        o.set("paper_grad_error_bound", Json.matrix(pgb));
        o.put("paper_grad_units", "paper (= -pi * grad)");
        Vouched pot = vouched(v.potential(), v.potentialScale(), p);
        o.put("potential", Json.decimal(pot.value()));
        o.put("potential_error_bound", Json.decimal(pot.errorBound()));
        return o;
    }

    /** An upper bound of pi, for the paper gradient's scale. */
    private static final BigDecimal PI_UP = new BigDecimal("3.1415927");

    private Vouched vouched(BigDecimal value, BigDecimal scale, int p) {
        return Vouched.of(value, scale.movePointLeft(p), digits);
    }

    /** Digits short of {@code --digits} for a value above {@code 10^-P M}; 0 for smaller values (cancellation). */
    private int shortfall(BigDecimal value, BigDecimal scale, int p) {
        if (value.abs().compareTo(scale.movePointLeft(digits)) <= 0) {
            return 0;
        }
        return Math.max(0, digits - Vouched.significantDigitsAvailable(value, scale.movePointLeft(p)));
    }

    private Evaluation<?> fast(Fixture f) {
        int d = f.d();
        boolean id = f.identity();
        int b = f.batch();
        if (kernelOptions.isFloat()) {
            refuseBeyondFloat(f);
            FloatKernel k = kernelOptions.floatKernel();
            float[] w = Fixture.floats(f.w());
            float[] ws = Fixture.floats(f.wStar());
            float[] x = b == 0 ? null : Fixture.floats(f.x());
            double[] wd = Matrices.toDouble(w);
            double[] wsd = Matrices.toDouble(ws);
            return switch (quantity) {
                case FORWARD -> new Evaluation<>(() -> {
                    float[] out = new float[b];
                    float[] res = new float[b];
                    k.forward(d, id, w, x, b, out);
                    k.lossAndGradient(d, id, w, ws, x, b, res, new float[d * d]);
                    return new float[][] {out, res};
                }, r -> {
                    ObjectNode o = fastHeader(k.name());
                    o.set("outputs", Json.row(Matrices.toDouble(r[0]), 0, b));
                    o.set("residuals", Json.row(Matrices.toDouble(r[1]), 0, b));
                    return o;
                });
                case BATCH -> new Evaluation<>(() -> {
                    float[] g = new float[d * d];
                    float loss = k.lossAndGradient(d, id, w, ws, x, b, null, g);
                    return new float[][] {{loss}, g};
                }, r -> {
                    ObjectNode o = fastHeader(k.name());
                    o.put("loss", Json.decimal(r[0][0]));
                    o.set("grad", Json.matrix(Matrices.toDouble(r[1]), d, d));
                    return o;
                });
                case POPULATION -> new Evaluation<>(() -> {
                    float[] g = new float[d * d];
                    float loss = k.populationLossAndGradient(d, id, w, ws, g);
                    double[] gd = Matrices.toDouble(g);
                    return new Population(loss, gd, paper(gd), Potential.of(d, id, wd, wsd));
                }, r -> population(fastHeader(k.name()), r, d, PopulationLossBound.of(Precision.FLOAT, d, id, wd, wsd)));
            };
        }
        Kernel k = kernelOptions.doubleKernel();
        double[] w = Fixture.doubles(f.w());
        double[] ws = Fixture.doubles(f.wStar());
        double[] x = b == 0 ? null : Fixture.doubles(f.x());
        return switch (quantity) {
            case FORWARD -> new Evaluation<>(() -> {
                double[] out = new double[b];
                double[] res = new double[b];
                k.forward(d, id, w, x, b, out);
                k.lossAndGradient(d, id, w, ws, x, b, res, new double[d * d]);
                return new double[][] {out, res};
            }, r -> {
                ObjectNode o = fastHeader(k.name());
                o.set("outputs", Json.row(r[0], 0, b));
                o.set("residuals", Json.row(r[1], 0, b));
                return o;
            });
            case BATCH -> new Evaluation<>(() -> {
                double[] g = new double[d * d];
                double loss = k.lossAndGradient(d, id, w, ws, x, b, null, g);
                return new double[][] {{loss}, g};
            }, r -> {
                ObjectNode o = fastHeader(k.name());
                o.put("loss", Json.decimal(r[0][0]));
                o.set("grad", Json.matrix(r[1], d, d));
                return o;
            });
            case POPULATION -> new Evaluation<>(() -> {
                double[] g = new double[d * d];
                double loss = k.populationLossAndGradient(d, id, w, ws, g, parallel);
                return new Population(loss, g, paper(g), Potential.of(d, id, w, ws));
            }, r -> population(fastHeader(k.name()), r, d, PopulationLossBound.of(Precision.DOUBLE, d, id, w, ws)));
        };
    }

    /**
     * The fast path computes in double (or float): a finite fixture whose products leave that range gives
     * Infinity or NaN, which is not a value of the quantity. Such a result is refused (exit 2) naming the first
     * non-finite field and the fixture's largest entry, instead of being printed; the reference path, exact for
     * the batch quantities and shifted to magnitude 1 for the closed forms, computes it.
     */
    private void refuseOverflow(ObjectNode out, Fixture f) {
        String field = nonFinite(out);
        if (field == null) {
            return;
        }
        Entry e = largestEntry(f);
        BigDecimal square = e.value().multiply(e.value()).round(new MathContext(3));
        throw new UsageException("--path fast (" + kernelOptions.precisionName() + "): " + field + " is not finite: fixture entry "
                + e + " is too large for " + kernelOptions.precisionName() + " arithmetic (products of entries reach "
                + square.toString() + ", beyond the largest " + kernelOptions.precisionName() + " "
                + (kernelOptions.isFloat() ? Float.MAX_VALUE : Double.MAX_VALUE)
                + "): expected entries whose products fit; --path reference computes it exactly");
    }

    /** The float path rounds every entry to float: one beyond the float range would enter as Infinity. */
    private static void refuseBeyondFloat(Fixture f) {
        for (Entry e : entries(f)) {
            if (Float.isInfinite(e.value().floatValue())) {
                throw new UsageException("--precision float: fixture entry " + e + " overflows float: expected |entry| <= "
                        + Float.MAX_VALUE + " on the float path; --precision double or --path reference take it");
            }
        }
    }

    /** The dotted name of the first field (depth first) holding Infinity or NaN, or {@code null}. */
    private static String nonFinite(com.fasterxml.jackson.databind.JsonNode node) {
        java.util.Iterator<java.util.Map.Entry<String, com.fasterxml.jackson.databind.JsonNode>> it = node.fields();
        while (it.hasNext()) {
            var field = it.next();
            String hit = nonFiniteIn(field.getValue(), "\"" + field.getKey() + "\"");
            if (hit != null) {
                return hit;
            }
        }
        return null;
    }

    private static String nonFiniteIn(com.fasterxml.jackson.databind.JsonNode n, String name) {
        if (n.isArray()) {
            for (int i = 0; i < n.size(); i++) {
                String hit = nonFiniteIn(n.get(i), name + "[" + i + "]");
                if (hit != null) {
                    return hit;
                }
            }
            return null;
        }
        String t = n.asText();
        boolean bad = n.isNumber() ? !Double.isFinite(n.doubleValue()) : t.equals("NaN") || t.endsWith("Infinity");
        return bad ? name + " = " + t : null;
    }

    /** One fixture entry, named as in the fixture's own messages: {@code "W"[r][c] = value}. */
    record Entry(String key, int row, int column, BigDecimal value) {
        @Override
        public String toString() {
            return "\"" + key + "\"[" + row + "][" + column + "] = " + value.round(new MathContext(17)).stripTrailingZeros();
        }
    }

    private static java.util.List<Entry> entries(Fixture f) {
        java.util.List<Entry> out = new java.util.ArrayList<>();
        String[] keys = {"W", "Wstar", "X"};
        BigDecimal[][][] ms = {f.w(), f.wStar(), f.hasBatch() ? f.x() : new BigDecimal[0][]};
        for (int k = 0; k < keys.length; k++) {
            for (int r = 0; r < ms[k].length; r++) {
                for (int c = 0; c < ms[k][r].length; c++) {
                    out.add(new Entry(keys[k], r, c, ms[k][r][c]));
                }
            }
        }
        return out;
    }

    /** The entry of largest magnitude (the first of equals). */
    static Entry largestEntry(Fixture f) {
        Entry best = null;
        for (Entry e : entries(f)) {
            if (best == null || e.value().abs().compareTo(best.value().abs()) > 0) {
                best = e;
            }
        }
        return best;
    }

    /** Fast-path population results: loss, gradient (true units), the paper's {@code B = -pi grad}, potential. */
    private record Population(double loss, double[] grad, double[] paperGrad, double potential) { }

    private static double[] paper(double[] g) {
        double[] paper = new double[g.length];
        for (int i = 0; i < g.length; i++) {
            paper[i] = -Math.PI * g[i];
        }
        return paper;
    }

    private ObjectNode fastHeader(String kernelName) {
        ObjectNode o = header();
        o.put("kernel", kernelName);
        o.put("precision", kernelOptions.precisionName());
        return o;
    }

    /**
     * Fast population output. {@code loss} is reported through {@link PopulationLossBound#reported}: a rounding-negative
     * value within the A2 bound is printed as 0 with the computed value as {@code loss_unclamped};
     * {@code loss_error_bound} is that bound ({@code |loss - L| <= bound}, true units).
     */
    private static ObjectNode population(ObjectNode o, Population r, int d, double bound) {
        double reported = PopulationLossBound.reported(r.loss(), bound);
        o.put("loss", Json.decimal(reported));
        o.put("loss_error_bound", Json.decimal(bound));
        if (reported != r.loss() && !Double.isNaN(r.loss())) {
            o.put("loss_unclamped", Json.decimal(r.loss()));
        }
        o.set("grad", Json.matrix(r.grad(), d, d));
        o.set("paper_grad", Json.matrix(r.paperGrad(), d, d));
        o.put("paper_grad_units", "paper (= -pi * grad)");
        o.put("potential", Json.decimal(r.potential()));
        return o;
    }

    private static String name(Enum<?> e) {
        return e.name().toLowerCase(java.util.Locale.ROOT);
    }

    static final class QuantityConverter implements picocli.CommandLine.ITypeConverter<Quantity> {
        @Override
        public Quantity convert(String v) {
            try {
                return Quantity.valueOf(v.toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException("'" + v + "' is not a quantity: expected forward, batch or population");
            }
        }
    }

    static final class PathConverter implements picocli.CommandLine.ITypeConverter<PathChoice> {
        @Override
        public PathChoice convert(String v) {
            try {
                return PathChoice.valueOf(v.toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException("'" + v + "' is not a path: expected reference or fast");
            }
        }
    }
}
