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
    void holdsUnderEverySettingAndAPerturbedStepIsCaught() {
        long candidates = 0;
        for (SettingCatalogue.Named n : SettingCatalogue.doneWhen(3)) {
            var claim = new A3TrajectoryAgreement();
            assertThat(claim.applicability(n.setting())).as(n.name()).isEmpty();
            ClaimResult r = claim.run(ctx(n));
            System.out.printf("A3 %-9s %s ratio %.3g (%.1f s)%n", n.name(), r.verdict(), r.measured(), r.seconds());
            assertThat(r.verdict()).as(n.name() + ": " + r.reason()).isEqualTo(Verdict.HOLDS);
            assertThat(r.measured()).as(n.name()).isGreaterThan(0).isLessThanOrEqualTo(1);
            if (!n.setting().isLy17()) {
                candidates += ((Number) r.details().get("patternCandidates")).longValue();
                ClaimResult bad = A3UnderSetting.run(ctx(n), new PerturbedKernel(), null);
                System.out.printf("A3 %-9s perturbed: %s ratio %.3g%n", n.name(), bad.verdict(), bad.measured());
                assertThat(bad.verdict()).as(n.name() + " perturbed").isEqualTo(Verdict.VIOLATED);
            }
        }
        System.out.println("pattern candidates " + candidates);
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
