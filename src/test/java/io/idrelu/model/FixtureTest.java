package io.idrelu.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigDecimal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FixtureTest {
    private static final String OK = "{\"d\": 2, \"W\": [[0.1, 0], [0, \"0.1\"]], \"Wstar\": [[0, 0], [0, 0]], \"X\": [[1, -2]]}";

    @Test
    void numbersAreNearestDoublesAndStringsAreExactDecimals() {
        Fixture f = Fixture.parse(OK, "t");
        assertThat(f.d()).isEqualTo(2);
        assertThat(f.identity()).isTrue();
        assertThat(f.w()[0][0]).isEqualTo(new BigDecimal(0.1));
        assertThat(f.w()[1][1]).isEqualTo(new BigDecimal("0.1"));
        assertThat(f.w()[0][0]).isNotEqualTo(f.w()[1][1]);
        assertThat(Fixture.doubles(f.w())).containsExactly(0.1, 0.0, 0.0, 0.1);
        assertThat(Fixture.floats(f.w())[3]).isEqualTo(0.1f);
        assertThat(f.batch()).isEqualTo(1);
    }

    @Test
    void roundTripsThroughItsJsonForm() {
        Fixture f = Fixture.parse(OK, "t");
        Fixture g = Fixture.parse(f.toJson(new com.fasterxml.jackson.databind.ObjectMapper()).toString(), "t2");
        assertThat(g.w()).isDeepEqualTo(f.w());
        assertThat(g.x()).isDeepEqualTo(f.x());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "not json            | {\"d\": 2,                                                         | not valid JSON",
            "array top level     | [1, 2]                                                          | expected a JSON object",
            "missing d           | {\"W\": [[0]], \"Wstar\": [[0]]}                                | missing key \"d\"",
            "missing Wstar       | {\"d\": 1, \"W\": [[0]]}                                        | missing key \"Wstar\"",
            "d zero              | {\"d\": 0, \"W\": [], \"Wstar\": []}                            | \"d\" = 0",
            "d huge              | {\"d\": 100000000, \"W\": [], \"Wstar\": []}                    | \"d\" = 100000000",
            "d fractional        | {\"d\": 1.5, \"W\": [[0]], \"Wstar\": [[0]]}                    | expected an integer",
            "d string            | {\"d\": \"2\", \"W\": [[0]], \"Wstar\": [[0]]}                  | expected an integer",
            "ragged W            | {\"d\": 2, \"W\": [[0, 0], [0]], \"Wstar\": [[0, 0], [0, 0]]}   | \"W\"[1] has 1 entries: expected 2",
            "wrong rows          | {\"d\": 2, \"W\": [[0, 0]], \"Wstar\": [[0, 0], [0, 0]]}        | \"W\" has 1 rows: expected 2",
            "W not array         | {\"d\": 1, \"W\": 3, \"Wstar\": [[0]]}                          | \"W\" is number 3",
            "row not array       | {\"d\": 1, \"W\": [3], \"Wstar\": [[0]]}                        | \"W\"[0] is number 3",
            "bad entry type      | {\"d\": 1, \"W\": [[true]], \"Wstar\": [[0]]}                   | \"W\"[0][0] is boolean",
            "NaN string          | {\"d\": 1, \"W\": [[\"NaN\"]], \"Wstar\": [[0]]}                | \"W\"[0][0] = \"NaN\" is not a decimal",
            "overflow number     | {\"d\": 1, \"W\": [[1e400]], \"Wstar\": [[0]]}                  | overflows a double",
            "overflow string     | {\"d\": 1, \"W\": [[0]], \"Wstar\": [[\"1e400\"]]}              | \"Wstar\"[0][0] = \"1e400\" overflows",
            "empty X             | {\"d\": 1, \"W\": [[0]], \"Wstar\": [[0]], \"X\": []}           | \"X\" is empty",
            "X wrong width       | {\"d\": 2, \"W\": [[0,0],[0,0]], \"Wstar\": [[0,0],[0,0]], \"X\": [[1]]} | \"X\"[0] has 1 entries: expected 2",
            "identity not bool   | {\"d\": 1, \"identity\": 1, \"W\": [[0]], \"Wstar\": [[0]]}     | \"identity\" is number 1",
            "unknown key         | {\"d\": 1, \"W\": [[0]], \"Wstar\": [[0]], \"wstar\": [[0]]}    | unknown key \"wstar\"",
            "duplicate key       | {\"d\": 1, \"d\": 1, \"W\": [[0]], \"Wstar\": [[0]]}            | Duplicate field 'd'",
    })
    void rejectsBadFixturesNamingKeyPositionAndExpectation(String name, String json, String expected) {
        assertThatThrownBy(() -> Fixture.parse(json, "f.json"))
                .isInstanceOf(FixtureException.class)
                .hasMessageStartingWith("f.json: ")
                .hasMessageContaining(expected.trim());
    }

    @Test
    void missingBatchIsReportedWhenAsked() {
        Fixture f = Fixture.parse("{\"d\": 1, \"W\": [[0]], \"Wstar\": [[0]]}", "t");
        assertThat(f.hasBatch()).isFalse();
        assertThatThrownBy(f::x).isInstanceOf(FixtureException.class).hasMessageContaining("no \"X\"");
    }
}
