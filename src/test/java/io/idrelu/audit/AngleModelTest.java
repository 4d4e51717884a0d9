package io.idrelu.audit;

import io.idrelu.model.GaussianSampler;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.MathContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

/**
 * {@link AngleModel#thetaError}: the first-order bound on the error of a fast angle (claim A2,
 * proofs-notes/A2.md). The bound is the specification of the audit, so it is pinned against the formulas
 * of the note written out again here ({@link #expected}), for each model, both precisions, several
 * {@code d} and angles from near 0 to pi/2; and the branch choices (mean value theorem vs Hoelder for acos,
 * {@code rho / sin} vs {@code sqrt(rho)} for the radicand form) are pinned at their switch points.
 */
class AngleModelTest {
    private static final double[] SINES = {0, 1e-12, 1e-9, 1e-6, 1e-4, 1e-2, 0.3, 0.7071, 1};

    /** {@code gamma_n = n u / (1 - n u)} (Higham), written out instead of calling {@link Precision#gamma}. */
    static double gamma(Precision p, long n) {
        double u = p.u();
        return n * u / (1 - n * u);
    }

    /** The bound as stated in proofs-notes/A2.md and the {@link AngleModel} javadoc, {@code en = gamma_d/2 + u}. */
    static double expected(AngleModel m, Precision p, int d, double sin) {
        double u = p.u();
        double gd = gamma(p, d);
        double en = gd / 2 + u;
        switch (m) {
            case KAHAN:
                // dtheta <= 4 (2 en + 2u) + 4 pi u, uniformly in theta
                return 4 * (2 * en + 2 * u) + 4 * Math.PI * u;
            case GRAM_KAHAN:
                // the kernel's hybrid: the larger of Kahan's bound and the Gram route's at sin >= 1/4
                return Math.max(expected(AngleModel.KAHAN, p, d, sin),
                        expected(AngleModel.ATAN2_RADICAND, p, d, Math.max(Math.abs(sin), 0.25)));
            case ATAN2_RADICAND: {
                // radicand |a|^2|b|^2 - <a,b>^2 within rho = 4 gamma_d + 3u (relative to |a|^2|b|^2); the sine it
                // gives is off by at most min(rho / sin, sqrt(rho)); the cosine by gamma_d; atan2 2 ulps of <= pi
                double rho = 4 * gd + 3 * u;
                double ds = sin > 0 ? Math.min(rho / sin, Math.sqrt(rho)) : Math.sqrt(rho);
                return ds + gd + 4 * Math.PI * u;
            }
            default: {
                // dc = gamma_d + 2 en + 3u; min(sqrt2 dc / sin [only if sin^2 > 6 dc], (pi/sqrt2) sqrt(dc)) + 2 pi u
                double dc = gd + 2 * en + 3 * u;
                double holder = Math.PI / Math.sqrt(2) * Math.sqrt(dc);
                double mvt = sin * sin > 6 * dc ? Math.sqrt(2) * dc / sin : Double.POSITIVE_INFINITY;
                return Math.min(mvt, holder) + 2 * Math.PI * u;
            }
        }
    }

    /** Catches any change of a constant or operator in the three formulas (e.g. {@code dc / sin} -> {@code dc * sin}). */
    @Test
    void boundEqualsTheFormulaOfTheNote() {
        for (Precision p : Precision.values()) {
            for (int d : new int[] {1, 2, 3, 7, 100}) {
                for (double s : SINES) {
                    for (AngleModel m : AngleModel.values()) {
                        assertThat(m.thetaError(p, d, s)).as("%s %s d=%d sin=%s", m, p, d, s)
                                .isCloseTo(expected(m, p, d, s), withinPercentage(1e-10));
                    }
                }
            }
        }
    }

    /** Hand values at d = 1 in double, where gamma_1 = u / (1 - u) ~ u: the size of each bound in units of u. */
    @Test
    void handValuesAtDimensionOne() {
        double u = 0x1.0p-53;
        // Kahan: en = u/2 + u = 1.5u, 4 (3u + 2u) + 4 pi u = (20 + 4 pi) u
        assertThat(AngleModel.KAHAN.thetaError(Precision.DOUBLE, 1, 0.5))
                .isCloseTo((20 + 4 * Math.PI) * u, withinPercentage(1e-10));
        // radicand at sin = 1: rho = 7u, min(7u, sqrt(7u)) = 7u, + u + 4 pi u
        assertThat(AngleModel.ATAN2_RADICAND.thetaError(Precision.DOUBLE, 1, 1))
                .isCloseTo((8 + 4 * Math.PI) * u, withinPercentage(1e-10));
        // radicand at sin = 0: sqrt(7u) + u + 4 pi u (half the digits lost)
        assertThat(AngleModel.ATAN2_RADICAND.thetaError(Precision.DOUBLE, 1, 0))
                .isCloseTo(Math.sqrt(7 * u) + (1 + 4 * Math.PI) * u, withinPercentage(1e-10));
        // acos at sin = 1: dc = u + 3u + 3u = 7u, mean value theorem sqrt2 * 7u, + 2 pi u
        assertThat(AngleModel.ACOS.thetaError(Precision.DOUBLE, 1, 1))
                .isCloseTo((7 * Math.sqrt(2) + 2 * Math.PI) * u, withinPercentage(1e-10));
        // acos at sin = 0: Hoelder (pi / sqrt2) sqrt(7u) + 2 pi u
        assertThat(AngleModel.ACOS.thetaError(Precision.DOUBLE, 1, 0))
                .isCloseTo(Math.PI / Math.sqrt(2) * Math.sqrt(7 * u) + 2 * Math.PI * u, withinPercentage(1e-10));
    }

