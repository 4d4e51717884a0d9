package io.idrelu.kernel;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@link ArrayAddress} decodes real addresses, checked against something it was not derived from: arrays of a size
 * other than the probe's ({@code double[14]}: 128 bytes) allocated back to back lie 128 bytes apart for most pairs.
 * Negative control: the same references decoded with the shift one off give 64 or 256 bytes, never 128. And
 * {@link AlignedDoubles} keeps its values at a line start and keeps them through a collection and re-alignment.
 */
class ArrayAddressTest {
    @Test
    void knownOnJdksBefore24() {
        if (Runtime.version().feature() < 24) {
            assertThat(ArrayAddress.known()).as("compressed references on this JDK's default heap").isTrue();
        } else {
            assertThat(ArrayAddress.known()).as("no Unsafe on JDK 24+ (it warns on stderr)").isFalse();
            assertThat(ArrayAddress.lineOffset(new double[10])).isZero();
        }
    }

    @Test
    void consecutiveArraysAreTheirSizeApart() {
        assumeTrue(ArrayAddress.known(), "addresses not known on this JVM");
        double[][] arrays = new double[65][];
        for (int i = 0; i < arrays.length; i++) {
            arrays[i] = new double[14];
        }
        int apart = 0;
        int wrongShiftApart = 0;
        for (int i = 1; i < arrays.length; i++) {
            long diff = ArrayAddress.address(arrays[i]) - ArrayAddress.address(arrays[i - 1]);
            apart += diff == 128 ? 1 : 0;
            // control: the shift one off (the reference difference scaled by 2^(shift +- 1))
            long refDiff = diff >> ArrayAddress.shift();
            long up = refDiff << (ArrayAddress.shift() + 1);
            long down = ArrayAddress.shift() > 0 ? refDiff << (ArrayAddress.shift() - 1) : up;
            wrongShiftApart += (up == 128 ? 1 : 0) + (down == 128 ? 1 : 0);
        }
        assertThat(apart).as("pairs 128 bytes apart of 64").isGreaterThan(48);
        assertThat(wrongShiftApart).as("control: a wrong shift").isZero();
    }

    @Test
    void alignedDoublesStartALineAndSurviveACollection() {
        double[] values = new double[1000];
        for (int i = 0; i < values.length; i++) {
            values[i] = i * 0.5 - 7;
        }
        AlignedDoubles a = new AlignedDoubles(values);
        assertThat(a.length()).isEqualTo(1000);
        assertThat(a.offset()).isBetween(0, ArrayAddress.LINE / Double.BYTES - 1);
        if (ArrayAddress.known()) {
            assertThat((ArrayAddress.address(a.array()) + (long) Double.BYTES * a.offset()) % ArrayAddress.LINE)
                    .isZero();
            assertThat((ArrayAddress.address(a.array()) + (long) Double.BYTES * (a.offset() + 1)) % ArrayAddress.LINE)
                    .as("control: the next element").isNotZero();
        }
        for (int round = 0; round < 3; round++) {
            System.gc();
            a.realign();
            assertThat(a.values()).isEqualTo(values);
            assertThat(a.view().get(999)).isEqualTo(values[999]);
            if (ArrayAddress.known()) {
                assertThat((ArrayAddress.address(a.array()) + (long) Double.BYTES * a.offset()) % ArrayAddress.LINE)
                        .isZero();
            }
        }
        values[3] = 42;
        assertThat(a.values()[3]).as("a copy, not the caller's array").isEqualTo(-5.5);
    }
}
