package io.idrelu.kernel;

import java.lang.reflect.Field;

/**
 * Where a {@code double[]}'s elements sit in memory, modulo a cache line: the one fact about addresses the vector
 * kernels need, because a 64-byte vector load or store that straddles two cache lines costs more than one that does
 * not. A Java array's data starts 16 bytes after its object, and objects are only 8-byte aligned, so where the
 * garbage collector happened to put {@code W} decided whether the online step's loads straddle: measured on Zen 4
 * (AVX-512, d = 256, one pass over {@code W} of the fused online step, paired in one JVM) 0.16-0.17 ns per element
 * with {@code W} 32-byte aligned against 0.20-0.26 ns otherwise, the run-to-run bimodality of {@code train --batch 1}.
 *
 * <p>How: {@code sun.misc.Unsafe} reads the compressed reference to the array from a holder array; its shift is
 * found by allocating equal-size objects back to back (consecutive references differ by the object size shifted
 * right), so no JVM flag is assumed. The heap base of compressed references is page-aligned, so it does not change
 * the address modulo 64. Where this cannot be done without side effects it reports {@link #known()} {@code false}
 * and callers keep their unaligned layout: uncompressed references (the raw pointer may carry GC colour bits),
 * JDK 24 and later (every {@code Unsafe} memory access prints a deprecation warning on stderr), or no
 * {@code Unsafe}. The answer is a hint: the collector may move the array afterwards (callers check again), and
 * values never depend on it (bits are fixed by each chain's order, not by where the data lies).
 */
public final class ArrayAddress {
    /** Bytes per cache line (x86-64, AArch64); a vector of the preferred species is at most this long here. */
    public static final int LINE = 64;

    private static final Object UNSAFE;
    private static final long OBJECT_BASE;
    private static final long DOUBLE_BASE;
    /** log2 of the compressed-reference unit, or -1 when addresses are not known. */
    private static final int SHIFT;

    static {
        Object unsafe = null;
        long objectBase = 0;
        long doubleBase = 0;
        int shift = -1;
        if (Runtime.version().feature() < 24) {
            try {
                Field f = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
                f.setAccessible(true);
                sun.misc.Unsafe u = (sun.misc.Unsafe) f.get(null);
                if (u.arrayIndexScale(Object[].class) == 4) {
                    objectBase = u.arrayBaseOffset(Object[].class);
                    doubleBase = u.arrayBaseOffset(double[].class);
                    unsafe = u;
                    shift = referenceShift(u, objectBase);
                }
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                shift = -1;
            }
        }
        UNSAFE = shift >= 0 ? unsafe : null;
        OBJECT_BASE = objectBase;
        DOUBLE_BASE = doubleBase;
        SHIFT = shift;
    }

    private ArrayAddress() {
    }

    /**
     * The compressed-reference shift: {@code long[6]} is 64 bytes (16 of header, 48 of data) under every object
     * alignment up to 64, so references to objects allocated back to back (the same thread-local buffer) differ by
     * {@code 64 >> shift}. The most frequent difference of 63 pairs must be a power of two and account for most
     * pairs (a buffer refill between two allocations breaks at most a few); otherwise the shift is unknown (-1).
     */
    private static int referenceShift(sun.misc.Unsafe u, long base) {
        Object[] objects = new Object[64];
        for (int i = 0; i < objects.length; i++) {
            objects[i] = new long[6];
        }
        int[] votes = new int[7];
        for (int i = 1; i < objects.length; i++) {
            long diff = (u.getInt(objects, base + 4L * i) & 0xFFFFFFFFL) - (u.getInt(objects, base + 4L * (i - 1)) & 0xFFFFFFFFL);
            for (int s = 0; s <= 6; s++) {
                if (diff == (64 >> s)) {
                    votes[s]++;
                }
            }
        }
        int best = 0;
        for (int s = 1; s <= 6; s++) {
            if (votes[s] > votes[best]) {
                best = s;
            }
        }
        return votes[best] * 2 > objects.length ? best : -1;
    }

    /** Whether {@link #lineOffset} reports real addresses on this JVM. */
    public static boolean known() {
        return SHIFT >= 0;
    }

    /** The shift found for compressed references ({@code -1} when not {@link #known()}); for tests. */
    static int shift() {
        return SHIFT;
    }

    /** Address of {@code a[0]} (heap base not included, so only meaningful modulo the page size); 0 when not known. */
    static long address(double[] a) {
        if (SHIFT < 0) {
            return 0;
        }
        Object[] holder = {a};
        long ref = ((sun.misc.Unsafe) UNSAFE).getInt(holder, OBJECT_BASE) & 0xFFFFFFFFL;
        return (ref << SHIFT) + DOUBLE_BASE;
    }

    /**
     * The first index {@code k} in {@code [0, LINE / 8)} such that {@code a[k]} starts a cache line, at this moment;
     * {@code 0} when addresses are not {@link #known()}.
     */
    public static int lineOffset(double[] a) {
        long mod = address(a) & (LINE - 1);
        return (int) (((LINE - mod) & (LINE - 1)) / Double.BYTES);
    }
}
