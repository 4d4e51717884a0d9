package io.idrelu.setting.reference;

import io.idrelu.model.GaussianSampler;
import io.idrelu.model.Matrices;
import io.idrelu.reference.ReferenceSgd;
import io.idrelu.reference.SgdStep;
import io.idrelu.setting.Activation;
import io.idrelu.setting.InputSampler;
import io.idrelu.setting.LabelModel;
import io.idrelu.setting.Setting;
import io.idrelu.setting.SettingProblem;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The reference SGD under a setting keeps today's ReferenceSgd contract and SettingSgd's sample stream. */
class ReferenceSettingSgdTest {

    private static boolean same(BigDecimal[][] a, BigDecimal[][] b) {
        for (int r = 0; r < a.length; r++) {
            for (int j = 0; j < a.length; j++) {
                if (a[r][j].compareTo(b[r][j]) != 0) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Under Setting.ly17(d): the same iterates and rounding errors as ReferenceSgd on SettingSgd's rows (B = 6, not 2^a 5^b). */
    @Test
    void ly17EqualsTodaysReferenceSgd() {
        int d = 3;
        int batch = 6;
        double eta = 0.05;
        long seed = 99L;
        Setting s = Setting.ly17(d);
        SettingProblem p = SettingProblem.random(s, seed);
        MathContext mc = new MathContext(34);
        BigDecimal[][] w = Matrices.exact(p.w0().get(0), d);
        BigDecimal[][] ws = Matrices.exact(p.wStar().get(0), d);
        GaussianSampler g = GaussianSampler.forTrial(seed, 2);
        BigDecimal[][][] expected = new BigDecimal[5][][];
        BigDecimal[] errors = new BigDecimal[5];
        for (int t = 0; t < 5; t++) {
            SgdStep st = ReferenceSgd.step(true, w, ws, Matrices.exactRows(g.batch(batch, d), batch, d), ReferenceSgd.eta(eta), mc);
            w = st.next();
            expected[t] = w;
            errors[t] = st.maxRoundingError();
        }
        ReferenceSettingSgd ref = new ReferenceSettingSgd(s, InputSampler.of(s.inputs(), d), 30);
        int[] seen = {0};
        List<BigDecimal[][]> out = ref.run(p, seed, 2, 5, batch, eta, mc, (t, st) -> {
            assertThat(same(st.next().get(0), expected[t])).as("step " + t).isTrue();
            assertThat(st.maxRoundingError().compareTo(errors[t])).isZero();
            seen[0]++;
            return true;
        });
        assertThat(seen[0]).isEqualTo(5);
        assertThat(errors[4].signum()).isPositive(); // coverage: the update did round
        // negative control: another trial (other rows) gives other iterates
        List<BigDecimal[][]> other = ref.run(p, seed, 3, 5, batch, eta, mc, null);
        assertThat(same(other.get(0), out.get(0))).isFalse();
    }

    /** Label noise is drawn after the rows from the same stream, as SettingSgd: with noise the iterates differ. */
    @Test
    void noiseEntersTheResidual() {
        Setting clean = Setting.ly17(3).withActivation(new Activation.LeakyRelu(0.1));
        Setting noisy = clean.withLabels(new LabelModel.GaussianNoise(0.1));
        SettingProblem p = SettingProblem.random(clean, 4L);
        MathContext mc = new MathContext(34);
        var a = new ReferenceSettingSgd(clean, InputSampler.of(clean.inputs(), 3), 30).run(p, 4L, 0, 3, 4, 0.05, mc, null);
        var b = new ReferenceSettingSgd(noisy, InputSampler.of(noisy.inputs(), 3), 30)
                .run(new SettingProblem(noisy, p.w0(), p.wStar()), 4L, 0, 3, 4, 0.05, mc, null);
        assertThat(same(a.get(0), b.get(0))).isFalse();
    }
}
