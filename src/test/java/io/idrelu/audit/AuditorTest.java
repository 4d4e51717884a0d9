package io.idrelu.audit;

import io.idrelu.kernel.KernelProvider;
import org.junit.jupiter.api.Test;

import io.idrelu.kernel.FloatKernel;
import io.idrelu.kernel.Kernel;
import io.idrelu.model.GaussianSampler;
import io.idrelu.model.Matrices;
import io.idrelu.model.Problem;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import static org.assertj.core.api.Assertions.assertThat;

/** Plumbing of the {@code idrelu audit} entry point (accuracy itself: the A1..A3 claim tests). */
class AuditorTest {

    @Test
    void auditRandomCoversAllQuantitiesInBothPrecisionsAndPasses() {
        List<AuditReport> rs = Auditor.auditRandom(KernelProvider.doubleKernel(KernelProvider.Choice.SCALAR),
                KernelProvider.floatKernel(KernelProvider.Choice.SCALAR), 3, 5, Auditor.Options.forD(3).withSteps(5));
        assertThat(rs).extracting(AuditReport::quantity).contains("preActivation", "forward", "residual", "loss",
                "gradient", "gradientExactMask", "populationLoss", "populationGradient", "trajectory");
        assertThat(rs).extracting(AuditReport::precision).contains("double", "float");
        assertThat(Auditor.allPassed(rs)).as(Auditor.renderTable(rs)).isTrue();
        Map<String, Object> json = Auditor.toJson(rs);
        assertThat(json).containsEntry("passed", true);
        assertThat((List<?>) json.get("reports")).hasSize(rs.size());
        assertThat(Auditor.renderTable(rs).lines().count()).isEqualTo(rs.size() + 1);
    }

    @Test
    void inputIsCheckedAtTheBoundary() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Auditor.auditBatch(
                KernelProvider.doubleKernel(KernelProvider.Choice.SCALAR), 2, true, new double[3], new double[4],
                new double[2], 1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("!= 4");
    }

    private static final Kernel K = KernelProvider.doubleKernel(KernelProvider.Choice.SCALAR);
    private static final FloatKernel FK = KernelProvider.floatKernel(KernelProvider.Choice.SCALAR);

