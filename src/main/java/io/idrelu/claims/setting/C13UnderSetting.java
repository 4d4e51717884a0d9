package io.idrelu.claims.setting;

import io.idrelu.claims.C13IdentityVersusVanilla;
import io.idrelu.claims.ClaimContext;
import io.idrelu.claims.ClaimResult;
import io.idrelu.claims.Decisive;
import io.idrelu.claims.Replay;
import io.idrelu.claims.Units;
import io.idrelu.claims.Verdict;
import io.idrelu.model.GaussianSampler;
import io.idrelu.setting.Architecture;
import io.idrelu.setting.InputSampler;
import io.idrelu.setting.LabelModel;
import io.idrelu.setting.MonteCarloPopulation;
import io.idrelu.setting.NetworkKernel;
import io.idrelu.setting.NetworkKernels;
import io.idrelu.setting.Setting;
import io.idrelu.setting.SettingProblem;
import io.idrelu.setting.SettingSgd;
import io.idrelu.setting.reference.ExactNetwork;
import io.idrelu.setting.reference.NetworkValues;
import io.idrelu.setting.reference.ReferenceSettingSgd;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Claim C13 under a setting other than [LY17]'s (proofs-notes/C13.md, "Under other settings"). The vanilla student
 * is {@code Architecture(d, K, identity = false)}: every block {@code h_k = W_k^T z_{k-1}}; the teacher stays
 * identity-mapped. Parts (verdict: the worse of 1 and 2):
 * <ol>
 * <li>convergence, the [LY17] version's rule and constants ({@code epsLoss = 1e-4}, all identity runs converge, all
 *     vanilla runs stall; VIOLATED when most vanilla runs converge (in scope, {@code d >= minD}) or an identity run
 *     makes no progress): from the same {@code W0_1..W0_K}, same rows and noise, {@link SettingSgd}; the excess
 *     population loss {@code E (f(x, W) - f(x, W*))^2} (= the noisy loss minus {@code sigma^2}) by Monte Carlo on an
 *     independent stream, decided only when its interval {@code mean +- 4.5 se} lies on one side of {@code epsLoss};</li>
 * <li>"vanilla started at I + W0": {@code M_{k,0} = I + W0_k} for <b>every</b> block. Then
 *     {@code M_k^T z = (I + W_k)^T z} exactly, for any activation, input law, noise and depth, so the forward values,
 *     the backward vectors ({@code M_k delta = (I + W_k) delta}) and every gradient coincide and so does every
 *     iterate. Checked with {@link ExactNetwork} and the update {@code W - eta (2/B) S} rounded to the fixed decimal
 *     scale {@link #EXACT_SCALE} in both runs (an absolute quantum: {@code round(1 + w) = 1 + round(w)}, so the
 *     rounding preserves the identity exactly while keeping the digits bounded; unrounded updates grow like
 *     {@code K^t} digits and took 8 s for K = 3, 4 steps): {@code M_{k,t} - I == W_{k,t}} at every step. For smooth
 *     activations the reference rounds
 *     {@code h, z, delta, g} to {@code q} digits, but it rounds the same exact sums in both networks, so the
 *     identity still holds exactly;</li>
 * <li>the [LY17] version's fast-path envelope ({@code rho_t}, {@code eps_t}) is derived for one ReLU block and is
 *     not judged here: the fast divergence {@code max_t ||(M_t - I) - W_t||_F} is reported only.</li>
 * </ol>
 */
public final class C13UnderSetting {
    private C13UnderSetting() { }

    /** z of the Monte Carlo interval (two-sided level 1 - 6.8e-6; proofs-notes/settings.md section 7). */
    public static final double Z = 4.5;
    /** Rows of the Monte Carlo estimate: batches x rows. */
    public static final int MC_BATCHES = 32;
    public static final int MC_BATCH = 128;

