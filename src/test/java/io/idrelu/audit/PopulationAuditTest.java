package io.idrelu.audit;

import ch.obermuhlner.math.big.BigDecimalMath;
import io.idrelu.model.Matrices;
import io.idrelu.reference.PopulationReference;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

/**
 * {@link PopulationAudit} (claim A2): the bound IS the specification of the audit, so its value is pinned
 * on small hand-chosen cases against the formulas of proofs-notes/A2.md written out again in {@link #spec}
 * (exact angles from BigDecimal, not the class's Kahan evaluation), and the decision rule is pinned by
 * near-miss controls at {@code W = W*} (exact loss and gradient 0): {@code (1 - 1e-3)} times the bound
 * passes, {@code (1 + 1e-3)} times fails. A loosened bound (a dropped term, {@code x * u -> x / u}, a
 * wrong side of the pair, a wrong column) fails the pinning; a tightened one fails the near-miss control.
 */
class PopulationAuditTest {
    private static final MathContext MC = new MathContext(34);

    /** The A2 bound of one case, written from the note: loss bound, weighted kappa sum, gradient bounds [r][j]. */
    record Spec(double loss, double kappaSum, double[][] grad) { }

    /** Column j of (identity ? I : 0) + W, W row-major: u_j[r] = w[r d + j] (+ 1 on the diagonal). */
    static double[][] cols(double[] w, int d, boolean identity) {
        double[][] c = new double[d][d];
        for (int r = 0; r < d; r++) {
            for (int j = 0; j < d; j++) {
                c[j][r] = w[r * d + j] + (identity && r == j ? 1.0 : 0.0);
            }
        }
        return c;
    }

    static double norm(double[] a) {
        BigDecimal s = BigDecimal.ZERO;
        for (double x : a) {
            s = s.add(new BigDecimal(x).multiply(new BigDecimal(x)));
        }
        return s.sqrt(MC).doubleValue();
    }

    /** Exact angle: atan2(sqrt(|a|^2|b|^2 - <a,b>^2), <a,b>) in BigDecimal; pi/2 if a unit is zero (the audit's convention). */
    static double theta(double[] a, double[] b) {
        if (isZero(a) || isZero(b)) {
            return Math.PI / 2;
        }
        return AngleModelTest.exactAngle(a, b);
    }

