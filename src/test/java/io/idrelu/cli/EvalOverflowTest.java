package io.idrelu.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12: a finite fixture far outside the double range (entries 1e200). The reference computes every
 * quantity (exact batch arithmetic; the closed form shifted to magnitude 1 and scaled back), checked against
 * values known by hand at d = 1; the fast path refuses with exit 2 naming the entry instead of printing NaN.
 *
 * <p>At d = 1 with {@code u = 1 + w > 0}, {@code v = 1 + w* > 0}: {@code L = E[(u - v)^2 relu(x)^2/x^2 x^2] =
 * (u - v)^2 / 2}, {@code dL/dw = u - v}, {@code g = |v| - |u|}; for the batch row {@code x = 2}:
 * {@code r = 2(u - v)}, loss {@code r^2}, gradient {@code 2 r x}.
 */
class EvalOverflowTest {
    @TempDir
    Path dir;

    private Path fixture(String w, String wStar, boolean identity) throws Exception {
        Path f = dir.resolve("f" + Math.abs((w + wStar + identity).hashCode()) + ".json");
        Files.writeString(f, "{\"d\": 1, \"identity\": " + identity + ", \"W\": [[\"" + w + "\"]], \"Wstar\": [[\"" + wStar
                + "\"]], \"X\": [[2]]}");
        return f;
    }

    private static CliRun eval(Path f, String... extra) {
        List<String> a = new ArrayList<>(List.of("eval", "--fixture", f.toString(), "--kernel", "scalar"));
        a.addAll(List.of(extra));
        return CliRun.of(a.toArray(String[]::new));
    }

    private static JsonNode ok(CliRun r) throws Exception {
        assertThat(r.exit()).as(r.err()).isZero();
        return Json.MAPPER.readTree(r.out());
    }

    /** |a - b| <= 10^-45 |b|: the reference runs at 50 digits. */
    private static void close(String actual, String expected) {
        BigDecimal a = new BigDecimal(actual);
        BigDecimal b = new BigDecimal(expected);
        assertThat(a.subtract(b).abs()).as(actual + " vs " + expected).isLessThanOrEqualTo(b.abs().scaleByPowerOfTen(-45));
    }

    @Test
    void referenceComputesTheHugeFixture() throws Exception {
        Path f = fixture("1e200", "0", true);
        JsonNode pop = ok(eval(f, "--quantity", "population"));
        close(pop.path("loss").asText(), "5e399");
        close(pop.path("grad").get(0).get(0).asText(), "1e200");
        close(pop.path("potential").asText(), "-1e200");
        JsonNode batch = ok(eval(f, "--quantity", "batch"));
        assertThat(new BigDecimal(batch.path("loss").asText())).isEqualByComparingTo("4e400");
        assertThat(new BigDecimal(batch.path("grad").get(0).get(0).asText())).isEqualByComparingTo("8e200");
        // the shift also works downwards: vanilla u = 1e-200, v = 1 + (-1) = 0, so L = kappa(u, u) = u^2 / 2
        JsonNode tiny = ok(eval(fixture("1e-200", "-1", false), "--quantity", "population"));
        close(tiny.path("loss").asText(), "5e-401");
        close(tiny.path("grad").get(0).get(0).asText(), "1e-200");
    }

    @Test
    void referenceComputesAFixtureOfMixedMagnitudes() throws Exception {
        // one unit ~1e200, the other ~1: L = |u_0|^2 / 2 (1 + O(1e-199)) and dL/dW[0][0] = u_0[0] (1 + O(1e-199))
        Path f = dir.resolve("mixed.json");
        Files.writeString(f, "{\"d\": 2, \"W\": [[\"1e200\", -0.2], [0.05, 0.3]], \"Wstar\": [[0, 0.1], [0.2, 0]],"
                + " \"X\": [[1.5, -0.5], [0.25, 2.0]]}");
        JsonNode pop = ok(eval(f, "--quantity", "population"));
        BigDecimal u0 = new BigDecimal("1e200").add(BigDecimal.ONE);
        BigDecimal norm2 = u0.multiply(u0).add(new BigDecimal(0.05).pow(2));
        close(pop.path("loss").asText(), norm2.divide(BigDecimal.valueOf(2)).toString());
        close(pop.path("grad").get(0).get(0).asText(), u0.toString());
        assertThat(ok(eval(f, "--quantity", "batch")).path("exact").asBoolean()).isTrue();
    }

    @Test
    void fastPathRefusesNamingTheEntryOnBothPrecisions() throws Exception {
        Path f = fixture("1e200", "0", true);
        for (String q : List.of("population", "batch")) {
            CliRun d = eval(f, "--quantity", q, "--path", "fast");
            assertThat(d.exit()).as(d.err()).isEqualTo(2);
            assertThat(d.out()).isEmpty();
            assertThat(d.err().strip().lines().count()).isEqualTo(1);
            assertThat(d.err()).contains("--path fast (double)", "not finite", "\"W\"[0][0] = 1E+200", "products of entries reach 1E+400",
                    "--path reference computes it exactly").doesNotContain("\tat ");
            CliRun fl = eval(f, "--quantity", q, "--path", "fast", "--precision", "float");
            assertThat(fl.exit()).as(fl.err()).isEqualTo(2);
            assertThat(fl.err()).contains("--precision float", "\"W\"[0][0] = 1E+200", "overflows float");
        }
        // products overflow float although every entry fits: 1e20^2 = 1e40 > 3.4e38
        CliRun fl = eval(fixture("1e20", "0", true), "--quantity", "population", "--path", "fast", "--precision", "float");
        assertThat(fl.exit()).as(fl.err()).isEqualTo(2);
        assertThat(fl.err()).contains("--path fast (float)", "\"W\"[0][0] = 1E+20", "products of entries reach 1E+40");
    }

    @Test
    void controlsInsideTheRangeAreComputedOnTheFastPath() throws Exception {
        JsonNode d = ok(eval(fixture("1e100", "0", true), "--quantity", "population", "--path", "fast"));
        assertThat(new BigDecimal(d.path("loss").asText()).divide(new BigDecimal("5e199"), MathContext.DECIMAL64).doubleValue())
                .isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-14));
        JsonNode fl = ok(eval(fixture("1e15", "0", true), "--quantity", "population", "--path", "fast", "--precision", "float"));
        assertThat(new BigDecimal(fl.path("loss").asText()).divide(new BigDecimal("5e29"), MathContext.DECIMAL64).doubleValue())
                .isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
    }
}