    /** Decimal places of the exact part's updates (absolute rounding {@code 10^-40}, the same in both runs). */
    public static final int EXACT_SCALE = 40;

    /** Excess-loss estimate; {@code decided}: the interval lies on one side of epsLoss. */
    public record Loss(double mean, double halfWidth) {
        boolean below(double eps) {
            return mean + halfWidth <= eps;
        }

        boolean above(double eps) {
            return mean - halfWidth > eps;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%.3g +- %.2g", mean, halfWidth);
        }
    }

    /** One seed: losses at the start and the end of both runs, the exact part, the fast divergence. */
    public record Trial(long seed, Loss start, Loss identity, Loss vanilla, boolean exactIdentical, double fastDivergence) { }

    static Loss excessLoss(NetworkKernel kernel, Setting s, InputSampler sampler, List<double[]> w, List<double[]> wStar, long seed) {
        MonteCarloPopulation mc = MonteCarloPopulation.estimate(kernel, s.withLabels(new LabelModel.Noiseless()), sampler, w, wStar,
                seed, MC_BATCHES, MC_BATCH);
        return new Loss(mc.mean(), mc.halfWidth(Z));
    }

    static Setting vanilla(Setting s) {
        Architecture a = s.architecture();
        return s.withArchitecture(new Architecture(a.d(), a.blocks(), false));
    }

    public static Trial runTrial(NetworkKernel kernel, Setting s, InputSampler sampler, C13IdentityVersusVanilla.Config c, SettingSteps st,
                                 Setting exactSetting, InputSampler exactSampler, long seed) {
        Setting sid = c.swapped() ? vanilla(s) : s;
        Setting svan = c.swapped() ? s : vanilla(s);
        SettingProblem p = SettingProblem.random(s, seed);
        SettingProblem pv = new SettingProblem(svan, p.w0(), p.wStar());
        SettingProblem pi = new SettingProblem(sid, p.w0(), p.wStar());
        long mcSeed = GaussianSampler.trialSeed(seed, 1L << 43);
        Loss start = excessLoss(kernel, sid, sampler, p.w0(), p.wStar(), mcSeed);
        List<double[]> wId = new SettingSgd(sid, kernel, sampler).run(pi, seed, 0, st.steps(), c.batch(), st.eta(), null);
        List<double[]> wVan = new SettingSgd(svan, kernel, sampler).run(pv, seed, 0, st.steps(), c.batch(), st.eta(), null);
        Loss li = excessLoss(kernel, sid, sampler, wId, p.wStar(), mcSeed);
        Loss lv = excessLoss(kernel, svan, sampler, wVan, p.wStar(), mcSeed);
        boolean exact = exactIdentical(exactSetting, exactSampler, c, seed);
        double fast = fastDivergence(kernel, s, sampler, c, st, p, seed);
        return new Trial(seed, start, li, lv, exact, fast);
    }

