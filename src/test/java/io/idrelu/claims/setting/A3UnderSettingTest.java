package io.idrelu.claims.setting;

import io.idrelu.claims.A3TrajectoryAgreement;
import io.idrelu.claims.ClaimContext;
import io.idrelu.claims.ClaimResult;
import io.idrelu.claims.Preset;
import io.idrelu.claims.Verdict;
import io.idrelu.kernel.ScalarKernel;
import io.idrelu.setting.Activation;
import io.idrelu.setting.Architecture;
import io.idrelu.setting.FastValues;
import io.idrelu.setting.InputSampler;
import io.idrelu.setting.Setting;
import io.idrelu.setting.SettingProblem;
import io.idrelu.setting.NetworkKernel;
import io.idrelu.setting.SettingCatalogue;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A3 under the seven settings of issue 11 (quick preset): runs, HOLDS, and a perturbed fast path is caught. */
class A3UnderSettingTest {

    private static ClaimContext ctx(SettingCatalogue.Named n) {
        return ClaimContext.of(new ScalarKernel(), null, 42L, Preset.QUICK).withSetting(n.setting());
    }

    /** The fast path with the last block's gradient scaled by {@code 1 + 1e-9} (a perturbed fast step). */
    static final class PerturbedKernel extends NetworkKernel {
        @Override
        public FastValues evaluate(Architecture arch, Activation act, List<double[]> w, List<double[]> wStar,
                                   double[] x, int batch, double[] noise) {
            FastValues v = super.evaluate(arch, act, w, wStar, x, batch, noise);
            double[] g = v.gradients().get(v.gradients().size() - 1);
            for (int i = 0; i < g.length; i++) {
                g[i] *= 1 + 1e-9;
            }
            return v;
        }
    }

    @Test
    void holdsUnderEverySetting() {
        for (SettingCatalogue.Named n : SettingCatalogue.doneWhen(3)) {
            var claim = new A3TrajectoryAgreement();
            assertThat(claim.applicability(n.setting())).as(n.name()).isEmpty();
            ClaimResult r = claim.run(ctx(n));
            System.out.printf("A3 %-9s %s ratio %.3g (%.1f s) %s%n", n.name(), r.verdict(), r.measured(), r.seconds(), r.reason());
            // blocks3 too since the deep step bound (DeepStepBound, NetworkBounds.pieceKnown; before: INCONCLUSIVE,
            // the envelope void in 2 of 4 trajectories at QUICK)
            assertThat(r.verdict()).as(n.name() + ": " + r.reason()).isEqualTo(Verdict.HOLDS);
            assertThat(r.measured()).as(n.name()).isGreaterThan(0).isLessThanOrEqualTo(1);
            if (n.setting().isLy17()) {
                continue;
            }
            // coverage: the preset's batch and the small batches 1, 2, 3 each ran one trajectory, at the setting's d
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> rows = (List<Map<String, Object>>) r.details().get("trajectories");
            assertThat(rows).extracting(m -> m.get("batch")).containsExactly(16, 1, 2, 3);
            assertThat(rows).allMatch(m -> m.get("d").equals(n.setting().d() == 13 ? 13 : 3));
            assertThat(rows).allMatch(m -> m.get("blocks").equals(n.setting().architecture().blocks()));
            // the outcome was judged on both paths, and a smooth activation carries the reference's 10^-30
            assertThat(rows).allMatch(m -> m.containsKey("heldOutLossReference") && m.containsKey("sqrtLossBand"));
            assertThat(rows.get(0).get("referenceDigits").toString())
                    .contains(n.setting().activation().piecewiseLinear() ? "exact" : "30 digits");
        }
    }

    /** Negative control under every setting: the fast step perturbed by 1e-9 relative leaves the envelope at once. */
    @Test
    void aPerturbedFastStepIsCaughtUnderEverySetting() {
        for (SettingCatalogue.Named n : SettingCatalogue.doneWhen(3)) {
            Setting s = n.setting();
            InputSampler sampler = InputSampler.of(s.inputs(), s.d());
            SettingProblem p = SettingProblem.random(s, 5L);
            var ok = SettingTrajectoryAudit.run(s, sampler, new NetworkKernel(), s.activation(), p, 5L, 1, 4, 4, 0.02);
            var bad = SettingTrajectoryAudit.run(s, sampler, new PerturbedKernel(), s.activation(), p, 5L, 1, 4, 4, 0.02);
            System.out.printf("A3 %-9s 4 steps: unperturbed ratio %.3g, perturbed %.3g%n", n.name(), ok.maxRatio(), bad.maxRatio());
            assertThat(ok.passed()).as(n.name()).isTrue();
            assertThat(bad.passed()).as(n.name()).isFalse();
            assertThat(bad.violations()).as(n.name()).isPositive();
        }
    }

    /**
     * The fast path under blocks3 with block {@code k}'s gradient scaled by {@code 1 + rel} ({@code rel = -1}: block k's
     * update is dropped).
     */
    static final class BlockGradientKernel extends NetworkKernel {
        private final int block;
        private final double rel;

        BlockGradientKernel(int block, double rel) {
            this.block = block;
            this.rel = rel;
        }

        @Override
        public FastValues evaluate(Architecture arch, Activation act, List<double[]> w, List<double[]> wStar,
                                   double[] x, int batch, double[] noise) {
            FastValues v = super.evaluate(arch, act, w, wStar, x, batch, noise);
            double[] g = v.gradients().get(block - 1);
            for (int i = 0; i < g.length; i++) {
                g[i] *= 1 + rel;
            }
            return v;
        }
    }

    /**
     * Negative controls of the deep envelope (blocks3, QUICK): a fast path that drops block 2's update, and one whose
     * block-1 gradient is off by 1e-9 relative (the block farthest from the output, whose error the envelope must
     * carry through two blocks), are VIOLATED; the unperturbed path HOLDS (holdsUnderEverySetting).
     */
    @Test
    void aDeepFastPathWithAWrongBlockIsCaught() {
        var b3 = SettingCatalogue.byName("blocks3", 3);
        ClaimResult dropped = A3UnderSetting.run(ctx(b3), new BlockGradientKernel(2, -1), null);
        ClaimResult perturbed = A3UnderSetting.run(ctx(b3), new BlockGradientKernel(1, 1e-9), null);
        System.out.printf("A3 blocks3 block 2 dropped: %s ratio %.3g; block 1 gradient +1e-9: %s ratio %.3g%n",
                dropped.verdict(), dropped.measured(), perturbed.verdict(), perturbed.measured());
        assertThat(dropped.verdict()).isEqualTo(Verdict.VIOLATED);
        assertThat(perturbed.verdict()).isEqualTo(Verdict.VIOLATED);
    }

    /** Negative control: the fast path's leaky slope off by 1e-9 leaves the envelope. */
    @Test
    void aSlopeOffBy1e9IsCaught() {
        var leaky = SettingCatalogue.byName("leaky", 3);
        ClaimResult bad = A3UnderSetting.run(ctx(leaky), new NetworkKernel(), new Activation.LeakyRelu(0.1 + 1e-9));
        System.out.printf("A3 leaky slope+1e-9: %s ratio %.3g%n", bad.verdict(), bad.measured());
        assertThat(bad.verdict()).isEqualTo(Verdict.VIOLATED);
    }
}
