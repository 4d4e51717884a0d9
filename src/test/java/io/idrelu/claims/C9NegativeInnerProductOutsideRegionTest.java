package io.idrelu.claims;

import io.idrelu.kernel.Kernel;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

/** Claim C9 ([LY17]: why Phase I is needed): witness search, negative control, witness validity. */
class C9NegativeInnerProductOutsideRegionTest {
    private static final Kernel KERNEL = TestKernels.kernel();
    private static final double GAMMA = 0.05;

    private static ClaimContext ctx(Kernel k) {
        return ClaimContext.of(k, null, 20171109L, Preset.QUICK);
    }

    private static C9NegativeInnerProductOutsideRegion.Config small() {
        return new C9NegativeInnerProductOutsideRegion.Config(new int[] {5, 8}, GAMMA, 0.9, 3, 300, 30);
    }

    @Test
    void witnessExistsOutsideThePotentialCondition() {
        ClaimResult r = new C9NegativeInnerProductOutsideRegion(small()).run(ctx(KERNEL));
        assertThat(r.verdict()).as(r.toString()).isEqualTo(Verdict.HOLDS);
        assertThat(r.measured()).isNegative();
        assertThat(r.units()).isEqualTo(Units.PAPER);
        assertThat((double) r.details().get("witnessPotentialOverThreshold")).isGreaterThan(1.0);
        // The witness's sign is confirmed at 30 digits by PopulationReference.
        assertThat((double) r.details().get("witnessRatioReference")).isNegative();
        // Replay of the witness gives the same ratio bit for bit.
        Replay w = r.worst();
        C9NegativeInnerProductOutsideRegion.Witness again = C9NegativeInnerProductOutsideRegion.search(KERNEL,
                (int) w.config().get("d"), GAMMA, (double) w.config().get("radius"), w.seed(), 197,
                (int) w.config().get("steps"), (boolean) w.config().get("rotated"));
        assertThat(again.ratio()).isEqualTo(r.measured());
    }

    /** Negative control: with the gradient replaced by W - W* (ratio pi everywhere) the same search finds no witness. */
    @Test
    void perfectlyConvexFakeGradientHasNoWitness() {
        ClaimResult r = new C9NegativeInnerProductOutsideRegion(small()).run(ctx(TestKernels.perfectlyConvex(KERNEL)));
        assertThat(r.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(r.measured()).isCloseTo(Math.PI, org.assertj.core.data.Offset.offset(1e-9));
    }

    /**
     * Property: every search result is a valid point of the search space (teacher in the gamma ball, W in
     * the wMax ball, g above the threshold), and across seeds the witnesses include negative ratios
     * (asserted, with both signs seen: coverage of the boundary between the phases).
     */
    @Test
    void searchResultsAreValidAndSomeAreNegative() {
        AtomicInteger negative = new AtomicInteger();
        AtomicInteger positive = new AtomicInteger();
        qt().withExamples(12).forAll(integers().between(3, 8), longs().all()).checkAssert((d, seed) -> {
            C9NegativeInnerProductOutsideRegion.Witness w = C9NegativeInnerProductOutsideRegion.search(KERNEL, d, GAMMA,
                    0.9, seed, 197, 120, seed % 2 == 0);
            if (Double.isNaN(w.ratio())) {
                return;
            }
            assertThat(w.location().normWStar()).isLessThanOrEqualTo(GAMMA);
            assertThat(w.location().normW()).isLessThanOrEqualTo(0.9);
            assertThat(w.location().potentialInside()).isFalse();
            // Outside the region's norm ball too: the negative witnesses need ||W||_2 of order 1.
            assertThat(w.location().inside()).isFalse();
            (w.ratio() < 0 ? negative : positive).incrementAndGet();
        });
        assertThat(negative.get()).as("searches ending with a negative ratio").isGreaterThan(0);
        // Starting ratios at W = -cI are positive; seeing both signs means the search crossed zero.
        assertThat(negative.get() + positive.get()).isGreaterThanOrEqualTo(10);
    }

    @Test
    @Tag("deep")
    void deepSearch() {
        ClaimResult r = new C9NegativeInnerProductOutsideRegion(
                new C9NegativeInnerProductOutsideRegion.Config(new int[] {3, 10, 30, 100}, GAMMA, 0.9, 1, 400, 30))
                .run(ctx(KERNEL));
        System.err.println(r);
        assertThat(r.verdict()).isEqualTo(Verdict.HOLDS);
    }
}
