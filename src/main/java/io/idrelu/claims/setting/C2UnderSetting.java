package io.idrelu.claims.setting;

import io.idrelu.claims.Applicability;
import io.idrelu.claims.C2GradientIsDerivativeOfLoss;
import io.idrelu.claims.C2GradientIsDerivativeOfLoss.Coordinate;
import io.idrelu.claims.ClaimContext;
import io.idrelu.claims.ClaimResult;
import io.idrelu.claims.HighPrecision;
import io.idrelu.claims.Replay;
import io.idrelu.claims.Verdict;
import io.idrelu.model.GaussianSampler;
import io.idrelu.model.Matrices;
import io.idrelu.reference.PopulationReference;
import io.idrelu.setting.Activation;
import io.idrelu.setting.InputLaw;
import io.idrelu.setting.InputSampler;
import io.idrelu.setting.Setting;
import io.idrelu.setting.SettingProblem;
import io.idrelu.setting.reference.SettingPopulation;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * C2 under a setting with a BigDecimal closed form (issue 11; proofs-notes/C2.md "Under other settings"): the closed-form
 * gradient of {@code SettingPopulation} is the derivative of its closed-form loss, one block, for
 * <ul>
 *   <li>ReLU, {@code N(0, Sigma)}: {@link SettingPopulation#gaussianCovReluLoss} / {@code Gradient}
 *       ({@code L_Sigma(U) = L_I(C^T U)}, {@code dL/dU = C dL/dM});</li>
 *   <li>leaky ReLU, {@code N(0, I)}: {@link SettingPopulation#gaussianLeakyLoss} / {@code Gradient} (ReLU
 *       decomposition into {@code 4d} units);</li>
 *   <li>ReLU, {@code N(0, I)} (with label noise): {@link PopulationReference};</li>
 *   <li>label noise: {@code L + sigma^2} ({@link SettingPopulation#withNoise}, exact), the gradient unchanged.</li>
 * </ul>
 * Each coordinate is compared with the Richardson-extrapolated central difference by [LY17]'s own code
 * ({@link C2GradientIsDerivativeOfLoss#coordinates}, same digits and step as the preset's {@code Config}). The rounding
 * bounds of each evaluation, {@code 10^-p} times a magnitude valid for the setting's closed form:
 * <ul>
 *   <li>N(0, Sigma): the loss is {@link PopulationReference#loss} at the exactly transformed units {@code M = C^T U},
 *       {@code C^T V}, so {@code eps_L = 10^-p lossTermMagnitude(M, C^T V)} ([LY17]'s magnitude at those units).
 *       The gradient is {@code C G_M} rounded at {@code p + 8} digits, {@code G_M} within {@code 10^-p M_g(M, C^T V)}
 *       per coordinate: {@code eps_g = 10^-p (max_r sum_s |C_rs| M_g + max |g|)}.</li>
 *   <li>leaky ReLU (slope {@code a}): {@code gaussianLeakyLoss} is within {@code 10^-p sum_{k,l} |c_k c_l| |p_k||p_l|}
 *       (its javadoc) {@code = 10^-p ((1 + |a|) S)^2}, {@code S = sum_j |u_j| + |v_j|} (the coefficients are
 *       {@code 1, a, 1, a} on units {@code +-u_j, +-v_j}). Each gradient coordinate is {@code (1/pi) sum_l c_l (t1 + a t2)}
 *       with {@code |t| <= (pi + 1)|p_l|} computed at {@code p + 10} digits, so {@code eps_g = 10^-p (1 + |a|)^2 (1 + 1/pi) S}
 *       (the magnitude of the terms summed; the 10 guard digits cover the roundings of the {@code 4d^2} operations).</li>
 *   <li>N(0, I), ReLU: [LY17]'s {@code lossTermMagnitude} / {@code gradientTermMagnitude}.</li>
 * </ul>
 * HOLDS when every coordinate of every instance is within its bound; VIOLATED with the worst coordinate as witness. A
 * gradient that is not the loss's derivative (e.g. a leaky slope off by {@code 1e-6}) is VIOLATED ({@code C2UnderSettingTest}).
 */
public final class C2UnderSetting {
    private C2UnderSetting() { }

    public static ClaimResult run(ClaimContext ctx, String id, String statement) {
        return run(ctx, id, statement, UnaryOperator.identity());
    }

    /** As {@link #run(ClaimContext, String, String)} with the gradient taken under {@code gradientSetting} of the run's setting (negative controls). */
    static ClaimResult run(ClaimContext ctx, String id, String statement, UnaryOperator<Setting> gradientSetting) {
        long t0 = System.nanoTime();
        C2GradientIsDerivativeOfLoss.Config config = C2GradientIsDerivativeOfLoss.Config.forPreset(ctx.preset());
        int p = config.digits();
        MathContext mc = new MathContext(p + 10);
        List<Integer> dims = ctx.dimensionFixed() ? List.of(ctx.setting().d()) : config.dims();
        C2GradientIsDerivativeOfLoss.Tally tally = new C2GradientIsDerivativeOfLoss.Tally();
        Replay witness = null;
        String witnessText = "";
        List<Object> table = new ArrayList<>();
        for (int d : dims) {
            Setting s = ctx.dimensionFixed() ? ctx.setting() : ctx.settingAt(d);
            for (int i = 0; i < config.seedsPerCell(); i++) {
                long seed = GaussianSampler.trialSeed(ctx.seed(), 100L * d + i);
                SettingProblem prob = SettingProblem.random(s, seed);
                double[] wd = prob.w0().get(0);
                double[] wsd = prob.wStar().get(0);
                BigDecimal[][] w = Matrices.exact(wd, d);
                BigDecimal[][] ws = Matrices.exact(wsd, d);
                Form form = Form.of(s, p, ws);
                Form gradForm = Form.of(gradientSetting.apply(s), p, ws);
                BigDecimal[][] grad = gradForm.gradient().apply(w);
                Magnitudes mag = magnitudes(s, wd, wsd, grad);
                double epsL = Math.pow(10, -p) * mag.loss();
                double epsG = Math.pow(10, -p) * mag.gradient();
                double cellWorst = 0;
                for (Coordinate k : C2GradientIsDerivativeOfLoss.coordinates(form.loss(), w, grad, epsL, epsG,
                        config.stepExponent(), mc)) {
                    cellWorst = Math.max(cellWorst, k.ratio());
                    if (tally.add(k)) {
                        Map<String, Object> wc = new LinkedHashMap<>();
                        wc.put("setting", Applicability.label(s));
                        wc.put("d", d);
                        wc.put("instance", i);
                        wc.put("digits", p);
                        wc.put("stepExponent", config.stepExponent());
                        wc.put("coordinate", k.index());
                        witness = new Replay(id, wc, seed);
                        witnessText = String.format(Locale.ROOT, "W[%d][%d], d = %d, instance %d (%s)",
                                k.index() / d, k.index() % d, d, i, Applicability.label(s));
                    }
                }
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("d", d);
                row.put("instance", i);
                row.put("closedForm", form.how());
                row.put("epsLossTrueUnits", epsL);
                row.put("epsGradientTrueUnits", epsG);
                row.put("maxErrorOverBound", cellWorst);
                table.add(row);
                ctx.progress().accept("C2 (" + Applicability.label(s) + "): d=" + d + " instance " + i
                        + " max err/bound=" + cellWorst);
            }
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("setting", Applicability.label(ctx.setting()));
        details.put("dims", dims);
        details.put("digits", p);
        details.put("step", BigDecimal.ONE.scaleByPowerOfTen(-config.stepExponent()).doubleValue());
        tally.putDetails(details);
        details.put("worstCoordinate", witnessText);
        details.put("marginDefinition", "bound - |grad - R(h)| at the coordinate with the largest error/bound, true units");
        details.put("instancesTable", table);
        String why = tally.verdict() == Verdict.HOLDS ? "" : String.format(Locale.ROOT, "|grad - dL/dW| %.3e > bound %.3e (true) at %s",
                tally.worstErr(), tally.worstBound(), witnessText);
        return tally.result(id, statement, witness, details, (System.nanoTime() - t0) / 1e9, why);
    }

    /** The setting's closed-form loss (noise included) and gradient as functions of the student {@code W}. */
    record Form(Function<BigDecimal[][], BigDecimal> loss, Function<BigDecimal[][], BigDecimal[][]> gradient, String how) {
        static Form of(Setting s, int p, BigDecimal[][] ws) {
            int d = ws.length;
            boolean identity = s.architecture().identity();
            double sigma = s.labels().sigma();
            Form f;
            if (s.architecture().blocks() == 1 && s.activation() instanceof Activation.LeakyRelu lr
                    && s.inputs() instanceof InputLaw.StandardGaussian) {
                f = new Form(w -> SettingPopulation.gaussianLeakyLoss(p, lr.a(), identity, w, ws),
                        w -> SettingPopulation.gaussianLeakyGradient(p, lr.a(), identity, w, ws),
                        "leaky ReLU(" + Applicability.num(lr.a()) + "), N(0, I): ReLU decomposition");
            } else if (s.architecture().blocks() == 1 && s.activation() instanceof Activation.Relu
                    && s.inputs() instanceof InputLaw.GaussianCov g) {
                double[] chol = InputSampler.cholesky(g.sigma(), d);
                f = new Form(w -> SettingPopulation.gaussianCovReluLoss(p, identity, w, ws, chol),
                        w -> SettingPopulation.gaussianCovReluGradient(p, identity, w, ws, chol),
                        "ReLU, N(0, Sigma): L_I(C^T U), C dL/dM");
            } else if (s.architecture().blocks() == 1 && s.activation() instanceof Activation.Relu
                    && s.inputs() instanceof InputLaw.StandardGaussian) {
                PopulationReference ref = new PopulationReference(p);
                f = new Form(w -> ref.loss(identity, w, ws), w -> ref.gradient(identity, w, ws), "ReLU, N(0, I): MATH.md section 2");
            } else {
                throw new IllegalArgumentException("C2: no closed form for " + Applicability.label(s));
            }
            if (sigma > 0) {
                Function<BigDecimal[][], BigDecimal> noiseless = f.loss();
                return new Form(w -> SettingPopulation.withNoise(noiseless.apply(w), sigma), f.gradient(),
                        f.how() + ", + sigma^2 (sigma = " + Applicability.num(sigma) + ")");
            }
            return f;
        }
    }

    /** The magnitudes the rounding of one loss evaluation and one gradient coordinate are relative to (class javadoc). */
    record Magnitudes(double loss, double gradient) { }

    static Magnitudes magnitudes(Setting s, double[] w, double[] wStar, BigDecimal[][] grad) {
        int d = s.d();
        boolean identity = s.architecture().identity();
        if (s.activation() instanceof Activation.LeakyRelu lr) {
            double a1 = 1 + Math.abs(lr.a());
            double sum = HighPrecision.unitNormSum(identity, w, wStar, d);
            return new Magnitudes(a1 * a1 * sum * sum, a1 * a1 * (1 + 1 / Math.PI) * sum);
        }
        if (s.inputs() instanceof InputLaw.GaussianCov g) {
            double[] chol = InputSampler.cholesky(g.sigma(), d);
            // transformed units as PopulationReference sees them: student vanilla M = C^T U, teacher C^T V - I
            double[] m = cTranspose(w, identity, chol, d);
            double[] t = cTranspose(wStar, true, chol, d);
            for (int i = 0; i < d; i++) {
                t[i * d + i] -= 1;
            }
            double rowMax = 0;
            for (int r = 0; r < d; r++) {
                double row = 0;
                for (int c = 0; c < d; c++) {
                    row += Math.abs(chol[r * d + c]);
                }
                rowMax = Math.max(rowMax, row);
            }
            double gMax = 0;
            for (BigDecimal[] row : grad) {
                for (BigDecimal x : row) {
                    gMax = Math.max(gMax, Math.abs(x.doubleValue()));
                }
            }
            return new Magnitudes(HighPrecision.lossTermMagnitude(false, m, t, d),
                    rowMax * HighPrecision.gradientTermMagnitude(false, m, t, d) + gMax);
        }
        return new Magnitudes(HighPrecision.lossTermMagnitude(identity, w, wStar, d),
                HighPrecision.gradientTermMagnitude(identity, w, wStar, d));
    }

    /** {@code C^T ((identity ? I : 0) + W)} in doubles (a magnitude only; the closed form uses the exact product). */
    private static double[] cTranspose(double[] w, boolean identity, double[] chol, int d) {
        double[] out = new double[d * d];
        for (int s = 0; s < d; s++) {
            for (int j = 0; j < d; j++) {
                double acc = 0;
                for (int r = 0; r < d; r++) {
                    acc += chol[r * d + s] * (w[r * d + j] + (identity && r == j ? 1 : 0));
                }
                out[s * d + j] = acc;
            }
        }
        return out;
    }
}
