package io.idrelu.kernel.vector;

import io.idrelu.kernel.AlignedDoubles;
import io.idrelu.kernel.Kernel;
import io.idrelu.kernel.KernelProvider;
import io.idrelu.kernel.ScalarKernel;
import io.idrelu.model.GaussianSampler;
import io.idrelu.model.Problem;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The fused pass by column blocks ({@link VectorOnlineStep#BLOCK_VECTORS} vectors, then four, then single vectors,
 * then scalar columns) with {@code W} at an offset inside a padded array, and the teacher read from the once-packed {@code W*}:
 * bit for bit {@link ScalarKernel#sgdStep} at batch 1, the next sample's chains computed from scratch, and the
 * unpacked teacher. Negative controls: the kernel told {@code W} is at offset 0 when it is not gives other bits (so
 * the offset is really used), the padding around {@code W} is never written, the chains summed over {@code r} in
 * decreasing order differ (so the comparison sees chain order), and a teacher packed from another {@code W*} gives
 * other outputs.
 */
class ColumnBlockOnlineStepTest {
    // Set after the assumption below: reading VectorKernel.L loads jdk.incubator.vector, absent on the scalar build.
    private int L;
    private int BLOCK;
    /** No block, exactly one block, blocks with single vectors and scalar columns after them, and the benchmark d. */
    private int[] SIZES;

    @BeforeEach
    void vectorModule() {
        assumeTrue(KernelProvider.vectorAvailable(), () -> "skipped: " + KernelProvider.unavailableReason());
        L = VectorKernel.L;
        BLOCK = VectorOnlineStep.BLOCK_VECTORS * L;
        SIZES = new int[] {L - 1, 4 * L, BLOCK - 1, BLOCK, BLOCK + 1, BLOCK + L, BLOCK + L + 3, BLOCK + 5 * L + 2,
                2 * BLOCK, 2 * BLOCK + 5, 100, 256};
    }

    @Test
    void sizesCoverEveryPartOfThePass() {
        assertThat(Arrays.stream(SIZES).boxed().toList())
                .anyMatch(d -> d < BLOCK)                                   // no block at all
                .anyMatch(d -> d == BLOCK)                                  // one block, nothing after
                .anyMatch(d -> d > BLOCK && (d % BLOCK) / L > 0 && d % L == 0)  // single vectors after blocks
                .anyMatch(d -> d > BLOCK && d % L > 0)                      // scalar columns after blocks
                .anyMatch(d -> d % BLOCK / L > 4)                           // a block of four, then single vectors
                .anyMatch(d -> d < BLOCK && d / L == 4)                     // a block of four alone
                .anyMatch(d -> d >= 2 * BLOCK);                             // several blocks
    }

    @Test
    void offsetStepEqualsScalarStepAndNextChains() {
        VectorOnlineStep fused = new VectorOnlineStep();
        ScalarKernel scalar = new ScalarKernel();
        int orderControls = 0;
        for (int d : SIZES) {
            for (int wo : new int[] {0, 1, 3, 7}) {
                Problem p = Problem.random(d, 0.3, 17L * d + wo, true);
                double eta = 0.01;
                double[] xs = new GaussianSampler(9L * d + wo).batch(2, d);
                double[] fTeacher = new double[1];
                fused.teacherOutputs(d, p.wStar(), xs, 1, new double[d], fTeacher);
                double[] padded = new double[d * d + wo + 5];
                Arrays.fill(padded, -123.25);
                System.arraycopy(p.w0(), 0, padded, wo, d * d);
                double[] control = padded.clone();
                double[] h = new double[d];
                fused.studentChains(d, padded, wo, xs, 0, h);
                double[] hNext = new double[d];
                double loss = fused.fusedStep(d, true, padded, wo, xs, 0, fTeacher[0], eta, h.clone(), new double[d], d,
                        hNext);

                double[] expected = p.w0();
                Kernel.Scratch scratch = scalar.newScratch(d, 1);
                double expectedLoss = scalar.sgdStep(d, true, expected, p.wStar(), Arrays.copyOf(xs, d), 1, eta, scratch);
                assertThat(loss).as("loss d=%d wo=%d", d, wo).isEqualTo(expectedLoss);
                assertThat(bits(Arrays.copyOfRange(padded, wo, wo + d * d))).as("W d=%d wo=%d", d, wo)
                        .isEqualTo(bits(expected));
                for (int i = 0; i < padded.length; i++) {
                    if (i < wo || i >= wo + d * d) {
                        assertThat(padded[i]).as("padding d=%d wo=%d at %d", d, wo, i).isEqualTo(-123.25);
                    }
                }
                double[] chains = new double[d];
                double[] reversed = new double[d];
                for (int j = 0; j < d; j++) {
                    for (int r = 0; r < d; r++) {
                        chains[j] = Math.fma(xs[d + r], expected[r * d + j], chains[j]);
                        reversed[j] = Math.fma(xs[d + d - 1 - r], expected[(d - 1 - r) * d + j], reversed[j]);
                    }
                }
                assertThat(bits(hNext)).as("next chains d=%d wo=%d", d, wo).isEqualTo(bits(chains));
                orderControls += Arrays.equals(bits(reversed), bits(hNext)) ? 0 : 1;

                if (wo > 0) {
                    // control: the same step told W starts at 0 reads the padding and shifted rows
                    fused.fusedStep(d, true, control, 0, xs, 0, fTeacher[0], eta, h.clone(), new double[d], d,
                            new double[d]);
                    assertThat(bits(Arrays.copyOfRange(control, wo, wo + d * d))).as("control d=%d wo=%d", d, wo)
                            .isNotEqualTo(bits(expected));
                }
            }
        }
        assertThat(orderControls).as("reversed chains differ somewhere").isGreaterThan(SIZES.length * 2);
    }

    @Test
    void packedTeacherEqualsUnpacked() {
        VectorOnlineStep fused = new VectorOnlineStep();
        for (int d : new int[] {1, 5, 16, 17, 37, 100, 256}) {
            for (int count : new int[] {3, 4, 7, 64}) {
                Problem p = Problem.random(d, 0.3, 5L * d, true);
                Problem other = Problem.random(d, 0.3, 5L * d + 1, true);
                double[] xs = new GaussianSampler(d + count).batch(count, d);
                double[] plain = new double[count];
                fused.teacherOutputs(d, p.wStar(), xs, count, new double[count * d], plain);
                AlignedDoubles packed = fused.packTeacher(d, p.wStar());
                double[] fromPacked = new double[count];
                fused.teacherOutputs(d, p.wStar(), packed, xs, count, new double[count * d], fromPacked);
                assertThat(bits(fromPacked)).as("d=%d count=%d", d, count).isEqualTo(bits(plain));
                if (count >= PackedTile.ROWS && d >= 5) {   // at d = 1 every relu may be 0 for both teachers
                    double[] wrong = new double[count];
                    fused.teacherOutputs(d, p.wStar(), fused.packTeacher(d, other.wStar()), xs, count,
                            new double[count * d], wrong);
                    assertThat(bits(wrong)).as("control d=%d count=%d", d, count).isNotEqualTo(bits(plain));
                }
            }
        }
    }

    private static long[] bits(double[] a) {
        return Arrays.stream(a).mapToLong(Double::doubleToRawLongBits).toArray();
    }
}
