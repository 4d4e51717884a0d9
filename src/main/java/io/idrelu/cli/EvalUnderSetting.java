package io.idrelu.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.idrelu.claims.Applicability;
import io.idrelu.kernel.Kernel;
import io.idrelu.model.Fixture;
import io.idrelu.model.Potential;
import io.idrelu.setting.FastValues;
import io.idrelu.setting.LabelModel;
import io.idrelu.setting.NetworkKernel;
import io.idrelu.setting.PopulationRoute;
import io.idrelu.setting.Setting;
import io.idrelu.setting.SettingClosedForm;
import io.idrelu.setting.SettingJson;
import io.idrelu.setting.reference.ExactNetwork;
import io.idrelu.setting.reference.NetworkValues;
import io.idrelu.setting.reference.SettingPopulation;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;

/**
 * {@code idrelu eval} under a setting other than [LY17]'s (issue 11): the fixture's one block {@code (W, W*)} (and
 * {@code X}) under the setting's activation, network and input law.
 * <ul>
 *   <li>forward, batch: the generic kernel ({@link NetworkKernel}) or {@link ExactNetwork} (exact for ReLU and leaky
 *       ReLU; {@code --digits} digits for smooth activations, {@code "exact": false}). A fixture holds no label-noise
 *       draws, so these are refused under label noise.</li>
 *   <li>population: by the setting's route, label noise included ({@code + sigma^2}): the closed form
 *       ({@link SettingClosedForm} with its derived bounds; reference {@link SettingPopulation#closedForm} at
 *       {@code --digits}), or a finite law exactly as one full batch over its support. A setting whose route is Monte
 *       Carlo has no value to evaluate: refused ({@code idrelu train} reports its estimate).</li>
 * </ul>
 */
final class EvalUnderSetting {
    private final EvalCommand c;
    private final Fixture f;
    private final Setting s;
    /** The generic fast kernel ({@link SettingArguments#networkKernel}); null on the reference path. */
    private NetworkKernel kernel;

    EvalUnderSetting(EvalCommand command, Fixture fixture, Setting setting) {
        this.c = command;
        this.f = fixture;
        this.s = setting;
    }

    /** Checks the combination and returns the evaluation (nothing computed yet). */
    EvalCommand.Evaluation<?> evaluation() {
        SettingArguments.refuseFloat(c.kernelOptions.isFloat(), s);
        if (c.threads > 1) {
            throw new UsageException("--threads " + c.threads + " under the setting " + Applicability.label(s)
                    + ": the setting kernel runs on one thread: expected --threads 1");
        }
        Setting noiseless = s.withLabels(new LabelModel.Noiseless());
        double sigma = s.labels().sigma();
        if (c.quantity != EvalCommand.Quantity.POPULATION && sigma > 0) {
            throw new UsageException("--noise " + sigma + " with --quantity " + SettingArguments.name(c.quantity)
                    + ": a fixture holds no label-noise draws: expected --quantity population (L + sigma^2) or no --noise");
        }
        PopulationRoute route = PopulationRoute.of(noiseless);
        if (c.quantity == EvalCommand.Quantity.POPULATION && route == PopulationRoute.MONTE_CARLO) {
            throw new UsageException("--quantity population under the setting " + Applicability.label(s)
                    + ": no closed form and no finite law (its population route is Monte Carlo): expected --quantity forward or batch"
                    + " (idrelu train reports the Monte Carlo estimate)");
        }
        boolean fast = c.path == EvalCommand.PathChoice.FAST;
        kernel = fast ? SettingArguments.networkKernel(c.kernelOptions.kernel) : null;
        int d = f.d();
        int b = f.batch();
        double[] w = Fixture.doubles(f.w());
        double[] ws = Fixture.doubles(f.wStar());
        MathContext mc = new MathContext(c.digits);
        return switch (c.quantity) {
            case FORWARD, BATCH -> fast ? fastBatch(kernel, w, ws, Fixture.doubles(f.x()), b, d) : referenceBatch(mc);
            case POPULATION -> route == PopulationRoute.CLOSED_FORM
                    ? (fast ? fastClosedForm(w, ws, d) : referenceClosedForm(w, ws, mc))
                    : (fast ? fastFiniteLaw(kernel, w, ws, noiseless, d) : referenceFiniteLaw(noiseless, mc));
        };
    }

    private ObjectNode header() {
        ObjectNode o = c.header();
        o.put("setting_label", Applicability.label(s));
        o.set("setting", SettingJson.toJson(s));
        if (c.path == EvalCommand.PathChoice.FAST) {
            o.put("kernel", SettingArguments.label(kernel));
            o.put("precision", "double");
        }
        return o;
    }

    private EvalCommand.Evaluation<FastValues> fastBatch(NetworkKernel k, double[] w, double[] ws, double[] x, int b, int d) {
        return new EvalCommand.Evaluation<>(() -> k.evaluate(s.architecture(), s.activation(), List.of(w), List.of(ws), x, b, null), v -> {
            ObjectNode o = header();
            if (c.quantity == EvalCommand.Quantity.FORWARD) {
                o.set("outputs", Json.row(v.outputs(), 0, b));
                o.set("residuals", Json.row(v.residuals(), 0, b));
            } else {
                o.put("loss", Json.decimal(v.loss()));
                o.set("grad", Json.matrix(v.gradients().get(0), d, d));
            }
            return o;
        });
    }

