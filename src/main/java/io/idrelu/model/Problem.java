package io.idrelu.model;

import java.util.Arrays;

/**
 * One teacher-student instance of [LY17]: dimension {@code d}, teacher {@code W*}, start {@code W0},
 * and whether the student is identity-mapped ({@code u_i = e_i + w_i}) or vanilla ({@code u_i = w_i}).
 * Matrices are row-major {@code double[d*d]} (see {@link Matrices}). Immutable; arrays are copied in and out.
 */
public final class Problem {
    /** Largest {@code d} accepted at the boundary: {@code d*d} doubles must fit comfortably in memory. */
    public static final int MAX_D = 4096;

    private final int d;
    private final boolean identity;
    private final double[] w0;
    private final double[] wStar;

    public Problem(int d, boolean identity, double[] w0, double[] wStar) {
        if (d < 1 || d > MAX_D) {
            throw new IllegalArgumentException("d = " + d + " is out of range: expected 1 <= d <= " + MAX_D);
        }
        check("W0", w0, d);
        check("W*", wStar, d);
        this.d = d;
        this.identity = identity;
        this.w0 = w0.clone();
        this.wStar = wStar.clone();
    }

    private static void check(String name, double[] m, int d) {
        if (m == null) {
            throw new IllegalArgumentException(name + " is missing: expected a " + d + " x " + d + " matrix");
        }
        if (m.length != d * d) {
            throw new IllegalArgumentException(name + " has " + m.length + " entries != " + d * d + " expected for d = " + d);
        }
        for (int i = 0; i < m.length; i++) {
            if (!Double.isFinite(m[i])) {
                throw new IllegalArgumentException(name + "[" + i / d + "][" + i % d + "] = " + m[i] + ": expected a finite number");
            }
        }
    }

    /**
     * A seeded random instance: {@code W0} and {@code W*} are independent Gaussian matrices rescaled to
     * spectral norm exactly {@code gamma} (the boundary of Theorem 3.1's assumption
     * {@code ||W0||_2, ||W*||_2 <= gamma0}, the hardest admissible case). The weights use their own
     * stream ({@link GaussianSampler#forTrial} index {@code -1}), independent of the training samples.
     */
    public static Problem random(int d, double gamma, long seed, boolean identity) {
        if (!(gamma >= 0) || Double.isInfinite(gamma)) {
            throw new IllegalArgumentException("gamma = " + gamma + ": expected a finite number >= 0");
        }
        GaussianSampler s = GaussianSampler.forTrial(seed, -1);
        return new Problem(d, identity, scaled(s, d, gamma), scaled(s, d, gamma));
    }

    private static double[] scaled(GaussianSampler s, int d, double gamma) {
        double[] m = s.batch(d, d);
        double norm = Matrices.spectralNorm(m, d);
        for (int i = 0; i < m.length; i++) {
            m[i] = m[i] * (gamma / norm);
        }
        return m;
    }

    public int d() {
        return d;
    }

    public boolean identity() {
        return identity;
    }

    /** Copy of the start {@code W0}, row-major. */
    public double[] w0() {
        return w0.clone();
    }

    /** Copy of the teacher {@code W*}, row-major. */
    public double[] wStar() {
        return wStar.clone();
    }

    /** The same instance with another start (same teacher, same mapping). */
    public Problem withStart(double[] newW0) {
        return new Problem(d, identity, newW0, wStar);
    }

    /** The same instance with the student's mapping switched. */
    public Problem withIdentity(boolean newIdentity) {
        return new Problem(d, newIdentity, w0, wStar);
    }

    @Override
    public String toString() {
        return "Problem{d=" + d + ", identity=" + identity + ", w0=" + Arrays.toString(w0) + ", wStar=" + Arrays.toString(wStar) + "}";
    }
}
