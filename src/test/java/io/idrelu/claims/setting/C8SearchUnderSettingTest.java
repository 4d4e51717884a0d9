package io.idrelu.claims.setting;

import io.idrelu.claims.C8OnePointStrongConvexity;
import io.idrelu.claims.ClaimResult;
import io.idrelu.claims.PaperConstants;
import io.idrelu.claims.Verdict;
import io.idrelu.kernel.ScalarKernel;
import io.idrelu.setting.OnePointEstimator;
import io.idrelu.setting.Setting;
import io.idrelu.setting.SettingCatalogue;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The adversarial search of C8 under Monte Carlo settings ({@link C8SearchUnderSetting}): the search sample and the
 * judging sample are independent (a search on the judge's own seed is refused; every found point's verdict interval is the
 * judge's, not the search's), and the search finds smaller ratios than the random pairs (so it is not decoration).
 */
class C8SearchUnderSettingTest {
    private static final double THR = PaperConstants.RECALLED.phase1Threshold();

    @Test
    void aSearchOnTheJudgesOwnSampleIsRefused() {
        Setting t = SettingCatalogue.byName("student-t", 2).setting();
        OnePointEstimator judge = OnePointEstimator.of(t, new ScalarKernel(), 5L, 4, 64, C8UnderSetting.Z);
        assertThatThrownBy(() -> C8SearchUnderSetting.searchEstimator(t, new ScalarKernel(), 5L, judge, 5L, new int[] {4, 64},
                C8UnderSetting.Z)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("independent")
                .hasMessageContaining("seed 5");
        // an exact route has no sample: search and judge are the same exact function
        Setting leaky = SettingCatalogue.byName("leaky", 2).setting();
        OnePointEstimator exact = OnePointEstimator.of(leaky, new ScalarKernel(), 5L, 4, 64, C8UnderSetting.Z);
        assertThat(C8SearchUnderSetting.searchEstimator(leaky, new ScalarKernel(), 5L, exact, 5L, new int[] {4, 64}, 1))
                .isSameAs(exact);
    }

    @Test
    void foundPointsAreJudgedOnTheIndependentSample() {
        Setting t = SettingCatalogue.byName("student-t", 2).setting();
        Map<Integer, OnePointEstimator> judges = new HashMap<>();
        Map<Integer, OnePointEstimator> searches = new HashMap<>();
        IntFunction<OnePointEstimator> judge = d -> judges.computeIfAbsent(d, dd -> OnePointEstimator.of(t.withArchitecture(
                new io.idrelu.setting.Architecture(dd, 1, true)), new ScalarKernel(), 100L + dd, 8, 256, C8UnderSetting.Z));
        IntFunction<OnePointEstimator> search = d -> searches.computeIfAbsent(d, dd -> C8SearchUnderSetting.searchEstimator(
                t.withArchitecture(new io.idrelu.setting.Architecture(dd, 1, true)), new ScalarKernel(), 200L + dd,
                judge.apply(dd), 100L + dd, new int[] {4, 128}, C8UnderSetting.Z));
        C8SearchUnderSetting.Found f = C8SearchUnderSetting.run(search, judge, 1, 3L, THR, new int[] {2}, new double[] {0.1},
                2, 20, new int[] {2}, 1, 3, new int[] {4}, m -> { });
        assertThat(f.points()).hasSizeGreaterThanOrEqualTo(3); // two searches, a descent and its embedding into d = 4
        assertThat(f.points()).anySatisfy(p -> assertThat(p.d()).isEqualTo(4));
        for (C8UnderSetting.Point p : f.points()) {
            OnePointEstimator.Ratio byJudge = judge.apply(p.d()).ratio(p.w(), p.ws());
            assertThat(p.ratio()).as(p.mode()).isEqualTo(byJudge);
            // the search's own estimate differs (another sample): the interval is not the one the minimum was selected on
            assertThat(search.apply(p.d()).value(p.w(), p.ws())).as(p.mode()).isNotEqualTo(byJudge.value());
        }
    }

    @Test
    void theSearchFindsSmallerRatiosThanTheRandomPairs() {
        // GELU at d = 2 (quick, the test's smaller sizes): random pairs stay near 1.3, the descent reaches far lower
        Setting gelu = SettingCatalogue.byName("gelu", 2).setting();
        ClaimResult r = new C8OnePointStrongConvexity(C8UnderSettingTest.SMALL).run(C8UnderSettingTest.ctx(gelu,
                PaperConstants.RECALLED));
        @SuppressWarnings("unchecked")
        List<String> searched = (List<String>) r.details().get("searchedPoints");
        System.out.println("GELU quick (small): " + r.verdict() + " " + r.details().get("smallestRatioInterval") + " "
                + r.details().get("smallestRatioWitness") + "\n  " + String.join("\n  ", searched));
        assertThat(searched).isNotEmpty();
        assertThat(r.verdict()).isEqualTo(Verdict.HOLDS);
        assertThat((String) r.details().get("smallestRatioWitness")).containsAnyOf("mode=search", "mode=descent");
        // control: the same run without the searches (random pairs only, same draws) stays above the searched minimum
        ClaimResult noSearch = new C8OnePointStrongConvexity(new C8OnePointStrongConvexity.Config(new int[] {2},
                new double[] {0.05, 0.1, 0.5}, 0.1, 8, 0, 0, 30, new int[0], 0, 0, new int[0]))
                .run(C8UnderSettingTest.ctx(gelu, PaperConstants.RECALLED));
        assertThat((double) r.details().get("smallestRatio")).isLessThan((double) noSearch.details().get("smallestRatio"));
    }
}
