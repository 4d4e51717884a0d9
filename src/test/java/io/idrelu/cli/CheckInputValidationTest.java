package io.idrelu.cli;

import io.idrelu.claims.PaperConstants;
import io.idrelu.report.ClaimCatalogue;
import io.idrelu.report.FakeClaims;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12: {@code --constant} values of the wrong type or range and malformed {@code --claims} lists are
 * refused with exit 2 before any file, naming the value; controls: the valid neighbours run.
 */
class CheckInputValidationTest {
    @TempDir
    Path tmp;

    @BeforeEach
    void fakes() {
        FakeClaims.reset();
        CheckCommand.catalogue = FakeClaims.catalogue(FakeClaims.holding());
    }

    @AfterEach
    void registry() {
        CheckCommand.catalogue = ClaimCatalogue.REGISTRY;
    }

    private CliRun check(String... more) {
        List<String> a = new ArrayList<>(List.of("check", "--preset", "quick", "--kernel", "scalar", "--threads", "1",
                "--out", tmp.resolve("r").toString()));
        a.addAll(List.of(more));
        return CliRun.of(a.toArray(String[]::new));
    }

    private void assertUsage(CliRun r, String... expected) {
        assertThat(r.exit()).as(r.err()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().strip().lines().count()).as(r.err()).isEqualTo(1);
        assertThat(r.err()).contains(expected).doesNotContain("\tat ");
        assertThat(tmp.resolve("r")).doesNotExist();
        assertThat(FakeClaims.RUN_COUNT.get()).isZero();
    }

    @Test
    void constantsAreCheckedForTypeAndRange() {
        assertUsage(check("--constant", "minD=1.5"), "minD = 1.5", "expected an integer 1 <= minD <= 4096");
        assertUsage(check("--constant", "minD=0"), "minD = 0", "expected an integer");
        assertUsage(check("--constant", "minD=100000"), "expected an integer 1 <= minD <= 4096");
        assertUsage(check("--constant", "minD=NaN"), "'NaN' is not a number");
        assertUsage(check("--constant", "onePointConstant=Infinity"), "'Infinity' is not a number");
        assertUsage(check("--constant", "phase1StepFactor=0x1p-4"), "is not a number");
        assertUsage(check("--constant", "phase1Threshold=197d"), "is not a number");
        assertUsage(check("--constant", "phase1Threshold=0"), "phase1Threshold = 0.0", "expected a finite number > 0");
        assertUsage(check("--constant", "onePointConstant=1e400"), "expected a finite number > 0");
        // controls: the valid neighbours are accepted and recorded
        assertThat(PaperConstants.RECALLED.with("minD", 7).minD()).isEqualTo(7);
        assertThat(PaperConstants.RECALLED.with("minD", 1e2).minD()).isEqualTo(100);
        CliRun ok = check("--claims", "F2", "--constant", "minD=2", "--constant", "phase1StepFactor=0.0625");
        assertThat(ok.exit()).as(ok.err()).isZero();
    }

    @Test
    void claimListsAreCheckedForEmptinessDuplicatesAndUnknownIds() {
        assertUsage(check("--claims", ""), "--claims ''", "expected a comma-separated list of claim IDs from F1..F5");
        assertUsage(check("--claims", ","), "expected a comma-separated list of claim IDs from F1..F5");
        assertUsage(check("--claims", "F1,,F2"), "--claims 'F1,,F2' has an empty entry");
        assertUsage(check("--claims", "F1,F1"), "claim F1 is given twice");
        assertUsage(check("--claims", "F2,f2"), "claim F2 is given twice");
        assertUsage(check("--claims", "F1,C99"), "unknown claim 'C99'", "F1,F2,F3,F4,F5");
        CliRun ok = check("--claims", "F2, F1");
        assertThat(ok.exit()).as(ok.err()).isZero();
        assertThat(FakeClaims.runs("F1") + FakeClaims.runs("F2")).isEqualTo(2);
    }

    @Test
    void idRangesOfTheRealRegistry() {
        assertThat(CheckCommand.idRanges(ClaimCatalogue.REGISTRY.ids())).isEqualTo("C1..C14, A1..A3");
        assertThat(CheckCommand.idRanges(List.of("C1", "C3", "C4", "X"))).isEqualTo("C1, C3..C4, X");
        assertThat(CheckCommand.idRanges(List.of())).isEqualTo("(none registered)");
    }
}
