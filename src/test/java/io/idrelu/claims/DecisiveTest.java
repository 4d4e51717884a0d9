package io.idrelu.claims;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The decisive line of a table row states a true comparison: the claim's relation when the measured value satisfies
 * it, its negation when it does not (issue 11: a VIOLATED or INCONCLUSIVE row must not show a passing-looking
 * inequality such as {@code -0.2108 > 0.084}).
 */
class DecisiveTest {

    @Test
    void aSatisfiedRelationIsPrintedAsStated() {
        assertThat(Decisive.of("min ratio", 0.5152, ">", 0.084, Units.PAPER).comparison()).isEqualTo("0.5152 > 0.084 (paper)");
        assertThat(Decisive.of("err/bound", 0.25, "<=", 1, Units.NONE).comparison()).isEqualTo("0.25 <= 1");
        assertThat(Decisive.within("p", 1.0, 0.75, 1.5, Units.NONE).comparison()).isEqualTo("1 in [0.75, 1.5]");
    }

    /** Control for each relation: the measured value on the wrong side prints the negation. */
    @Test
    void anUnsatisfiedRelationIsPrintedNegated() {
        assertThat(Decisive.of("ratio", -0.2108, ">", 0.084, Units.PAPER).comparison()).isEqualTo("-0.2108 <= 0.084 (paper)");
        assertThat(Decisive.of("ratio", 0.084, ">", 0.084, Units.NONE).comparison()).isEqualTo("0.084 <= 0.084");
        assertThat(Decisive.of("ratio", 0.05, ">=", 0.084, Units.NONE).comparison()).isEqualTo("0.05 < 0.084");
        assertThat(Decisive.of("err/bound", 1.5, "<=", 1, Units.NONE).comparison()).isEqualTo("1.5 > 1");
        assertThat(Decisive.of("err/bound", 1, "<", 1, Units.NONE).comparison()).isEqualTo("1 >= 1");
        assertThat(Decisive.within("p", 2, 0.75, 1.5, Units.NONE).comparison()).isEqualTo("2 not in [0.75, 1.5]");
        assertThat(Decisive.of("x", Double.NaN, ">", 0.084, Units.NONE).comparison()).isEqualTo("n/a > 0.084");
    }
}
