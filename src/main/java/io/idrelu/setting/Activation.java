package io.idrelu.setting;

import org.apache.commons.math3.special.Erf;

/**
 * The unit non-linearity {@code act} of every block (proofs-notes/settings.md section 2). [LY17] uses ReLU; the
 * others ask whether its conclusions survive another activation. Each gives its value and derivative in double
 * (the fast path); the exact/high-precision values are in {@code io.idrelu.setting.reference.ExactActivation}.
 *
 * <p><b>Kink convention.</b> Piecewise-linear activations take the slope of the <em>inactive</em> side at
 * {@code t = 0} ({@code relu'(0) = 0}, {@code leaky'(0) = a}), as MATH.md section 1 does for ReLU on every path.
 */
public sealed interface Activation {

    /** {@code act(t)} in double. */
    double value(double t);

    /** {@code act'(t)} in double (kink: inactive side). */
    double derivative(double t);

    /**
     * {@code z[e] = value(h[e])} and {@code dz[e] = derivative(h[e])} for every {@code e}, with exactly those bits. The
     * kernels call this in the forward pass and keep {@code dz} for the backward, so that GELU's {@code Phi(h)} and
     * softplus's {@code exp(-|b h|)}, shared by value and derivative, are computed once per unit, not twice (tested:
     * {@code DerivativeCacheTest}).
     */
    default void valuesAndDerivatives(double[] h, double[] z, double[] dz) {
        for (int e = 0; e < h.length; e++) {
            z[e] = value(h[e]);
            dz[e] = derivative(h[e]);
        }
    }

    /** True for ReLU and leaky ReLU: forward and gradient are exact in BigDecimal with no MathContext. */
    boolean piecewiseLinear();

    /** {@code sup |act'|}: propagates errors through a block (forward error analysis). */
    double lipschitz();

    /** {@code sup |act''|} on the smooth parts (0 for piecewise-linear ones): propagates errors into {@code act'}. */
    double secondDerivativeBound();

    /**
     * A-priori error of {@link #value} in double, as a multiple {@code m} of the unit roundoff {@code u}:
     * {@code |value~(t) - act(t)| <= m u (|act(t)| + |t|)} for the double argument {@code t}. Same for {@link #derivative}
     * with {@code |act'(t)| + 1} in place of the bracket. Derivations in proofs-notes/settings.md section 5.
     */
    double evaluationUlps();

    /** {@code relu(t) = max(0, t)}, [LY17]. */
    record Relu() implements Activation {
        @Override
        public double value(double t) {
            return t > 0 ? t : 0.0;
        }

        @Override
        public double derivative(double t) {
            return t > 0 ? 1.0 : 0.0;
        }

        @Override
        public boolean piecewiseLinear() {
            return true;
        }

        @Override
        public double lipschitz() {
            return 1;
        }

        @Override
        public double secondDerivativeBound() {
            return 0;
        }

        @Override
        public double evaluationUlps() {
            return 0; // a select: exact
        }
    }

    /** {@code leaky(t) = t} for {@code t > 0}, else {@code a t}; {@code a} is a double, {@code |a| <= 1}. */
    record LeakyRelu(double a) implements Activation {
        public LeakyRelu {
            if (!(Math.abs(a) <= 1)) {
                throw new IllegalArgumentException("activation.a = " + a + ": expected a slope with -1 <= a <= 1");
            }
        }

        @Override
        public double value(double t) {
            return t > 0 ? t : a * t;
        }

        @Override
        public double derivative(double t) {
            return t > 0 ? 1.0 : a;
        }

        @Override
        public boolean piecewiseLinear() {
            return true;
        }

        @Override
        public double lipschitz() {
            return 1; // |a| <= 1
        }

        @Override
        public double secondDerivativeBound() {
            return 0;
        }

        @Override
        public double evaluationUlps() {
            return 1; // a * t: one rounding
        }
    }

    /**
     * {@code softplus_b(t) = log(1 + exp(b t)) / b}, {@code b > 0}; {@code softplus' = sigmoid(b t)}; tends to ReLU
     * as {@code b -> infinity}.
     */
    record Softplus(double b) implements Activation {
        public Softplus {
            if (!(b > 0) || Double.isInfinite(b)) {
                throw new IllegalArgumentException("activation.b = " + b + ": expected a finite number > 0");
            }
        }