    private EvalCommand.Evaluation<NetworkValues> referenceBatch(MathContext mc) {
        ExactNetwork net = new ExactNetwork(s.architecture(), s.activation(), c.digits);
        return new EvalCommand.Evaluation<>(() -> net.evaluate(List.<BigDecimal[][]>of(f.w()), List.<BigDecimal[][]>of(f.wStar()), f.x(), null), v -> {
            ObjectNode o = header();
            boolean pl = s.activation().piecewiseLinear();
            if (c.quantity == EvalCommand.Quantity.FORWARD) {
                o.put("exact", pl);
                o.set("outputs", Json.row(pl ? v.outputs() : rounded(v.outputs(), mc)));
                o.set("residuals", Json.row(pl ? v.residuals() : rounded(v.residuals(), mc)));
            } else {
                o.put("exact", pl && v.quotientsExact());
                o.put("loss", Json.decimal(v.loss(mc)));
                o.set("grad", Json.matrix(v.gradient(1, mc)));
            }
            if (!pl) {
                o.put("accuracy", "smooth activation: computed at " + c.digits + " digits, within 10^-" + c.digits + " (1 + |v|) of each sum");
            }
            return o;
        });
    }

    private EvalCommand.Evaluation<SettingClosedForm.Value> fastClosedForm(double[] w, double[] ws, int d) {
        Kernel k = c.kernelOptions.doubleKernel(); // [LY17]'s closed form inside (vector or scalar: the same bits)
        SettingClosedForm cf = new SettingClosedForm(k, s);
        return new EvalCommand.Evaluation<>(() -> cf.at(w, ws), v -> {
            ObjectNode o = header();
            o.put("population_route", "closed_form");
            o.put("loss", Json.decimal(v.loss()));
            o.put("loss_error_bound", Json.decimal(v.lossBound()));
            o.set("grad", Json.matrix(v.gradient(), d, d));
            o.set("grad_error_bound", Json.matrix(v.gradientBound(), d, d));
            potential(o, w, ws, d);
            return o;
        });
    }

    private EvalCommand.Evaluation<SettingPopulation.ClosedForm> referenceClosedForm(double[] w, double[] ws, MathContext mc) {
        return new EvalCommand.Evaluation<>(() -> SettingPopulation.closedForm(s, c.digits, w, ws), v -> {
            ObjectNode o = header();
            o.put("population_route", "closed_form");
            o.put("accuracy", "computed at " + c.digits + " digits (fixture entries taken as their doubles); relative error "
                    + "about 10^-" + (c.digits - 2) + " (the A2 allowance under settings)");
            o.put("loss", Json.decimal(v.loss().round(mc)));
            BigDecimal[][] g = v.gradient();
            BigDecimal[][] r = new BigDecimal[g.length][g.length];
            for (int i = 0; i < g.length; i++) {
                for (int j = 0; j < g.length; j++) {
                    r[i][j] = g[i][j].round(mc);
                }
            }
            o.set("grad", Json.matrix(r));
            potential(o, w, ws, f.d());
            return o;
        });
    }

    private EvalCommand.Evaluation<FastValues> fastFiniteLaw(NetworkKernel k, double[] w, double[] ws, Setting noiseless, int d) {
        double[] x = PopulationRoute.support(noiseless);
        int n = x.length / d;
        double sigma = s.labels().sigma();
        return new EvalCommand.Evaluation<>(() -> k.evaluate(s.architecture(), s.activation(), List.of(w), List.of(ws), x, n, null), v -> {
            ObjectNode o = header();
            o.put("population_route", "finite_law");
            o.put("support_rows", n);
            o.put("loss", Json.decimal(sigma > 0 ? v.loss() + sigma * sigma : v.loss()));
            o.set("grad", Json.matrix(v.gradients().get(0), d, d));
            potential(o, w, ws, d);
            return o;
        });
    }

    private EvalCommand.Evaluation<NetworkValues> referenceFiniteLaw(Setting noiseless, MathContext mc) {
        int d = f.d();
        double[] x = PopulationRoute.support(noiseless);
        BigDecimal[][] rows = ExactNetwork.exact(x, x.length / d, d);
        double sigma = s.labels().sigma();
        return new EvalCommand.Evaluation<>(() -> SettingPopulation.finiteLaw(s.architecture(), s.activation(), c.digits,
                List.<BigDecimal[][]>of(f.w()), List.<BigDecimal[][]>of(f.wStar()), rows), v -> {
            ObjectNode o = header();
            o.put("population_route", "finite_law");
            o.put("support_rows", rows.length);
            o.put("exact", s.activation().piecewiseLinear() && v.quotientsExact()); // + sigma^2 is exact (BigDecimal)
            BigDecimal loss = v.loss(mc);
            o.put("loss", Json.decimal(sigma > 0 ? SettingPopulation.withNoise(loss, sigma) : loss));
            o.set("grad", Json.matrix(v.gradient(1, mc)));
            potential(o, Fixture.doubles(f.w()), Fixture.doubles(f.wStar()), d);
            return o;
        });
    }

    /** A smooth activation's reference values at the printed digits (the working precision carries guard digits). */
    private static BigDecimal[] rounded(BigDecimal[] v, MathContext mc) {
        BigDecimal[] out = new BigDecimal[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i].round(mc);
        }
        return out;
    }

    /** The potential g(W) (a one-block quantity of the weights alone: the same under every setting). */
    private void potential(ObjectNode o, double[] w, double[] ws, int d) {
        o.put("potential", Json.decimal(Potential.of(d, s.architecture().identity(), w, ws)));
    }
}