    private static boolean isZero(double[] v) {
        for (double x : v) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    static Spec spec(Precision p, AngleModel m, int d, boolean identity, double[] w, double[] ws, int refDigits) {
        double u = p.u();
        double en = AngleModelTest.gamma(p, d) / 2 + u;
        double g2 = AngleModelTest.gamma(p, 2L * d + 3);
        double refRel = Math.pow(10, 1 - refDigits);
        double inflate = 1 + 2 * AngleModelTest.gamma(Precision.DOUBLE, 8L * d + 16);
        double[][] cu = cols(w, d, identity);
        double[][] cv = cols(ws, d, true);
        // loss: weights 1 (u_i,u_k), 2 (u_i,v_k), 1 (v_i,v_k)
        double e = 0;
        double kap = 0;
        double mag = 0;
        for (int i = 0; i < d; i++) {
            for (int k = 0; k < d; k++) {
                double[][][] pairs = {{cu[i], cu[k]}, {cu[i], cv[k]}, {cv[i], cv[k]}};
                int[] weight = {1, 2, 1};
                for (int t = 0; t < 3; t++) {
                    double na = norm(pairs[t][0]);
                    double nb = norm(pairs[t][1]);
                    double th = theta(pairs[t][0], pairs[t][1]);
                    double s = Math.sin(th);
                    double c = Math.cos(th);
                    double dth = AngleModelTest.expected(m, p, d, s);
                    double scale = na * nb / (2 * Math.PI);
                    // E_kappa = |a||b|/(2pi) [pi (2en + 2u) + (pi - th) sin th dth + (6 + 10 pi) u]
                    e += weight[t] * scale * (Math.PI * (2 * en + 2 * u) + (Math.PI - th) * s * dth + (6 + 10 * Math.PI) * u);
                    kap += weight[t] * scale * Math.max(0, s + (Math.PI - th) * c);
                    mag += weight[t] * scale * (s + (Math.PI - th) * Math.abs(c));
                }
            }
        }
        double loss = (e + g2 * kap + refRel * mag) * inflate;
        double[][] grad = new double[d][d];
        for (int j = 0; j < d; j++) {
            double nj = norm(cu[j]);
            for (int r = 0; r < d; r++) {
                double uh = nj == 0 ? 0 : Math.abs(cu[j][r]) / nj;
                double err = 0;
                double sumT = 0;
                for (int k = 0; k < d; k++) {
                    for (double[] ck : new double[][] {cu[k], cv[k]}) {
                        double nk = norm(ck);
                        double th = theta(cu[j], ck);
                        double s = Math.sin(th);
                        double c = Math.cos(th);
                        double dth = AngleModelTest.expected(m, p, d, s);
                        // T = ((pi - th) c_k[r] + |c_k| sin th u_j[r]/|u_j|) / pi, in absolute values
                        sumT += (Math.abs((Math.PI - th) * ck[r]) + nk * s * uh) / Math.PI;
                        err += (Math.abs(ck[r]) * (dth + 4 * Math.PI * u)
                                + nk * uh * (Math.abs(c) * dth + 2 * u + s * (2 * en + 5 * u))) / Math.PI;
                    }
                }
                grad[r][j] = (err + (g2 + refRel) * sumT) * inflate;
            }
        }
        return new Spec(loss, kap, grad);
    }

    /** A case; fast values are the reference values (as doubles) unless perturbed by the test. */
    record Case(Precision p, AngleModel m, int d, boolean identity, double[] w, double[] ws, int refDigits) {
        double refLoss() {
            return new PopulationReference(refDigits).loss(identity, Matrices.exact(w, d), Matrices.exact(ws, d))
                    .doubleValue();
        }

        double[] refGrad() {
            BigDecimal[][] g = new PopulationReference(refDigits).gradient(identity, Matrices.exact(w, d),
                    Matrices.exact(ws, d));
            double[] out = new double[d * d];
            for (int r = 0; r < d; r++) {
                for (int j = 0; j < d; j++) {
                    out[r * d + j] = g[r][j].doubleValue();
                }
            }
            return out;
        }

        List<AuditReport> audit(double loss, double[] grad) {
            return PopulationAudit.audit("test", p, m, d, identity, w, ws, loss, grad, refDigits);
        }

        Spec spec() {
            return PopulationAuditTest.spec(p, m, d, identity, w, ws, refDigits);
        }
    }

    // Generic points in float: the bound (~1e-7 relative) is far above the rounding of a double fast value
    // (~1e-16), so fast = reference + t * bound resolves t to ~1e-9. refDigits 8: the reference's own term
    // 10^(1-p) = 1e-7 is of the order of u and so visible.
    private static final double[] WS2 = {-0.125, 0.25, 0.5, -0.25};
    private static final Case D2_KAHAN = new Case(Precision.FLOAT, AngleModel.KAHAN, 2, true,
            new double[] {0.25, -0.5, 0.375, 0.125}, WS2, 8);
    private static final Case D3_ACOS = new Case(Precision.FLOAT, AngleModel.ACOS, 3, false,
            new double[] {0.5, -0.25, 0.75, 0.125, 1.0, -0.5, -0.375, 0.25, 0.625},
            new double[] {0.25, 0.5, -0.125, -0.75, 0.375, 0.5, 0.125, -0.25, 0.875}, 8);
    private static final Case D2_RADICAND = new Case(Precision.FLOAT, AngleModel.ATAN2_RADICAND, 2, true,
            new double[] {0.1, -0.2, 0.3, 0.05}, new double[] {-0.2, 0.1, 0.05, 0.3}, 7);
    /** d = 1, vanilla, u = 0.75 and v = -0.5: the angle pi (sin 0, cos -1). */
    private static final Case D1_OPPOSITE = new Case(Precision.FLOAT, AngleModel.KAHAN, 1, false,
            new double[] {0.75}, new double[] {-1.5}, 8);
    /** Vanilla, unit 0 of W is zero: the pi/2 convention and the |u_j| = 0 guard of the gradient. */
    private static final Case D2_ZERO_UNIT = new Case(Precision.FLOAT, AngleModel.KAHAN, 2, false,
            new double[] {0, 0.5, 0, -0.75}, new double[] {0.25, -0.5, 0.5, 0.75}, 8);
    // W = W* in double: the exact loss and gradient are 0, so fast = t * bound is the error itself
    private static final Case D2_TEACHER = new Case(Precision.DOUBLE, AngleModel.KAHAN, 2, true, WS2, WS2, 17);
    private static final Case D2_TEACHER_ACOS = new Case(Precision.DOUBLE, AngleModel.ACOS, 2, true, WS2, WS2, 40);

    /**
     * Pins the loss bound (relative 1e-12, it is the worst and only element) and every gradient element's
     * bound (relative 1e-6) to the note's formulas, and pins the decision rule: the loss and every gradient
     * element moved off the reference by t times its formula bound pass for t = 1 - 1e-6 (no bound is
     * tighter than the note's) and are all flagged for t = 1 + 1e-6 (none is looser). Catches every change
     * of a bound term, of the pair weights and sides, of the columns/norms/angles the bound is evaluated on,
     * and a {@code <=} / {@code <} swap in the decision.
     */
    @Test
    void boundsEqualTheFormulasOfTheNoteAndDecideAtThem() {
        for (Case c : new Case[] {D2_KAHAN, D3_ACOS, D2_RADICAND, D1_OPPOSITE, D2_ZERO_UNIT, D2_TEACHER,
                D2_TEACHER_ACOS}) {
            Spec s = c.spec();
            double loss = c.refLoss();
            double[] g = c.refGrad();
            int d = c.d();
            for (double t : new double[] {1 - 1e-6, 1 + 1e-6}) {
                boolean inside = t < 1;
                double[] fast = g.clone();
                for (int r = 0; r < d; r++) {
                    for (int j = 0; j < d; j++) {
                        fast[r * d + j] += ((r + j) % 2 == 0 ? t : -t) * s.grad()[r][j];
                    }
                }
                List<AuditReport> rs = c.audit(loss - t * s.loss(), fast);
                assertThat(rs).hasSize(2);
                AuditReport l = rs.get(0);
                assertThat(l.quantity()).isEqualTo("populationLoss");
                assertThat(l.units()).isEqualTo("none");
                assertThat(l.elements()).isEqualTo(1);
                assertThat(l.worstBound()).as("loss bound %s", c).isCloseTo(s.loss(), withinPercentage(1e-10));
                assertThat(l.passed()).as("loss at %s x bound, %s", t, c).isEqualTo(inside);
                assertThat(l.maxRatio()).isCloseTo(t, within(1e-8));
                assertThat((double) l.notes().get("sumOfKappaTerms")).isCloseTo(s.kappaSum(), withinPercentage(1e-10));
                assertThat(l.notes()).containsEntry("angleModel", c.m().name()).containsEntry("refDigits", c.refDigits());
                AuditReport gr = rs.get(1);
                assertThat(gr.quantity()).isEqualTo("populationGradient");
                assertThat(gr.units()).isEqualTo("true");
                assertThat(gr.elements()).isEqualTo((long) d * d);
                assertThat(gr.violations()).as("gradient at %s x bound, %s", t, c).isEqualTo(inside ? 0 : (long) d * d);
                assertThat(gr.passed()).isEqualTo(inside);
                assertThat(gr.maxRatio()).isCloseTo(t, within(1e-8));
                String[] rj = gr.worstIndex().replace("[", "").split("]");
                assertThat(gr.worstBound()).as("gradient bound %s %s", gr.worstIndex(), c)
                        .isCloseTo(s.grad()[Integer.parseInt(rj[0])][Integer.parseInt(rj[1])], withinPercentage(1e-7));
                assertThat(gr.notes()).doesNotContainKey("sumOfKappaTerms")
                        .containsEntry("angleModel", c.m().name()).containsKey("sin.maxUlp");
            }
        }
    }

    /**
     * VALIDITY on the real kernels: the fast closed form (double and float) is within the audit's bound at the
     * teacher (pure cancellation), next to it, at units opposite to the teacher's (angle pi) and at scales
     * 1e-3 and 1e3 (vanilla). Catches a bound tightened below the real error.
     */
    @Test
    void scalarKernelsAreWithinTheBoundAtAdversarialPoints() {
        io.idrelu.kernel.Kernel k = io.idrelu.kernel.KernelProvider.doubleKernel(io.idrelu.kernel.KernelProvider.Choice.SCALAR);
        io.idrelu.kernel.FloatKernel fk = io.idrelu.kernel.KernelProvider.floatKernel(io.idrelu.kernel.KernelProvider.Choice.SCALAR);
        double[] ws = {0.25, -0.5, 0.5, 0.75};
        double[] near = {0.25 + 1e-6, -0.5, 0.5, 0.75 - 1e-6};
        double[] opposite = {-2.25, 0.5, -0.5, -2.75}; // u_j = -v_j: the angle pi, sin 0
        double[][][] points = {{ws, ws}, {near, ws}, {opposite, ws}};
        for (boolean identity : new boolean[] {true, false}) {
            for (double scale : identity ? new double[] {1} : new double[] {1e-3, 1e3}) {
                for (double[][] pt : points) {
                    double[] w = pt[0].clone();
                    double[] wsS = pt[1].clone();
                    for (int i = 0; i < 4; i++) {
                        w[i] = (float) (w[i] * scale); // float-representable so both paths see the same inputs
                        wsS[i] = (float) (wsS[i] * scale);
                    }
                    double[] g = new double[4];
                    double l = k.populationLossAndGradient(2, identity, w.clone(), wsS.clone(), g);
                    float[] gf = new float[4];
                    float lf = fk.populationLossAndGradient(2, identity, io.idrelu.model.Matrices.toFloat(w),
                            io.idrelu.model.Matrices.toFloat(wsS), gf);
                    List<AuditReport> rs = new java.util.ArrayList<>(PopulationAudit.audit("scalar", Precision.DOUBLE,
                            AngleModel.KAHAN, 2, identity, w, wsS, l, g, 40));
                    rs.addAll(PopulationAudit.audit("scalarFloat", Precision.FLOAT, AngleModel.KAHAN, 2, identity, w, wsS,
                            lf, io.idrelu.model.Matrices.toDouble(gf), 40));
                    assertThat(rs).allSatisfy(r -> assertThat(r.passed()).as(r.toString()).isTrue());
                }
            }
        }
    }

    /**
     * The function ulps are measured on the audit's own arguments of the first 64 pairs with non-zero
     * norms: counts per case, and the acos/sqrt values on integer columns whose cosines and squared norms
     * are known exactly. Catches a skipped or mis-argued measurement and a wrong cap.
     */
    @Test
    void functionUlpsAreMeasuredOnTheAuditsArguments() {
        // 3 d^2 pairs, all non-zero: d = 1 gives 3; d = 5 gives 75, capped at 64
        Case one = new Case(Precision.DOUBLE, AngleModel.KAHAN, 1, true, new double[] {0.5}, new double[] {-0.25}, 12);
        assertThat(one.audit(one.refLoss(), one.refGrad()).get(0).notes()).containsEntry("sin.n", 3L)
                .containsEntry("cos.n", 3L).containsEntry("acos.n", 3L).containsEntry("atan2.n", 3L)
                .containsEntry("sqrt.n", 3L).containsKey("spec");
        double[] w5 = new double[25];
        double[] ws5 = new double[25];
        for (int i = 0; i < 25; i++) {
            w5[i] = 0.125 * ((i * 7) % 5 - 2);
            ws5[i] = 0.0625 * ((i * 3) % 7 - 3);
        }
        Case five = new Case(Precision.DOUBLE, AngleModel.KAHAN, 5, true, w5, ws5, 8);
        assertThat(five.audit(five.refLoss(), five.refGrad()).get(1).notes())
                .containsEntry("sin.n", (long) PopulationAudit.MAX_ULP_SAMPLES)
                .containsEntry("sqrt.n", (long) PopulationAudit.MAX_ULP_SAMPLES);
        // zero unit u_0: of the 12 pairs only those with both norms > 0 are measured:
        // (u_1,u_1), (u_1,v_0), (u_1,v_1) and the 4 (v_i,v_k): 7
        assertThat(D2_ZERO_UNIT.audit(D2_ZERO_UNIT.refLoss(), D2_ZERO_UNIT.refGrad()).get(0).notes())
                .containsEntry("sin.n", 7L).containsEntry("sqrt.n", 7L);

        // integer columns: u_0 = (3,4), u_1 = (12,5), v_0 = (4,3), v_1 = (5,12) (vanilla, so v = W* columns too
        // only via the teacher's identity: the teacher always has it, so W* = V - I)
        double[] w = {3, 12, 4, 5};
        double[] ws = {4 - 1, 5, 3, 12 - 1};
        Case ints = new Case(Precision.DOUBLE, AngleModel.KAHAN, 2, false, w, ws, 12);
        double[][] cu = cols(w, 2, false);
        double[][] cv = cols(ws, 2, true);
        double maxAcos = 0;
        double maxSqrt = 0;
        for (double[] a : new double[][] {cu[0], cu[1], cv[0], cv[1]}) {
            double na = Math.sqrt(a[0] * a[0] + a[1] * a[1]);
            maxSqrt = Math.max(maxSqrt, FunctionUlpsTest.ulps(Math.sqrt(na * na), new BigDecimal(na * na).sqrt(MC)));
            for (double[] b : new double[][] {cu[0], cu[1], cv[0], cv[1]}) {
                double nb = Math.sqrt(b[0] * b[0] + b[1] * b[1]);
                double x = (a[0] * b[0] + a[1] * b[1]) / (na * nb); // integer dot over integer norms: one rounding
                maxAcos = Math.max(maxAcos, FunctionUlpsTest.ulps(Math.acos(x), BigDecimalMath.acos(new BigDecimal(x), MC)));
            }
        }
        assertThat(maxSqrt).as("norms 5 and 13 are exact").isZero();
        assertThat(maxAcos).as("some cosine is not exact").isGreaterThan(0);
        var notes = ints.audit(ints.refLoss(), ints.refGrad()).get(0).notes();
        assertThat((double) notes.get("acos.maxUlp")).isCloseTo(maxAcos, withinPercentage(1e-8));
        assertThat((double) notes.get("sqrt.maxUlp")).isZero();

        // non-integer norms: the squared computed norm is not a square, sqrt is measured on it
        Case tenth = new Case(Precision.DOUBLE, AngleModel.KAHAN, 1, false, new double[] {0.1}, new double[] {0.3 - 1},
                12);
        double e = 0;
        for (double x : new double[] {cols(tenth.w(), 1, false)[0][0], cols(tenth.ws(), 1, true)[0][0]}) {
            double n = Math.sqrt(x * x);
            e = Math.max(e, FunctionUlpsTest.ulps(Math.sqrt(n * n), new BigDecimal(n * n).sqrt(MC)));
        }
        assertThat(e).as("the chosen arguments are not exact squares").isGreaterThan(0);
        assertThat((double) tenth.audit(tenth.refLoss(), tenth.refGrad()).get(0).notes().get("sqrt.maxUlp"))
                .isCloseTo(e, withinPercentage(1e-8));
        // parallel units: every cosine is exactly 1 and every angle 0, so nothing has an error
        Case par = new Case(Precision.DOUBLE, AngleModel.KAHAN, 1, false, new double[] {0.5}, new double[] {1}, 12);
        assertThat(par.audit(par.refLoss(), par.refGrad()).get(0).notes()).containsEntry("acos.maxUlp", 0.0)
                .containsEntry("sin.maxUlp", 0.0).containsEntry("atan2.maxUlp", 0.0).containsEntry("acos.n", 3L);
    }

    /** The bound's angle: exact for parallel, opposite, orthogonal and generic pairs; pi/2 if a unit is zero. */
    @Test
    void angleIsAccurateAndZeroUnitsArePerpendicular() {
        double[][] pairs = {{1, 2, 2, 4}, {1, 2, -3, -6}, {3, 4, -4, 3}, {0.3, -0.7, 0.9, 0.2}, {1e-3, 1, 0, 1},
                {5, 12, 4, 3}};
        for (double[] q : pairs) {
            double[] a = {q[0], q[1]};
            double[] b = {q[2], q[3]};
            double na = Math.sqrt(a[0] * a[0] + a[1] * a[1]);
            double nb = Math.sqrt(b[0] * b[0] + b[1] * b[1]);
            assertThat(PopulationAudit.angle(a, na, b, nb)).as(java.util.Arrays.toString(q))
                    .isCloseTo(theta(a, b), within(2e-15));
        }
        assertThat(PopulationAudit.angle(new double[] {0, 0}, 0, new double[] {1, 2}, Math.sqrt(5))).isEqualTo(Math.PI / 2);
        assertThat(PopulationAudit.angle(new double[] {1, 2}, Math.sqrt(5), new double[] {0, 0}, 0)).isEqualTo(Math.PI / 2);
    }

    /** Columns of I + W (unit j = column j, row-major w) and their norms. */
    @Test
    void columnsAndNorms() {
        double[] w = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        assertThat(PopulationAudit.columns(w, 3, true)).isDeepEqualTo(new double[][] {{2, 4, 7}, {2, 6, 8}, {3, 6, 10}});
        assertThat(PopulationAudit.columns(w, 3, false)).isDeepEqualTo(new double[][] {{1, 4, 7}, {2, 5, 8}, {3, 6, 9}});
        assertThat(PopulationAudit.norms(new double[][] {{3, 4}, {0, 0}, {-5, 12}})).containsExactly(5, 0, 13);
    }
}
