package io.idrelu.claims.setting;

import io.idrelu.claims.C4ZeroLossOnlyAtTeacher;
import io.idrelu.claims.ClaimContext;
import io.idrelu.claims.ClaimResult;
import io.idrelu.claims.Preset;
import io.idrelu.claims.Verdict;
import io.idrelu.kernel.ScalarFloatKernel;
import io.idrelu.kernel.ScalarKernel;
import io.idrelu.setting.Architecture;
import io.idrelu.setting.InputLaw;
import io.idrelu.setting.Setting;
import io.idrelu.setting.SettingCatalogue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * C4 under the done-when settings (quick): the loss is smallest at the teacher and strictly larger in every direction
 * tried, decided exactly (full support for the data set and Rademacher). Negative controls: inputs that cannot tell W
 * from W* (an all-zero data set; Rademacher with d = 1 under a vanilla student whose unit is dead on both points is not
 * needed) make it VIOLATED with the direction as witness.
 */
class C4UnderSettingTest {
    @TempDir
    Path tmp;

    private static final C4ZeroLossOnlyAtTeacher C4 = new C4ZeroLossOnlyAtTeacher();

    private static ClaimContext ctx(Setting s) {
        return ClaimContext.of(new ScalarKernel(), new ScalarFloatKernel(), 20170524L, Preset.QUICK).withSetting(s);
    }

    @Test
    void holdsUnderEveryDoneWhenSetting() {
        for (SettingCatalogue.Named n : SettingCatalogue.doneWhen(8)) {
            assertThat(C4.applicability(n.setting())).as(n.name()).isEmpty();
            if (n.setting().isLy17()) {
                continue;
            }
            ClaimResult r = C4.run(ctx(n.setting()));
            System.out.printf("C4 under %s: %s, min excess/|W-W*|^2 = %.3g (true units) over %d directions, %s, %.1f s%n", n.name(),
                    r.verdict(), r.measured(), r.trials(), r.details().get("support"), r.seconds());
            assertThat(r.verdict()).as(n.name() + ": " + r.reason()).isEqualTo(Verdict.HOLDS);
            assertThat(r.measured()).as(n.name()).isGreaterThan(0);
            assertThat(r.trials()).isEqualTo(n.name().equals("wine") ? 6 : 12);
        }
        // a finite law decided on its whole support, and a vanilla student (zero at I + W*)
        ClaimResult rad = C4.run(ctx(Setting.ly17(8).withInputs(new InputLaw.Rademacher()).withArchitecture(new Architecture(8, 2, false))));
        assertThat(rad.verdict()).as(rad.reason()).isEqualTo(Verdict.HOLDS);
        assertThat((String) rad.details().get("support")).contains("all 2^3 sign vectors");
    }

    @Test
    void dataThatCannotTellWFromTheTeacherIsViolated() throws IOException {
        Path zeros = Files.writeString(tmp.resolve("zeros.csv"), "a,b\n0,0\n0,0\n0,0\n");
        Setting s = Setting.ly17(2).withInputs(new InputLaw.DataSet(zeros.toString(), false, false));
        ClaimResult r = C4.run(ctx(s));
        assertThat(r.verdict()).isEqualTo(Verdict.VIOLATED);
        assertThat(r.reason()).contains("f(x, W* + s D) = f(x, W*) on all 3 rows");
        assertThat(r.worst().config()).containsKeys("d", "direction", "s", "setting");
        // control: one informative row suffices
        Path one = Files.writeString(tmp.resolve("one.csv"), "a,b\n0,0\n0,0\n1,-0.5\n");
        assertThat(C4.run(ctx(Setting.ly17(2).withInputs(new InputLaw.DataSet(one.toString(), false, false)))).verdict())
                .isEqualTo(Verdict.HOLDS);
    }
}