    /**
     * Kahan's bound does not depend on the angle (no loss near 0 or pi), while the other two lose half the
     * digits there: the reason the kernel uses Kahan. Catches a model that silently falls through to another.
     */
    @Test
    void onlyKahanIsUniformInTheAngle() {
        for (Precision p : Precision.values()) {
            double u = p.u();
            assertThat(AngleModel.KAHAN.thetaError(p, 3, 0)).isEqualTo(AngleModel.KAHAN.thetaError(p, 3, 1));
            assertThat(AngleModel.KAHAN.thetaError(p, 3, 0)).isLessThan(50 * u);
            // the kernel's hybrid is uniform too: Kahan near 0 and pi, the Gram route only at sin >= 1/4
            assertThat(AngleModel.GRAM_KAHAN.thetaError(p, 3, 0)).isEqualTo(AngleModel.GRAM_KAHAN.thetaError(p, 3, 0.25));
            assertThat(AngleModel.GRAM_KAHAN.thetaError(p, 3, 0)).isLessThan(100 * u)
                    .isGreaterThanOrEqualTo(AngleModel.KAHAN.thetaError(p, 3, 0));
            for (AngleModel m : new AngleModel[] {AngleModel.ACOS, AngleModel.ATAN2_RADICAND}) {
                assertThat(m.thetaError(p, 3, 0)).as("%s near theta = 0", m).isGreaterThan(Math.sqrt(u));
                assertThat(m.thetaError(p, 3, 1)).as("%s at theta = pi/2", m).isLessThan(50 * u);
            }
        }
    }

    /**
     * ACOS switches from the Hoelder bound to the mean value theorem strictly above {@code sin^2 = 6 dc}.
     * At equality (found exactly in double) the Hoelder bound is used; one step up, the (smaller) MVT bound.
     * Catches {@code >} -> {@code >=} and a dropped branch.
     */
    @Test
    void acosSwitchesToTheMeanValueBoundStrictlyAboveSixDc() {
        int found = 0;
        for (Precision p : Precision.values()) {
            double u = p.u();
            for (int d = 1; d <= 400; d++) {
                double gd = p.gamma(d); // the class's evaluated gamma, so that the switch point is hit exactly
                double en = gd / 2 + u;
                double dc = gd + 2 * en + 3 * u;
                double six = 6 * dc;
                double s0 = Math.sqrt(six);
                for (double s : new double[] {Math.nextDown(s0), s0, Math.nextUp(s0)}) {
                    if (s * s != six) {
                        continue;
                    }
                    found++;
                    double holder = Math.PI / Math.sqrt(2) * Math.sqrt(dc) + 2 * Math.PI * u;
                    assertThat(AngleModel.ACOS.thetaError(p, d, s)).as("%s d=%d at the switch", p, d)
                            .isCloseTo(holder, withinPercentage(1e-10));
                    double up = Math.nextUp(s);
                    assertThat(AngleModel.ACOS.thetaError(p, d, up)).as("just above the switch")
                            .isCloseTo(Math.sqrt(2) * dc / up + 2 * Math.PI * u, withinPercentage(1e-10));
                }
            }
        }
        assertThat(found).as("switch points hit exactly (coverage of the boundary)").isGreaterThan(0);
    }

    /** ATAN2_RADICAND uses rho / sin only where it beats sqrt(rho), i.e. for sin > sqrt(rho). */
    @Test
    void radicandSwitchesAtSinEqualsSqrtRho() {
        Precision p = Precision.FLOAT;
        double u = p.u();
        double gd = gamma(p, 4);
        double rho = 4 * gd + 3 * u;
        double tail = gd + 4 * Math.PI * u;
        assertThat(AngleModel.ATAN2_RADICAND.thetaError(p, 4, 4 * Math.sqrt(rho)))
                .isCloseTo(Math.sqrt(rho) / 4 + tail, withinPercentage(1e-10));
        assertThat(AngleModel.ATAN2_RADICAND.thetaError(p, 4, Math.sqrt(rho) / 4))
                .isCloseTo(Math.sqrt(rho) + tail, withinPercentage(1e-10));
        // a negative sine (not a legal input) still gets the angle-independent sqrt(rho), not a negative bound
        assertThat(AngleModel.ATAN2_RADICAND.thetaError(p, 4, -0.5)).isCloseTo(Math.sqrt(rho) + tail, withinPercentage(1e-10));
    }