        @Override
        public double value(double t) {
            double s = b * t;
            return valueOf(s, Math.exp(-Math.abs(s)));
        }

        @Override
        public double derivative(double t) {
            double s = b * t;
            return derivativeOf(s, Math.exp(-Math.abs(s)));
        }

        /** Value and derivative from one {@code exp(-|s|)} each, with the bits of {@link #value} and {@link #derivative}. */
        @Override
        public void valuesAndDerivatives(double[] h, double[] z, double[] dz) {
            for (int i = 0; i < h.length; i++) {
                double s = b * h[i];
                double e = Math.exp(-Math.abs(s));
                z[i] = valueOf(s, e);
                dz[i] = derivativeOf(s, e);
            }
        }

        /** {@code max(s, 0) + log1p(exp(-|s|))}, over b: no overflow, no cancellation; {@code e = exp(-|s|)}. */
        private double valueOf(double s, double e) {
            return (Math.max(s, 0.0) + Math.log1p(e)) / b;
        }

        /**
         * The sigmoid {@code 1/(1 + exp(-s))} from {@code e = exp(-|s|)}: {@code 1/(1 + e)} for {@code s >= 0},
         * {@code e/(1 + e)} otherwise (no overflow). At {@code s = -0.0} the first branch, {@code e = 1}; NaN stays NaN.
         */
        private static double derivativeOf(double s, double e) {
            return s >= 0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
        }

        @Override
        public boolean piecewiseLinear() {
            return false;
        }

        @Override
        public double lipschitz() {
            return 1;
        }

        @Override
        public double secondDerivativeBound() {
            return b / 4; // b sigma(bt)(1 - sigma(bt)) <= b/4
        }

        @Override
        public double evaluationUlps() {
            return 16;
        }
    }

    /**
     * {@code gelu(t) = t Phi(t) = (t/2)(1 + erf(t / sqrt 2))} (exact erf form, not the tanh approximation);
     * {@code gelu'(t) = Phi(t) + t phi(t)}. Double path uses Commons Math's {@code Erf.erfc}.
     */
    record Gelu() implements Activation {
        /** {@code sup |gelu'| = Phi(sqrt 2) + sqrt 2 phi(sqrt 2) = 1.1289...}, rounded up. */
        static final double LIPSCHITZ = 1.129;
        /** {@code sup |gelu''| = sup |phi(t)(2 - t^2)| = 2 phi(0) = 0.7979...}, rounded up. */
        static final double SECOND = 0.798;
        private static final double INV_SQRT2 = 0.7071067811865476;
        private static final double INV_SQRT_2PI = 0.3989422804014327;

        @Override
        public double value(double t) {
            return t * cdf(t);
        }

        @Override
        public double derivative(double t) {
            return cdf(t) + densityTerm(t);
        }

        /** One {@code Phi(t)} for both value and derivative, with the bits of {@link #value} and {@link #derivative}. */
        @Override
        public void valuesAndDerivatives(double[] h, double[] z, double[] dz) {
            for (int e = 0; e < h.length; e++) {
                double t = h[e];
                double cdf = cdf(t);
                z[e] = t * cdf;
                dz[e] = cdf + densityTerm(t);
            }
        }

        /** {@code Phi(t) = 0.5 erfc(-t/sqrt 2)}. */
        private static double cdf(double t) {
            return 0.5 * Erf.erfc(-t * INV_SQRT2);
        }

        /** {@code t phi(t)}, the second term of {@code gelu'(t)}. */
        private static double densityTerm(double t) {
            return t * (INV_SQRT_2PI * Math.exp(-0.5 * t * t));
        }

        @Override
        public boolean piecewiseLinear() {
            return false;
        }

        @Override
        public double lipschitz() {
            return LIPSCHITZ;
        }

        @Override
        public double secondDerivativeBound() {
            return SECOND;
        }

        @Override
        public double evaluationUlps() {
            // Commons Math documents no accuracy for Erf.erfc; this budget is MEASURED, not derived: ActivationTest
            // measured 2.6 (value) and 2.5 (derivative) on a grid over [-12, 12] against big-math and asserts it
            // stays below; 64 leaves room for arguments off the grid. See proofs-notes/settings.md section 5.
            return 64;
        }
    }
}
