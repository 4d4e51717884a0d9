package io.idrelu.claims;

import org.junit.jupiter.api.Test;

import static io.idrelu.claims.Verdict.HOLDS;
import static io.idrelu.claims.Verdict.INCONCLUSIVE;
import static io.idrelu.claims.Verdict.VIOLATED;
import static org.assertj.core.api.Assertions.assertThat;

class VerdictTest {
    @Test
    void worstRanksViolatedOverInconclusiveOverHolds() {
        for (Verdict a : Verdict.values()) {
            assertThat(a.worst(a)).isEqualTo(a);
            if (a == Verdict.NOT_APPLICABLE) {
                // below HOLDS: a part that does not apply never hides another part's verdict
                assertThat(a.worst(HOLDS)).isEqualTo(HOLDS);
                assertThat(HOLDS.worst(a)).isEqualTo(HOLDS);
                assertThat(a.worst(VIOLATED)).isEqualTo(VIOLATED);
                continue;
            }
            assertThat(a.worst(HOLDS)).isEqualTo(a);
            assertThat(HOLDS.worst(a)).isEqualTo(a);
            assertThat(a.worst(VIOLATED)).isEqualTo(VIOLATED);
            assertThat(VIOLATED.worst(a)).isEqualTo(VIOLATED);
        }
        assertThat(INCONCLUSIVE.worst(VIOLATED)).isEqualTo(VIOLATED);
        assertThat(VIOLATED.worst(INCONCLUSIVE)).isEqualTo(VIOLATED);
    }
}
