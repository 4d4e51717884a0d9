package io.idrelu.audit;

import io.idrelu.kernel.FloatKernel;
import io.idrelu.kernel.Kernel;
import io.idrelu.kernel.KernelProvider;
import io.idrelu.model.GaussianSampler;
import io.idrelu.model.Matrices;
import io.idrelu.reference.BatchValues;
import io.idrelu.reference.ExactBatch;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link BatchAudit} (claim A1, proofs-notes/A1.md) on hand-built {@link FastBatch}es: an "ideal" fast path
 * (every value the exact one rounded to double, the gradient taken with the fast path's own mask
 * {@code h_fast > 0}) with chosen pre-activations, so flips, counts and near-miss perturbations are exactly
 * known. The flip rule, the counts in the notes, the two gradient references and which bound each quantity
 * is compared against are asserted; every test says what bug it catches.
 */
class BatchAuditTest {
    private static final MathContext MC = new MathContext(60);

    /** Ideal fast path with the given fast pre-activations (their sign is the fast mask). */
    static FastBatch ideal(Precision p, int d, boolean id, double[] w, double[] ws, double[] x, int batch,
                           double[] hFast, boolean gradientWithExactMask) {
        BigDecimal[][] xe = Matrices.exactRows(x, batch, d);
        BigDecimal[][] hx = ExactBatch.preActivations(id, Matrices.exact(w, d), xe);
        BatchValues v = ExactBatch.evaluate(id, Matrices.exact(w, d), Matrices.exact(ws, d), xe);
        double[] out = new double[batch];
        double[] res = new double[batch];
        for (int b = 0; b < batch; b++) {
            out[b] = v.outputs()[b].doubleValue();
            res[b] = v.residuals()[b].doubleValue();
        }
        double loss = v.sumOfSquares().divide(BigDecimal.valueOf(batch), MC).doubleValue();
        double[] grad = new double[d * d];
        for (int r = 0; r < d; r++) {
            for (int j = 0; j < d; j++) {
                BigDecimal s = BigDecimal.ZERO;
                for (int b = 0; b < batch; b++) {
                    boolean on = gradientWithExactMask ? hx[b][j].signum() > 0 : hFast[b * d + j] > 0;
                    if (on) {
                        s = s.add(v.residuals()[b].multiply(xe[b][r]));
                    }
                }
                grad[r * d + j] = s.multiply(BigDecimal.valueOf(2)).divide(BigDecimal.valueOf(batch), MC).doubleValue();
            }
        }
        return new FastBatch("ideal", p, w, ws, x, hFast.clone(), out, res, loss, grad);
    }

    static double[] exactH(int d, boolean id, double[] w, double[] x, int batch) {
        BigDecimal[][] hx = ExactBatch.preActivations(id, Matrices.exact(w, d), Matrices.exactRows(x, batch, d));
        double[] h = new double[batch * d];
        for (int b = 0; b < batch; b++) {
            for (int j = 0; j < d; j++) {
                h[b * d + j] = hx[b][j].doubleValue();
            }
        }
        return h;
    }

    static AuditReport report(List<AuditReport> rs, String quantity) {
        return rs.stream().filter(r -> r.quantity().equals(quantity)).findFirst().orElseThrow();
    }

    // d = 2, vanilla, teacher W* = 0 (v_j = e_j). Unit 0 is column (1, 1): row x_0 = (1, -1) has h_00 = 0 exactly.
    // Exact h: [0, 0.75; 3, 0.75]; outputs 0.75, 3.75; teacher 1, 3; residuals -0.25, 0.75; loss 0.3125.
    private static final double[] W = {1, 0.5, 1, -0.25};
    private static final double[] WS = {0, 0, 0, 0};
    private static final double[] X = {1, -1, 2, 1};

