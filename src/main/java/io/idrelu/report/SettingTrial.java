package io.idrelu.report;

import io.idrelu.claims.Applicability;
import io.idrelu.kernel.Kernel;
import io.idrelu.model.GaussianSampler;
import io.idrelu.model.Potential;
import io.idrelu.setting.FastValues;
import io.idrelu.setting.InputLaw;
import io.idrelu.setting.InputSampler;
import io.idrelu.setting.LabelModel;
import io.idrelu.setting.MonteCarloPopulation;
import io.idrelu.setting.NetworkKernels;
import io.idrelu.setting.PopulationRoute;
import io.idrelu.setting.Setting;
import io.idrelu.setting.SettingClosedForm;
import io.idrelu.setting.SettingProblem;
import io.idrelu.setting.SettingSgd;

import java.util.List;

/**
 * One sweep trial under a setting other than [LY17]'s (issue 11, "{@code idrelu sweep} over these axes"): SGD on the
 * generic fast path ({@link SettingSgd}) from {@link SettingProblem#random}{@code (setting at (d, gamma), trialSeed)},
 * judged on the setting's <b>excess population loss</b> {@code E[(f(x, W_T) - f(x, W*))^2]} (true units; the label
 * noise {@code sigma^2}, which no student can remove, is left out, so {@code eps} means the same under every setting),
 * computed by the setting's {@link PopulationRoute}:
 * <ul>
 *   <li>closed form ({@link SettingClosedForm}: one block, ReLU with N(0, I) or N(0, Sigma), leaky ReLU with N(0, I));</li>
 *   <li>a finite law exactly, as one full batch over its support (a data set's rows; Rademacher signs for small d);</li>
 *   <li>otherwise Monte Carlo ({@link MonteCarloPopulation}, {@value #MC_ROWS} fresh rows from a stream independent of
 *       the training stream) with the CLT interval {@code mean +- }{@value #Z}{@code  se}: <b>success</b> only when the
 *       interval's upper end is {@code <= eps}, <b>failure</b> when its lower end is {@code > eps}, else
 *       <b>undecided</b> (counted apart, never as a success).</li>
 * </ul>
 */
public final class SettingTrial {
    /** Monte Carlo rows per population estimate (in batches of {@value #MC_BATCH}). */
    public static final int MC_ROWS = 32_768;
    static final int MC_BATCH = 256;
    /** Standard errors of the Monte Carlo interval: two-sided 99.9 % (per trial, asymptotic). */
    public static final double Z = 3.2905;

    /** Outcome of comparing an estimate with eps. */
    public enum Decision { SUCCESS, FAILURE, UNDECIDED }

    /**
     * An estimate of the excess population loss.
     *
     * @param value     the loss (true units)
     * @param halfWidth half-width of its interval (0 when exact: closed form or finite law)
     * @param route     which {@link PopulationRoute} computed it
     */
    public record Estimate(double value, double halfWidth, PopulationRoute route) {
        /** The decision at threshold {@code eps}: success iff the interval lies at or below eps, failure iff above it. */
        public Decision decide(double eps) {
            if (!Double.isFinite(value) || !Double.isFinite(halfWidth)) {
                return Decision.FAILURE;
            }
            if (value + halfWidth <= eps) {
                return Decision.SUCCESS;
            }
            return value - halfWidth > eps ? Decision.FAILURE : Decision.UNDECIDED;
        }
    }

    private SettingTrial() { }