    /** The fast angle of each model, evaluated in the precision {@code p} (float: every operation rounded to float). */
    static double fastAngle(AngleModel m, Precision p, double[] a, double[] b) {
        boolean f = p == Precision.FLOAT;
        double aa = 0;
        double bb = 0;
        double ab = 0;
        for (int r = 0; r < a.length; r++) {
            aa = rnd(f, aa + rnd(f, a[r] * a[r]));
            bb = rnd(f, bb + rnd(f, b[r] * b[r]));
            ab = rnd(f, ab + rnd(f, a[r] * b[r]));
        }
        double na = rnd(f, Math.sqrt(aa));
        double nb = rnd(f, Math.sqrt(bb));
        switch (m) {
            case ACOS:
                return rnd(f, Math.acos(Math.max(-1, Math.min(1, rnd(f, ab / rnd(f, na * nb))))));
            case ATAN2_RADICAND:
                return rnd(f, Math.atan2(rnd(f, Math.sqrt(Math.max(0, rnd(f, rnd(f, aa * bb) - rnd(f, ab * ab))))), ab));
            default: {
                double sm = 0;
                double sp = 0;
                for (int r = 0; r < a.length; r++) {
                    double mi = rnd(f, rnd(f, nb * a[r]) - rnd(f, na * b[r]));
                    double pl = rnd(f, rnd(f, nb * a[r]) + rnd(f, na * b[r]));
                    sm = rnd(f, sm + rnd(f, mi * mi));
                    sp = rnd(f, sp + rnd(f, pl * pl));
                }
                return rnd(f, 2 * rnd(f, Math.atan2(rnd(f, Math.sqrt(sm)), rnd(f, Math.sqrt(sp)))));
            }
        }
    }

    private static double rnd(boolean toFloat, double x) {
        return toFloat ? (float) x : x;
    }

    /** Exact angle of the (already rounded) inputs: atan2(sqrt(|a|^2|b|^2 - <a,b>^2), <a,b>) in BigDecimal. */
    static double exactAngle(double[] a, double[] b) {
        MathContext mc = new MathContext(40);
        BigDecimal aa = BigDecimal.ZERO;
        BigDecimal bb = BigDecimal.ZERO;
        BigDecimal ab = BigDecimal.ZERO;
        for (int r = 0; r < a.length; r++) {
            BigDecimal x = new BigDecimal(a[r]);
            BigDecimal y = new BigDecimal(b[r]);
            aa = aa.add(x.multiply(x));
            bb = bb.add(y.multiply(y));
            ab = ab.add(x.multiply(y));
        }
        BigDecimal rad = aa.multiply(bb).subtract(ab.multiply(ab));
        BigDecimal s = rad.signum() == 0 ? BigDecimal.ZERO : rad.sqrt(mc);
        return ch.obermuhlner.math.big.BigDecimalMath.atan2(s, ab, mc).doubleValue();
    }

    /**
     * VALIDITY: the bound holds for the algorithm it describes, on Gaussian pairs and on the adversarial
     * shapes (b = +-a + eps g with eps down to 1e-9: angles near 0 and pi, where acos and the radicand form
     * lose half the digits), d = 1..8, both precisions. Catches a bound that was tightened below the real
     * error (e.g. a dropped sqrt(dc) branch). Coverage of the near-0 and near-pi angles is asserted.
     */
    @Test
    void boundHoldsForTheAlgorithmItDescribes() {
        int[] nearZeroOrPi = {0};
        double[] worst = {0};
        qt().withFixedSeed(20261129L).withExamples(400).forAll(integers().between(1, 8), longs().between(0, 1_000_000),
                integers().between(0, 6)).checkAssert((d, seed, shape) -> {
            GaussianSampler g = new GaussianSampler(seed);
            double[] a = g.batch(1, d);
            double[] e = g.batch(1, d);
            double eps = shape == 0 ? 1 : Math.pow(10, -3 * ((shape + 1) / 2));
            double sign = shape % 2 == 0 ? -1 : 1;
            for (Precision p : Precision.values()) {
                double[] af = new double[d];
                double[] bf = new double[d];
                for (int r = 0; r < d; r++) {
                    af[r] = p == Precision.FLOAT ? (float) a[r] : a[r];
                    double b = shape == 0 ? e[r] : sign * a[r] + eps * e[r];
                    bf[r] = p == Precision.FLOAT ? (float) b : b;
                }
                double th = exactAngle(af, bf);
                if (th < 1e-2 || th > Math.PI - 1e-2) {
                    nearZeroOrPi[0]++;
                }
                double s = Math.sin(th);
                for (AngleModel m : AngleModel.values()) {
                    double err = Math.abs(fastAngle(m, p, af, bf) - th);
                    double bound = m.thetaError(p, d, s);
                    worst[0] = Math.max(worst[0], err / bound);
                    assertThat(err).as("%s %s d=%d seed=%d shape=%d theta=%s", m, p, d, seed, shape, th)
                            .isLessThanOrEqualTo(bound);
                }
            }
        });
        assertThat(nearZeroOrPi[0]).as("angles within 1e-2 of 0 or pi were met").isGreaterThan(100);
        assertThat(worst[0]).as("the bounds are not vacuous").isGreaterThan(1e-3);
    }
}