    /**
     * Fast path active at an exact zero (h_fast = MIN_NORMAL > 0 = h_exact): one flip, allowed (|0| <= E_h).
     * Counts: 1 possible flip, 1 exact zero, 3 active and 1 inactive exact units. The gradient taken with the
     * fast mask passes the decisive check (reference re-evaluated with the fast mask: adds r_0 x_0 at the
     * flipped unit) and the a-priori one. Catches: counters that decrement or never count, a wrong inactive
     * count (B*d - active), a reference that ignores the flip or subtracts instead of adds, reports whose
     * ErrorStats never saw the elements.
     */
    @Test
    void allowedFlipToActiveAtAnExactZero() {
        double[] h = exactH(2, false, W, X, 2);
        assertThat(h).containsExactly(0, 0.75, 3, 0.75);
        h[0] = Double.MIN_NORMAL;
        List<AuditReport> rs = BatchAudit.audit(ideal(Precision.DOUBLE, 2, false, W, WS, X, 2, h, false), 2, false, 2);
        assertThat(rs).extracting(AuditReport::quantity).containsExactly("preActivation", "forward", "residual",
                "loss", "gradient", "gradientExactMask");
        assertThat(rs).extracting(AuditReport::elements).containsExactly(4L, 2L, 2L, 1L, 4L, 4L);
        assertThat(rs).allSatisfy(r -> assertThat(r.passed()).as(r.quantity()).isTrue());
        AuditReport pre = report(rs, "preActivation");
        assertThat(pre.flips()).isEqualTo(1);
        assertThat(pre.allowedFlips()).isEqualTo(1);
        assertThat(pre.notes()).containsEntry("possibleFlips", 1L).containsEntry("exactZeroPreActivations", 1L)
                .containsEntry("activeExact", 3L).containsEntry("inactiveExact", 1L)
                .doesNotContainKey("disallowedFlipWitness");
        assertThat(report(rs, "gradient").flips()).isEqualTo(1);
        assertThat(report(rs, "gradient").allowedFlips()).isEqualTo(1);
        // the decisive check is tight: the fast gradient equals the fast-mask reference (all values exact here)
        assertThat(report(rs, "gradient").maxAbsError()).isZero();
        // the a-priori check uses the flip allowance (2/B)|r_0 x_0r| = 0.25 at [0][0] and [1][0]
        assertThat(report(rs, "gradientExactMask").maxAbsError()).isEqualTo(0.25);
        assertThat(report(rs, "gradientExactMask").maxRatio()).isLessThanOrEqualTo(1.0).isGreaterThan(0.99);
    }

    /**
     * Negative control of the decisive gradient check: the kernel reports h_fast > 0 but its gradient uses the
     * exact mask (a contract violation). The fast-mask reference sees the missing term 0.25 at [0][0] and [1][0];
     * the a-priori check (which does not trust the mask) still passes.
     */
    @Test
    void gradientInconsistentWithTheFastMaskFails() {
        double[] h = exactH(2, false, W, X, 2);
        h[0] = Double.MIN_NORMAL;
        List<AuditReport> rs = BatchAudit.audit(ideal(Precision.DOUBLE, 2, false, W, WS, X, 2, h, true), 2, false, 2);
        AuditReport g = report(rs, "gradient");
        assertThat(g.passed()).isFalse();
        assertThat(g.violations()).isEqualTo(2);
        assertThat(g.maxAbsError()).isEqualTo(0.25);
        assertThat(report(rs, "gradientExactMask").passed()).isTrue();
    }