    /**
     * Part 2: identity from {@code W0} and vanilla from {@code I + W0} (every block; swapped: from {@code W0}),
     * ExactNetwork gradients, updates rounded to the fixed scale {@link #EXACT_SCALE} (both runs), {@code exactSteps} steps on the trial's rows and noise.
     */
    static boolean exactIdentical(Setting s, InputSampler sampler, C13IdentityVersusVanilla.Config c, long seed) {
        int d = s.d();
        int bsz = c.exactBatch();
        SettingProblem p = SettingProblem.random(s, seed);
        ExactNetwork id = new ExactNetwork(s.architecture(), s.activation(), SettingTrajectoryAudit.REF_DIGITS);
        ExactNetwork van = new ExactNetwork(vanilla(s).architecture(), s.activation(), SettingTrajectoryAudit.REF_DIGITS);
        List<BigDecimal[][]> w = ExactNetwork.exact(p.w0(), d);
        List<BigDecimal[][]> ws = ExactNetwork.exact(p.wStar(), d);
        List<BigDecimal[][]> m = ExactNetwork.exact(p.w0(), d);
        if (!c.swapped()) {
            for (BigDecimal[][] mk : m) {
                for (int j = 0; j < d; j++) {
                    mk[j][j] = mk[j][j].add(BigDecimal.ONE);
                }
            }
        }
        // eta (a double, dyadic) times 2/B (B a power of two): an exact decimal; the update is then rounded to a fixed scale
        BigDecimal scale = new BigDecimal(c.eta()).multiply(new BigDecimal(2.0 / bsz));
        InputSampler.Stream stream = sampler.forTrial(seed, 0);
        double sigma = s.labels().sigma();
        boolean same = agree(w, m);
        for (int t = 0; t < c.exactSteps() && same; t++) {
            double[] x = stream.batch(bsz);
            BigDecimal[] noise = ReferenceSettingSgd.exact(sigma > 0 ? stream.noise(bsz, sigma) : null);
            BigDecimal[][] xe = ExactNetwork.exact(x, bsz, d);
            NetworkValues vi = id.evaluate(w, ws, xe, noise);
            NetworkValues vv = van.evaluate(m, ws, xe, noise);
            step(w, vi.gradientSums(), scale);
            step(m, vv.gradientSums(), scale);
            same = agree(w, m);
        }
        return same;
    }

    private static void step(List<BigDecimal[][]> w, List<BigDecimal[][]> sums, BigDecimal scale) {
        for (int k = 0; k < w.size(); k++) {
            BigDecimal[][] wk = w.get(k);
            for (int r = 0; r < wk.length; r++) {
                for (int j = 0; j < wk.length; j++) {
                    wk[r][j] = wk[r][j].subtract(scale.multiply(sums.get(k)[r][j])).setScale(EXACT_SCALE, RoundingMode.HALF_EVEN);
                }
            }
        }
    }

