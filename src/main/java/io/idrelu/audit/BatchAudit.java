package io.idrelu.audit;

import io.idrelu.model.Matrices;
import io.idrelu.reference.BatchValues;
import io.idrelu.reference.ExactBatch;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Claim A1 on one batch: compares a {@link FastBatch} with {@link ExactBatch} at the same (exactly
 * converted) inputs, element by element against {@link BatchBounds}, and accounts for activation flips.
 *
 * <p>Flip policy (proofs-notes/A1.md): a flip is the fast indicator {@code h_fast > 0} (read from
 * {@code preActivations}, which the contract says computes the same bits the gradient uses) differing
 * from the exact one. It is allowed only where {@code |h_exact| <= E_h}. The gradient is checked twice:
 * against the reference evaluated with the fast mask (tight, decisive: a wrong comparison such as
 * {@code >=} at an exact zero shows up as an error of {@code |2 r_b x_br / B|}), and against the true exact
 * gradient with the a-priori bound that adds {@code |2 r_b x_br / B|} wherever a flip is possible.
 */
final class BatchAudit {
    /** Digits for the quotients {@code 1/B}, {@code 2/B} of the reference; their error is added to the bound. */
    static final MathContext REF_MC = new MathContext(40);
    static final double REF_REL = 1e-39;

    private BatchAudit() { }

