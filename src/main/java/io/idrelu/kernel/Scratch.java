package io.idrelu.kernel;

import java.util.ArrayList;
import java.util.List;

/**
 * Work arrays reused from one population evaluation ({@link PopulationClosedForm}, claim A2) to the next. An
 * evaluation asks for its arrays in the same order every time ({@link #doubles}), so after {@link #rewind} the
 * n-th request gets the n-th array of the previous evaluation when its length matches. At d = 256 one evaluation
 * allocated about 25 arrays of 512 KiB (G1 "humongous" objects, each half a region): in JFR, 36 young collections
 * paused the evaluating thread for 1.0 s over 1070 evaluations, about 1 ms of a 10 ms evaluation, besides zeroing.
 *
 * <p>Contents are NOT cleared: a caller writes every element it later reads (each use says how), or asks for
 * {@link #zeros}. Not thread-safe: one evaluation uses one {@code Scratch} at a time ({@link PopulationClosedForm}
 * hands them out).
 */
public final class Scratch {
    private final List<double[]> arrays = new ArrayList<>();
    private int next;

    /** Starts a new evaluation: requests are matched against the previous one's from the first. */
    void rewind() {
        next = 0;
    }

    /** An array of {@code n} doubles with arbitrary contents. */
    public double[] doubles(int n) {
        if (next < arrays.size() && arrays.get(next).length == n) {
            return arrays.get(next++);
        }
        double[] a = new double[n];
        if (next < arrays.size()) {
            arrays.set(next, a);
        } else {
            arrays.add(a);
        }
        next++;
        return a;
    }

    /** An array of {@code n} zeros. */
    public double[] zeros(int n) {
        double[] a = doubles(n);
        java.util.Arrays.fill(a, 0.0);
        return a;
    }
}
