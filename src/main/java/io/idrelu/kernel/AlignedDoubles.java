package io.idrelu.kernel;

import java.nio.DoubleBuffer;
import java.util.Arrays;

/**
 * {@code n} doubles kept at the start of a cache line inside a slightly longer array ({@link ArrayAddress}: a vector
 * kernel that streams them with full-width loads and stores then never straddles two lines). The values live at
 * {@code array()[offset() .. offset() + n)}; the offset is chosen at construction and again by {@link #realign()},
 * which moves the values when the garbage collector has moved the array to another position within a line. Where
 * addresses are not known the offset stays 0 and nothing moves.
 */
public final class AlignedDoubles {
    private final double[] buf;
    private final int n;
    private int off;

    /** A copy of {@code values}, aligned. */
    public AlignedDoubles(double[] values) {
        this.n = values.length;
        this.buf = new double[n + ArrayAddress.LINE / Double.BYTES - 1];
        this.off = ArrayAddress.lineOffset(buf);
        System.arraycopy(values, 0, buf, off, n);
    }

    /** The backing array (values at {@link #offset()}); valid until the next {@link #realign()} that returns true. */
    public double[] array() {
        return buf;
    }

    /** Index of the first value in {@link #array()}. */
    public int offset() {
        return off;
    }

    /** Number of values. */
    public int length() {
        return n;
    }

    /**
     * Moves the values to a line start again if the array is no longer aligned (a collection moved it); cheap when
     * nothing moved (one reference read).
     *
     * @return whether the values moved (then {@link #offset()} changed)
     */
    public boolean realign() {
        int k = ArrayAddress.lineOffset(buf);
        if (k == off) {
            return false;
        }
        System.arraycopy(buf, off, buf, k, n);
        off = k;
        return true;
    }

    /** A copy of the values. */
    public double[] values() {
        return Arrays.copyOfRange(buf, off, off + n);
    }

    /** A read-only view of the values (index 0 is the first value); valid until {@link #realign()} moves them. */
    public DoubleBuffer view() {
        return DoubleBuffer.wrap(buf, off, n).slice().asReadOnlyBuffer();
    }
}