    static List<AuditReport> audit(FastBatch f, int d, boolean identity, int batch) {
        Precision p = f.precision();
        BigDecimal[][] w = Matrices.exact(f.w(), d);
        BigDecimal[][] ws = Matrices.exact(f.wStar(), d);
        BigDecimal[][] x = Matrices.exactRows(f.x(), batch, d);
        BigDecimal[][] hx = ExactBatch.preActivations(identity, w, x);
        BatchValues v = ExactBatch.evaluate(identity, w, ws, x);

        double[] absR = new double[batch];
        for (int b = 0; b < batch; b++) {
            absR[b] = Math.nextUp(Math.abs(v.residuals()[b].doubleValue()));
        }
        BatchBounds bb = new BatchBounds(p, d, identity, f.w(), f.wStar(), f.x(), batch, absR);
        String k = f.kernel();
        List<AuditReport> out = new ArrayList<>();

        // pre-activations and flips
        ErrorStats hs = new ErrorStats(p);
        boolean[][] fastMask = new boolean[batch][d];
        boolean[][] exactMask = new boolean[batch][d];
        boolean[][] possible = new boolean[batch][d];
        long flips = 0;
        long allowed = 0;
        long possibleCount = 0;
        long exactZeros = 0;
        List<String> disallowedWitness = new ArrayList<>();
        for (int b = 0; b < batch; b++) {
            for (int j = 0; j < d; j++) {
                double e = bb.preActivation(b, j);
                BigDecimal he = hx[b][j];
                hs.add("[" + b + "][" + j + "]", f.h()[b * d + j], he, e);
                fastMask[b][j] = f.h()[b * d + j] > 0;
                exactMask[b][j] = he.signum() > 0;
                possible[b][j] = absAtMost(he, e);
                if (possible[b][j]) {
                    possibleCount++;
                }
                if (he.signum() == 0) {
                    exactZeros++;
                }
                if (fastMask[b][j] != exactMask[b][j]) {
                    flips++;
                    if (possible[b][j]) {
                        allowed++;
                    } else if (disallowedWitness.size() < 5) {
                        disallowedWitness.add("b=" + b + " j=" + j + " hFast=" + f.h()[b * d + j] + " hExact=" + he.round(MathContext.DECIMAL64));
                    }
                }
            }
        }
        Map<String, Object> flipNotes = new LinkedHashMap<>();
        flipNotes.put("possibleFlips", possibleCount);
        flipNotes.put("exactZeroPreActivations", exactZeros);
        flipNotes.put("activeExact", count(exactMask));
        flipNotes.put("inactiveExact", (long) batch * d - count(exactMask));
        if (!disallowedWitness.isEmpty()) {
            flipNotes.put("disallowedFlipWitness", disallowedWitness);
        }
        flipNotes.put("rigour", "rigorous (Higham gamma_{d+1}, any summation order)");
        out.add(AuditReport.of("A1", "preActivation", k, p, d, batch, "none", hs, flips, allowed,
                "gamma_{d+1} (sum_r |x_r||W_rj| + [id]|x_j|)", flipNotes));

        // outputs
        ErrorStats fs = new ErrorStats(p);
        for (int b = 0; b < batch; b++) {
            fs.add("[" + b + "]", f.out()[b], v.outputs()[b], bb.output(b));
        }
        out.add(AuditReport.of("A1", "forward", k, p, d, batch, "none", fs, 0, 0,
                "sum_j E_h + gamma_{d-1} sum_j (A_h + E_h)", Map.of("rigour", "rigorous")));

        // residuals
        ErrorStats rs = new ErrorStats(p);
        for (int b = 0; b < batch; b++) {
            rs.add("[" + b + "]", f.residuals()[b], v.residuals()[b], bb.residual(b));
        }
        out.add(AuditReport.of("A1", "residual", k, p, d, batch, "none", rs, 0, 0,
                "sum_j (E_h + E_v) + gamma_{2d} sum_j (A_h + E_h + A_v + E_v)", Map.of("rigour", "rigorous")));

        // loss
        ErrorStats ls = new ErrorStats(p);
        BigDecimal lossRef = v.sumOfSquares().divide(BigDecimal.valueOf(batch), REF_MC);
        double lb = bb.loss(absR) + REF_REL * Math.abs(lossRef.doubleValue());
        ls.add("", f.loss(), lossRef, lb);
        out.add(AuditReport.of("A1", "loss", k, p, d, batch, "none", ls, 0, 0,
                "(1/B) sum E_r(2|r|+E_r) + gamma_{B+2} (1/B) sum (|r|+E_r)^2", Map.of("rigour", "rigorous")));

        // gradient: with fast mask (decisive) and a-priori against the true exact gradient
        BigDecimal twoOverB = BigDecimal.valueOf(2).divide(BigDecimal.valueOf(batch), REF_MC);
        BigDecimal[][] s = v.gradientSum();
        ErrorStats gFast = new ErrorStats(p);
        ErrorStats gTrue = new ErrorStats(p);
        boolean[] activeFast = new boolean[batch];
        boolean[] activeEither = new boolean[batch];
        boolean[] noFlip = new boolean[batch];
        boolean[] flipTerm = new boolean[batch];
        for (int j = 0; j < d; j++) {
            for (int b = 0; b < batch; b++) {
                activeFast[b] = fastMask[b][j];
                activeEither[b] = exactMask[b][j] || possible[b][j];
                flipTerm[b] = possible[b][j];
            }
            for (int r = 0; r < d; r++) {
                BigDecimal sTrue = s[r][j];
                BigDecimal sFast = sTrue;
                for (int b = 0; b < batch; b++) {
                    if (fastMask[b][j] != exactMask[b][j]) {
                        BigDecimal term = v.residuals()[b].multiply(x[b][r]);
                        sFast = fastMask[b][j] ? sFast.add(term) : sFast.subtract(term);
                    }
                }
                BigDecimal gT = sTrue.multiply(twoOverB, REF_MC);
                BigDecimal gF = sFast == sTrue ? gT : sFast.multiply(twoOverB, REF_MC);
                double fast = f.grad()[r * d + j];
                String idx = "[" + r + "][" + j + "]";
                gFast.add(idx, fast, gF, bb.gradient(r, f.x(), absR, activeFast, noFlip)
                        + REF_REL * Math.abs(gF.doubleValue()));
                gTrue.add(idx, fast, gT, bb.gradient(r, f.x(), absR, activeEither, flipTerm)
                        + REF_REL * Math.abs(gT.doubleValue()));
            }
        }
        Map<String, Object> gn = new LinkedHashMap<>();
        gn.put("rigour", "rigorous given the fast mask equals preActivations' mask (kernel contract)");
        gn.put("reference", "exact gradient sum re-evaluated with the fast activation mask at allowed flips");
        out.add(AuditReport.of("A1", "gradient", k, p, d, batch, "true", gFast, flips, allowed,
                "(2/B) sum_b |x_br| m_fast [E_r + gamma_{B+2}(|r|+E_r)]", gn));
        Map<String, Object> tn = new LinkedHashMap<>();
        tn.put("rigour", "rigorous a-priori (no knowledge of the fast mask)");
        tn.put("reference", "true exact gradient (exact mask)");
        out.add(AuditReport.of("A1", "gradientExactMask", k, p, d, batch, "true", gTrue, flips, allowed,
                "(2/B) sum_b |x_br| [(m or P)(E_r + gamma_{B+2}(|r|+E_r)) + P |r_b|], P = {|h| <= E_h}", tn));
        return out;
    }

    /** {@code |a| <= bound}, decided in double when clear (doubleValue within 1 ulp), else exactly. */
    static boolean absAtMost(BigDecimal a, double bound) {
        double v = Math.abs(a.doubleValue());
        double slack = 2 * Math.ulp(v);
        if (v + slack < bound) {
            return true;
        }
        if (v - slack > bound) {
            return false;
        }
        return a.abs().compareTo(new BigDecimal(bound)) <= 0;
    }

    private static long count(boolean[][] m) {
        long c = 0;
        for (boolean[] row : m) {
            for (boolean v : row) {
                if (v) {
                    c++;
                }
            }
        }
        return c;
    }
}