    @Test
    void checkAcceptsExactlyOneToMaxD() {
        // d = 1 is valid (catches d < 1 -> d <= 1); d = 0 and MAX_D + 1 are rejected by the range test itself
        Auditor.check(1, new double[1], new double[1], new double[2], 2);
        assertThatThrownBy(() -> Auditor.check(0, new double[0], new double[0], new double[0], 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("d = 0: expected 1 <= d <= " + Problem.MAX_D);
        assertThatThrownBy(() -> Auditor.check(Problem.MAX_D + 1, new double[1], new double[1], new double[0], 0))
                .hasMessageStartingWith("d = " + (Problem.MAX_D + 1) + ": expected");
        // d = MAX_D passes the range test and fails on the sizes (catches d > MAX_D -> d >= MAX_D)
        assertThatThrownBy(() -> Auditor.check(Problem.MAX_D, new double[1], new double[1], new double[0], 0))
                .hasMessage("W has 1 and W* 1 entries != " + Problem.MAX_D * Problem.MAX_D + " expected for d = " + Problem.MAX_D);
    }

    @Test
    void checkRejectsEachWrongSizeAndEachNonFiniteInput() {
        assertThatThrownBy(() -> Auditor.check(2, new double[4], new double[3], new double[2], 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("W has 4 and W* 3 entries != 4 expected for d = 2");
        assertThatThrownBy(() -> Auditor.check(2, new double[5], new double[4], new double[2], 1))
                .hasMessage("W has 5 and W* 4 entries != 4 expected for d = 2");
        assertThatThrownBy(() -> Auditor.check(3, new double[9], new double[9], new double[5], 2))
                .hasMessage("batch has 5 entries != 6 = batch 2 x d 3");
        for (int which = 0; which < 3; which++) {
            double[][] a = {new double[4], new double[4], new double[6]};
            a[which][which] = which == 1 ? Double.POSITIVE_INFINITY : Double.NaN;
            assertThatThrownBy(() -> Auditor.check(2, a[0], a[1], a[2], 3)).as("array %d", which)
                    .hasMessageStartingWith("non-finite input ");
        }
        Auditor.check(2, new double[4], new double[4], new double[6], 3);
    }

    @Test
    void everyEntryPointChecksItsInput() {
        // without the check the double batch audit would report NaN errors instead of refusing the input, the
        // population audits would fail with an index exception
        assertThatThrownBy(() -> Auditor.auditBatch(K, 1, true, new double[1], new double[1], new double[] {Double.NaN}, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("non-finite input");
        // float path: without the check BigDecimal would refuse the NaN with its own, less helpful message
        assertThatThrownBy(() -> Auditor.auditBatch(FK, 1, true, new float[1], new float[1], new float[] {Float.NaN}, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("non-finite input");
        assertThatThrownBy(() -> Auditor.auditPopulation(K, 2, true, new double[3], new double[4], AngleModel.KAHAN, 20))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected for d = 2");
        assertThatThrownBy(() -> Auditor.auditPopulation(FK, 2, true, new float[3], new float[4], AngleModel.KAHAN, 20))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected for d = 2");
    }

    @Test
    void optionsForDFollowTheirFormula() {
        // batch = clamp(2e5 / d^2, 1, 64), steps = clamp(2e5 / (batch d^2), 2, 40), eta = min(0.05, 0.5 / d)
        for (int d : new int[] {1, 5, 20, 60, 100, 257, 1024}) {
            long dd = (long) d * d;
            int batch = (int) Math.max(1, Math.min(64, 200_000 / dd));
            int steps = (int) Math.max(2, Math.min(40, 200_000 / (batch * dd)));
            Auditor.Options o = Auditor.Options.forD(d);
            assertThat(o).as("d = %d", d).isEqualTo(new Auditor.Options(batch, steps, Math.min(0.05, 0.5 / d), 0.5, 40, 34,
                    AngleModel.GRAM_KAHAN, 0.1));
        }
        // hand values: d = 20 -> batch 64 (500 clamped), steps 200000 / 25600 = 7, eta 0.025; d = 100 -> batch 20, steps 2
        assertThat(Auditor.Options.forD(20)).extracting(Auditor.Options::batch, Auditor.Options::steps, Auditor.Options::eta)
                .containsExactly(64, 7, 0.025);
        assertThat(Auditor.Options.forD(100).batch()).isEqualTo(20);
        assertThat(Auditor.Options.forD(1024).batch()).isEqualTo(1);
        Auditor.Options o = Auditor.Options.forD(3).withBatch(5).withSteps(6).withEta(0.125);
        assertThat(o).isEqualTo(new Auditor.Options(5, 6, 0.125, 0.5, 40, 34, AngleModel.GRAM_KAHAN, 0.1));
    }

    @Test
    void quickProblemIsGaussianScaledByGammaOverTwoRootD() {
        // d = 4: scale 0.5 / (2 * 2) = 1/8 exactly, so the entries are the Gaussian draws / 8 to the bit
        Problem p = Auditor.quickProblem(4, 0.5, 9, false);
        double[] g0 = GaussianSampler.forTrial(9, -2).batch(4, 4);
        double[] gs = GaussianSampler.forTrial(9, -3).batch(4, 4);
        for (int i = 0; i < 16; i++) {
            assertThat(p.w0()[i]).isEqualTo(g0[i] / 8);
            assertThat(p.wStar()[i]).isEqualTo(gs[i] / 8);
        }
        assertThat(p.d()).isEqualTo(4);
        assertThat(p.identity()).isFalse();
        assertThat(Auditor.quickProblem(4, 0.5, 9, true).identity()).isTrue();
    }

    @Test
    void auditProblemIsTheDocumentedBatchPopulationAndTrajectory() {
        // d = 3: o.batch() Gaussian rows + min(3d, 39) = 9 near-kink rows; d = 1: no near-kink rows (they need d >= 3)
        for (int d : new int[] {1, 3}) {
            Problem p = Auditor.quickProblem(d, 0.5, 11, true);
            Auditor.Options o = Auditor.Options.forD(d).withBatch(2).withSteps(2);
            long seed = 13;
            int kink = d < 3 ? 0 : 3 * d;
            List<AuditReport> rs = Auditor.auditProblem(K, FK, p, o, seed);
            double[] xg = GaussianSampler.forTrial(seed, 0).batch(2, d);
            double[] x = kink == 0 ? xg : NearKink.concat(xg, NearKink.batch(p.w0(), d, kink,
                    GaussianSampler.trialSeed(seed, 2), Precision.DOUBLE));
            int n = 2 + kink;
            long sgdSeed = GaussianSampler.trialSeed(seed, 1);
            // then A1 on the first 1, 2, 3 rows (those fewer than n) and A3 with batches 1 and 3 (2 is o.batch())
            List<AuditReport> expected = new java.util.ArrayList<>(Auditor.auditBatch(K, d, true, p.w0(), p.wStar(), x, n));
            for (int b = 1; b <= 3 && b < n; b++) {
                expected.addAll(Auditor.auditBatch(K, d, true, p.w0(), p.wStar(), java.util.Arrays.copyOf(x, b * d), b));
            }
            expected.addAll(Auditor.auditPopulation(K, d, true, p.w0(), p.wStar(), o.angleModel(), o.refDigits()));
            expected.add(Auditor.auditTrajectory(K, p, o, sgdSeed));
            for (int b : new int[] {1, 3}) {
                expected.add(Auditor.auditTrajectory(K, p, o.withBatch(b), GaussianSampler.trialSeed(sgdSeed, b)));
            }
            float[] wf = Matrices.toFloat(p.w0());
            float[] wsf = Matrices.toFloat(p.wStar());
            double[] xf = kink == 0 ? xg : NearKink.concat(xg, NearKink.batch(Matrices.toDouble(wf), d, kink,
                    GaussianSampler.trialSeed(seed, 2), Precision.FLOAT));
            expected.addAll(Auditor.auditBatch(FK, d, true, wf, wsf, Matrices.toFloat(xf), n));
            for (int b = 1; b <= 3 && b < n; b++) {
                expected.addAll(Auditor.auditBatch(FK, d, true, wf, wsf, Matrices.toFloat(java.util.Arrays.copyOf(xf, b * d)), b));
            }
            expected.addAll(Auditor.auditPopulation(FK, d, true, wf, wsf, o.angleModel(), o.refDigits()));
            expected.add(Auditor.auditTrajectory(FK, p, o, sgdSeed));
            for (int b : new int[] {1, 3}) {
                expected.add(Auditor.auditTrajectory(FK, p, o.withBatch(b), GaussianSampler.trialSeed(sgdSeed, b)));
            }
            assertThat(rs).as("d = %d", d).isEqualTo(expected);
            List<Integer> batches = d == 1 ? List.of(2, 1) : List.of(n, 1, 2, 3);
            List<Integer> both = new java.util.ArrayList<>(batches);
            both.addAll(batches);
            assertThat(rs.stream().filter(r -> r.quantity().equals("preActivation")).map(AuditReport::batch))
                    .containsExactlyElementsOf(both);
            assertThat(rs.stream().filter(r -> r.quantity().equals("trajectory")).map(AuditReport::batch))
                    .containsExactly(2, 1, 3, 2, 1, 3);
            assertThat(rs.stream().filter(r -> r.quantity().equals("repeatability")).count()).isEqualTo(both.size());
            // either kernel may be null
            assertThat(Auditor.auditProblem(null, FK, p, o, seed)).isEqualTo(expected.subList(expected.size() / 2, expected.size()));
            assertThat(Auditor.auditProblem(K, null, p, o, seed)).isEqualTo(expected.subList(0, expected.size() / 2));
        }
    }

    @Test
    void auditProblemWithAGivenBatchFeedsTheFloatPathTheCallersFloats() {
        // the float inputs are the caller's (here W0 rounded to float, one entry moved by one float ulp, as a direct
        // decimal-to-float rounding may do): the float batch, population and trajectory must all use them
        Problem p = Auditor.quickProblem(2, 0.5, 17, false);
        float[] wf = Matrices.toFloat(p.w0());
        wf[1] = Math.nextUp(wf[1]);
        float[] wsf = Matrices.toFloat(p.wStar());
        double[] x = GaussianSampler.forTrial(17, 0).batch(3, 2);
        float[] xf = Matrices.toFloat(x);
        Auditor.Options o = Auditor.Options.forD(2).withBatch(3).withSteps(2);
        List<AuditReport> rs = Auditor.auditProblem(K, FK, p, x, wf, wsf, xf, 3, o, 7);
        Problem pf = new Problem(2, false, Matrices.toDouble(wf), Matrices.toDouble(wsf));
        List<AuditReport> expected = new java.util.ArrayList<>(Auditor.auditBatch(K, 2, false, p.w0(), p.wStar(), x, 3));
        for (int b = 1; b <= 2; b++) {
            expected.addAll(Auditor.auditBatch(K, 2, false, p.w0(), p.wStar(), java.util.Arrays.copyOf(x, 2 * b), b));
        }
        expected.addAll(Auditor.auditPopulation(K, 2, false, p.w0(), p.wStar(), o.angleModel(), o.refDigits()));
        expected.add(Auditor.auditTrajectory(K, p, o, 7));
        for (int b = 1; b <= 2; b++) {
            expected.add(Auditor.auditTrajectory(K, p, o.withBatch(b), GaussianSampler.trialSeed(7, b)));
        }
        expected.addAll(Auditor.auditBatch(FK, 2, false, wf, wsf, xf, 3));
        for (int b = 1; b <= 2; b++) {
            expected.addAll(Auditor.auditBatch(FK, 2, false, wf, wsf, java.util.Arrays.copyOf(xf, 2 * b), b));
        }
        expected.addAll(Auditor.auditPopulation(FK, 2, false, wf, wsf, o.angleModel(), o.refDigits()));
        expected.add(Auditor.auditTrajectory(FK, pf, o, 7));
        for (int b = 1; b <= 2; b++) {
            expected.add(Auditor.auditTrajectory(FK, pf, o.withBatch(b), GaussianSampler.trialSeed(7, b)));
        }
        assertThat(rs).isEqualTo(expected);
        // the moved entry matters (the check would be vacuous otherwise)
        assertThat(rs.get(rs.size() - 3)).isEqualTo(Auditor.auditTrajectory(FK, pf, o, 7))
                .isNotEqualTo(Auditor.auditTrajectory(FK, p, o, 7));
    }
}
