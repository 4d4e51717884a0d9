package io.idrelu.reference;

import ch.obermuhlner.math.big.BigDecimalMath;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Closed-form population loss, gradient and potential for Gaussian input (MATH.md section 2, from
 * [LY17] section 2 and the kernel {@code kappa} of the arc-cosine type) at a requested number of
 * significant digits {@code p}: each returned value is within {@code 10^-p} times the magnitude of the
 * terms it sums (see {@link PopulationValues} and proofs-notes/reference-error-bound.md). Oracle for
 * claims C1 to C5 and A2.
 *
 * <p>How the bound is kept, in short. Every pair {@code (a, b)} of units enters only through the exact
 * Gram entries {@code |a|^2, |b|^2, c = <a,b>} and two rounded numbers: {@code s = |a||b| sin th =
 * sqrt(|a|^2|b|^2 - c^2)} (radicand exact) and one angle, {@code th = atan2(s, c)} when {@code c > 0}
 * or {@code pi - th = atan2(s, -c)} when {@code c < 0}, so the small one of {@code th} and
 * {@code pi - th} is never obtained by cancellation. The part of {@code (pi - th)} that is a multiple of
 * {@code pi} is carried exactly (so {@code kappa(a,a) = |a|^2/2} exactly, {@code th = 0} on the
 * diagonal because the radicand is exactly 0), the rest is summed exactly (BigDecimal with no
 * MathContext) and divided by {@code pi} once. Only {@code sqrt}, {@code atan2}, {@code pi} and that last
 * division round, each at {@code p + GUARD_DIGITS} digits.
 *
 * <p><b>Zero units.</b> If {@code u_j = 0} every {@code kappa} term containing it is 0, and the gradient
 * column {@code j} is defined as 0: that is the expectation of the batch gradient column, whose indicator
 * {@code <0, x> > 0} is never 1 (MATH.md section 1). {@code L} is not differentiable there; this is a
 * convention, not a derivative. A zero teacher unit {@code v_k = 0} simply contributes nothing.
 *
 * <p>Instances are immutable and thread-safe; {@code pi} is computed once per working precision.
 */
public final class PopulationReference {
    /**
     * Extra digits carried beyond {@code p}. Per value the rounding budget is a few units in the last
     * carried place from {@code sqrt}, {@code atan2}, {@code pi}, one division by {@code |u_j|^2} and the
     * final division by {@code pi}; summation is exact, so the guard does not depend on {@code d}.
     */
    public static final int GUARD_DIGITS = 8;

    private static final BigDecimal HALF = new BigDecimal("0.5");
    private static final BigDecimal TWO = BigDecimal.valueOf(2);
    /** pi per working precision, shared by all instances (computing it is the costliest part of a small call). */
    private static final ConcurrentHashMap<Integer, BigDecimal> PI = new ConcurrentHashMap<>();
    private static final MathContext SCALE_MC = new MathContext(16, RoundingMode.HALF_EVEN);

    /** Deliberately wrong formulas for negative controls in tests only; production code uses {@link #NONE}. */
    enum Mutation {
        NONE,
        /** {@code (pi - th)} replaced by {@code (pi/2 - th)}. */
        HALF_PI,
        /** the {@code sin th} terms dropped. */
        DROP_SIN,
        /** {@code th = acos(c / (|a||b|))} from a rounded cosine and {@code pi - th} by subtraction. */
        ACOS_ANGLE,
        /** the teacher cross terms with the wrong sign. */
        TEACHER_SIGN
    }

    private final int digits;
    private final MathContext mc;
    private final BigDecimal pi;
    private final Mutation mutation;

    /** @param digits requested significant digits {@code p >= 1} */
    public PopulationReference(int digits) {
        this(digits, GUARD_DIGITS, Mutation.NONE);
    }

