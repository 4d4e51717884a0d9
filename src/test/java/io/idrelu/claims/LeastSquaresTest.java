package io.idrelu.claims;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** {@link LeastSquares}, the line fit behind C6's and C12's growth exponents, on hand-computed data. */
class LeastSquaresTest {
    // x = 0..3, y = 1, 3, 2, 5: mean x 1.5, mean y 2.75, Sxx = 5, Sxy = 5.5, so b = 1.1; residuals about the
    // centred line -0.1, 0.8, -1.3, 0.6, RSS = 2.7, se = sqrt(2.7 / 2 / 5) = sqrt(0.27)
    private static final double[] X = {0, 1, 2, 3};
    private static final double[] Y = {1, 3, 2, 5};

    @Test
    void slopeAndStandardErrorByHand() {
        LeastSquares.Fit f = LeastSquares.fit(X, Y);
        assertThat(f.slope()).isCloseTo(1.1, within(1e-15));
        assertThat(f.standardError()).isCloseTo(Math.sqrt(0.27), within(1e-15));
        assertThat(f.n()).isEqualTo(4);
        // control: moving one point moves the slope (the fit reads every point)
        assertThat(LeastSquares.fit(X, new double[] {1, 3, 2, 6}).slope()).isCloseTo(1.4, within(1e-15));
    }

    @Test
    void slopeIntervalUsesStudentT() {
        // t quantile with 2 degrees of freedom at 0.975: 4.302652729911275 (tables)
        Interval i = LeastSquares.fit(X, Y).slopeInterval(0.95);
        double half = 4.302652729911275 * Math.sqrt(0.27);
        // Commons Math inverts the t distribution with a solver of absolute accuracy 1e-9 (its default)
        double tol = 1e-9 * Math.sqrt(0.27);
        assertThat(i.mean()).isCloseTo(1.1, within(1e-15));
        assertThat(i.low()).isCloseTo(1.1 - half, within(tol));
        assertThat(i.high()).isCloseTo(1.1 + half, within(tol));
        assertThat(i.n()).isEqualTo(4);
    }

    @Test
    void twoPointsHaveASlopeButNoInterval() {
        LeastSquares.Fit f = LeastSquares.fit(new double[] {0, 2}, new double[] {1, 2});
        assertThat(f.slope()).isEqualTo(0.5);
        assertThat(f.standardError()).isNaN();
        assertThatThrownBy(() -> f.slopeInterval(0.95)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 3");
    }

    @Test
    void anExactLineHasZeroStandardError() {
        LeastSquares.Fit f = LeastSquares.fit(X, new double[] {1, 3, 5, 7});
        assertThat(f.slope()).isEqualTo(2.0);
        assertThat(f.standardError()).isZero();
    }
}