    /**
     * The other direction: exact h_00 = 2^-52 > 0 is within E_h (about 6.7e-16), the fast path says 0 (inactive).
     * Allowed; the fast-mask reference must subtract the term. Negative control: the exact-mask gradient fails.
     */
    @Test
    void allowedFlipToInactiveNearTheKink() {
        double[] x = {1, -(1 - 0x1.0p-52), 2, 1};
        double[] h = exactH(2, false, W, x, 2);
        assertThat(h[0]).isEqualTo(0x1.0p-52);
        h[0] = 0;
        List<AuditReport> rs = BatchAudit.audit(ideal(Precision.DOUBLE, 2, false, W, WS, x, 2, h, false), 2, false, 2);
        assertThat(rs).allSatisfy(r -> assertThat(r.passed()).as(r.quantity()).isTrue());
        AuditReport pre = report(rs, "preActivation");
        assertThat(pre.flips()).isEqualTo(1);
        assertThat(pre.allowedFlips()).isEqualTo(1);
        assertThat(pre.notes()).containsEntry("possibleFlips", 1L).containsEntry("exactZeroPreActivations", 0L)
                .containsEntry("activeExact", 4L).containsEntry("inactiveExact", 0L);
        List<AuditReport> bad = BatchAudit.audit(ideal(Precision.DOUBLE, 2, false, W, WS, x, 2, h, true), 2, false, 2);
        assertThat(report(bad, "gradient").passed()).isFalse();
        assertThat(report(bad, "gradientExactMask").passed()).isTrue();
    }

    /**
     * Flips far from the kink are failures: all 6 fast pre-activations negated (|h_exact| >= 0.25 >> E_h).
     * 6 disallowed flips, the witness list capped at 5 entries naming (b, j), the fast and the exact value.
     * Catches a witness cap of 6 ({@code <=}), a wrong index into h, and flips not failing the gradient reports.
     */
    @Test
    @SuppressWarnings("unchecked")
    void disallowedFlipsFailWithWitnesses() {
        double[] x = {2, 1, 1, 3, 3, -1};
        double[] h = exactH(2, false, W, x, 3);
        assertThat(h).containsExactly(3, 0.75, 4, -0.25, 2, 1.75);
        for (int i = 0; i < h.length; i++) {
            h[i] = -h[i];
        }
        List<AuditReport> rs = BatchAudit.audit(ideal(Precision.DOUBLE, 2, false, W, WS, x, 3, h, false), 2, false, 3);
        AuditReport pre = report(rs, "preActivation");
        assertThat(pre.flips()).isEqualTo(6);
        assertThat(pre.allowedFlips()).isZero();
        assertThat(pre.disallowedFlips()).isEqualTo(6);
        assertThat(pre.passed()).isFalse();
        assertThat(pre.violations()).isEqualTo(6);
        assertThat(pre.notes()).containsEntry("possibleFlips", 0L).containsEntry("activeExact", 5L)
                .containsEntry("inactiveExact", 1L);
        assertThat((List<Object>) pre.notes().get("disallowedFlipWitness")).containsExactly(
                "b=0 j=0 hFast=-3.0 hExact=3", "b=0 j=1 hFast=-0.75 hExact=0.75", "b=1 j=0 hFast=-4.0 hExact=4",
                "b=1 j=1 hFast=0.25 hExact=-0.25", "b=2 j=0 hFast=-2.0 hExact=2");
        assertThat(report(rs, "gradient").disallowedFlips()).isEqualTo(6);
        assertThat(report(rs, "gradient").passed()).isFalse();
        assertThat(report(rs, "gradientExactMask").passed()).isFalse();
    }

    /**
     * All-zero batch: every pre-activation is an exact zero and a possible flip (|0| <= E_h = 0), every
     * bound is 0 and so is every error. The quotient-rounding allowance 1e-39 |exact| is then 0 too: catches
     * it written as 1e-39 / |exact| (an infinite bound).
     */
    @Test
    void allZeroBatchHasZeroBounds() {
        double[] x = new double[4];
        List<AuditReport> rs = BatchAudit.audit(ideal(Precision.DOUBLE, 2, true, W, WS, x, 2, new double[4], false),
                2, true, 2);
        assertThat(rs).allSatisfy(r -> {
            assertThat(r.passed()).as(r.quantity()).isTrue();
            assertThat(r.worstBound()).as(r.quantity()).isZero();
            assertThat(r.maxAbsError()).as(r.quantity()).isZero();
        });
        assertThat(report(rs, "preActivation").notes()).containsEntry("possibleFlips", 4L)
                .containsEntry("exactZeroPreActivations", 4L).containsEntry("activeExact", 0L)
                .containsEntry("inactiveExact", 4L);
    }