    /** Test seam: another guard (may be negative, to show the bound then fails) or a wrong formula. */
    PopulationReference(int digits, int guardDigits, Mutation mutation) {
        if (digits < 1 || digits > 10_000) {
            throw new IllegalArgumentException("digits = " + digits + ": expected 1 <= digits <= 10000");
        }
        this.digits = digits;
        this.mc = new MathContext(Math.max(2, digits + guardDigits), RoundingMode.HALF_EVEN);
        this.pi = PI.computeIfAbsent(mc.getPrecision(), q -> BigDecimalMath.pi(mc));
        this.mutation = mutation;
    }

    public int digits() {
        return digits;
    }

    /** {@code L(W) = E[(f(x,W) - f(x,W*))^2]} (no 1/2). */
    public BigDecimal loss(boolean identity, BigDecimal[][] w, BigDecimal[][] wStar) {
        return compute(identity, w, wStar, false).loss();
    }

    /** {@code dL/dW[r][j]} in true units, same orientation as {@code W}; column {@code j} is 0 when {@code u_j = 0}. */
    public BigDecimal[][] gradient(boolean identity, BigDecimal[][] w, BigDecimal[][] wStar) {
        return compute(identity, w, wStar, true).gradient();
    }

    /**
     * The paper's displayed {@code B = -pi dL/dW} (paper units), same orientation as {@code W}; accurate to
     * {@code 10^-p} times {@code pi} times the gradient's scale.
     */
    public BigDecimal[][] paperGradient(boolean identity, BigDecimal[][] w, BigDecimal[][] wStar) {
        BigDecimal[][] g = gradient(identity, w, wStar);
        BigDecimal minusPi = pi.negate();
        for (BigDecimal[] row : g) {
            for (int j = 0; j < row.length; j++) {
                row[j] = row[j].multiply(minusPi, mc);
            }
        }
        return g;
    }

    /**
     * {@code -pi} times a gradient this instance returned ({@link #evaluate}), each entry rounded to the working
     * precision: the paper's {@code B} without evaluating the closed form again.
     */
    public BigDecimal[][] paperGradient(BigDecimal[][] gradient) {
        BigDecimal minusPi = pi.negate();
        BigDecimal[][] out = new BigDecimal[gradient.length][];
        for (int r = 0; r < gradient.length; r++) {
            out[r] = new BigDecimal[gradient[r].length];
            for (int j = 0; j < gradient[r].length; j++) {
                out[r][j] = gradient[r][j].multiply(minusPi, mc);
            }
        }
        return out;
    }

    /** Potential {@code g(W) = sum_i (|v_i| - |u_i|)}. */
    public BigDecimal potential(boolean identity, BigDecimal[][] w, BigDecimal[][] wStar) {
        return compute(identity, w, wStar, false).potential();
    }

    /** Loss, gradient and potential in one pass, sharing the pair angles, with the scales of the bound. */
    public PopulationValues evaluate(boolean identity, BigDecimal[][] w, BigDecimal[][] wStar) {
        return compute(identity, w, wStar, true);
    }

    /**
     * {@code kappa(a, b) = E[relu(<a,x>) relu(<b,x>)] = (|a||b| sin th + (pi - th)<a,b>)/(2 pi)}, within
     * {@code 10^-p (|a||b| sin th + (pi - th)|<a,b>|)/(2 pi)}: relative accuracy near {@code th = pi} too.
     */
    public BigDecimal kappa(BigDecimal[] a, BigDecimal[] b) {
        if (a == null || b == null || a.length != b.length || a.length == 0) {
            throw new IllegalArgumentException("kappa needs two vectors of the same length >= 1, got lengths "
                    + (a == null ? "null" : a.length) + " and " + (b == null ? "null" : b.length));
        }
        Pair p = pair(dot(a, a), dot(b, b), dot(a, b));
        if (p == null) {
            return BigDecimal.ZERO;
        }
        BigDecimal exact = p.piMultiple.multiply(p.c).divide(TWO);
        BigDecimal rest = p.s.add(p.angle.multiply(p.c));
        return exact.add(rest.divide(pi.multiply(TWO), mc), mc);
    }

