package io.idrelu.reference;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.MathContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Tests added for mutants PIT found surviving in the reference package (proofs-notes/mutation.md): the input
 * checks of the exact reference (MATH.md section 1 shapes) and the zero-vector convention of {@code kappa}. Each
 * rejection is paired with the acceptance of its valid neighbour, so a check that rejects everything fails too.
 */
class ReferenceMutationGapsTest {
    private static BigDecimal[][] m(int rows, int cols, double v) {
        BigDecimal[][] a = new BigDecimal[rows][cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                a[r][c] = BigDecimal.valueOf(v + r - 0.5 * c);
            }
        }
        return a;
    }

    @Test
    void populationReferenceDigitsRange() {
        assertThatThrownBy(() -> new PopulationReference(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("digits = 0");
        assertThatThrownBy(() -> new PopulationReference(10_001)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new PopulationReference(1).digits()).isEqualTo(1);
        // (10 000 itself is accepted, but pi to 10 000 digits costs ~8 s here: the boundary mutant is left, proofs-notes/mutation.md)
        assertThat(new PopulationReference(37).digits()).isEqualTo(37);
    }

    @Test
    void kappaChecksItsVectorsAndVanishesOnAZeroVector() {
        PopulationReference ref = new PopulationReference(30);
        BigDecimal[] a = {BigDecimal.ONE, BigDecimal.valueOf(2)};
        BigDecimal[] zero = {BigDecimal.ZERO, BigDecimal.ZERO};
        assertThatThrownBy(() -> ref.kappa(null, a)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("null");
        assertThatThrownBy(() -> ref.kappa(a, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ref.kappa(a, new BigDecimal[] {BigDecimal.ONE})).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ref.kappa(new BigDecimal[0], new BigDecimal[0])).isInstanceOf(IllegalArgumentException.class);
        assertThat(ref.kappa(zero, a).signum()).isZero();
        assertThat(ref.kappa(a, zero).signum()).isZero();
        // control: kappa(a, a) = |a|^2 / 2 is not zero
        assertThat(ref.kappa(a, a).subtract(new BigDecimal("2.5")).abs()).isLessThan(new BigDecimal("1e-25"));
    }

    @Test
    void exactBatchRejectsMalformedShapes() {
        BigDecimal[][] w = m(2, 2, 0.1);
        BigDecimal[][] x = m(3, 2, 1);
        assertThatCode(() -> ExactBatch.evaluate(true, w, w, x)).doesNotThrowAnyException();
        assertThatThrownBy(() -> ExactBatch.evaluate(true, null, w, x)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ExactBatch.evaluate(true, new BigDecimal[0][], w, x)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("W is empty");
        assertThatThrownBy(() -> ExactBatch.evaluate(true, m(2, 3, 0), w, x)).isInstanceOf(IllegalArgumentException.class);
        BigDecimal[][] nullRow = m(2, 2, 0);
        nullRow[1] = null;
        assertThatThrownBy(() -> ExactBatch.evaluate(true, nullRow, w, x)).isInstanceOf(IllegalArgumentException.class);
        BigDecimal[][] nullEntry = m(2, 2, 0);
        nullEntry[1][1] = null;
        assertThatThrownBy(() -> ExactBatch.evaluate(true, w, nullEntry, x)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("W*[1][1] is null");
        assertThatThrownBy(() -> ExactBatch.evaluate(true, w, m(3, 3, 0), x)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ExactBatch.evaluate(true, w, w, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("X is missing");
        assertThatThrownBy(() -> ExactBatch.evaluate(true, w, w, new BigDecimal[0][])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("X is empty");
        assertThatThrownBy(() -> ExactBatch.evaluate(true, w, w, m(3, 3, 1))).isInstanceOf(IllegalArgumentException.class);
        BigDecimal[][] xNullRow = m(3, 2, 1);
        xNullRow[2] = null;
        assertThatThrownBy(() -> ExactBatch.evaluate(true, w, w, xNullRow)).isInstanceOf(IllegalArgumentException.class);
        BigDecimal[][] xNull = m(3, 2, 1);
        xNull[2][1] = null;
        assertThatThrownBy(() -> ExactBatch.evaluate(true, w, w, xNull)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("X[2][1] is null");
    }

    @Test
    void batchValuesRejectsInconsistentFields() {
        BatchValues ok = ExactBatch.evaluate(true, m(2, 2, 0.1), m(2, 2, 0.2), m(3, 2, 1));
        BigDecimal[] o = ok.outputs();
        BigDecimal[] t = ok.teacherOutputs();
        BigDecimal[] r = ok.residuals();
        BigDecimal s = ok.sumOfSquares();
        BigDecimal[][] g = ok.gradientSum();
        assertThatCode(() -> new BatchValues(3, o, t, r, s, g)).doesNotThrowAnyException();
        assertThatThrownBy(() -> new BatchValues(0, o, t, r, s, g)).isInstanceOf(IllegalArgumentException.class);
        BigDecimal[] none = new BigDecimal[0];
        assertThatThrownBy(() -> new BatchValues(0, none, none, none, s, g)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("batch = 0");
        assertThatThrownBy(() -> new BatchValues(3, o, t, r, null, g)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BatchValues(3, o, t, r, s, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BatchValues(3, null, t, r, s, g)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BatchValues(2, o, t, r, s, g)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BatchValues(3, o, t, new BigDecimal[2], s, g)).isInstanceOf(IllegalArgumentException.class);
        // B = 3: 1/3 has no finite decimal expansion, so a MathContext is required
        assertThatThrownBy(() -> ok.loss(null)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("B = 3");
        assertThatThrownBy(() -> ok.loss(MathContext.UNLIMITED)).isInstanceOf(IllegalArgumentException.class);
        assertThatCode(() -> ok.loss(new MathContext(1))).doesNotThrowAnyException();
    }

    @Test
    void referenceSgdChecksItsArguments() {
        BigDecimal[][] w = m(2, 2, 0.1);
        BatchValues v = ExactBatch.evaluate(true, w, m(2, 2, 0.2), m(4, 2, 1));
        MathContext mc = new MathContext(30);
        assertThatCode(() -> ReferenceSgd.step(w, v, BigDecimal.ZERO, mc)).doesNotThrowAnyException();
        assertThatCode(() -> ReferenceSgd.step(w, v, BigDecimal.ONE, new MathContext(1))).doesNotThrowAnyException();
        assertThatThrownBy(() -> ReferenceSgd.step(w, null, BigDecimal.ONE, mc)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ReferenceSgd.step(m(3, 3, 0), v, BigDecimal.ONE, mc)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ReferenceSgd.step(w, v, null, mc)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ReferenceSgd.step(w, v, new BigDecimal("-1e-30"), mc)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ReferenceSgd.step(w, v, BigDecimal.ONE, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ReferenceSgd.step(w, v, BigDecimal.ONE, new MathContext(0))).isInstanceOf(IllegalArgumentException.class);
        // eta = 0 leaves W unchanged (control: the step above with eta = 1 moves it)
        assertThat(ReferenceSgd.step(w, v, BigDecimal.ZERO, mc).next()[1][1].compareTo(w[1][1])).isZero();
        assertThat(ReferenceSgd.step(w, v, BigDecimal.ONE, mc).next()[1][1].compareTo(w[1][1])).isNotZero();
    }

    @Test
    void etaConversion() {
        assertThat(ReferenceSgd.eta(0.0).signum()).isZero();
        assertThat(ReferenceSgd.eta(0.25)).isEqualByComparingTo("0.25");
        assertThatThrownBy(() -> ReferenceSgd.eta(-0.0 - 1e-300)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ReferenceSgd.eta(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ReferenceSgd.eta(Double.POSITIVE_INFINITY)).isInstanceOf(IllegalArgumentException.class);
    }
}
