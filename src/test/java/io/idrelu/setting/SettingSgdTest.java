package io.idrelu.setting;

import io.idrelu.kernel.Kernel;
import io.idrelu.kernel.ScalarKernel;
import io.idrelu.model.GaussianSampler;
import io.idrelu.model.Problem;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SettingSgdTest {

    /** Under Setting.ly17(d) the setting driver is today's scalar SGD bit for bit (same rows, same update). */
    @Test
    void ly17IsTodaysScalarSgdBitForBit() {
        int d = 5;
        int batch = 7;
        double eta = 0.05;
        long seed = 20171109L;
        Setting s = Setting.ly17(d);
        SettingProblem sp = SettingProblem.random(s, seed);
        Problem p = Problem.random(d, 0.3, seed, true);
        double[] w = p.w0();
        Kernel k = new ScalarKernel();
        Kernel.Scratch scratch = k.newScratch(d, batch);
        GaussianSampler g = GaussianSampler.forTrial(seed, 3);
        for (int t = 0; t < 40; t++) {
            k.sgdStep(d, true, w, p.wStar(), g.batch(batch, d), batch, eta, scratch);
        }
        List<double[]> out = new SettingSgd(s, new NetworkKernel()).run(sp, seed, 3, 40, batch, eta, null);
        assertThat(out.get(0)).isEqualTo(w);
    }

    /** Negative control: a different step size (or trial) gives different weights, so the equality above can fail. */
    @Test
    void anotherTrialOrStepSizeDiffers() {
        Setting s = Setting.ly17(4);
        SettingProblem sp = SettingProblem.random(s, 7L);
        SettingSgd sgd = new SettingSgd(s, new NetworkKernel());
        double[] a = sgd.run(sp, 7L, 0, 10, 3, 0.05, null).get(0);
        assertThat(sgd.run(sp, 7L, 1, 10, 3, 0.05, null).get(0)).isNotEqualTo(a);
        assertThat(sgd.run(sp, 7L, 0, 10, 3, 0.0500001, null).get(0)).isNotEqualTo(a);
    }

    /** Label noise enters the residual: with noise the trajectory differs, and stopping early is honoured. */
    @Test
    void noiseChangesTheTrajectoryAndObserverStops() {
        Setting s = Setting.ly17(3).withLabels(new LabelModel.GaussianNoise(0.5));
        SettingProblem sp = SettingProblem.random(s, 11L);
        double[] noisy = new SettingSgd(s, new NetworkKernel()).run(sp, 11L, 0, 5, 4, 0.05, null).get(0);
        Setting clean = Setting.ly17(3);
        double[] plain = new SettingSgd(clean, new NetworkKernel())
                .run(SettingProblem.random(clean, 11L), 11L, 0, 5, 4, 0.05, null).get(0);
        assertThat(noisy).isNotEqualTo(plain);
        int[] seen = {0};
        new SettingSgd(s, new NetworkKernel()).run(sp, 11L, 0, 100, 4, 0.05, (t, w, v) -> ++seen[0] < 3);
        assertThat(seen[0]).isEqualTo(3);
    }
}
