package io.idrelu.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.idrelu.kernel.FloatKernel;
import io.idrelu.kernel.Kernel;
import io.idrelu.model.Fixture;
import io.idrelu.model.Matrices;
import io.idrelu.model.Potential;
import io.idrelu.reference.BatchValues;
import io.idrelu.reference.ExactBatch;
import io.idrelu.reference.PopulationReference;
import io.idrelu.reference.PopulationValues;
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
                "expansion the loss and gradient are rounded to --digits and \"exact\" is false) and within",
                "10^-digits of the magnitude of its terms for population.",
                "",
                "Fixture: {\"d\": 3, \"identity\": true, \"W\": [[..],..], \"Wstar\": [[..],..], \"X\": [[..],..]}",
                "  W[r][c] is row r, column c; unit i uses column i. JSON numbers are read as the nearest double;",
                "  decimal strings (\"0.1\") are exact on the reference path and rounded on the fast path.",
                "",
                "Example: idrelu eval --fixture f.json --quantity population --digits 60"})
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
            description = "Significant digits of the reference's closed forms (and of inexact batch quotients). Default: ${DEFAULT-VALUE}.")
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

    @Mixin
    KernelOptions kernelOptions = new KernelOptions();

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
        Fixture f = Fixture.read(fixture);
        if (quantity != Quantity.POPULATION && !f.hasBatch()) {
            throw new UsageException("--quantity " + name(quantity) + " needs a batch: fixture " + fixture
                    + " has no \"X\" (expected an array of rows of " + f.d() + " numbers)");
        }
        Evaluation<?> evaluation = path == PathChoice.REFERENCE ? reference(f) : fast(f);
        ObjectNode out = evaluation.timed(repeat, warmup);
        spec.commandLine().getOut().println(Json.write(out));
        spec.commandLine().getOut().flush();
    }

    /**
     * A computation and, separately, how its result becomes JSON, so that {@code --repeat} times the
     * computation alone. {@code compute} does all the arithmetic a user asked for (every printed quantity);
     * {@code render} only formats.
     */
    private record Evaluation<T>(Supplier<T> compute, java.util.function.Function<T, ObjectNode> render) {
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

    private ObjectNode header() {
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
            case POPULATION -> new Evaluation<>(() -> {
                PopulationReference ref = new PopulationReference(digits);
                PopulationValues v = ref.evaluate(id, w, ws);
                return new Object[] {v, ref.paperGradient(v.gradient())};
            }, r -> {
                PopulationValues v = (PopulationValues) r[0];
                ObjectNode o = header();
                o.put("loss", Json.decimal(v.loss()));
                o.set("grad", Json.matrix(v.gradient()));
                o.set("paper_grad", Json.matrix((BigDecimal[][]) r[1]));
                o.put("paper_grad_units", "paper (= -pi * grad)");
                o.put("potential", Json.decimal(v.potential()));
                return o;
            });
        };
    }

    private Evaluation<?> fast(Fixture f) {
        int d = f.d();
        boolean id = f.identity();
        int b = f.batch();
        if (kernelOptions.isFloat()) {
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
                }, r -> population(fastHeader(k.name()), r, d));
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
                double loss = k.populationLossAndGradient(d, id, w, ws, g);
                return new Population(loss, g, paper(g), Potential.of(d, id, w, ws));
            }, r -> population(fastHeader(k.name()), r, d));
        };
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

    private static ObjectNode population(ObjectNode o, Population r, int d) {
        o.put("loss", Json.decimal(r.loss()));
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
