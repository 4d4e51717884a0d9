package io.idrelu.setting.reference;

import ch.obermuhlner.math.big.BigDecimalMath;
import io.idrelu.setting.Activation;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Activation values and derivatives in BigDecimal (proofs-notes/settings.md sections 2 and 6). ReLU and leaky ReLU
 * (slope {@code a}, a double, taken exactly as {@code new BigDecimal(a)}) are <b>exact</b>: {@code mc} is ignored.
 * Softplus and GELU are computed to within a few units in the last place of {@code mc} (relative to the value for
 * softplus and {@code Phi}; absolute {@code 10^-q |t|} for GELU where {@code erf} is near 1): big-math {@code exp},
 * {@code log}, {@code sqrt}, {@code pi} are accurate to {@code mc}, and {@code erf} is summed here from the
 * positive series {@code erf(x) = (2/sqrt pi) e^(-x^2) sum_n 2^n x^(2n+1) / (2n+1)!!} (no cancellation) with extra
 * digits for the number of terms.
 */
public final class ExactActivation {
    private static final ConcurrentHashMap<Integer, BigDecimal> SQRT_PI = new ConcurrentHashMap<>();
    private static final ConcurrentHashMap<Integer, BigDecimal> SQRT_2PI = new ConcurrentHashMap<>();
    private static final ConcurrentHashMap<Integer, BigDecimal> SQRT_2 = new ConcurrentHashMap<>();
    private static final BigDecimal HALF = new BigDecimal("0.5");
    private static final BigDecimal TWO = BigDecimal.valueOf(2);

    private ExactActivation() { }

    /** {@code act(t)}: exact for piecewise-linear activations, else to {@code mc}. */
    public static BigDecimal value(Activation act, BigDecimal t, MathContext mc) {
        if (act instanceof Activation.Relu) {
            return t.signum() > 0 ? t : BigDecimal.ZERO;
        }
        if (act instanceof Activation.LeakyRelu l) {
            return t.signum() > 0 ? t : t.multiply(new BigDecimal(l.a()));
        }
        if (act instanceof Activation.Softplus sp) {
            BigDecimal b = new BigDecimal(sp.b());
            BigDecimal s = b.multiply(t);
            MathContext w = wider(mc, 5);
            // max(s, 0) + log(1 + e^-|s|): the log argument is in (1, 2], no overflow
            BigDecimal l = BigDecimalMath.log(BigDecimal.ONE.add(BigDecimalMath.exp(s.abs().negate(), w), w), w);
            return s.max(BigDecimal.ZERO).add(l).divide(b, mc);
        }
        // GELU: (t/2)(1 + erf(t / sqrt 2))
        MathContext w = wider(mc, 5);
        BigDecimal e = erf(t.divide(sqrt2(w), w), w);
        return t.multiply(HALF).multiply(BigDecimal.ONE.add(e), mc);
    }

    /** {@code act'(t)}: kink counts as inactive ({@code relu'(0) = 0}, {@code leaky'(0) = a}); exact or to {@code mc}. */
    public static BigDecimal derivative(Activation act, BigDecimal t, MathContext mc) {
        if (act instanceof Activation.Relu) {
            return t.signum() > 0 ? BigDecimal.ONE : BigDecimal.ZERO;
        }
        if (act instanceof Activation.LeakyRelu l) {
            return t.signum() > 0 ? BigDecimal.ONE : new BigDecimal(l.a());
        }
        if (act instanceof Activation.Softplus sp) {
            MathContext w = wider(mc, 5);
            BigDecimal s = new BigDecimal(sp.b()).multiply(t);
            // sigmoid(s) = 1 / (1 + e^-s), or e^s / (1 + e^s) for s < 0: never exp of a large positive number
            if (s.signum() >= 0) {
                return BigDecimal.ONE.divide(BigDecimal.ONE.add(BigDecimalMath.exp(s.negate(), w)), mc);
            }
            BigDecimal e = BigDecimalMath.exp(s, w);
            return e.divide(BigDecimal.ONE.add(e), mc);
        }
        // GELU' = Phi(t) + t phi(t)
        MathContext w = wider(mc, 5);
        BigDecimal phiBig = BigDecimal.ONE.add(erf(t.divide(sqrt2(w), w), w)).multiply(HALF);
        BigDecimal density = BigDecimalMath.exp(t.multiply(t).multiply(HALF).negate(), w).divide(sqrt2pi(w), w);
        return phiBig.add(t.multiply(density), mc);
    }

    /**
     * {@code erf(x)} to about {@code mc} digits: {@code (2/sqrt pi) e^(-x^2) S} with
     * {@code S = sum_n T_n, T_0 = x, T_n = T_{n-1} 2x^2/(2n+1)}; all {@code T_n} have the sign of {@code x}, so the sum
     * loses nothing to cancellation; it is carried with {@code 5 + digits(n_terms)} extra digits and stopped when
     * past the peak ({@code n > x^2}) and {@code |T_n| < 10^-(q+5) |S|}.
     */
    public static BigDecimal erf(BigDecimal x, MathContext mc) {
        if (x.signum() == 0) {
            return BigDecimal.ZERO;
        }
        BigDecimal x2 = x.multiply(x);
        int extra = 5 + (int) Math.ceil(Math.log10(2 + x2.doubleValue()));
        MathContext w = wider(mc, extra);
        BigDecimal twoX2 = x2.multiply(TWO, w);
        BigDecimal term = x;
        BigDecimal sum = BigDecimal.ZERO;
        BigDecimal tol = BigDecimal.ONE.movePointLeft(mc.getPrecision() + 5);
        double peak = x2.doubleValue();
        for (int n = 1; ; n++) {
            sum = sum.add(term, w);
            term = term.multiply(twoX2, w).divide(BigDecimal.valueOf(2L * n + 1), w);
            if (n > peak && term.abs().compareTo(sum.abs().multiply(tol)) < 0) {
                break;
            }
        }
        BigDecimal scale = BigDecimalMath.exp(x2.negate(), w).multiply(TWO).divide(sqrtPi(w), w);
        return sum.multiply(scale, mc);
    }

    private static MathContext wider(MathContext mc, int extra) {
        return new MathContext(mc.getPrecision() + extra, RoundingMode.HALF_EVEN);
    }

    private static BigDecimal sqrtPi(MathContext mc) {
        return SQRT_PI.computeIfAbsent(mc.getPrecision(), q -> BigDecimalMath.sqrt(BigDecimalMath.pi(mc), mc));
    }

    private static BigDecimal sqrt2pi(MathContext mc) {
        return SQRT_2PI.computeIfAbsent(mc.getPrecision(), q -> BigDecimalMath.sqrt(BigDecimalMath.pi(mc).multiply(TWO), mc));
    }

    private static BigDecimal sqrt2(MathContext mc) {
        return SQRT_2.computeIfAbsent(mc.getPrecision(), q -> BigDecimalMath.sqrt(TWO, mc));
    }
}