    /** One trial of cell {@code (gamma, d)} (the fields as {@link Sweep.Trial}; Phase I only for one block). */
    static Sweep.Trial run(SweepConfig cfg, Kernel kernel, double gamma, int d, double eta, int k, long trialSeed) {
        Setting s = cfg.settingAt(gamma, d);
        boolean identity = s.architecture().identity();
        boolean oneBlock = s.architecture().blocks() == 1;
        SettingProblem p = SettingProblem.random(s, trialSeed);
        List<double[]> ws = p.wStar();
        InputSampler sampler = InputSampler.of(s.inputs(), d);
        Estimate initial = excessLoss(s, kernel, sampler, p.w0(), ws, trialSeed);
        double threshold = cfg.phase1Threshold() * gamma * gamma;
        double initialPotential = oneBlock ? Potential.of(d, identity, p.w0().get(0), ws.get(0)) : Double.NaN;
        int[] phase1 = {oneBlock && initialPotential < threshold ? 0 : -1};
        boolean[] diverged = {false};
        int[] stepsRun = {0};
        SettingSgd sgd = new SettingSgd(s, NetworkKernels.matching(kernel), sampler);
        List<double[]> w = sgd.run(p, trialSeed, 0, cfg.steps(), cfg.batch(), eta, (t, cur, before) -> {
            stepsRun[0] = t + 1;
            if (!Double.isFinite(before.loss())) {
                diverged[0] = true;
                return false;
            }
            if (oneBlock && phase1[0] < 0 && Potential.of(d, identity, cur.get(0), ws.get(0)) < threshold) {
                phase1[0] = t + 1; // the iterate after step t is W_{t+1}
            }
            return true;
        });
        boolean finite = w.stream().allMatch(m -> java.util.Arrays.stream(m).allMatch(Double::isFinite));
        diverged[0] |= !finite;
        Estimate fin = finite ? excessLoss(s, kernel, sampler, w, ws, trialSeed)
                : new Estimate(Double.POSITIVE_INFINITY, 0, PopulationRoute.of(noiseless(s)));
        Decision decision = diverged[0] ? Decision.FAILURE : fin.decide(cfg.eps());
        double error = Double.POSITIVE_INFINITY;
        double permuted = Double.POSITIVE_INFINITY;
        if (finite) {
            error = 0;
            for (int b = 0; b < w.size(); b++) {
                error += Sweep.unitDistance(d, identity, w.get(b), ws.get(b));
            }
            // relabelling the hidden units is a symmetry of one block only (with K > 1 the next block's rows would move too)
            permuted = oneBlock && !diverged[0] ? Sweep.permutedUnitDistance(d, identity, w.get(0), ws.get(0)) : Double.NaN;
        }
        return new Sweep.Trial(k, trialSeed, decision == Decision.SUCCESS, diverged[0], phase1[0], stepsRun[0],
                initial.value(), fin.value(), error, permuted, initialPotential, decision == Decision.UNDECIDED,
                fin.route().name().toLowerCase(java.util.Locale.ROOT), fin.halfWidth());
    }

    /** The setting with its label noise removed: the excess loss is the noiseless setting's loss. */
    static Setting noiseless(Setting s) {
        return s.withLabels(new LabelModel.Noiseless());
    }

    /**
     * The excess population loss {@code E[(f(x, W) - f(x, W*))^2]} of {@code s} at {@code (w, wStar)} by its route; the
     * Monte Carlo stream is {@code trialSeed}'s stream 1 (training uses stream 0), so it never reuses a training row.
     */
    public static Estimate excessLoss(Setting s, Kernel kernel, InputSampler sampler, List<double[]> w, List<double[]> wStar,
                                      long trialSeed) {
        Setting q = noiseless(s);
        PopulationRoute route = PopulationRoute.of(q);
        switch (route) {
            case CLOSED_FORM -> {
                double l = new SettingClosedForm(kernel, q).valueAt(w.get(0), wStar.get(0)).loss();
                return new Estimate(Math.max(0, l), 0, route); // a rounding-negative value is 0 (as the [LY17] sweep)
            }
            case FINITE_LAW -> {
                double[] x = PopulationRoute.support(q);
                int n = x.length / q.d();
                FastValues v = NetworkKernels.matching(kernel).evaluate(q.architecture(), q.activation(), w, wStar, x, n, null);
                return new Estimate(v.loss(), 0, route);
            }
            default -> {
                MonteCarloPopulation mc = MonteCarloPopulation.estimate(NetworkKernels.matching(kernel), q, sampler, w, wStar,
                        GaussianSampler.trialSeed(trialSeed, 1), MC_ROWS / MC_BATCH, MC_BATCH);
                return new Estimate(mc.mean(), mc.halfWidth(Z), route);
            }
        }
    }

    /** How success is decided under {@code s}, for the page. */
    public static String rule(Setting s, double eps) {
        Setting q = noiseless(s);
        String head = "setting " + Applicability.label(s) + ": excess population loss E[(f(x,W_T) - f(x,W*))^2] (true units"
                + (s.labels().sigma() > 0 ? "; the label noise sigma^2 is left out" : "") + ") ";
        return head + switch (PopulationRoute.of(q)) {
            case CLOSED_FORM -> "by its closed form; success iff <= eps = " + eps;
            case FINITE_LAW -> "exactly, as one full batch over the " + (q.inputs() instanceof InputLaw.DataSet ? "data set's rows" : "2^d sign vectors")
                    + "; success iff <= eps = " + eps;
            case MONTE_CARLO -> "by Monte Carlo (" + MC_ROWS + " fresh rows, interval mean +- " + Z + " se, 99.9 % two-sided per trial"
                    + (q.inputs() instanceof InputLaw.StudentT t && t.nu() <= 4 ? "; NOT valid here: Student-t with nu <= 4 has no fourth moment" : "")
                    + "): success iff the upper end <= eps = " + eps + ", failure iff the lower end > eps, otherwise undecided"
                    + " (counted apart, never as a success)";
        };
    }
}
