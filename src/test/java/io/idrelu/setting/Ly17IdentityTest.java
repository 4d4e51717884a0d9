package io.idrelu.setting;

import io.idrelu.kernel.ScalarKernel;
import io.idrelu.model.GaussianSampler;
import io.idrelu.model.Problem;
import io.idrelu.reference.BatchValues;
import io.idrelu.reference.ExactBatch;
import io.idrelu.setting.reference.ExactNetwork;
import io.idrelu.setting.reference.NetworkValues;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

/**
 * {@code Setting.ly17} reduces exactly to today's code (issue 11: "bit-identical results"): problem generation,
 * sampling, the exact reference with {@code blocks = 1} and the scalar fast path.
 */
class Ly17IdentityTest {

    @Test
    void problemAndSamplesAreTodays() {
        qt().withExamples(20).forAll(integers().between(1, 12), longs().all(), booleans().all()).checkAssert((d, seed, id) -> {
            Setting s = Setting.ly17(d, 0.3).withArchitecture(new Architecture(d, 1, id));
            SettingProblem sp = SettingProblem.random(s, seed);
            Problem p = Problem.random(d, 0.3, seed, id);
            assertThat(sp.w0().get(0)).isEqualTo(p.w0());
            assertThat(sp.wStar().get(0)).isEqualTo(p.wStar());
            double[] x = InputSampler.of(s.inputs(), d).forTrial(seed, 3).batch(7);
            assertThat(x).isEqualTo(GaussianSampler.forTrial(seed, 3).batch(7, d));
        });
        // negative control: another seed gives other weights
        assertThat(SettingProblem.random(Setting.ly17(4), 1).w0().get(0)).isNotEqualTo(Problem.random(4, 0.3, 2, true).w0());
    }

    @Test
    void oneBlockReluReferenceIsExactBatch() {
        qt().withExamples(25).forAll(integers().between(1, 7), integers().between(1, 9), longs().all(), booleans().all())
                .checkAssert((d, batch, seed, id) -> {
                    Setting s = Setting.ly17(d).withArchitecture(new Architecture(d, 1, id));
                    SettingProblem sp = SettingProblem.random(s, seed);
                    double[] x = InputSampler.of(s.inputs(), d).stream(seed).batch(batch);
                    NetworkValues v = new ExactNetwork(s.architecture(), s.activation(), 0)
                            .evaluate(ExactNetwork.exact(sp.w0(), d), ExactNetwork.exact(sp.wStar(), d), ExactNetwork.exact(x, batch, d), null);
                    BatchValues e = ExactBatch.evaluate(id, ExactNetwork.exact(sp.w0().get(0), d, d),
                            ExactNetwork.exact(sp.wStar().get(0), d, d), ExactNetwork.exact(x, batch, d));
                    for (int b = 0; b < batch; b++) {
                        assertThat(v.outputs()[b]).isEqualByComparingTo(e.outputs()[b]);
                        assertThat(v.teacherOutputs()[b]).isEqualByComparingTo(e.teacherOutputs()[b]);
                        assertThat(v.residuals()[b]).isEqualByComparingTo(e.residuals()[b]);
                    }
                    assertThat(v.sumOfSquares()).isEqualByComparingTo(e.sumOfSquares());
                    for (int r = 0; r < d; r++) {
                        for (int j = 0; j < d; j++) {
                            assertThat(v.gradientSums().get(0)[r][j]).isEqualByComparingTo(e.gradientSum()[r][j]);
                        }
                    }
                });
    }

    @Test
    void oneBlockReluFastPathIsScalarKernelBitForBit() {
        ScalarKernel scalar = new ScalarKernel();
        qt().withExamples(40).forAll(integers().between(1, 20), integers().between(1, 17), longs().all(), booleans().all())
                .checkAssert((d, batch, seed, id) -> {
                    Setting s = Setting.ly17(d).withArchitecture(new Architecture(d, 1, id));
                    SettingProblem sp = SettingProblem.random(s, seed);
                    double[] x = InputSampler.of(s.inputs(), d).stream(seed).batch(batch);
                    FastValues f = new NetworkKernel().evaluate(s.architecture(), s.activation(), sp.w0(), sp.wStar(), x, batch, null);
                    double[] res = new double[batch];
                    double[] grad = new double[d * d];
                    double loss = scalar.lossAndGradient(d, id, sp.w0().get(0), sp.wStar().get(0), x, batch, res, grad);
                    assertThat(Double.doubleToRawLongBits(f.loss())).isEqualTo(Double.doubleToRawLongBits(loss));
                    assertThat(f.residuals()).isEqualTo(res);
                    assertThat(f.gradients().get(0)).isEqualTo(grad);
                    double[] out = new double[batch];
                    scalar.forward(d, id, sp.w0().get(0), x, batch, out);
                    assertThat(f.outputs()).isEqualTo(out);
                });
    }

    @Test
    void aDroppedIdentityTermIsNoticed() {
        int d = 5;
        Setting s = Setting.ly17(d);
        SettingProblem sp = SettingProblem.random(s, 7);
        double[] x = InputSampler.of(s.inputs(), d).stream(7).batch(6);
        FastValues good = new NetworkKernel().evaluate(s.architecture(), s.activation(), sp.w0(), sp.wStar(), x, 6, null);
        FastValues bad = new NetworkKernel(NetworkKernel.Mutation.DROP_IDENTITY).evaluate(s.architecture(), s.activation(), sp.w0(), sp.wStar(), x, 6, null);
        assertThat(bad.loss()).isNotEqualTo(good.loss());
    }

    static BigDecimal[][] exact(double[] m, int d) {
        return ExactNetwork.exact(m, d, d);
    }

    static List<BigDecimal[][]> exact(List<double[]> m, int d) {
        return ExactNetwork.exact(m, d);
    }
}
