package io.idrelu.setting;

import io.idrelu.setting.reference.ExactActivation;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Double activations against the BigDecimal ones (proofs-notes/settings.md section 5): the measured error on a grid of
 * arguments, in units of {@code u (|act(t)| + |t|)} (values) and {@code u (|act'(t)| + 1)} (derivatives), must stay
 * within {@link Activation#evaluationUlps()}, the budget the A1 bound uses. The measured worst cases are printed.
 */
class ActivationTest {
    private static final MathContext MC = new MathContext(40, RoundingMode.HALF_EVEN);
    private static final double U = 0x1.0p-53;

    @Test
    void doubleEvaluationStaysWithinItsBudget() {
        List<Activation> acts = List.of(new Activation.Relu(), new Activation.LeakyRelu(0.1), new Activation.LeakyRelu(-0.7),
                new Activation.Softplus(1), new Activation.Softplus(7.5), new Activation.Gelu());
        for (Activation act : acts) {
            double worstV = 0;
            double worstD = 0;
            for (int i = -400; i <= 400; i++) {
                double t = i * 0.03 + (i % 7) * 1e-5; // -12..12, not only round numbers
                BigDecimal bt = new BigDecimal(t);
                double ev = new BigDecimal(act.value(t)).subtract(ExactActivation.value(act, bt, MC)).abs().doubleValue();
                double ed = new BigDecimal(act.derivative(t)).subtract(ExactActivation.derivative(act, bt, MC)).abs().doubleValue();
                if (ev > 0) {
                    worstV = Math.max(worstV, ev / (U * (Math.abs(act.value(t)) + Math.abs(t))));
                }
                worstD = Math.max(worstD, ed / (U * (Math.abs(act.derivative(t)) + 1)));
            }
            System.out.printf("activation %s: worst value error %.3g u(|act|+|t|), derivative %.3g u(|act'|+1), budget %.0f%n",
                    act, worstV, worstD, act.evaluationUlps());
            assertThat(worstV).as(act + " value").isLessThanOrEqualTo(act.evaluationUlps());
            assertThat(worstD).as(act + " derivative").isLessThanOrEqualTo(act.evaluationUlps());
        }
    }

    @Test
    void kinkIsInactiveAndConstantsHold() {
        assertThat(new Activation.Relu().derivative(0.0)).isEqualTo(0.0);
        assertThat(new Activation.LeakyRelu(0.2).derivative(0.0)).isEqualTo(0.2);
        assertThat(ExactActivation.derivative(new Activation.LeakyRelu(0.2), BigDecimal.ZERO, null)).isEqualByComparingTo(new BigDecimal(0.2));
        // GELU's Lipschitz and curvature constants are sups of the true functions: check on a fine grid
        Activation g = new Activation.Gelu();
        double maxD = 0;
        double maxD2 = 0;
        for (int i = -40000; i <= 40000; i++) {
            double t = i * 1e-4;
            maxD = Math.max(maxD, Math.abs(g.derivative(t)));
            double phi = Math.exp(-t * t / 2) / Math.sqrt(2 * Math.PI);
            maxD2 = Math.max(maxD2, Math.abs(phi * (2 - t * t)));
        }
        assertThat(maxD).isLessThanOrEqualTo(g.lipschitz()).isGreaterThan(g.lipschitz() - 1e-3);
        assertThat(maxD2).isLessThanOrEqualTo(g.secondDerivativeBound()).isGreaterThan(g.secondDerivativeBound() - 1e-3);
        // softplus tends to relu: at b = 50, |softplus - relu| <= log 2 / b
        Activation sp = new Activation.Softplus(50);
        assertThat(Math.abs(sp.value(0.3) - 0.3)).isLessThanOrEqualTo(Math.log(2) / 50);
        // erf spot values (Abramowitz-Stegun 7.1): erf(1) = 0.8427007929497148693
        assertThat(ExactActivation.erf(BigDecimal.ONE, MC).round(new MathContext(19))).isEqualByComparingTo("0.8427007929497148693");
        assertThat(ExactActivation.erf(new BigDecimal(-3), MC).round(new MathContext(15))).isEqualByComparingTo("-0.999977909503001");
    }
}
