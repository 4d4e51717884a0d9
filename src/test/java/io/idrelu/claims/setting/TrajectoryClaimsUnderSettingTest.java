package io.idrelu.claims.setting;

import io.idrelu.claims.C10IteratesStayInRegion;
import io.idrelu.claims.C13IdentityVersusVanilla;
import io.idrelu.claims.ClaimContext;
import io.idrelu.claims.ClaimResult;
import io.idrelu.claims.Preset;
import io.idrelu.claims.Verdict;
import io.idrelu.kernel.ScalarKernel;
import io.idrelu.setting.SettingCatalogue;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** C10 and C13 under the seven settings of issue 11 (quick preset), with negative controls and coverage. */
class TrajectoryClaimsUnderSettingTest {

    private static ClaimContext ctx(SettingCatalogue.Named n) {
        return ClaimContext.of(new ScalarKernel(), null, 42L, Preset.QUICK).withSetting(n.setting());
    }

    @Test
    void c10RunsUnderEverySettingAndATooLargeStepLeavesTheRegion() {
        List<Double> ratios = new ArrayList<>();
        for (SettingCatalogue.Named n : SettingCatalogue.doneWhen(4)) {
            var claim = new C10IteratesStayInRegion();
            assertThat(claim.applicability(n.setting())).as(n.name()).isEmpty();
            ClaimResult r = claim.run(ctx(n));
            System.out.printf("C10 %-9s %s max ratio %.4g after start %s (%.1f s) %s%n", n.name(), r.verdict(), r.measured(),
                    r.details().get("maxRatioAfterStart"), r.seconds(), r.reason());
            assertThat(r.verdict()).as(n.name()).isIn(Verdict.HOLDS, Verdict.VIOLATED);
            // coverage: t = 0 is observed (||W0_k||_2 = gamma_0, ratio 1)
            assertThat(r.measured()).as(n.name()).isGreaterThanOrEqualTo(1 - 1e-12);
            ratios.add(r.measured());
            // negative control: eta = 40/d, ten times the GD stability limit 4/d, must leave the region (as the [LY17] test)
            var bad = new C10IteratesStayInRegion.Config(4, 0.5, 40.0 / 4, 8, 150, 1, 5, 2.0);
            ClaimResult rb = new C10IteratesStayInRegion(bad).run(ctx(n));
            assertThat(rb.verdict()).as(n.name() + " eta = 10").isEqualTo(Verdict.VIOLATED);
            assertThat(rb.measured()).isGreaterThan(2.0);
        }
        // coverage: some trajectories leave the gamma_0 ball (the region must be larger than the start ball)
        assertThat(ratios).anyMatch(x -> x > 1 + 1e-9);
    }

    @Test
    void c13RunsUnderEverySettingAndSwappedMappingsAreCaught() {
        for (SettingCatalogue.Named n : SettingCatalogue.doneWhen(4)) {
            // the quick preset's sizes with 2 of its 4 seeds (test time; the 4-seed verdicts are in proofs-notes/C13.md)
            var q = C13IdentityVersusVanilla.Config.forPreset(Preset.QUICK);
            var claim = new C13IdentityVersusVanilla(new C13IdentityVersusVanilla.Config(q.d(), q.gamma(), q.eta(), q.batch(),
                    q.steps(), 2, q.epsLoss(), q.envelopeSteps(), q.exactD(), q.exactBatch(), q.exactSteps(), false));
            assertThat(claim.applicability(n.setting())).as(n.name()).isEmpty();
            ClaimResult r = claim.run(ctx(n));
            System.out.printf("C13 %-9s %s (%.1f s) %s | id %s | van %s | exact %s | fast %s%n", n.name(), r.verdict(),
                    r.seconds(), r.reason(), r.details().get("identityFinalLosses"), r.details().get("vanillaFinalLosses"),
                    r.details().get("exactIdentical"), r.details().get("fastMaxDivergence"));
            assertThat(r.verdict()).as(n.name()).isNotEqualTo(Verdict.NOT_APPLICABLE);
            // known: vanilla from I + W0 reproduces identity exactly, and identity makes progress from W0
            assertThat(r.details().get("exactVerdict")).as(n.name()).isEqualTo("HOLDS");
            assertThat(r.details().get("identityNoProgress").toString()).as(n.name()).startsWith("0 of");
            if (!n.setting().isLy17()) {
                // negative control: mappings swapped (the reproducing run starts at W0, the "identity" run is vanilla)
                var c = C13IdentityVersusVanilla.Config.forPreset(Preset.QUICK);
                var swapped = new C13IdentityVersusVanilla.Config(c.d(), c.gamma(), c.eta(), c.batch(), 300, 1,
                        c.epsLoss(), 50, c.exactD(), c.exactBatch(), 2, true);
                ClaimResult rs = new C13IdentityVersusVanilla(swapped).run(ctx(n));
                assertThat(rs.details().get("exactVerdict")).as(n.name() + " swapped").isEqualTo("VIOLATED");
                assertThat(rs.verdict()).as(n.name() + " swapped").isEqualTo(Verdict.VIOLATED);
            }
        }
    }

    /** C13 under a setting runs its trials on the check's threads: the same result for K = 1 and 3 (leaky, wine). */
    @Test
    void c13UnderASettingIsTheSameOnAnyNumberOfThreads() {
        var q = C13IdentityVersusVanilla.Config.forPreset(Preset.QUICK);
        var claim = new C13IdentityVersusVanilla(new C13IdentityVersusVanilla.Config(q.d(), q.gamma(), q.eta(), q.batch(),
                300, 3, q.epsLoss(), 50, q.exactD(), q.exactBatch(), 2, false));
        for (String name : new String[] {"leaky", "wine"}) {
            ClaimContext one = ctx(SettingCatalogue.byName(name, 4));
            ClaimResult r1 = claim.run(one);
            ClaimResult r3 = claim.run(one.withThreads(3));
            assertThat(r3.verdict()).as(name).isEqualTo(r1.verdict());
            assertThat(r3.details().toString().replaceAll("seconds[^,}]*", "")).as(name)
                    .isEqualTo(r1.details().toString().replaceAll("seconds[^,}]*", ""));
        }
    }
}
