package io.idrelu.claims;

import io.idrelu.model.GaussianSampler;
import io.idrelu.model.Matrices;
import io.idrelu.model.Problem;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * C4 (MATH.md section 4): {@code L(W*) = 0}, {@code grad L(W*) = 0}, {@code L > 0} elsewhere, and the
 * role of column permutations of the teacher ([LY17] Section 1/5 motivation for identity mapping; the
 * global minimum is the point Theorem 3.1 converges to).
 *
 * <p>What is checked, on the closed form at {@code p} digits (each value within {@code 10^-p} times the
 * magnitude of the terms it sums, {@link HighPrecision}):
 * <ol>
 *   <li>{@code |L(W*)| <= eps_L} and {@code max |dL/dW(W*)| <= eps_g} (identity student at the teacher);</li>
 *   <li>{@code L(W* + s D) > eps_L} and {@code L((1 - s) W*) > eps_L} for random unit-Frobenius directions
 *       {@code D} and scales {@code s} from
 *       {@code 1e-8} to order one; the smallest {@code L / ||W - W*||_F^2} is reported (near {@code W*} it
 *       tends to half the smallest Hessian eigenvalue in that direction, cf. C14);</li>
 *   <li>for permutations {@code P != I}: the identity student at {@code W_P = (I + W*)P - I} and the vanilla
 *       student at {@code M_P = (I + W*)P} both have {@code L = 0} within {@code eps_L}, because {@code f}
 *       depends only on the multiset of columns: <b>the identity net is not zero only at {@code W*}</b>;</li>
 *   <li>those permuted zeros lie outside the region {@code ||W||_2 <= gamma}: {@code ||W_P||_2 >=
 *       ||P - I||_2 - ||W*||_2 >= sqrt(3) - gamma > gamma} when {@code gamma < sqrt(3)/2}.</li>
 * </ol>
 * The claim as tested is "zero loss exactly at the column permutations of the teacher; inside
 * {@code ||W||_2 <= gamma < sqrt(3)/2} only at {@code W*}". The literal wording of MATH.md ("identity net:
 * zero loss only at W*") is false globally; the result says so in {@code details} (see proofs-notes/C4.md).
 */
public final class C4ZeroLossOnlyAtTeacher implements Claim {
    private final ClosedForm formula;

    public C4ZeroLossOnlyAtTeacher() {
        this(null);
    }

    /** @param formula closed form under test, or {@code null} for the reference */
    public C4ZeroLossOnlyAtTeacher(ClosedForm formula) {
        this.formula = formula;
    }

    /**
     * @param dims         dimensions (permutation checks need {@code d >= 2})
     * @param gammas       spectral norm of {@code W*}
     * @param seedsPerCell random teachers per cell
     * @param directions   random directions per scale
     * @param scales       distances {@code s = ||W - W*||_F}
     * @param digits       significant digits of the closed form
     */
    public record Config(List<Integer> dims, List<Double> gammas, int seedsPerCell, int directions, List<Double> scales,
                         int digits) {
        public Config {
            dims = List.copyOf(dims);
            gammas = List.copyOf(gammas);
            scales = List.copyOf(scales);
            if (dims.isEmpty() || gammas.isEmpty() || scales.isEmpty() || seedsPerCell < 1 || directions < 1 || digits < 10) {
                throw new IllegalArgumentException("C4 config " + dims + " " + gammas + " " + scales + " digits=" + digits
                        + ": expected non-empty lists, digits >= 10");
            }
        }

        public static Config forPreset(Preset preset) {
            return switch (preset) {
                case QUICK -> new Config(List.of(2, 3), List.of(0.1, 0.5), 1, 2, List.of(1e-8, 1e-3, 0.3), 40);
                case DEFAULT -> new Config(List.of(2, 3, 4, 5), List.of(0.01, 0.1, 0.5, 0.8), 2, 3,
                        List.of(1e-8, 1e-4, 1e-2, 0.3, 1.0), 50);
                case PAPER -> new Config(List.of(10), List.of(0.3, 0.6), 1, 2, List.of(1e-6, 1e-2, 0.3), 40);
                case DEEP -> new Config(List.of(2, 3, 4, 5, 6, 8), List.of(1e-3, 0.01, 0.1, 0.5, 0.8, 0.86), 4, 6,
                        List.of(1e-12, 1e-8, 1e-4, 1e-2, 0.3, 1.0, 3.0), 60);
            };
        }
    }

    @Override
    public String id() {
        return "C4";
    }

    @Override
    public String statement() {
        return "L(W*) = 0, grad L(W*) = 0, L > 0 off the column permutations of the teacher; "
                + "permuted zeros lie outside ||W||_2 <= gamma";
    }