    /**
     * One pair's rounded quantities. {@code pi - th = piMultiple * pi + angle}, with {@code piMultiple}
     * exact ({@code 1} when {@code c > 0}, {@code 1/2} when {@code c = 0}, {@code 0} when {@code c < 0})
     * and {@code angle} the rounded rest ({@code -th}, {@code 0}, {@code pi - th} respectively).
     */
    private record Pair(BigDecimal c, BigDecimal s, BigDecimal piMultiple, BigDecimal angle, double sDouble, double phiDouble) {
        Pair(BigDecimal c, BigDecimal s, BigDecimal piMultiple, BigDecimal angle) {
            // magnitudes only need a few digits: doubles, computed once per pair, not once per entry
            this(c, s, piMultiple, angle, approx(s), piMultiple.doubleValue() * Math.PI + approx(angle));
        }
    }

    /** A double approximation; rounds to 15 digits first so BigDecimal takes its fast conversion path. */
    private static double approx(BigDecimal x) {
        return x.signum() == 0 ? 0 : x.round(APPROX_MC).doubleValue();
    }

    private static final MathContext APPROX_MC = new MathContext(15, RoundingMode.HALF_EVEN);

    /** Pair quantities, or {@code null} if one vector is 0 (every term with it vanishes). */
    private Pair pair(BigDecimal na, BigDecimal nb, BigDecimal c) {
        if (na.signum() == 0 || nb.signum() == 0) {
            return null;
        }
        BigDecimal radicand = na.multiply(nb).subtract(c.multiply(c)); // exact, >= 0 by Cauchy-Schwarz
        assert radicand.signum() >= 0 : radicand;
        BigDecimal s = radicand.signum() == 0 ? BigDecimal.ZERO : sqrt(radicand);
        BigDecimal piMultiple;
        BigDecimal angle;
        if (mutation == Mutation.ACOS_ANGLE) {
            BigDecimal cos = c.divide(na.multiply(nb).sqrt(mc), mc).max(BigDecimal.ONE.negate()).min(BigDecimal.ONE);
            piMultiple = BigDecimal.ONE;
            angle = BigDecimalMath.acos(cos, mc).negate();
        } else if (c.signum() > 0) {
            piMultiple = BigDecimal.ONE;
            angle = s.signum() == 0 ? BigDecimal.ZERO : Angles.atanRatio(s, c, mc).negate();
        } else if (c.signum() == 0) {
            piMultiple = HALF;
            angle = BigDecimal.ZERO;
        } else {
            piMultiple = BigDecimal.ZERO;
            angle = s.signum() == 0 ? BigDecimal.ZERO : Angles.atanRatio(s, c.negate(), mc);
        }
        if (mutation == Mutation.HALF_PI) {
            piMultiple = piMultiple.subtract(HALF);
        }
        if (mutation == Mutation.DROP_SIN) {
            s = BigDecimal.ZERO;
        }
        return new Pair(c, s, piMultiple, angle);
    }

    /**
     * {@code sqrt(x)} for an exact {@code x = U 10^-sc > 0}, rounded to {@code mc}, with no decimal division before the
     * last rounding: with {@code e = sc} or {@code sc + 1} even and {@code N = U 10^(e - sc + 2j)} an integer of at least
     * {@code 2 mc + 4} digits ({@code j >= 0}), {@code sqrt(x) = sqrt(N) 10^-(e/2 + j)}. The integer root
     * ({@link java.math.BigInteger#sqrt}, binary Newton) truncates by less than one unit of a number of at least
     * {@code mc + 2} digits: below {@code 10^-(mc+1)} relative; then one correct rounding to {@code mc}. So within
     * {@code u + 10^-(mc+1)} relative ({@code u} half a unit in the last place), as the former rounded-radicand
     * {@code BigDecimal.sqrt}, whose decimal divisions dominated the reference's cost.
     */
    private BigDecimal sqrt(BigDecimal x) {
        java.math.BigInteger n = x.unscaledValue();
        int e = x.scale();
        if ((e & 1) != 0) {
            n = n.multiply(java.math.BigInteger.TEN);
            e++;
        }
        int short2 = 2 * mc.getPrecision() + 4 - x.precision() - 1;
        if (short2 > 0) {
            int j = (short2 + 1) / 2;
            n = n.multiply(java.math.BigInteger.TEN.pow(2 * j));
            e += 2 * j;
        }
        return new BigDecimal(n.sqrt(), e / 2).round(mc);
    }

