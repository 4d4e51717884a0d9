package io.idrelu.audit;

import ch.obermuhlner.math.big.BigDecimalMath;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Measured ULP error of the {@code java.lang.Math} functions the population closed form uses (claim A2),
 * against big-math at 40 digits on the very arguments the audit meets (Commons Numbers convention:
 * the expected value is the BigDecimal result, the error is {@code |fast - expected| / ulp(fast)}).
 * The Java specification promises: {@code sqrt} correctly rounded (0.5 ulp), {@code sin}, {@code cos},
 * {@code acos} within 1 ulp, {@code atan2} within 2 ulps; the bound of A2 uses these spec values, the
 * measurement is reported next to it.
 */
public final class FunctionUlps {
    /** Spec ulps used by the A2 bound. */
    public static final double SPEC_SQRT = 0.5;
    public static final double SPEC_SIN = 1;
    public static final double SPEC_COS = 1;
    public static final double SPEC_ACOS = 1;
    public static final double SPEC_ATAN2 = 2;

    private static final MathContext MC = new MathContext(40);

    private final Map<String, Double> max = new LinkedHashMap<>();
    private final Map<String, Long> count = new LinkedHashMap<>();

    public void sqrt(double a) {
        if (a >= 0) {
            record("sqrt", Math.sqrt(a), BigDecimalMath.sqrt(new BigDecimal(a), MC));
        }
    }

    public void sin(double a) {
        record("sin", Math.sin(a), BigDecimalMath.sin(new BigDecimal(a), MC));
    }

    public void cos(double a) {
        record("cos", Math.cos(a), BigDecimalMath.cos(new BigDecimal(a), MC));
    }

    public void acos(double a) {
        if (a >= -1 && a <= 1) {
            record("acos", Math.acos(a), BigDecimalMath.acos(new BigDecimal(a), MC));
        }
    }

    public void atan2(double y, double x) {
        if (x != 0 || y != 0) {
            record("atan2", Math.atan2(y, x), BigDecimalMath.atan2(new BigDecimal(y), new BigDecimal(x), MC));
        }
    }

    private void record(String f, double fast, BigDecimal exact) {
        double ulp = Math.ulp(fast);
        double e = new BigDecimal(fast).subtract(exact).abs().doubleValue() / ulp;
        max.merge(f, e, Math::max);
        count.merge(f, 1L, Long::sum);
    }

    /** Max measured ulps per function and the number of arguments, e.g. {@code sin.maxUlp}, {@code sin.n}. */
    public Map<String, Object> summary() {
        Map<String, Object> m = new LinkedHashMap<>();
        for (String f : max.keySet()) {
            m.put(f + ".maxUlp", max.get(f));
            m.put(f + ".n", count.get(f));
        }
        m.put("spec", "sqrt 0.5, sin/cos/acos 1, atan2 2 ulps (java.lang.Math javadoc)");
        return m;
    }

    public double maxUlp(String f) {
        return max.getOrDefault(f, 0.0);
    }
}