    /**
     * C4 is defined under every setting (proofs-notes/settings.md section 9): the minimum at the teacher is a property of
     * the model, not of the Gaussian closed form ({@code C4UnderSetting} decides it on the exact reference).
     */
    @Override
    public java.util.Optional<String> applicability(io.idrelu.setting.Setting setting) {
        return java.util.Optional.empty();
    }

    @Override
    public ClaimResult run(ClaimContext context) {
        if (!context.isLy17()) {
            return io.idrelu.claims.setting.C4UnderSetting.run(context, id(), statement());
        }
        return run(context, Config.forPreset(context.preset()));
    }

    public ClaimResult run(ClaimContext context, Config config) {
        long start = System.nanoTime();
        ClosedForm cf = formula != null ? formula : ClosedForm.reference(config.digits());
        double tenToMinusP = Math.pow(10, -cf.digits());
        List<ProblemCell> cells = ProblemCell.grid(context.seed(), config.dims(), config.gammas(), false,
                config.seedsPerCell());

        Verdict atTeacher = Verdict.HOLDS;
        Verdict positive = Verdict.HOLDS;
        Verdict permutedZero = Verdict.HOLDS;
        Verdict permutedOutside = Verdict.HOLDS;
        double maxLossAtTeacherOverBound = 0;
        double maxGradAtTeacherOverBound = 0;
        double minCurvature = Double.POSITIVE_INFINITY;
        double minLossOverBound = Double.POSITIVE_INFINITY;
        double maxPermutedLossOverBound = 0;
        double minPermutedNormOverGamma = Double.POSITIVE_INFINITY;
        double minRegionNormOverGamma = Double.POSITIVE_INFINITY;
        int permutationsChecked = 0;
        int pointsChecked = 0;
        int insideRegion = 0;
        ProblemCell worstCell = cells.get(0);
        String worstWhat = "none";
        double worstMargin = Double.POSITIVE_INFINITY;
        String permutedWitness = null;
        List<Object> table = new ArrayList<>();

        for (ProblemCell cell : cells) {
            int d = cell.d();
            Problem prob = cell.problem();
            double[] wsd = prob.wStar();
            BigDecimal[][] ws = Matrices.exact(wsd, d);

            // 1. the teacher itself
            double epsL = tenToMinusP * HighPrecision.lossTermMagnitude(true, wsd, wsd, d);
            double epsG = tenToMinusP * HighPrecision.gradientTermMagnitude(true, wsd, wsd, d);
            double lossAtTeacher = cf.loss(true, ws, ws).abs().doubleValue();
            double gradAtTeacher = maxAbs(cf.gradient(true, ws, ws));
            maxLossAtTeacherOverBound = Math.max(maxLossAtTeacherOverBound, lossAtTeacher / epsL);
            maxGradAtTeacherOverBound = Math.max(maxGradAtTeacherOverBound, gradAtTeacher / epsG);
            if (!(lossAtTeacher <= epsL) || !(gradAtTeacher <= epsG)) {
                atTeacher = Verdict.VIOLATED;
                double m = Math.min(epsL - lossAtTeacher, epsG - gradAtTeacher);
                if (m < worstMargin) {
                    worstMargin = m;
                    worstCell = cell;
                    worstWhat = "teacher: |L(W*)|=" + lossAtTeacher + " (bound " + epsL + "), max|grad|=" + gradAtTeacher
                            + " (bound " + epsG + ")";
                }
            }

            // 2. random points W* + s D, plus the shrunk teacher (1 - s) W* (inside the region by construction)
            GaussianSampler dirs = GaussianSampler.forTrial(cell.seed(), 1);
            for (double s : config.scales()) {
                for (int k = 0; k <= config.directions(); k++) {
                    double[] wd = new double[d * d];
                    if (k < config.directions()) {
                        double[] dir = dirs.batch(d, d);
                        double norm = Matrices.frobeniusNorm(dir);
                        for (int i = 0; i < wd.length; i++) {
                            wd[i] = wsd[i] + s * dir[i] / norm;
                        }
                    } else if (s < 1) {
                        for (int i = 0; i < wd.length; i++) {
                            wd[i] = (1 - s) * wsd[i];
                        }
                    } else {
                        continue;
                    }
                    double dist2 = Matrices.squaredDistance(wd, wsd);
                    if (dist2 == 0) {
                        continue;
                    }
                    pointsChecked++;
                    insideRegion += Matrices.spectralNorm(wd, d) <= cell.gamma() ? 1 : 0;
                    double eps = tenToMinusP * HighPrecision.lossTermMagnitude(true, wd, wsd, d);
                    BigDecimal l = cf.loss(true, Matrices.exact(wd, d), ws);
                    double ld = l.doubleValue();
                    minCurvature = Math.min(minCurvature, ld / dist2);
                    minLossOverBound = Math.min(minLossOverBound, ld / eps);
                    if (!(ld > eps)) {
                        positive = Verdict.VIOLATED;
                        if (ld - eps < worstMargin) {
                            worstMargin = ld - eps;
                            worstCell = cell;
                            worstWhat = "L(W* + " + s + " D) = " + ld + " not > " + eps + " (direction " + k + ")";
                        }
                    }
                }
            }

            // 3, 4. column permutations of the teacher
            for (int[] perm : permutations(d)) {
                permutationsChecked++;
                // built exactly in BigDecimal: adding and removing the identity in double would round
                BigDecimal[][] vanillaExact = new BigDecimal[d][d];
                BigDecimal[][] identExact = new BigDecimal[d][d];
                double[] vanilla = new double[d * d];
                double[] ident = new double[d * d];
                for (int r = 0; r < d; r++) {
                    for (int j = 0; j < d; j++) {
                        // column j of (I + W*)P is column perm[j] of (I + W*)
                        BigDecimal v = r == perm[j] ? ws[r][perm[j]].add(BigDecimal.ONE) : ws[r][perm[j]];
                        vanillaExact[r][j] = v;
                        identExact[r][j] = r == j ? v.subtract(BigDecimal.ONE) : v;
                        vanilla[r * d + j] = v.doubleValue();
                        ident[r * d + j] = identExact[r][j].doubleValue();
                    }
                }
                double epsI = tenToMinusP * HighPrecision.lossTermMagnitude(true, ident, wsd, d);
                double epsV = tenToMinusP * HighPrecision.lossTermMagnitude(false, vanilla, wsd, d);
                double li = cf.loss(true, identExact, ws).abs().doubleValue();
                double lv = cf.loss(false, vanillaExact, ws).abs().doubleValue();
                maxPermutedLossOverBound = Math.max(maxPermutedLossOverBound, Math.max(li / epsI, lv / epsV));
                if (!(li <= epsI) || !(lv <= epsV)) {
                    permutedZero = Verdict.VIOLATED;
                    if (-1 < worstMargin) {
                        worstMargin = -1;
                        worstCell = cell;
                        worstWhat = "permutation " + java.util.Arrays.toString(perm) + ": L_identity=" + li
                                + " L_vanilla=" + lv + " (bounds " + epsI + ", " + epsV + ")";
                    }
                }
                double normP = Matrices.spectralNorm(ident, d);
                minPermutedNormOverGamma = Math.min(minPermutedNormOverGamma, normP / cell.gamma());
                if (cell.gamma() < Math.sqrt(3) / 2) {
                    minRegionNormOverGamma = Math.min(minRegionNormOverGamma, normP / cell.gamma());
                }
                double lowerBound = Math.sqrt(3) - Matrices.spectralNorm(wsd, d);
                // the region statement is made for gamma < sqrt(3)/2 only; the lower bound holds for every gamma
                boolean inRegionClaim = cell.gamma() < Math.sqrt(3) / 2;
                if ((inRegionClaim && !(normP > cell.gamma())) || !(normP >= lowerBound * (1 - 1e-12))) {
                    permutedOutside = Verdict.VIOLATED;
                    worstMargin = Math.min(worstMargin, normP - Math.max(cell.gamma(), lowerBound));
                    worstCell = cell;
                    worstWhat = "permuted zero: ||W_P||_2=" + normP + " gamma=" + cell.gamma()
                            + " lower bound sqrt(3)-||W*||_2=" + lowerBound;
                }
                if (permutedWitness == null && li <= epsI) {
                    permutedWitness = "d=" + d + " gamma=" + cell.gamma() + " seed=" + cell.seed() + " P="
                            + java.util.Arrays.toString(perm) + ": L(W_P)=" + li + " <= " + epsI
                            + ", ||W_P||_2=" + normP;
                }
            }
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("d", d);
            row.put("gamma", cell.gamma());
            row.put("lossAtTeacher", lossAtTeacher);
            row.put("maxAbsGradAtTeacherTrueUnits", gradAtTeacher);
            table.add(row);
            context.progress().accept("C4 d=" + d + " gamma=" + cell.gamma() + " L(W*)=" + lossAtTeacher);
        }

        Verdict verdict = atTeacher.worst(positive).worst(permutedZero).worst(permutedOutside);
        // margin in units of each check's own bound: 1 - value/bound for the zeros, value/bound - 1 for the
        // positive losses and for ||W_P||_2 / gamma (region checks only count for gamma < sqrt(3)/2)
        double margin = Math.min(1 - maxLossAtTeacherOverBound, 1 - maxGradAtTeacherOverBound);
        margin = Math.min(margin, minLossOverBound - 1);
        if (permutationsChecked > 0) {
            margin = Math.min(margin, 1 - maxPermutedLossOverBound);
            if (minRegionNormOverGamma < Double.POSITIVE_INFINITY) {
                margin = Math.min(margin, minRegionNormOverGamma - 1);
            }
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("teacherVerdict", atTeacher.name());
        details.put("positiveElsewhereVerdict", positive.name());
        details.put("permutedZeroVerdict", permutedZero.name());
        details.put("permutedOutsideRegionVerdict", permutedOutside.name());
        details.put("maxLossAtTeacherOverBound", maxLossAtTeacherOverBound);
        details.put("maxGradAtTeacherOverBound", maxGradAtTeacherOverBound);
        details.put("minLossOverBoundElsewhere", minLossOverBound);
        details.put("minLossOverSquaredDistance", minCurvature);
        details.put("maxPermutedLossOverBound", maxPermutedLossOverBound);
        details.put("minPermutedSpectralNormOverGamma", minPermutedNormOverGamma);
        details.put("permutationsChecked", permutationsChecked);
        details.put("randomPointsChecked", pointsChecked);
        details.put("randomPointsInsideRegion", insideRegion);
        details.put("literalSpecWording", "'identity net: zero loss only at W*' is FALSE globally: "
                + (permutedWitness == null ? "no witness found in this run" : permutedWitness)
                + "; it holds inside ||W||_2 <= gamma < sqrt(3)/2");
        details.put("worst", worstWhat);
        details.put("digits", cf.digits());
        details.put("worstAbsoluteMargin", worstMargin);
        details.put("marginDefinition", "min over checks of 1 - value/bound (zeros) and value/bound - 1 (positive "
                + "losses, ||W_P||_2/gamma for gamma < sqrt(3)/2); measured = max |L(W*)|/eps_L");
        details.put("instancesTable", table);
        Replay worst = new Replay(id(), worstCell.replayConfig(Map.of("digits", cf.digits(), "scales", config.scales(),
                "directions", config.directions())), worstCell.seed());
        return new ClaimResult(id(), statement(), verdict, maxLossAtTeacherOverBound, 1.0, "<=", Units.NONE,
                margin, minCurvature, Double.NaN, pointsChecked + permutationsChecked + cells.size(), worst,
                details, (System.nanoTime() - start) / 1e9)
                .explained(Decisive.of("max L(W*)/eps_L", maxLossAtTeacherOverBound, "<=", 1.0, Units.NONE),
                        verdict == Verdict.HOLDS ? "" : worstWhat);
    }

    static double maxAbs(BigDecimal[][] m) {
        double max = 0;
        for (BigDecimal[] row : m) {
            for (BigDecimal v : row) {
                max = Math.max(max, v.abs().doubleValue());
            }
        }
        return max;
    }

    /**
     * Non-identity permutations checked: every transposition (0 k), the cyclic shift, and for
     * {@code d <= 4} all of them.
     */
    static List<int[]> permutations(int d) {
        List<int[]> out = new ArrayList<>();
        if (d < 2) {
            return out;
        }
        if (d <= 4) {
            permute(new int[d], new boolean[d], 0, out);
            out.removeIf(C4ZeroLossOnlyAtTeacher::isIdentity);
            return out;
        }
        for (int k = 1; k < d; k++) {
            int[] t = identityPerm(d);
            t[0] = k;
            t[k] = 0;
            out.add(t);
        }
        int[] shift = new int[d];
        for (int j = 0; j < d; j++) {
            shift[j] = (j + 1) % d;
        }
        out.add(shift);
        return out;
    }

    private static void permute(int[] cur, boolean[] used, int pos, List<int[]> out) {
        if (pos == cur.length) {
            out.add(cur.clone());
            return;
        }
        for (int i = 0; i < cur.length; i++) {
            if (!used[i]) {
                used[i] = true;
                cur[pos] = i;
                permute(cur, used, pos + 1, out);
                used[i] = false;
            }
        }
    }

    private static int[] identityPerm(int d) {
        int[] p = new int[d];
        for (int i = 0; i < d; i++) {
            p[i] = i;
        }
        return p;
    }

    private static boolean isIdentity(int[] p) {
        for (int i = 0; i < p.length; i++) {
            if (p[i] != i) {
                return false;
            }
        }
        return true;
    }
}
