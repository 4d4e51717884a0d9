package io.idrelu.reference;

import java.math.BigInteger;

/**
 * An exact sum of integer products {@code sum +- a b}, kept in 32-bit columns with deferred carries: the inner loop of
 * the population reference's gradient ({@code O(d^3)} products of an angle's mantissa and an input integer,
 * proofs-notes/reference-error-bound.md section 3, step 4). Exact like {@link BigInteger} arithmetic, without an
 * allocation per product. Each 32 x 32-bit product ({@code < 2^64}, read unsigned) is split into its low and high halves
 * ({@code < 2^32} each), added to or subtracted from signed 64-bit columns; a column takes fewer than {@code 2^30} such
 * halves before it could overflow, far more than the {@code 2 * 64 * limbs} a gradient column adds at d = 64
 * ({@link #MAX_HALVES} is checked).
 */
final class LimbSum {
    private static final long MASK = 0xffffffffL;
    /** Halves a column may take: {@code 2^30 * 2^32 = 2^62}, room left for the carries. */
    static final long MAX_HALVES = 1L << 30;

    private final long[] columns;
    private long halves;

    /** For products of at most {@code limbs} 32-bit limbs in total (both factors). */
    LimbSum(int limbs) {
        columns = new long[limbs + 1];
    }

    /** Little-endian 32-bit limbs of {@code |x|}. */
    static int[] magnitude(BigInteger x) {
        byte[] b = x.abs().toByteArray(); // big-endian, possibly a leading zero byte
        int[] out = new int[(x.abs().bitLength() + 31) / 32];
        for (int i = 0; i < b.length; i++) {
            int limb = i / 4;
            if (limb < out.length) {
                out[limb] |= (b[b.length - 1 - i] & 0xff) << (8 * (i % 4));
            }
        }
        return out;
    }

    /** {@code this += a b} ({@code negative}: {@code -= a b}) for magnitudes {@code a}, {@code b}. */
    void add(int[] a, int[] b, boolean negative) {
        halves += 2L * a.length * b.length;
        if (halves >= MAX_HALVES) {
            throw new IllegalStateException("LimbSum: more than 2^30 halves per column");
        }
        long[] c = columns;
        // two loops instead of a sign test per product (the gradient's inner loop: ~8000 calls of ~20 products each)
        if (negative) {
            for (int i = 0; i < a.length; i++) {
                long ai = a[i] & MASK;
                for (int j = 0; j < b.length; j++) {
                    long p = ai * (b[j] & MASK); // exact mod 2^64, and the product is < 2^64: read unsigned
                    c[i + j] -= p & MASK;
                    c[i + j + 1] -= p >>> 32;
                }
            }
        } else {
            for (int i = 0; i < a.length; i++) {
                long ai = a[i] & MASK;
                for (int j = 0; j < b.length; j++) {
                    long p = ai * (b[j] & MASK);
                    c[i + j] += p & MASK;
                    c[i + j + 1] += p >>> 32;
                }
            }
        }
    }

    /** The exact sum: carries propagated, two's complement read back into a {@link BigInteger}. */
    BigInteger value() {
        int n = columns.length;
        byte[] bytes = new byte[4 * n + 8]; // big-endian two's complement: 8 bytes of final carry, then the limbs
        long carry = 0;
        for (int i = 0; i < n; i++) {
            long c = columns[i] + carry;
            int limb = (int) c;
            carry = c >> 32;
            int at = bytes.length - 4 * (i + 1);
            bytes[at] = (byte) (limb >>> 24);
            bytes[at + 1] = (byte) (limb >>> 16);
            bytes[at + 2] = (byte) (limb >>> 8);
            bytes[at + 3] = (byte) limb;
        }
        for (int k = 0; k < 8; k++) {
            bytes[k] = (byte) (carry >>> (56 - 8 * k));
        }
        return new BigInteger(bytes);
    }
}