    private PopulationValues compute(boolean identity, BigDecimal[][] w, BigDecimal[][] wStar, boolean wantGradient) {
        int d = ExactBatch.checkSquare("W", w);
        int dStar = ExactBatch.checkSquare("W*", wStar);
        if (dStar != d) {
            throw new IllegalArgumentException("W* is " + dStar + " x " + dStar + " != W's " + d + " x " + d);
        }
        BigDecimal[][] u = units(identity, w);
        BigDecimal[][] v = units(true, wStar);
        int shift = decimalShift(u, v);
        if (shift == 0) {
            return computeUnits(u, v, wantGradient);
        }
        // Far from 1 the double magnitudes (scales, never the values) would overflow or underflow: compute at
        // (U, V) / 10^shift, exact in BigDecimal, and scale back by homogeneity (kappa(ca, cb) = c^2 kappa(a, b)):
        // L and its scale by 10^(2 shift), the gradient, the potential and their scales by 10^shift. The digits
        // are those of the unshifted computation: BigDecimal rounds in decimal digits, which the shift keeps.
        PopulationValues r = computeUnits(shifted(u, -shift), shifted(v, -shift), wantGradient);
        return new PopulationValues(r.digits(), r.loss().scaleByPowerOfTen(2 * shift), r.lossScale().scaleByPowerOfTen(2 * shift),
                r.gradient() == null ? null : shifted(r.gradient(), shift),
                r.gradientScale() == null ? null : shifted(r.gradientScale(), shift),
                r.potential().scaleByPowerOfTen(shift), r.potentialScale().scaleByPowerOfTen(shift));
    }

    /** Largest |entry| beyond which (or below which, if non-zero) {@link #compute} shifts the problem to magnitude 1. */
    static final int SHIFT_EXPONENT = 100;

    /** {@code 0} when every non-zero entry's magnitude is within {@code 10^+-SHIFT_EXPONENT} of 1, else the exponent of the largest. */
    static int decimalShift(BigDecimal[][] u, BigDecimal[][] v) {
        BigDecimal max = BigDecimal.ZERO;
        for (BigDecimal[][] m : new BigDecimal[][][] {u, v}) {
            for (BigDecimal[] row : m) {
                for (BigDecimal x : row) {
                    if (x.abs().compareTo(max) > 0) {
                        max = x.abs();
                    }
                }
            }
        }
        if (max.signum() == 0) {
            return 0;
        }
        int exponent = max.precision() - max.scale() - 1; // max = m * 10^exponent, 1 <= m < 10
        return Math.abs(exponent) > SHIFT_EXPONENT ? exponent : 0;
    }

    private static BigDecimal[][] shifted(BigDecimal[][] m, int powerOfTen) {
        BigDecimal[][] out = new BigDecimal[m.length][];
        for (int i = 0; i < m.length; i++) {
            out[i] = new BigDecimal[m[i].length];
            for (int j = 0; j < m[i].length; j++) {
                out[i][j] = m[i][j].scaleByPowerOfTen(powerOfTen);
            }
        }
        return out;
    }

    private PopulationValues computeUnits(BigDecimal[][] u, BigDecimal[][] v, boolean wantGradient) {
        int d = u.length;
        BigDecimal[] nu = new BigDecimal[d];
        BigDecimal[] nv = new BigDecimal[d];
        for (int i = 0; i < d; i++) {
            nu[i] = dot(u[i], u[i]);
            nv[i] = dot(v[i], v[i]);
        }
        Pair[][] uu = new Pair[d][d];
        Pair[][] uv = new Pair[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = i; j < d; j++) {
                uu[i][j] = pair(nu[i], nu[j], dot(u[i], u[j]));
                uu[j][i] = uu[i][j];
            }
            for (int k = 0; k < d; k++) {
                uv[i][k] = pair(nu[i], nv[k], dot(u[i], v[k]));
            }
        }
        BigDecimal cross = mutation == Mutation.TEACHER_SIGN ? TWO : TWO.negate();

