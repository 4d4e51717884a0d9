package io.idrelu.reference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.idrelu.reference.PopulationReference.Mutation;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.math.BigDecimal;
import java.math.MathContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The population reference against values computed by mpmath at 110 digits (src/test/resources/reference/
 * generate_mpmath_golden.py: plain {@code atan2} and {@code sqrt} of the exact Gram data, no code shared with Java; d = 5
 * and 8 identity, d = 3 vanilla, random doubles taken exactly). Every value (loss, each gradient entry, potential) at
 * p = 20, 50 and 100 must be within the stated bound {@code 10^-p M} (its scale {@code M}, plus the golden value's own
 * {@code 10^-105 M}). Negative control: the binary pipeline and decimal rounding 4 digits below {@code p} (the test
 * seam's guard {@code -4}) exceed the stated bound on some value at every {@code p} (asserted).
 */
class MpmathGoldenTest {
    @Test
    void withinTheStatedBoundOfMpmathAt110Digits() throws Exception {
        JsonNode golden;
        try (InputStream in = getClass().getResourceAsStream("/reference/mpmath-golden.json")) {
            golden = new ObjectMapper().readTree(in);
        }
        int values = 0;
        for (int p : new int[] {20, 50, 100}) {
            double worst = 0;
            double worstControl = 0;
            for (JsonNode c : golden.get("cases")) {
                int d = c.get("d").asInt();
                boolean identity = c.get("identity").asBoolean();
                BigDecimal[][] w = matrix(c.get("W"), d);
                BigDecimal[][] ws = matrix(c.get("Wstar"), d);
                PopulationValues v = new PopulationReference(p).evaluate(identity, w, ws);
                PopulationValues broken = new PopulationReference(p, -4, Mutation.NONE).evaluate(identity, w, ws);
                worst = Math.max(worst, ratio(v.loss(), c.get("loss"), v.lossScale(), p));
                worstControl = Math.max(worstControl, ratio(broken.loss(), c.get("loss"), v.lossScale(), p));
                worst = Math.max(worst, ratio(v.potential(), c.get("potential"), v.potentialScale(), p));
                worstControl = Math.max(worstControl, ratio(broken.potential(), c.get("potential"), v.potentialScale(), p));
                values += 2;
                for (int r = 0; r < d; r++) {
                    for (int j = 0; j < d; j++) {
                        JsonNode g = c.get("grad").get(r).get(j);
                        worst = Math.max(worst, ratio(v.gradient()[r][j], g, v.gradientScale()[r][j], p));
                        worstControl = Math.max(worstControl, ratio(broken.gradient()[r][j], g, v.gradientScale()[r][j], p));
                        values++;
                    }
                }
            }
            System.out.printf("mpmath golden, p = %d: max error / stated bound %.3e; 4 guard digits short: %.3e%n", p, worst, worstControl);
            assertThat(worst).as("error / stated bound at p = %d", p).isLessThanOrEqualTo(1.0);
            assertThat(worstControl).as("control: 4 digits short at p = %d", p).isGreaterThan(1.0);
        }
        assertThat(values).isEqualTo(3 * (2 * 3 + 25 + 9 + 64));
    }

    /** {@code |v - exact| / (10^-p M + 10^-105 M)}, with the golden value as exact. */
    private static double ratio(BigDecimal v, JsonNode exact, BigDecimal scale, int p) {
        BigDecimal err = v.subtract(new BigDecimal(exact.asText())).abs();
        BigDecimal bound = scale.movePointLeft(p).add(scale.movePointLeft(105));
        if (bound.signum() == 0) {
            return err.signum() == 0 ? 0 : Double.POSITIVE_INFINITY;
        }
        return err.divide(bound, MathContext.DECIMAL64).doubleValue();
    }

    private static BigDecimal[][] matrix(JsonNode m, int d) {
        BigDecimal[][] out = new BigDecimal[d][d];
        for (int r = 0; r < d; r++) {
            for (int j = 0; j < d; j++) {
                out[r][j] = new BigDecimal(Double.parseDouble(m.get(r).get(j).asText())); // the double, exactly
            }
        }
        return out;
    }
}