    // float precision, d = 2, identity, generic data far from the kink (|h| >= 0.25): bounds ~1e-7 relative,
    // so a perturbation of 1e-3 of a bound is resolved by the double values of the hand-built batch
    private static final double[] WF = {0.5, -0.25, 0.375, 1.25};
    private static final double[] WSF = {-0.125, 0.75, 0.5, -0.625};
    private static final double[] XF = {1.5, -0.5, -0.75, 2.0};

    private enum Q { PRE, FORWARD, RESIDUAL, LOSS, GRADIENT }

    /** The ideal float batch with element {@code k} of quantity {@code q} moved by {@code s} times its bound. */
    private static List<AuditReport> nearMiss(Q q, int k, double s) {
        int d = 2;
        int batch = 2;
        double[] h = exactH(d, true, WF, XF, batch);
        FastBatch f = ideal(Precision.FLOAT, d, true, WF, WSF, XF, batch, h, false);
        BatchValues v = ExactBatch.evaluate(true, Matrices.exact(WF, d), Matrices.exact(WSF, d),
                Matrices.exactRows(XF, batch, d));
        double[] absR = new double[batch];
        for (int b = 0; b < batch; b++) {
            absR[b] = Math.nextUp(Math.abs(v.residuals()[b].doubleValue()));
        }
        BatchBounds bb = new BatchBounds(Precision.FLOAT, d, true, WF, WSF, XF, batch, absR);
        boolean[] none = new boolean[batch];
        double loss = f.loss();
        switch (q) {
            case PRE -> f.h()[k] += s * bb.preActivation(k / d, k % d);
            case FORWARD -> f.out()[k] += s * bb.output(k);
            case RESIDUAL -> f.residuals()[k] += s * bb.residual(k);
            case LOSS -> loss += s * bb.loss(absR);
            case GRADIENT -> {
                boolean[] active = new boolean[batch];
                for (int b = 0; b < batch; b++) {
                    active[b] = h[b * d + k % d] > 0;
                }
                f.grad()[k] += s * bb.gradient(k / d, XF, absR, active, none);
            }
            default -> throw new AssertionError(q);
        }
        FastBatch g = new FastBatch(f.kernel(), f.precision(), f.w(), f.wStar(), f.x(), f.h(), f.out(), f.residuals(),
                loss, f.grad());
        return BatchAudit.audit(g, d, true, batch);
    }

    /**
     * Near-miss controls: each element of each quantity moved by (1 + 1e-3) x its bound (from BatchBounds,
     * pinned in BatchBoundsTest) must be flagged in exactly that report; by (1 - 1e-3) x it must pass. Pins
     * which bound each quantity is compared against (e.g. the residual against E_r, not the output bound),
     * both signs, and the rule error <= bound.
     */
    @Test
    void nearMissControlsPinTheDecisionRule() {
        double[] h = exactH(2, true, WF, XF, 2);
        for (double hv : h) {
            assertThat(Math.abs(hv)).isGreaterThanOrEqualTo(0.25);
        }
        Map<Q, String> name = Map.of(Q.PRE, "preActivation", Q.FORWARD, "forward", Q.RESIDUAL, "residual",
                Q.LOSS, "loss", Q.GRADIENT, "gradient");
        Map<Q, Integer> size = Map.of(Q.PRE, 4, Q.FORWARD, 2, Q.RESIDUAL, 2, Q.LOSS, 1, Q.GRADIENT, 4);
        for (Q q : Q.values()) {
            for (int k = 0; k < size.get(q); k++) {
                for (double sign : new double[] {1, -1}) {
                    String c = q + " k=" + k + " sign=" + sign;
                    List<AuditReport> in = nearMiss(q, k, sign * (1 - 1e-3));
                    assertThat(in).as(c).allSatisfy(r -> assertThat(r.passed()).as(c + " " + r.quantity()).isTrue());
                    AuditReport hit = report(in, name.get(q));
                    assertThat(hit.maxRatio()).as(c).isGreaterThan(0.998).isLessThanOrEqualTo(1.0);
                    List<AuditReport> out = nearMiss(q, k, sign * (1 + 1e-3));
                    for (AuditReport r : out) {
                        boolean expectFail = r.quantity().equals(name.get(q))
                                || q == Q.GRADIENT && r.quantity().equals("gradientExactMask");
                        assertThat(r.violations()).as(c + " " + r.quantity()).isEqualTo(expectFail ? 1 : 0);
                    }
                }
            }
        }
    }

