package io.idrelu.claims.setting;

import io.idrelu.claims.C11SgdContractionInExpectation;
import io.idrelu.claims.ClaimContext;
import io.idrelu.claims.ClaimResult;
import io.idrelu.claims.PaperConstants;
import io.idrelu.claims.Preset;
import io.idrelu.claims.Verdict;
import io.idrelu.kernel.ScalarKernel;
import io.idrelu.model.GaussianSampler;
import io.idrelu.setting.Architecture;
import io.idrelu.setting.NetworkKernel;
import io.idrelu.setting.Setting;
import io.idrelu.setting.SettingCatalogue;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * C11 under the seven done-when settings of issue 11 (proofs-notes/C11.md, "Under other settings"): the paper's delta
 * 0.084/pi (true units), fixed before the run, decides; negative controls (a sign-flipped step, a wrong delta) must
 * turn the verdict VIOLATED.
 */
class C11UnderSettingTest {
    private static final long SEED = 20171109L;
    /** d = 4, 60 seeds, 100 steps: enough seeds to decide HOLDS where the lemma holds with the paper's delta. */
    private static final C11SgdContractionInExpectation.Config MID =
            new C11SgdContractionInExpectation.Config(4, 0.5, 0.05, 8, 100, 60, 4, 0.99);
    /** 10 seeds, 20 steps: enough for the sign-flipped negative control. */
    private static final C11SgdContractionInExpectation.Config SHORT =
            new C11SgdContractionInExpectation.Config(4, 0.5, 0.05, 8, 20, 10, 4, 0.99);
    /** Where the paper's delta was decided HOLDS at the default preset (proofs-notes/C11.md, "Under other settings"); elsewhere INCONCLUSIVE. */
    private static final Set<String> HOLDS = Set.of("ly17", "student-t", "leaky", "gelu", "noise");
    /** 4 x the Hessian floor pi/2 - 1 (paper units): no delta above the floor can hold near W* (proofs-notes/C11.md). */
    private static final double WRONG_DELTA_PAPER = 4 * (Math.PI / 2 - 1);

    private static ClaimContext ctx(Setting s) {
        return ClaimContext.of(new ScalarKernel(), null, SEED, Preset.QUICK).withSetting(s);
    }

    /** At the quick preset C11 runs under every setting (never NOT_APPLICABLE, never an internal error) and says what ran. */
    @Test
    void runsUnderEverySettingAtQuick() {
        for (var named : SettingCatalogue.doneWhen(4)) {
            assertThat(new C11SgdContractionInExpectation().applicability(named.setting())).as(named.name()).isEmpty();
            ClaimResult r = new C11SgdContractionInExpectation().run(ctx(named.setting()));
            assertThat(r.verdict()).as(named.name() + ": " + r.details()).isIn(Verdict.HOLDS, Verdict.INCONCLUSIVE);
            assertThat(r.details().get("deltaPaperTrueUnits")).isEqualTo(0.084 / Math.PI);
            if (!named.setting().isLy17()) {
                assertThat(r.details().get("gMeasuredOn").toString()).contains("not separate seeds");
                assertThat(r.details().get("ranUnderSetting").toString())
                        .contains(named.name().equals("wine") ? "d = 13 (fixed" : "d = 4 (the preset's)");
            }
        }
    }

    /**
     * With 60 seeds the paper's delta is decided HOLDS where it holds at the default preset, and a delta 4 x the Hessian
     * floor is VIOLATED there (the check can fail for the reason the constant could be wrong); a sign-flipped step is
     * VIOLATED under every setting.
     */
    @Test
    void paperDeltaHoldsWrongDeltaAndFlippedStepViolate() {
        NetworkKernel flipped = SettingTestKernels.scaledGradient(-1);
        for (var named : SettingCatalogue.doneWhen(4)) {
            if (named.setting().isLy17()) {
                continue; // [LY17]'s own controls are in C11SgdContractionInExpectationTest
            }
            ClaimContext ctx = ctx(named.setting());
            if (HOLDS.contains(named.name())) {
                var trials = C11UnderSetting.trials(ctx, MID, new NetworkKernel());
                ClaimResult r = C11SgdContractionInExpectation.judge(ctx, MID, trials, Double.NaN, "", Map.of(), 0L);
                assertThat(r.verdict()).as(named.name() + ": " + r.details()).isEqualTo(Verdict.HOLDS);
                // the same trials judged with a delta fixed at the wrong value
                ClaimResult wrong = C11SgdContractionInExpectation.judge(ctx.withConstants(
                        PaperConstants.RECALLED.with("onePointConstant", WRONG_DELTA_PAPER)), MID, trials, Double.NaN, "",
                        Map.of(), 0L);
                assertThat(wrong.verdict()).as(named.name() + " wrong delta: " + wrong.details()).isEqualTo(Verdict.VIOLATED);
            }
            ClaimResult f = C11UnderSetting.run(ctx, SHORT, flipped);
            assertThat(f.verdict()).as(named.name() + " flipped: " + f.details()).isEqualTo(Verdict.VIOLATED);
        }
    }

    /** Under Setting.ly17(4) the setting path records the [LY17] claim's trials bit for bit (scalar kernel). */
    @Test
    void settingPathUnderLy17RecordsTheLy17Trials() {
        var c = new C11SgdContractionInExpectation.Config(4, 0.5, 0.05, 8, 40, 3, 4, 0.99);
        var viaSetting = C11UnderSetting.trials(ctx(Setting.ly17(4)), c, new NetworkKernel());
        for (int i = 0; i < c.trials(); i++) {
            var ly = C11SgdContractionInExpectation.runTrial(new ScalarKernel(), c, GaussianSampler.trialSeed(SEED, i));
            assertThat(viaSetting[i].dist2()).isEqualTo(ly.dist2());
            assertThat(viaSetting[i].dist2Next()).isEqualTo(ly.dist2Next());
            assertThat(viaSetting[i].stochGrad2()).isEqualTo(ly.stochGrad2());
            assertThat(viaSetting[i].potential()).isEqualTo(ly.potential());
            assertThat(viaSetting[i].spectral()).isEqualTo(ly.spectral());
        }
    }

    @Test
    void notApplicableToAVanillaStudent() {
        Setting vanilla = Setting.ly17(4).withArchitecture(new Architecture(4, 1, false));
        assertThat(new C11SgdContractionInExpectation().applicability(vanilla)).get().asString().contains("vanilla");
    }
}