        // L = sum_{ij} kappa(u_i,u_j) - 2 kappa(u_i,v_j) + kappa(v_i,v_j), kappa = (pi*m*c)/(2pi) + (s + angle*c)/(2pi)
        LossSum loss = new LossSum();
        for (int i = 0; i < d; i++) {
            loss.add(uu[i][i], BigDecimal.ONE);
            loss.add(pair(nv[i], nv[i], nv[i]), BigDecimal.ONE);
            for (int j = 0; j < d; j++) {
                loss.add(uv[i][j], cross);
            }
            for (int j = i + 1; j < d; j++) { // kappa is symmetric: off-diagonal pairs count twice
                loss.add(uu[i][j], TWO);
                loss.add(pair(nv[i], nv[j], dot(v[i], v[j])), TWO);
            }
        }
        BigDecimal twoPi = pi.multiply(TWO);
        BigDecimal lossValue = loss.exact.divide(TWO).add(loss.rest.divide(twoPi, mc), mc);
        BigDecimal lossScale = new BigDecimal(loss.scale / (2 * Math.PI)).round(SCALE_MC);

        BigDecimal[][] grad = null;
        BigDecimal[][] gradScale = null;
        if (wantGradient) {
            grad = new BigDecimal[d][d];
            gradScale = new BigDecimal[d][d];
            BigDecimal teacherSign = cross.divide(TWO); // -1 normally, +1 when mutated
            double[][] uD = approx(u);
            double[][] vD = approx(v);
            for (int j = 0; j < d; j++) {
                gradientColumn(j, u, v, uD, vD, nu[j], uu[j], uv[j], teacherSign, grad, gradScale);
            }
        }

