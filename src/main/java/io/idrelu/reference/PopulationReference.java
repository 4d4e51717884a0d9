package io.idrelu.reference;

import ch.obermuhlner.math.big.BigDecimalMath;
import io.idrelu.kernel.Parallel;

import java.math.BigDecimal;
import java.math.BigInteger;
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
 * division round, in binary at {@code p + BINARY_GUARD_DIGITS} digits, and the one decimal rounding of each output
 * at {@code p + GUARD_DIGITS} digits (proofs-notes/reference-error-bound.md section 3).
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
     * Extra digits of the one decimal rounding of each output ({@code p + GUARD_DIGITS}). The binary pipeline before it
     * carries {@link #BINARY_GUARD_DIGITS}: per value the rounding budget is under one unit of {@code 10^-(p+2)} times the
     * value's scale from {@code sqrt}, {@code atan2}, {@code pi}, one division by {@code |u_j|^2} and the final division
     * by {@code pi}; summation is exact, so neither guard depends on {@code d}.
     */
    public static final int GUARD_DIGITS = 8;

    /**
     * Decimal digits beyond {@code p} that the binary pair pipeline carries ({@code 2^-bits <= 10^-(p+2)}): its errors
     * add up to less than {@code 10^-(p+2) M}, a hundredth of the stated bound (note, section 3). Only the final decimal
     * rounding uses all {@link #GUARD_DIGITS}, so the printed digits do not depend on this choice.
     */
    static final int BINARY_GUARD_DIGITS = 2;

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
    /** Binary precision of the pair pipeline: {@code 2^-bits <= 10^-(p + min(guard, BINARY_GUARD_DIGITS))} (note, section 3). */
    private final int bits;
    /**
     * {@code 1/pi} and {@code 1/(2 pi)} in binary, relative error {@code < 2^-(bits+22)} ({@link Angles#inversePi}): each
     * output is multiplied by one and truncated (a product, where a division by {@code pi} was ~10% of the divisions).
     */
    private final Dyadic inversePi;
    private final Dyadic inverseTwoPi;

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
        this.bits = Angles.bitsFor(Math.max(2, digits + Math.min(guardDigits, BINARY_GUARD_DIGITS)));
        this.inversePi = Angles.inversePi(bits);
        this.inverseTwoPi = new Dyadic(inversePi.mantissa(), inversePi.exponent() - 1);
    }

    public int digits() {
        return digits;
    }

    /** {@code L(W) = E[(f(x,W) - f(x,W*))^2]} (no 1/2). */
    public BigDecimal loss(boolean identity, BigDecimal[][] w, BigDecimal[][] wStar) {
        return compute(identity, w, wStar, false, Parallel.SERIAL).loss();
    }

    /** {@code dL/dW[r][j]} in true units, same orientation as {@code W}; column {@code j} is 0 when {@code u_j = 0}. */
    public BigDecimal[][] gradient(boolean identity, BigDecimal[][] w, BigDecimal[][] wStar) {
        return compute(identity, w, wStar, true, Parallel.SERIAL).gradient();
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
        return compute(identity, w, wStar, false, Parallel.SERIAL).potential();
    }

    /** Loss, gradient and potential in one pass, sharing the pair angles, with the scales of the bound. */
    public PopulationValues evaluate(boolean identity, BigDecimal[][] w, BigDecimal[][] wStar) {
        return compute(identity, w, wStar, true, Parallel.SERIAL);
    }

    /**
     * {@link #evaluate(boolean, BigDecimal[][], BigDecimal[][])} spread over {@code parallel}'s threads, the same values
     * for every thread count: each task owns whole outputs (the pairs of one unit {@code i}, one gradient column
     * {@code j}) and computes them exactly as the serial code does (every rounding is per pair or per output, never split
     * across tasks); the loss and the potential are summed exactly on the caller, in the serial order, afterwards.
     */
    public PopulationValues evaluate(boolean identity, BigDecimal[][] w, BigDecimal[][] wStar, Parallel parallel) {
        return compute(identity, w, wStar, true, parallel);
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
        ScaledIntegers scaled = ScaledIntegers.of(new BigDecimal[][] {a, b});
        BigInteger[] ai = scaled.values()[0][0];
        BigInteger[] bi = scaled.values()[0][1];
        Pair p = pair(dot(ai, ai), dot(bi, bi), dot(ai, bi), scaled);
        if (p == null) {
            return BigDecimal.ZERO;
        }
        Dyadic exact = new Dyadic(p.c.multiply(BigInteger.valueOf(p.halves)), -2); // (halves/2) pi c / (2 pi)
        Dyadic rest = p.s.add(p.angle.multiply(p.c));
        return scaled.toBigDecimal(exact.add(rest.truncate(bits).multiply(inverseTwoPi).truncate(bits)), 2, mc);
    }

    /**
     * One pair's quantities, for the pair's integer Gram data (inputs {@code X f}, {@link ScaledIntegers}, so the true
     * values are {@code c f^2} and {@code s f^2}). {@code pi - th = (halves/2) pi + angle}, with {@code halves} exact
     * ({@code 2} when {@code c > 0}, {@code 1} when {@code c = 0}, {@code 0} when {@code c < 0}) and {@code angle} the
     * rounded rest ({@code -th}, {@code 0}, {@code pi - th} respectively; no decimal factor: an angle is scale-free).
     * The doubles are magnitudes in true units, computed once per pair.
     */
    private record Pair(BigInteger c, Dyadic s, int halves, Dyadic angle, double sDouble, double phiDouble, double cDouble) {
    }

    /**
     * Pair quantities from the exact integer Gram entries {@code na = |a|^2, nb = |b|^2, c = <a,b>} (true values over
     * {@code f^2}), or {@code null} if one vector is 0 (every term with it vanishes). Binary throughout: the
     * radicand is an exact integer, {@code s} its truncated integer root ({@link Dyadic#sqrtOf}), the angle
     * {@link Angles#atanRatio(Dyadic, Dyadic, int)} of the ratio {@code s/|c|} in which {@code f^2} cancels.
     */
    private Pair pair(BigInteger na, BigInteger nb, BigInteger c, ScaledIntegers scale) {
        if (na.signum() == 0 || nb.signum() == 0) {
            return null;
        }
        BigInteger radicand = na.multiply(nb).subtract(c.multiply(c)); // exact, >= 0 by Cauchy-Schwarz
        assert radicand.signum() >= 0 : radicand;
        Dyadic s = radicand.signum() == 0 ? Dyadic.ZERO : Dyadic.sqrtOf(radicand, bits);
        int halves;
        Dyadic angle;
        if (mutation == Mutation.ACOS_ANGLE) {
            BigDecimal cos = new BigDecimal(c).divide(new BigDecimal(na.multiply(nb)).sqrt(mc), mc)
                    .max(BigDecimal.ONE.negate()).min(BigDecimal.ONE);
            halves = 2;
            angle = Dyadic.fromBigDecimal(BigDecimalMath.acos(cos, mc), bits).negate();
        } else if (c.signum() > 0) {
            halves = 2;
            angle = s.signum() == 0 ? Dyadic.ZERO : Angles.atanRatio(s, Dyadic.of(c), bits).negate();
        } else if (c.signum() == 0) {
            halves = 1;
            angle = Dyadic.ZERO;
        } else {
            halves = 0;
            angle = s.signum() == 0 ? Dyadic.ZERO : Angles.atanRatio(s, Dyadic.of(c.negate()), bits);
        }
        if (mutation == Mutation.HALF_PI) {
            halves -= 1;
        }
        if (mutation == Mutation.DROP_SIN) {
            s = Dyadic.ZERO;
        }
        return new Pair(c, s, halves, angle, scale.approx(s, 2), halves * (Math.PI / 2) + angle.approx(0),
                scale.approx(Dyadic.of(c), 2));
    }

    private PopulationValues compute(boolean identity, BigDecimal[][] w, BigDecimal[][] wStar, boolean wantGradient, Parallel parallel) {
        int d = ExactBatch.checkSquare("W", w);
        int dStar = ExactBatch.checkSquare("W*", wStar);
        if (dStar != d) {
            throw new IllegalArgumentException("W* is " + dStar + " x " + dStar + " != W's " + d + " x " + d);
        }
        BigDecimal[][] u = units(identity, w);
        BigDecimal[][] v = units(true, wStar);
        int shift = decimalShift(u, v);
        if (shift == 0) {
            return computeUnits(u, v, wantGradient, parallel);
        }
        // Far from 1 the double magnitudes (scales, never the values) would overflow or underflow: compute at
        // (U, V) / 10^shift, exact in BigDecimal, and scale back by homogeneity (kappa(ca, cb) = c^2 kappa(a, b)):
        // L and its scale by 10^(2 shift), the gradient, the potential and their scales by 10^shift. The digits
        // are those of the unshifted computation: BigDecimal rounds in decimal digits, which the shift keeps.
        PopulationValues r = computeUnits(shifted(u, -shift), shifted(v, -shift), wantGradient, parallel);
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

    private PopulationValues computeUnits(BigDecimal[][] u, BigDecimal[][] v, boolean wantGradient, Parallel parallel) {
        int d = u.length;
        // inputs = integers times one common factor f (exact): Gram entries carry f^2, gradient terms f
        ScaledIntegers sc = ScaledIntegers.of(u, v);
        BigInteger[][] ui = sc.values()[0];
        BigInteger[][] vi = sc.values()[1];
        // 32-bit limbs of |inputs|: the exact Gram dots and the gradient's sums add their products in a LimbSum
        int[][][] uLimbs = new int[d][d][];
        int[][][] vLimbs = new int[d][d][];
        int inputLimbs = 0;
        for (int i = 0; i < d; i++) {
            for (int r = 0; r < d; r++) {
                uLimbs[i][r] = LimbSum.magnitude(ui[i][r]);
                vLimbs[i][r] = LimbSum.magnitude(vi[i][r]);
                inputLimbs = Math.max(inputLimbs, Math.max(uLimbs[i][r].length, vLimbs[i][r].length));
            }
        }
        Gram gram = new Gram(ui, vi, uLimbs, vLimbs, inputLimbs);
        BigInteger[] nu = new BigInteger[d];
        BigInteger[] nv = new BigInteger[d];
        for (int i = 0; i < d; i++) {
            nu[i] = gram.uu(i, i);
            nv[i] = gram.vv(i, i);
        }
        Pair[][] uu = new Pair[d][d];
        Pair[][] uv = new Pair[d][d];
        Pair[][] vv = new Pair[d][d]; // j >= i only
        parallel.forEach(d, (i, participant) -> { // task i owns the pairs (i, j >= i) and (i, k): each element written once
            for (int j = i; j < d; j++) {
                uu[i][j] = pair(nu[i], nu[j], gram.uu(i, j), sc);
                uu[j][i] = uu[i][j];
                vv[i][j] = pair(nv[i], nv[j], j == i ? nv[i] : gram.vv(i, j), sc);
            }
            for (int k = 0; k < d; k++) {
                uv[i][k] = pair(nu[i], nv[k], gram.uv(i, k), sc);
            }
        });
        int teacherSign = mutation == Mutation.TEACHER_SIGN ? 1 : -1;
        int cross = 2 * teacherSign;

        // L = sum_{ij} kappa(u_i,u_j) - 2 kappa(u_i,v_j) + kappa(v_i,v_j), kappa = (halves/2) pi c/(2pi) + (s + angle*c)/(2pi)
        LossSum loss = new LossSum();
        for (int i = 0; i < d; i++) {
            loss.add(uu[i][i], 1);
            loss.add(vv[i][i], 1);
            for (int j = 0; j < d; j++) {
                loss.add(uv[i][j], cross);
            }
            for (int j = i + 1; j < d; j++) { // kappa is symmetric: off-diagonal pairs count twice
                loss.add(uu[i][j], 2);
                loss.add(vv[i][j], 2);
            }
        }
        Dyadic lossExact = new Dyadic(loss.exactHalves, -2);
        BigDecimal lossValue = sc.toBigDecimal(lossExact.add(loss.rest.truncate(bits).multiply(inverseTwoPi).truncate(bits)), 2, mc);
        BigDecimal lossScale = new BigDecimal(loss.scale / (2 * Math.PI)).round(SCALE_MC);

        BigDecimal[][] grad = null;
        BigDecimal[][] gradScale = null;
        if (wantGradient) {
            BigDecimal[][] g = new BigDecimal[d][d];
            BigDecimal[][] gs = new BigDecimal[d][d];
            double[][] uD = approx(ui, sc);
            double[][] vD = approx(vi, sc);
            int inLimbs = inputLimbs;
            parallel.forEach(d, (j, participant) -> // task j owns column j of the gradient and of its scale
                    gradientColumn(j, sc, ui, vi, uLimbs, vLimbs, inLimbs, uD, vD, nu[j], uu[j], uv[j], teacherSign, g, gs));
            grad = g;
            gradScale = gs;
        }

        // g = sum |v_i| - |u_i|: roots truncated in binary, summed exactly, one decimal rounding
        Dyadic potentialExact = Dyadic.ZERO;
        Dyadic potentialScale = Dyadic.ZERO;
        for (int i = 0; i < d; i++) {
            Dyadic a = nv[i].signum() == 0 ? Dyadic.ZERO : Dyadic.sqrtOf(nv[i], bits);
            Dyadic b = nu[i].signum() == 0 ? Dyadic.ZERO : Dyadic.sqrtOf(nu[i], bits);
            potentialExact = potentialExact.add(a).add(b.negate());
            potentialScale = potentialScale.add(a).add(b);
        }
        return new PopulationValues(digits, lossValue, lossScale, grad, gradScale,
                sc.toBigDecimal(potentialExact, 1, mc), sc.toBigDecimal(potentialScale, 1, SCALE_MC));
    }

    /**
     * Column {@code j} of {@code dL/dW} (MATH.md section 2):
     * {@code (1/pi) sum_k [(pi - th_jk) u_k + s_jk/|u_j|^2 u_j] - (1/pi) sum_k [(pi - th'_jk) v_k + s'_jk/|u_j|^2 u_j]},
     * using {@code |b| sin th / |a| = s / |a|^2} so no norm is rounded. With the integer inputs ({@code 1/f} times the
     * true ones) every term carries {@code f} ({@code s/|u_j|^2} is scale-free): the sums are exact integers, the
     * angles of the column first brought to one binary exponent (a left shift), so each term is one integer product,
     * summed in a {@link LimbSum} (exact, no allocation per product).
     */
    private void gradientColumn(int j, ScaledIntegers sc, BigInteger[][] u, BigInteger[][] v, int[][][] uLimbs, int[][][] vLimbs,
                                int inputLimbs, double[][] uD, double[][] vD, BigInteger nuj,
                                Pair[] uuRow, Pair[] uvRow, int teacherSign, BigDecimal[][] grad, BigDecimal[][] gradScale) {
        int d = u.length;
        if (nuj.signum() == 0) {
            for (int r = 0; r < d; r++) { // zero-unit convention, see class javadoc
                grad[r][j] = BigDecimal.ZERO;
                gradScale[r][j] = BigDecimal.ZERO;
            }
            return;
        }
        int angleExponent = 0; // the smallest exponent of a non-zero angle of the column
        int angleTop = 0;      // the largest top bit (bit length + exponent) of an angle of the column
        for (int k = 0; k < d; k++) {
            for (Pair p : new Pair[] {uuRow[k], uvRow[k]}) {
                if (p != null && p.angle.signum() != 0) {
                    angleExponent = Math.min(angleExponent, p.angle.exponent());
                    angleTop = Math.max(angleTop, p.angle.mantissa().bitLength() + p.angle.exponent());
                }
            }
        }
        int angleLimbs = (angleTop - angleExponent + 31) / 32;
        LimbSum[] exactHalves = new LimbSum[d];       // coefficient of 1 (the pi multiples, in halves, carried exactly)
        LimbSum[] rest = new LimbSum[d];              // coefficient of 1/pi, times 2^-angleExponent
        double[] scale = new double[d];               // sum of |terms| * pi, in double: a bound, not audited
        for (int r = 0; r < d; r++) {
            exactHalves[r] = new LimbSum(1 + inputLimbs);
            rest[r] = new LimbSum(angleLimbs + inputLimbs);
        }
        Dyadic sinSum = Dyadic.ZERO;
        double sinScale = 0;
        double piD = Math.PI;
        for (int k = 0; k < d; k++) {
            for (int t = 0; t < 2; t++) {
                Pair p = t == 0 ? uuRow[k] : uvRow[k];
                if (p == null) {
                    continue;
                }
                BigInteger[] other = t == 0 ? u[k] : v[k];
                int sign = t == 0 ? 1 : teacherSign;
                int[] angle = p.angle.signum() == 0 ? null : LimbSum.magnitude(p.angle.mantissaAt(angleExponent));
                boolean angleNegative = p.angle.signum() * sign < 0;
                int[][] otherLimbs = t == 0 ? uLimbs[k] : vLimbs[k];
                int halves = sign * p.halves; // -2 .. 2
                int[] halvesLimb = {Math.abs(halves)};
                double phi = p.phiDouble;
                double[] otherD = t == 0 ? uD[k] : vD[k];
                for (int r = 0; r < d; r++) {
                    if (other[r].signum() == 0) {
                        continue;
                    }
                    if (halves != 0) {
                        exactHalves[r].add(halvesLimb, otherLimbs[r], (halves < 0) != (other[r].signum() < 0));
                    }
                    if (angle != null) {
                        rest[r].add(angle, otherLimbs[r], angleNegative != (other[r].signum() < 0));
                    }
                    scale[r] += Math.abs(phi * otherD[r]);
                }
                sinSum = sinSum.add(sign < 0 ? p.s.negate() : p.s);
                sinScale += p.sDouble;
            }
        }
        Dyadic sinCoefficient = sinSum.truncate(bits).divide(Dyadic.of(nuj), bits);
        double sinCoefficientScale = sinScale / sc.approx(Dyadic.of(nuj), 2);
        for (int r = 0; r < d; r++) {
            Dyadic withSin = new Dyadic(rest[r].value(), angleExponent).add(sinCoefficient.multiply(u[j][r]));
            Dyadic value = new Dyadic(exactHalves[r].value(), -1).add(withSin.truncate(bits).multiply(inversePi).truncate(bits));
            grad[r][j] = sc.toBigDecimal(value, 1, mc);
            double sc2 = (scale[r] + sinCoefficientScale * Math.abs(uD[j][r])) / piD;
            if (!Double.isFinite(sc2)) {
                // |u_j|^2 underflowed in double (entries of very different magnitudes, e.g. after a decimal shift):
                // the same magnitude in the other order, |u_j[r]| / |u_j|^2 first (exactly scaled), then times sinScale
                sc2 = (scale[r] + sinScale * sc.approx(Dyadic.of(u[j][r].abs()).divide(Dyadic.of(nuj), 60), -1)) / piD;
            }
            gradScale[r][j] = BigDecimal.valueOf(sc2).round(SCALE_MC); // shortest decimal of the double: no long division
        }
    }

    /**
     * Exact accumulators of L over {@code f^2}: {@code L = exactHalves/4 + rest/(2 pi)}; {@code scale} times
     * {@code 1/(2 pi)} is the magnitude (true units).
     */
    private static final class LossSum {
        BigInteger exactHalves = BigInteger.ZERO;
        Dyadic rest = Dyadic.ZERO;
        double scale;

        void add(Pair p, int weight) {
            if (p == null) {
                return;
            }
            BigInteger wc = p.c.multiply(BigInteger.valueOf(weight));
            if (p.halves != 0) {
                exactHalves = exactHalves.add(wc.multiply(BigInteger.valueOf(p.halves)));
            }
            rest = rest.add(p.s.multiply(BigInteger.valueOf(weight))).add(p.angle.multiply(wc));
            scale += Math.abs(weight) * (p.sDouble + Math.abs(p.phiDouble * p.cDouble));
        }
    }

    /** Doubles near the true inputs {@code X f} (magnitudes only), from the integers: no decimal rounding. */
    private static double[][] approx(BigInteger[][] m, ScaledIntegers sc) {
        double[][] out = new double[m.length][];
        for (int i = 0; i < m.length; i++) {
            out[i] = new double[m[i].length];
            for (int r = 0; r < m[i].length; r++) {
                out[i][r] = sc.approx(Dyadic.of(m[i][r]), 1);
            }
        }
        return out;
    }

    /**
     * Exact Gram entries of the integer inputs ({@code <a, b>} over {@code f^2}): each dot's products summed in a
     * {@link LimbSum} (the same integers as {@code sum a[r] b[r]} in {@link BigInteger}, without an allocation per
     * product; the Gram dots were 12% of a warm evaluation at d = 16, p = 50).
     */
    private record Gram(BigInteger[][] u, BigInteger[][] v, int[][][] uLimbs, int[][][] vLimbs, int inputLimbs) {
        BigInteger uu(int i, int j) {
            return dot(u[i], uLimbs[i], u[j], uLimbs[j]);
        }

        BigInteger uv(int i, int k) {
            return dot(u[i], uLimbs[i], v[k], vLimbs[k]);
        }

        BigInteger vv(int i, int j) {
            return dot(v[i], vLimbs[i], v[j], vLimbs[j]);
        }

        private BigInteger dot(BigInteger[] a, int[][] aLimbs, BigInteger[] b, int[][] bLimbs) {
            LimbSum sum = new LimbSum(2 * inputLimbs);
            for (int r = 0; r < a.length; r++) {
                if (a[r].signum() != 0 && b[r].signum() != 0) {
                    sum.add(aLimbs[r], bLimbs[r], a[r].signum() != b[r].signum());
                }
            }
            return sum.value();
        }
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

    private static BigInteger dot(BigInteger[] a, BigInteger[] b) {
        BigInteger acc = BigInteger.ZERO;
        for (int r = 0; r < a.length; r++) {
            acc = acc.add(a[r].multiply(b[r]));
        }
        return acc;
    }
}
