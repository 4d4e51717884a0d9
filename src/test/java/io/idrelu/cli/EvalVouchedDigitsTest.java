package io.idrelu.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.idrelu.model.Fixture;
import io.idrelu.reference.PopulationReference;
import io.idrelu.reference.PopulationValues;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code eval --quantity population} prints only digits its error bound vouches for (issue 12: {@code --digits 20}
 * printed 28 digits, right to 26). Truth: the same reference at {@code 2P + 20} digits (the precision ladder of
 * DESIGN.md), itself within {@code 10^-(2P+20) M}. For every printed value: {@code |printed - truth|} is within the
 * printed {@code *_error_bound} (plus the truth's own bound), that bound is at most one unit in the last printed
 * digit, and no more than {@code P} significant digits are printed, exactly {@code P} where the value exceeds
 * {@code 10^-P M}. Negative control: the raw values as printed before (all working digits) fail the one-unit
 * check against the same truth.
 */
class EvalVouchedDigitsTest {
    @TempDir
    Path tmp;

    /** Plain, vanilla, and next to W* (the gradient cancels: fewer digits are vouched). */
    private static final String[] FIXTURES = {
            "{\"d\": 2, \"identity\": true, \"W\": [[0.1, -0.2], [\"0.05\", 0.3]], \"Wstar\": [[0, 0.1], [0.2, 0]]}",
            "{\"d\": 3, \"identity\": false, \"W\": [[0.9, -0.2, 0.1], [0.05, 1.1, -0.3], [0.2, 0.1, 0.7]],"
                    + " \"Wstar\": [[1.0, 0.1, 0], [0.2, 0.8, 0.1], [-0.1, 0, 1.2]]}",
            "{\"d\": 2, \"identity\": true, \"W\": [[0.1, -0.2], [\"0.05\", 0.3]],"
                    + " \"Wstar\": [[0.1, -0.2], [\"0.05\", \"0.3000000001\"]]}"};

    record Printed(String what, BigDecimal value, BigDecimal bound, BigDecimal truth, BigDecimal truthBound, BigDecimal scale) { }

    @Test
    void everyPrintedDigitIsVouchedFor() throws IOException {
        int full = 0;
        int fewer = 0;
        int raised = 0;
        for (int f = 0; f < FIXTURES.length; f++) {
            Path file = tmp.resolve("f" + f + ".json");
            Files.writeString(file, FIXTURES[f]);
            for (int p : new int[] {3, 20, 35}) {
                JsonNode o = eval(file, p);
                raised += o.path("working_digits").asInt() > p + EvalCommand.FIRST_EXTRA_DIGITS ? 1 : 0;
                for (Printed v : printed(file, o, p)) {
                    String at = "fixture " + f + ", P = " + p + ", " + v.what() + " = " + v.value();
                    BigDecimal err = v.value().subtract(v.truth()).abs();
                    assertThat(err).as(at + ": |printed - truth| vs error_bound " + v.bound())
                            .isLessThanOrEqualTo(v.bound().add(v.truthBound()));
                    BigDecimal unit = BigDecimal.ONE.movePointLeft(v.value().scale());
                    assertThat(v.bound()).as(at + ": bound within one unit of the last printed digit").isLessThanOrEqualTo(unit);
                    assertThat(err).as(at + ": every printed digit right up to one unit in the last")
                            .isLessThanOrEqualTo(unit.add(v.truthBound()));
                    int sig = v.value().signum() == 0 ? 0 : v.value().precision();
                    assertThat(sig).as(at + ": at most P digits (one more only after a carry, 9.99 -> 10.0)").isLessThanOrEqualTo(p + 1);
                    if (v.truth().abs().compareTo(v.scale().movePointLeft(p - 1)) > 0) {
                        assertThat(sig).as(at + ": P digits where the value exceeds 10^-(P-1) M").isGreaterThanOrEqualTo(p);
                        full++;
                    } else if (sig < p) {
                        fewer++;
                    }
                }
            }
        }
        // coverage: both regimes, and the working precision was raised for a cancelling value
        assertThat(full).isGreaterThan(50);
        assertThat(fewer).as("values printed with fewer than P digits (cancellation next to W*)").isGreaterThan(3);
        assertThat(raised).as("runs whose working precision was raised above P + FIRST_EXTRA_DIGITS").isGreaterThan(0);
    }

    @Test
    void rawWorkingDigitsAreNotVouchedFor() throws IOException {
        // the behaviour before: PopulationReference(P) printed with all its working digits (P + 8 guard digits). Since the
        // binary pipeline (errors far below the last working digit relative to M) the non-cancelling fixtures happen to be
        // right to their last digit; next to W* (fixture 2, |v| << M) they are not: the digits were never vouched for
        int wrong = 0;
        for (int f = 0; f < FIXTURES.length; f++) {
            Path file = tmp.resolve("raw" + f + ".json");
            Files.writeString(file, FIXTURES[f]);
            Fixture fx = Fixture.read(file);
            int p = 20;
            PopulationValues raw = new PopulationReference(p).evaluate(fx.identity(), fx.w(), fx.wStar());
            PopulationValues truth = new PopulationReference(2 * p + 20).evaluate(fx.identity(), fx.w(), fx.wStar());
            List<BigDecimal> rawValues = new ArrayList<>(List.of(raw.loss(), raw.potential()));
            List<BigDecimal> truthValues = new ArrayList<>(List.of(truth.loss(), truth.potential()));
            for (int r = 0; r < fx.d(); r++) {
                for (int c = 0; c < fx.d(); c++) {
                    rawValues.add(raw.gradient()[r][c]);
                    truthValues.add(truth.gradient()[r][c]);
                }
            }
            for (int i = 0; i < rawValues.size(); i++) {
                BigDecimal unit = BigDecimal.ONE.movePointLeft(rawValues.get(i).scale());
                if (rawValues.get(i).signum() != 0) {
                    assertThat(rawValues.get(i).precision()).isGreaterThan(p);
                }
                wrong += rawValues.get(i).subtract(truthValues.get(i)).abs().compareTo(unit) > 0 ? 1 : 0;
            }
        }
        assertThat(wrong).as("raw values wrong by more than one unit in their last digit").isGreaterThan(0);
    }

    /**
     * The printed digits against a route that shares no code with the reference ({@code BigMathClosedForm}: BigDecimal
     * and big-math {@code acos} at {@code 2P + 30} digits, within {@code 10^-(P+10) M}): every printed value is within its
     * printed bound of that truth. Fixtures 0 and 1 and a random d = 4 one, P = 20 and 50. Negative control: the printed
     * values moved by two units in their last digit fail the same check (the check resolves one unit).
     */
    @Test
    void printedDigitsAgreeWithAnIndependentRoute() throws IOException {
        List<String> fixtures = new ArrayList<>(List.of(FIXTURES[0], FIXTURES[1]));
        java.util.Random rnd = new java.util.Random(20170104L);
        StringBuilder w = new StringBuilder();
        StringBuilder ws = new StringBuilder();
        for (int r = 0; r < 4; r++) {
            w.append(r == 0 ? "[" : ", [");
            ws.append(r == 0 ? "[" : ", [");
            for (int c = 0; c < 4; c++) {
                w.append(c == 0 ? "" : ", ").append(0.3 * rnd.nextGaussian());
                ws.append(c == 0 ? "" : ", ").append(0.3 * rnd.nextGaussian());
            }
            w.append("]");
            ws.append("]");
        }
        fixtures.add("{\"d\": 4, \"identity\": true, \"W\": [" + w + "], \"Wstar\": [" + ws + "]}");
        int checked = 0;
        int caught = 0;
        for (int f = 0; f < fixtures.size(); f++) {
            Path file = tmp.resolve("independent" + f + ".json");
            Files.writeString(file, fixtures.get(f));
            Fixture fx = Fixture.read(file);
            for (int p : new int[] {20, 50}) {
                JsonNode o = eval(file, p);
                io.idrelu.reference.BigMathClosedForm truth = new io.idrelu.reference.BigMathClosedForm(fx.identity(), fx.w(), fx.wStar(), 2 * p + 30);
                PopulationValues scales = new PopulationReference(p).evaluate(fx.identity(), fx.w(), fx.wStar());
                BigDecimal pi = ch.obermuhlner.math.big.BigDecimalMath.pi(new java.math.MathContext(2 * p + 30));
                List<BigDecimal[]> values = new ArrayList<>(); // {printed, printed bound, truth, M}
                values.add(new BigDecimal[] {dec(o.path("loss")), dec(o.path("loss_error_bound")), truth.loss, scales.lossScale()});
                values.add(new BigDecimal[] {dec(o.path("potential")), dec(o.path("potential_error_bound")), truth.potential,
                        scales.potentialScale()});
                for (int r = 0; r < fx.d(); r++) {
                    for (int c = 0; c < fx.d(); c++) {
                        BigDecimal m = scales.gradientScale()[r][c];
                        values.add(new BigDecimal[] {dec(o.path("grad").get(r).get(c)), dec(o.path("grad_error_bound").get(r).get(c)),
                                truth.gradient[r][c], m});
                        values.add(new BigDecimal[] {dec(o.path("paper_grad").get(r).get(c)), dec(o.path("paper_grad_error_bound").get(r).get(c)),
                                truth.gradient[r][c].multiply(pi).negate(), m.multiply(pi)});
                    }
                }
                for (BigDecimal[] v : values) {
                    BigDecimal allowed = v[1].add(v[3].movePointLeft(p + 10));
                    String at = "fixture " + f + ", P = " + p + ", printed " + v[0] + " vs independent " + v[2];
                    assertThat(v[0].subtract(v[2]).abs()).as(at).isLessThanOrEqualTo(allowed);
                    BigDecimal moved = v[0].add(BigDecimal.valueOf(2).movePointLeft(v[0].scale()));
                    caught += moved.subtract(v[2]).abs().compareTo(allowed) > 0 ? 1 : 0;
                    checked++;
                }
            }
        }
        assertThat(checked).as("loss, potential, grad and paper_grad: 2 + 2 d^2 values per fixture and P").isEqualTo(2 * ((2 + 2 * 4) + (2 + 2 * 9) + (2 + 2 * 16)));
        assertThat(caught).as("printed values moved by two units in the last digit, rejected").isEqualTo(checked);
    }

    private static JsonNode eval(Path file, int p) throws IOException {
        CliRun r = CliRun.of("eval", "--fixture", file.toString(), "--quantity", "population", "--digits", Integer.toString(p));
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode o = Json.MAPPER.readTree(r.out());
        assertThat(o.path("digits").asInt()).isEqualTo(p);
        return o;
    }

    /** Every printed value with its bound, the truth at 2P + 20 digits, the truth's bound and the scale M. */
    private static List<Printed> printed(Path file, JsonNode o, int p) {
        Fixture fx = Fixture.read(file);
        int tp = 2 * p + 20;
        PopulationReference ref = new PopulationReference(tp);
        PopulationValues t = ref.evaluate(fx.identity(), fx.w(), fx.wStar());
        BigDecimal[][] paper = ref.paperGradient(fx.identity(), fx.w(), fx.wStar());
        BigDecimal piUp = new BigDecimal("3.1415927");
        List<Printed> out = new ArrayList<>();
        out.add(new Printed("loss", dec(o.path("loss")), dec(o.path("loss_error_bound")), t.loss(),
                t.lossScale().movePointLeft(tp), t.lossScale()));
        out.add(new Printed("potential", dec(o.path("potential")), dec(o.path("potential_error_bound")), t.potential(),
                t.potentialScale().movePointLeft(tp), t.potentialScale()));
        for (int r = 0; r < fx.d(); r++) {
            for (int c = 0; c < fx.d(); c++) {
                BigDecimal m = t.gradientScale()[r][c];
                out.add(new Printed("grad[" + r + "][" + c + "]", dec(o.path("grad").get(r).get(c)),
                        dec(o.path("grad_error_bound").get(r).get(c)), t.gradient()[r][c], m.movePointLeft(tp), m));
                out.add(new Printed("paper_grad[" + r + "][" + c + "]", dec(o.path("paper_grad").get(r).get(c)),
                        dec(o.path("paper_grad_error_bound").get(r).get(c)), paper[r][c],
                        m.multiply(piUp).movePointLeft(tp), m.multiply(piUp)));
            }
        }
        return out;
    }

    private static BigDecimal dec(JsonNode n) {
        assertThat(n.isTextual()).as("decimal string: " + n).isTrue();
        return new BigDecimal(n.asText());
    }
}
