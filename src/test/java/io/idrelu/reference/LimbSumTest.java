package io.idrelu.reference;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link LimbSum} equals the {@link BigInteger} sum of the same signed products exactly: random operands of 1..300
 * bits (all-ones limbs included: the unsigned 64-bit products), up to 200 terms, sums of either sign and zero.
 * Negative control: one product's sign flipped gives a different sum (asserted for every case).
 */
class LimbSumTest {
    private static BigInteger operand(Random rnd) {
        int bits = 1 + rnd.nextInt(300);
        return rnd.nextInt(8) == 0 ? BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE) : new BigInteger(bits, rnd);
    }

    @Test
    void equalsTheBigIntegerSum() {
        Random rnd = new Random(20170104L);
        int caught = 0;
        for (int c = 0; c < 300; c++) {
            int terms = 1 + rnd.nextInt(200);
            BigInteger[] a = new BigInteger[terms];
            BigInteger[] b = new BigInteger[terms];
            boolean[] neg = new boolean[terms];
            int limbs = 0;
            for (int t = 0; t < terms; t++) {
                a[t] = operand(rnd);
                b[t] = operand(rnd);
                neg[t] = rnd.nextBoolean();
                limbs = Math.max(limbs, LimbSum.magnitude(a[t]).length + LimbSum.magnitude(b[t]).length);
            }
            LimbSum sum = new LimbSum(limbs);
            LimbSum flipped = new LimbSum(limbs);
            BigInteger expected = BigInteger.ZERO;
            for (int t = 0; t < terms; t++) {
                sum.add(LimbSum.magnitude(a[t]), LimbSum.magnitude(b[t]), neg[t]);
                flipped.add(LimbSum.magnitude(a[t]), LimbSum.magnitude(b[t]), t == 0 ? !neg[t] : neg[t]);
                BigInteger p = a[t].multiply(b[t]);
                expected = neg[t] ? expected.subtract(p) : expected.add(p);
            }
            assertThat(sum.value()).as("case %d", c).isEqualTo(expected);
            if (a[0].signum() == 0 || b[0].signum() == 0 || !flipped.value().equals(expected)) {
                caught++;
            }
        }
        assertThat(caught).isEqualTo(300);
        // a sum that cancels to exactly zero, and one of each sign
        LimbSum zero = new LimbSum(4);
        int[] x = LimbSum.magnitude(new BigInteger("123456789012345678901234567890"));
        int[] y = LimbSum.magnitude(BigInteger.valueOf(-7));
        zero.add(x, y, false);
        zero.add(x, y, true);
        assertThat(zero.value()).isZero();
        assertThat(LimbSum.magnitude(BigInteger.ZERO)).isEmpty();
    }
}