        BigDecimal potentialExact = BigDecimal.ZERO;
        BigDecimal potentialScale = BigDecimal.ZERO;
        for (int i = 0; i < d; i++) {
            BigDecimal a = nv[i].sqrt(mc);
            BigDecimal b = nu[i].sqrt(mc);
            potentialExact = potentialExact.add(a).subtract(b);
            potentialScale = potentialScale.add(a).add(b);
        }
        return new PopulationValues(digits, lossValue, lossScale, grad, gradScale,
                potentialExact.round(mc), potentialScale.round(SCALE_MC));
    }

    /**
     * Column {@code j} of {@code dL/dW} (MATH.md section 2):
     * {@code (1/pi) sum_k [(pi - th_jk) u_k + s_jk/|u_j|^2 u_j] - (1/pi) sum_k [(pi - th'_jk) v_k + s'_jk/|u_j|^2 u_j]},
     * using {@code |b| sin th / |a| = s / |a|^2} so no norm is rounded.
     */
    private void gradientColumn(int j, BigDecimal[][] u, BigDecimal[][] v, double[][] uD, double[][] vD, BigDecimal nuj,
                                Pair[] uuRow, Pair[] uvRow, BigDecimal teacherSign, BigDecimal[][] grad, BigDecimal[][] gradScale) {
        int d = u.length;
        if (nuj.signum() == 0) {
            for (int r = 0; r < d; r++) { // zero-unit convention, see class javadoc
                grad[r][j] = BigDecimal.ZERO;
                gradScale[r][j] = BigDecimal.ZERO;
            }
            return;
        }
        BigDecimal[] exact = new BigDecimal[d];   // coefficient of 1 (the pi multiples, carried exactly)
        BigDecimal[] rest = new BigDecimal[d];    // coefficient of 1/pi
        double[] scale = new double[d];           // sum of |terms| * pi, in double: a bound, not audited
        for (int r = 0; r < d; r++) {
            exact[r] = BigDecimal.ZERO;
            rest[r] = BigDecimal.ZERO;
        }
        BigDecimal sinSum = BigDecimal.ZERO;
        double sinScale = 0;
        double piD = Math.PI;
        for (int k = 0; k < d; k++) {
            for (int t = 0; t < 2; t++) {
                Pair p = t == 0 ? uuRow[k] : uvRow[k];
                if (p == null) {
                    continue;
                }
                BigDecimal[] other = t == 0 ? u[k] : v[k];
                BigDecimal sign = t == 0 ? BigDecimal.ONE : teacherSign;
                double phi = p.phiDouble;
                double[] otherD = t == 0 ? uD[k] : vD[k];
                for (int r = 0; r < d; r++) {
                    if (other[r].signum() == 0) {
                        continue;
                    }
                    BigDecimal term = sign.multiply(other[r]);
                    if (p.piMultiple.signum() != 0) {
                        exact[r] = exact[r].add(p.piMultiple.multiply(term));
                    }
                    rest[r] = rest[r].add(p.angle.multiply(term));
                    scale[r] += Math.abs(phi * otherD[r]);
                }
                sinSum = sinSum.add(sign.multiply(p.s));
                sinScale += p.sDouble;
            }
        }
        BigDecimal sinCoefficient = sinSum.divide(nuj, mc);
        double sinCoefficientScale = sinScale / approx(nuj);
        for (int r = 0; r < d; r++) {
            BigDecimal withSin = rest[r].add(sinCoefficient.multiply(u[j][r]));
            grad[r][j] = exact[r].add(withSin.divide(pi, mc), mc);
            double sc = (scale[r] + sinCoefficientScale * Math.abs(uD[j][r])) / piD;
            if (!Double.isFinite(sc)) {
                // |u_j|^2 underflowed in double (entries of very different magnitudes, e.g. after a decimal shift):
                // the same magnitude in the other order, |u_j[r]| / |u_j|^2 first (in BigDecimal), then times sinScale
                sc = (scale[r] + sinScale * u[j][r].abs().divide(nuj, SCALE_MC).doubleValue()) / piD;
            }
            gradScale[r][j] = new BigDecimal(sc).round(SCALE_MC);
        }
    }

    /** Exact accumulators of L: {@code L = exact/2 + rest/(2 pi)}; {@code scale} times {@code 1/(2 pi)} is the magnitude. */
    private final class LossSum {
        BigDecimal exact = BigDecimal.ZERO;
        BigDecimal rest = BigDecimal.ZERO;
        double scale;

        void add(Pair p, BigDecimal weight) {
            if (p == null) {
                return;
            }
            BigDecimal wc = weight.multiply(p.c);
            if (p.piMultiple.signum() != 0) {
                exact = exact.add(p.piMultiple.multiply(wc));
            }
            rest = rest.add(weight.multiply(p.s)).add(p.angle.multiply(wc));
            scale += Math.abs(weight.doubleValue()) * (p.sDouble + Math.abs(p.phiDouble * approx(p.c)));
        }
    }

    private static double[][] approx(BigDecimal[][] m) {
        double[][] out = new double[m.length][];
        for (int i = 0; i < m.length; i++) {
            out[i] = new double[m[i].length];
            for (int r = 0; r < m[i].length; r++) {
                out[i][r] = approx(m[i][r]);
            }
        }
        return out;
    }

    /** Unit {@code i} = column {@code i} of {@code I + W} (identity) or of {@code W} (vanilla). */
    private static BigDecimal[][] units(boolean identity, BigDecimal[][] w) {
        int d = w.length;
        BigDecimal[][] u = new BigDecimal[d][d];
        for (int i = 0; i < d; i++) {
            for (int r = 0; r < d; r++) {
                u[i][r] = identity && r == i ? w[r][i].add(BigDecimal.ONE) : w[r][i];
            }
        }
        return u;
    }

    private static BigDecimal dot(BigDecimal[] a, BigDecimal[] b) {
        BigDecimal acc = BigDecimal.ZERO;
        for (int r = 0; r < a.length; r++) {
            acc = acc.add(a[r].multiply(b[r]));
        }
        return acc;
    }
}