    /**
     * Near-miss control of the a-priori gradient bound at an allowed flip (float precision, so 1e-3 of a bound
     * is resolved): the fast path is active at the exact zero h_00 and its gradient [0][0] is the fast-mask value
     * moved by s x E_g' (the fast-mask bound) away from the exact-mask value. The a-priori error is then the flip
     * difference 0.25 plus s E_g', its bound E_g' plus the flip allowance (2/B)|r_0 x_00| = 0.25: both checks pass
     * for s = 1 - 1e-3 and fail for s = 1 + 1e-3. Catches an a-priori bound that uses only the exact mask
     * (m instead of m or P) for the active terms: it lacks the flipped sample's rounding term and fails at
     * s = 1 - 1e-3.
     */
    @Test
    void aPrioriGradientBoundAtAnAllowedFlip() {
        int d = 2;
        int batch = 2;
        double[] h = exactH(d, false, W, X, batch);
        h[0] = Double.MIN_NORMAL;
        BatchValues v = ExactBatch.evaluate(false, Matrices.exact(W, d), Matrices.exact(WS, d),
                Matrices.exactRows(X, batch, d));
        double[] absR = new double[batch];
        for (int b = 0; b < batch; b++) {
            absR[b] = Math.nextUp(Math.abs(v.residuals()[b].doubleValue()));
        }
        BatchBounds bb = new BatchBounds(Precision.FLOAT, d, false, W, WS, X, batch, absR);
        boolean[] activeFast = {true, true}; // unit 0: fast mask of rows 0 (flipped) and 1
        double eg = bb.gradient(0, X, absR, activeFast, new boolean[batch]);
        // fast-mask gradient [0][0] = (2/B)(r_0 x_00 + r_1 x_10) = -0.25 + 1.5 = 1.25; exact mask: 1.5
        for (double s : new double[] {1 - 1e-3, 1 + 1e-3}) {
            FastBatch f = ideal(Precision.FLOAT, d, false, W, WS, X, batch, h, false);
            assertThat(f.grad()[0]).isEqualTo(1.25);
            f.grad()[0] -= s * eg; // away from the exact-mask value 1.5
            List<AuditReport> rs = BatchAudit.audit(f, d, false, batch);
            boolean pass = s < 1;
            assertThat(report(rs, "gradient").passed()).as("s=%s", s).isEqualTo(pass);
            assertThat(report(rs, "gradientExactMask").passed()).as("s=%s", s).isEqualTo(pass);
            assertThat(report(rs, "gradientExactMask").worstIndex()).isEqualTo("[0][0]");
        }
    }

