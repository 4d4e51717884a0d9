package io.idrelu.kernel.vector;

import io.idrelu.kernel.KernelProvider;
import io.idrelu.model.GaussianSampler;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@link StripTile} (the SGD step's register tile over padded strips) computes every element of {@code C = A B} as
 * the scalar contract's chain {@code c = fma(A[i][k], B[k][j], c)}, {@code k = 0..K-1} from {@code 0}
 * ({@link io.idrelu.kernel.ScalarKernel}), bit for bit, at row, column and inner sizes that are not multiples of the
 * strip's six rows or of the lanes (DESIGN.md sweep 1, 3, 7, 13, 100, 257), with {@code A} packed either from its rows
 * ({@link StripTile#packRows}, the forward pass's X) or from the columns of {@code A^T} ({@link StripTile#packColumns},
 * the gradient's X^T). Negative controls: the same comparison flags a strip that loses its last row, a partial strip
 * padded at the wrong end, and a tile that drops the last inner index, at every size where the bug can show. The
 * half tile ({@link StripTile#tileHalf}, the gradient's last mask panel when its second vector is all past {@code d})
 * is checked the same way, with a half tile on a live second vector and a half tile one k short as its controls.
 */
class StripTileTest {
    static final int[] SIZES = {1, 3, 7, 13, 100, 257};
    static final int[] INNER = {1, 3, 13, 100};

    @BeforeEach
    void vectorModule() {
        assumeTrue(KernelProvider.vectorAvailable(), () -> "skipped: " + KernelProvider.unavailableReason());
    }

    /** How {@code A}'s strips are made; the mutants are test-local broken variants of the production packers. */
    enum Packing {
        ROWS,
        COLUMNS,
        /** production packRows, then slot 5 of every strip zeroed: a tile that forgets the strip's last row */
        MUTANT_DROP_LAST_ROW,
        /** a partial last strip packed at the end of the strip (padding first): mis-padded */
        MUTANT_PAD_FIRST,
        /** the tile run over {@code K - 1} inner indices: a loop bound off by one */
        MUTANT_SHORT_K
    }

    /** Which tile runs on each panel; the mutants misuse {@link StripTile#tileHalf}. */
    enum Tiling {
        /** {@link StripTile#tile} on every panel */
        FULL,
        /** the gradient's rule: {@link StripTile#tileHalf} on a panel whose second vector is all past the columns */
        HALF_WHERE_EMPTY,
        /** {@link StripTile#tileHalf} on every panel: drops the columns of second vectors */
        MUTANT_HALF_ALWAYS,
        /** the half tile run over {@code K - 1} inner indices */
        MUTANT_HALF_SHORT_K
    }

    @Test
    void sizesCoverEveryEdge() {
        List<Integer> sizes = new ArrayList<>();
        for (int s : SIZES) {
            sizes.add(s);
        }
        int l = StripTile.L;
        assertThat(sizes).anyMatch(s -> s < StripTile.ROWS);                              // one partial strip only
        assertThat(sizes).anyMatch(s -> s > StripTile.ROWS && s % StripTile.ROWS != 0);  // full strips + partial
        assertThat(sizes).anyMatch(s -> s % StripTile.ROWS == 1);                        // one real row in the last
        assertThat(sizes).anyMatch(s -> s < l);                                          // fewer columns than lanes
        assertThat(sizes).anyMatch(s -> s > StripTile.WIDTH && s % StripTile.WIDTH != 0 && s % l != 0); // lane tail
        assertThat(sizes).anyMatch(s -> s % StripTile.WIDTH != 0 && s % StripTile.WIDTH <= l && s > l); // half panel
    }

    @Test
    void bitIdenticalToTheScalarChainAtAwkwardSizes() {
        long checked = 0;
        for (int rows : SIZES) {
            for (int cols : SIZES) {
                for (int k : INNER) {
                    for (Packing packing : new Packing[] {Packing.ROWS, Packing.COLUMNS}) {
                        Problem p = new Problem(rows, cols, k, 1000L * rows + 10L * cols + k);
                        assertThat(p.firstDifference(packing)).as("%s %s", p, packing).isNull();
                        checked += (long) rows * cols;
                    }
                }
            }
        }
        assertThat(checked).isGreaterThan(1_000_000L);
    }

    /**
     * {@link StripTile#tileHalf} on the panels whose second vector holds no column (the gradient's last mask panel when
     * {@code cols mod 2L} is in {@code 1..L}) gives the same bits as the scalar chain, at sizes with such a panel as
     * the only one ({@code cols < L}), as the last of several, and with none ({@code 13}: full tiles only).
     */
    @Test
    void halfTileOnEmptySecondVectorsIsBitIdentical() {
        int halfPanels = 0;
        int fullOnly = 0;
        for (int rows : SIZES) {
            for (int cols : SIZES) {
                for (int k : INNER) {
                    for (Packing packing : new Packing[] {Packing.ROWS, Packing.COLUMNS}) {
                        Problem p = new Problem(rows, cols, k, 1000L * rows + 10L * cols + k);
                        assertThat(p.firstDifference(packing, Tiling.HALF_WHERE_EMPTY)).as("%s %s", p, packing)
                                .isNull();
                    }
                }
                if (hasHalfPanel(cols)) {
                    halfPanels++;
                } else {
                    fullOnly++;
                }
            }
        }
        assertThat(halfPanels).isPositive();
        assertThat(fullOnly).isPositive();
        assertThat(hasHalfPanel(100)).as("d = 100, the CLI workload, takes the half tile").isTrue();
    }

    /** Negative controls: the half tile on a panel with a live second vector, and a half tile one k short. */
    @Test
    void theSameCheckFlagsMisusedHalfTiles() {
        int alwaysVisible = 0;
        int shortVisible = 0;
        for (int rows : SIZES) {
            for (int cols : SIZES) {
                Problem p = new Problem(rows, cols, 13, 31L * rows + cols);
                // a second vector with columns exists only past L columns
                if (cols > StripTile.L) {
                    assertThat(p.firstDifference(Packing.ROWS, Tiling.MUTANT_HALF_ALWAYS)).as("%s always", p)
                            .isNotNull();
                    alwaysVisible++;
                }
                if (hasHalfPanel(cols)) {
                    assertThat(p.firstDifference(Packing.ROWS, Tiling.MUTANT_HALF_SHORT_K)).as("%s short", p)
                            .isNotNull();
                    shortVisible++;
                }
            }
        }
        assertThat(alwaysVisible).isPositive();
        assertThat(shortVisible).isPositive();
    }

    private static boolean hasHalfPanel(int cols) {
        int tail = cols % StripTile.WIDTH;
        return tail >= 1 && tail <= StripTile.L;
    }

    @Test
    void theSameCheckFlagsBrokenStripsAndTiles() {
        int dropVisible = 0;
        int padVisible = 0;
        for (int rows : SIZES) {
            for (int cols : new int[] {1, 7, 13}) {
                Problem p = new Problem(rows, cols, 13, 77L * rows + cols);
                // a strip's sixth row exists only with at least six rows
                if (rows >= StripTile.ROWS) {
                    assertThat(p.firstDifference(Packing.MUTANT_DROP_LAST_ROW)).as("%s drop", p).isNotNull();
                    dropVisible++;
                }
                // a partial last strip exists only when rows is not a multiple of six
                if (rows % StripTile.ROWS != 0) {
                    assertThat(p.firstDifference(Packing.MUTANT_PAD_FIRST)).as("%s pad", p).isNotNull();
                    padVisible++;
                }
                assertThat(p.firstDifference(Packing.MUTANT_SHORT_K)).as("%s short k", p).isNotNull();
            }
        }
        assertThat(dropVisible).isPositive();
        assertThat(padVisible).isPositive();
    }

    /** {@code A} ({@code rows x k}), {@code B} ({@code k x cols}), Gaussian with exact zeros and a wide range. */
    private static final class Problem {
        final int rows;
        final int cols;
        final int k;
        final double[] a;
        final double[] b;

        Problem(int rows, int cols, int k, long seed) {
            this.rows = rows;
            this.cols = cols;
            this.k = k;
            GaussianSampler g = new GaussianSampler(seed);
            this.a = g.batch(rows, k);
            this.b = g.batch(k, cols);
            for (int i = 0; i < a.length; i += 5) {
                a[i] = i % 2 == 0 ? 0.0 : a[i] * 0x1p40; // zeros and large terms: cancellation shows order changes
            }
        }

        @Override
        public String toString() {
            return rows + "x" + k + " times " + k + "x" + cols;
        }

        /** The contract: one fma chain per element over {@code k} in increasing order from {@code 0}. */
        double[] scalar() {
            double[] c = new double[rows * cols];
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    double s = 0.0;
                    for (int q = 0; q < k; q++) {
                        s = Math.fma(a[i * k + q], b[q * cols + j], s);
                    }
                    c[i * cols + j] = s;
                }
            }
            return c;
        }

        /** {@code C} through the strips and the tile; lanes past {@code cols} and rows past {@code rows} dropped. */
        double[] viaTile(Packing packing) {
            return viaTile(packing, Tiling.FULL);
        }

        /** As {@link #viaTile(Packing)}, with the tile of each panel chosen by {@code tiling}. */
        double[] viaTile(Packing packing, Tiling tiling) {
            int w2 = StripTile.WIDTH;
            int strips = StripTile.strips(rows);
            int panels = (cols + w2 - 1) / w2;
            double[] strip = new double[strips * StripTile.ROWS * k];
            double[] at = transpose(a, rows, k);
            for (int s = 0; s < strips; s++) {
                int off = s * StripTile.ROWS * k;
                if (packing == Packing.COLUMNS) {
                    StripTile.packColumns(at, rows, rows, k, s, strip, off);
                } else if (packing == Packing.MUTANT_PAD_FIRST) {
                    packPaddingFirst(s, strip, off);
                } else {
                    StripTile.packRows(a, k, rows, k, s, strip, off);
                }
                if (packing == Packing.MUTANT_DROP_LAST_ROW) {
                    for (int q = 0; q < k; q++) {
                        strip[off + q * StripTile.ROWS + StripTile.ROWS - 1] = 0.0;
                    }
                }
            }
            double[] panel = new double[panels * k * w2]; // zero-padded columns
            for (int q = 0; q < panels; q++) {
                for (int kk = 0; kk < k; kk++) {
                    for (int l = 0; l < w2 && q * w2 + l < cols; l++) {
                        panel[q * k * w2 + kk * w2 + l] = b[kk * cols + q * w2 + l];
                    }
                }
            }
            int kUsed = packing == Packing.MUTANT_SHORT_K ? k - 1 : k;
            double[] acc = new double[StripTile.accLength()];
            double[] c = new double[rows * cols];
            for (int s = 0; s < strips; s++) {
                for (int q = 0; q < panels; q++) {
                    boolean empty = cols - q * w2 <= StripTile.L;
                    if (tiling == Tiling.MUTANT_HALF_ALWAYS || (tiling == Tiling.HALF_WHERE_EMPTY && empty)) {
                        StripTile.tileHalf(strip, s * StripTile.ROWS * k, kUsed, panel, q * k * w2, acc);
                    } else if (tiling == Tiling.MUTANT_HALF_SHORT_K && empty) {
                        StripTile.tileHalf(strip, s * StripTile.ROWS * k, k - 1, panel, q * k * w2, acc);
                    } else {
                        StripTile.tile(strip, s * StripTile.ROWS * k, kUsed, panel, q * k * w2, acc);
                    }
                    for (int m = 0; m < StripTile.ROWS && s * StripTile.ROWS + m < rows; m++) {
                        for (int l = 0; l < w2 && q * w2 + l < cols; l++) {
                            c[(s * StripTile.ROWS + m) * cols + q * w2 + l] = acc[m * w2 + l];
                        }
                    }
                }
            }
            return c;
        }

        /** Mutant: the real rows of strip {@code s} at its end, the zero rows first. */
        private void packPaddingFirst(int s, double[] strip, int off) {
            int n = Math.min(StripTile.ROWS, rows - s * StripTile.ROWS);
            int shift = StripTile.ROWS - n;
            for (int q = 0; q < k; q++) {
                for (int m = 0; m < StripTile.ROWS; m++) {
                    int src = m - shift;
                    strip[off + q * StripTile.ROWS + m] = src >= 0 ? a[(s * StripTile.ROWS + src) * k + q] : 0.0;
                }
            }
        }

        /** Raw bits compared; {@code null} when identical, else the first difference. */
        String firstDifference(Packing packing) {
            return firstDifference(packing, Tiling.FULL);
        }

        /** As {@link #firstDifference(Packing)}, with the tile of each panel chosen by {@code tiling}. */
        String firstDifference(Packing packing, Tiling tiling) {
            double[] want = scalar();
            double[] got = viaTile(packing, tiling);
            for (int i = 0; i < want.length; i++) {
                if (Double.doubleToRawLongBits(want[i]) != Double.doubleToRawLongBits(got[i])) {
                    return "C[" + i / cols + "][" + i % cols + "]: " + want[i] + " != " + got[i];
                }
            }
            return null;
        }

        private static double[] transpose(double[] m, int r, int c) {
            double[] t = new double[r * c];
            for (int i = 0; i < r; i++) {
                for (int j = 0; j < c; j++) {
                    t[j * r + i] = m[i * c + j];
                }
            }
            return t;
        }
    }
}