    private static boolean agree(List<BigDecimal[][]> w, List<BigDecimal[][]> m) {
        for (int k = 0; k < w.size(); k++) {
            for (int r = 0; r < w.get(k).length; r++) {
                for (int j = 0; j < w.get(k).length; j++) {
                    BigDecimal mi = r == j ? m.get(k)[r][j].subtract(BigDecimal.ONE) : m.get(k)[r][j];
                    if (mi.compareTo(w.get(k)[r][j]) != 0) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    /** Part 3 (reported, not judged): {@code max_t ||(M_t - I) - W_t||_F} over {@code envelopeSteps} fast steps. */
    static double fastDivergence(NetworkKernel kernel, Setting s, InputSampler sampler, C13IdentityVersusVanilla.Config c, SettingSteps st,
                                 SettingProblem p, long seed) {
        int d = s.d();
        int steps = Math.min(c.envelopeSteps(), st.steps());
        List<double[]> m = p.w0();
        for (double[] mk : m) {
            for (int j = 0; j < d; j++) {
                mk[j * d + j] += 1;
            }
        }
        Setting sv = vanilla(s);
        List<double[]> wId = new ArrayList<>();
        new SettingSgd(s, kernel, sampler).run(p, seed, 0, steps, c.batch(), st.eta(), (t, w, v) -> {
            wId.add(flatten(w));
            return true;
        });
        List<double[]> wVan = new ArrayList<>();
        new SettingSgd(sv, kernel, sampler).run(new SettingProblem(sv, m, p.wStar()), seed, 0, steps,
                c.batch(), st.eta(), (t, w, v) -> {
                    wVan.add(flatten(w));
                    return true;
                });
        double max = 0;
        for (int t = 0; t < wId.size(); t++) {
            double[] a = wId.get(t);
            double[] b = wVan.get(t);
            double sum = 0;
            for (int i = 0; i < a.length; i++) {
                int e = i % (d * d);
                double diff = (b[i] - (e / d == e % d ? 1.0 : 0.0)) - a[i];
                sum += diff * diff;
            }
            max = Math.max(max, Math.sqrt(sum));
        }
        return max;
    }

    private static double[] flatten(List<double[]> w) {
        int n = w.get(0).length;
        double[] out = new double[n * w.size()];
        for (int k = 0; k < w.size(); k++) {
            System.arraycopy(w.get(k), 0, out, k * n, n);
        }
        return out;
    }

    /** @param override the claim's test/replay configuration, or null for the preset's */
    public static ClaimResult run(ClaimContext ctx, C13IdentityVersusVanilla.Config override) {
        long start = System.nanoTime();
        C13IdentityVersusVanilla.Config c = override != null ? override : C13IdentityVersusVanilla.Config.forPreset(ctx.preset());
        int d = ctx.dimensionFixed() ? ctx.setting().d() : c.d();
        Setting s = ctx.settingAt(d);
        SettingSteps st = SettingSteps.of(c.d(), c.eta(), c.steps(), d);
        InputSampler sampler = InputSampler.of(s.inputs(), d);
        int de = ctx.dimensionFixed() ? d : c.exactD();
        Setting se = ctx.settingAt(de);
        InputSampler exactSampler = de == d ? sampler : InputSampler.of(se.inputs(), de);
        int n = c.trials();
        int idConverged = 0;
        int idNoProgress = 0;
        int vanStalled = 0;
        int vanConverged = 0;
        int exactOk = 0;
        int sameLoss = 0;
        double maxFast = 0;
        StringBuilder idL = new StringBuilder();
        StringBuilder vanL = new StringBuilder();
        Trial worst = null;
        int worstScore = -1;
        NetworkKernel net = NetworkKernels.matching(ctx.kernel());
        // independent trials (each from its own seed and stream) on the check's threads, read in trial order
        java.util.List<Trial> ran = io.idrelu.claims.ParallelTrials.run(n, ctx.threads(),
                i -> runTrial(net, s, sampler, c, st, se, exactSampler, GaussianSampler.trialSeed(ctx.seed(), i)));
        for (int i = 0; i < n; i++) {
            Trial tr = ran.get(i);
            boolean idOk = tr.identity().below(c.epsLoss());
            boolean vanStall = tr.vanilla().above(c.epsLoss());
            idConverged += idOk ? 1 : 0;
            vanStalled += vanStall ? 1 : 0;
            vanConverged += tr.vanilla().below(c.epsLoss()) ? 1 : 0;
            idNoProgress += tr.identity().mean() < tr.start().mean() ? 0 : 1;
            exactOk += tr.exactIdentical() ? 1 : 0;
            // the two final intervals overlap: vanilla reached what identity reached (e.g. both at a label-noise floor)
            sameLoss += Math.abs(tr.identity().mean() - tr.vanilla().mean())
                    <= tr.identity().halfWidth() + tr.vanilla().halfWidth() ? 1 : 0;
            maxFast = Math.max(maxFast, tr.fastDivergence());
            idL.append(i == 0 ? "" : ", ").append(tr.identity());
            vanL.append(i == 0 ? "" : ", ").append(tr.vanilla());
            int score = (idOk ? 0 : 4) + (vanStall ? 0 : 2) + (tr.exactIdentical() ? 0 : 8);
            if (score > worstScore) {
                worstScore = score;
                worst = tr;
            }
            ctx.progress().accept("C13 (" + A3UnderSetting.describe(s) + ") trial " + i + ": L_id=" + tr.identity()
                    + " L_van=" + tr.vanilla());
        }
        Verdict converge;
        if (2 * vanConverged > n || idNoProgress > 0) {
            converge = Verdict.VIOLATED;
        } else if (idConverged < n) {
            converge = Verdict.INCONCLUSIVE; // identity not (decidedly) below epsLoss within the budget
        } else {
            converge = vanStalled == n ? Verdict.HOLDS : Verdict.INCONCLUSIVE;
        }
        boolean outside = d < ctx.constants().minD();
        Verdict asObserved = converge;
        if (outside && converge == Verdict.VIOLATED && idNoProgress == 0) {
            converge = Verdict.INCONCLUSIVE;
        }
        Verdict exact = exactOk == n ? Verdict.HOLDS : Verdict.VIOLATED;
        Verdict v = converge.worst(exact);
        Map<String, Object> cfg = new LinkedHashMap<>(c.asMap());
        Map<String, Object> det = new LinkedHashMap<>();
        st.record(cfg, det, s, d, c.d());
        det.put("vanillaStudent", "Architecture(d = " + d + ", blocks = " + s.architecture().blocks() + ", identity = false); teacher identity-mapped");
        det.put("lossEstimate", "excess population loss E(f(x,W) - f(x,W*))^2 (true units), Monte Carlo " + MC_BATCHES * MC_BATCH
                + " rows, interval mean +- " + Z + " se; decided only outside the interval");
        det.put("convergenceVerdict", converge.name());
        det.put("convergenceAsObserved", asObserved.name() + (outside ? " (d = " + d + " < minD = " + ctx.constants().minD()
                + ": a vanilla run that converges makes it INCONCLUSIVE, not VIOLATED)" : ""));
        det.put("identityConverged", idConverged + " of " + n + " (L <= " + c.epsLoss() + ")");
        det.put("identityNoProgress", idNoProgress + " of " + n);
        det.put("vanillaStalled", vanStalled + " of " + n + " (converged " + vanConverged + ")");
        det.put("vanillaIndistinguishableFromIdentity", sameLoss + " of " + n
                + " (final excess-loss intervals overlap: vanilla is not stalled above identity, whatever epsLoss says)");
        det.put("identityFinalLosses", idL.toString());
        det.put("vanillaFinalLosses", vanL.toString());
        det.put("startedAtIPlusW0", "M_k,0 = I + W0_k for every block k = 1.." + s.architecture().blocks()
                + ": M_k^T z = (I + W_k)^T z exactly, so every forward value, backward vector and gradient coincide, for any activation");
        det.put("exactVerdict", exact.name());
        det.put("exactIdentical", exactOk + " of " + n + " (d=" + de + ", B=" + c.exactBatch() + ", " + c.exactSteps()
                + " steps, ExactNetwork, updates rounded to the fixed scale 10^-" + EXACT_SCALE + " in both runs)");
        det.put("fastVerdict", "NOT_APPLICABLE: the [LY17] envelope (rho_t, eps_t) is derived for one ReLU block; reported only");
        det.put("fastMaxDivergence", maxFast);
        det.put("swapped", c.swapped());
        double stalled = Math.min((double) vanStalled, (double) idConverged) / n;
        String why;
        if (v == Verdict.HOLDS) {
            why = "";
        } else if (exact != Verdict.HOLDS && v == exact) {
            why = "vanilla from I + W0 not identical to identity in " + (n - exactOk) + "/" + n + " exact runs";
        } else {
            why = "identity converged " + idConverged + "/" + n + ", vanilla stalled " + vanStalled + "/" + n + " (all must)"
                    + (idNoProgress > 0 ? ", identity made no progress in " + idNoProgress : "")
                    + (outside && asObserved == Verdict.VIOLATED && converge == Verdict.INCONCLUSIVE
                    ? "; not VIOLATED: d = " + d + " < minD = " + ctx.constants().minD() : "");
        }
        return new ClaimResult("C13", "from the same small start identity converges, vanilla stalls; vanilla from I + W0 reproduces identity",
                v, stalled, 1.0, ">=", Units.NONE, stalled - 1.0, maxFast, Double.NaN, n,
                new Replay("C13", cfg, worst.seed()), det, (System.nanoTime() - start) / 1e9)
                .explained(Decisive.of("min(identity conv., vanilla stalled)", stalled, ">=", 1.0, Units.NONE), why);
    }
}