    /**
     * {@code |a| <= bound} decided exactly: clear cases in double, and values one double ulp or 1e-30 either side
     * of the bound (only the exact comparison can tell). Catches a slack applied with the wrong sign on either
     * shortcut, {@code <} for {@code <=} in the exact comparison, and the reject shortcut answering true.
     */
    @Test
    void absAtMostIsExactAtTheBoundary() {
        assertThat(BatchAudit.absAtMost(new BigDecimal("0.5"), 1.0)).isTrue();
        assertThat(BatchAudit.absAtMost(new BigDecimal("-2"), 1.0)).isFalse();
        assertThat(BatchAudit.absAtMost(new BigDecimal("2"), 1.0)).isFalse();
        assertThat(BatchAudit.absAtMost(new BigDecimal(1.0), 1.0)).isTrue();
        assertThat(BatchAudit.absAtMost(new BigDecimal(-1.0), 1.0)).isTrue();
        assertThat(BatchAudit.absAtMost(new BigDecimal(Math.nextUp(1.0)), 1.0)).isFalse();
        assertThat(BatchAudit.absAtMost(new BigDecimal(Math.nextDown(1.0)), 1.0)).isTrue();
        assertThat(BatchAudit.absAtMost(new BigDecimal("1.000000000000000000000000000001"), 1.0)).isFalse();
        assertThat(BatchAudit.absAtMost(new BigDecimal("0.999999999999999999999999999999"), 1.0)).isTrue();
        assertThat(BatchAudit.absAtMost(BigDecimal.ZERO, 0.0)).isTrue();
        assertThat(BatchAudit.absAtMost(new BigDecimal("1e-400"), 0.0)).isFalse();
    }

    /**
     * VALIDITY: the real scalar kernels stay within every bound on adversarial batches -- tiny and huge scales
     * (2^-20, 2^20: exact scalings, not subnormal), near-kink rows (exact zeros and few-ulp pre-activations, flips likely) and a
     * student next to the teacher (residuals cancel to a few ulps). Catches a bound that got tighter.
     */
    @Test
    void validityOnAdversarialBatches() {
        Kernel k = KernelProvider.doubleKernel(KernelProvider.Choice.SCALAR);
        FloatKernel fk = KernelProvider.floatKernel(KernelProvider.Choice.SCALAR);
        int d = 3;
        int batch = 4;
        double[] w = {0.31, -0.72, 0.18, 0.55, 0.09, -0.44, -0.27, 0.63, 0.81};
        double[] ws = {0.12, 0.47, -0.35, -0.66, 0.28, 0.05, 0.39, -0.14, 0.52};
        double[] near = ws.clone();
        for (int i = 0; i < near.length; i++) {
            near[i] = ws[i] * (1 + 0x1.0p-40);
        }
        double[] g = GaussianSampler.forTrial(7, 0).batch(batch, d);
        long flips = 0;
        for (double scale : new double[] {0x1.0p-20, 1, 0x1.0p20}) {
            double[] x = g.clone();
            for (int i = 0; i < x.length; i++) {
                x[i] *= scale;
            }
            for (double[] student : new double[][] {w, near}) {
                for (boolean id : new boolean[] {true, false}) {
                    double[] kink = NearKink.batch(NearKink.roundColumn(student, d, 0, NearKink.SHORT_BITS), d, 9, 3,
                            Precision.DOUBLE);
                    for (int i = 0; i < kink.length; i++) {
                        kink[i] *= scale;
                    }
                    double[] sw = NearKink.roundColumn(student, d, 0, NearKink.SHORT_BITS);
                    for (double[] xs : new double[][] {x, kink}) {
                        int rows = xs.length / d;
                        List<AuditReport> rd = Auditor.auditBatch(k, d, id, sw, ws, xs, rows);
                        List<AuditReport> rf = Auditor.auditBatch(fk, d, id, Matrices.toFloat(sw),
                                Matrices.toFloat(ws), Matrices.toFloat(xs), rows);
                        for (AuditReport r : rd) {
                            assertThat(r.passed()).as("double scale=%s id=%s %s", scale, id, r.quantity()).isTrue();
                        }
                        for (AuditReport r : rf) {
                            assertThat(r.passed()).as("float scale=%s id=%s %s", scale, id, r.quantity()).isTrue();
                        }
                        flips += report(rd, "preActivation").flips() + report(rf, "preActivation").flips();
                    }
                }
            }
        }
        // coverage asserted, not hoped for: the near-kink rows did produce flips
        assertThat(flips).isPositive();
    }
}
