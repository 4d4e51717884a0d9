package io.idrelu.claims.setting;

import io.idrelu.claims.A1BatchGradientAgreement;
import io.idrelu.claims.ClaimContext;
import io.idrelu.claims.ClaimResult;
import io.idrelu.claims.Preset;
import io.idrelu.claims.Verdict;
import io.idrelu.kernel.ScalarFloatKernel;
import io.idrelu.kernel.ScalarKernel;
import io.idrelu.setting.Activation;
import io.idrelu.setting.NetworkKernel;
import io.idrelu.setting.SettingCatalogue;
import org.junit.jupiter.api.Test;

import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A1 under the seven settings of issue 11's done-when (quick preset): the generic fast path agrees with the exact
 * reference within the derived bound at batch sizes 1, 2, 3 and 8, both activation states are exercised, and the
 * data set runs at its own d = 13. Negative controls: a kernel without the identity term, without its last block,
 * with a leaky slope off by 1e-9, or with ReLU in place of GELU must make A1 VIOLATED with the witness.
 */
class A1UnderSettingTest {
    private static final A1BatchGradientAgreement A1 = new A1BatchGradientAgreement();

    private static ClaimContext ctx(SettingCatalogue.Named n) {
        return ClaimContext.of(new ScalarKernel(), new ScalarFloatKernel(), 20170524L, Preset.QUICK).withSetting(n.setting());
    }

    @Test
    void holdsUnderEveryDoneWhenSettingAtEveryBatchSize() {
        for (SettingCatalogue.Named n : SettingCatalogue.doneWhen(8)) {
            assertThat(A1.applicability(n.setting())).as(n.name()).isEmpty();
            if (n.setting().isLy17()) {
                continue; // [LY17] runs today's A1 (its own tests)
            }
            ClaimResult r = A1.run(ctx(n));
            System.out.printf("A1 under %s: %s, max ratio %.3g over %d quantities, %.1f s%n", n.name(), r.verdict(), r.measured(),
                    (Long) r.details().get("quantitiesChecked"), r.seconds());
            assertThat(r.verdict()).as(n.name() + ": " + r.reason()).isEqualTo(Verdict.HOLDS);
            assertThat(r.measured()).as(n.name()).isGreaterThan(0).isLessThanOrEqualTo(1);
            assertThat((int[]) r.details().get("batches")).containsExactly(1, 2, 3, 8);
            assertThat((int[]) r.details().get("dims")).as(n.name())
                    .containsExactly(n.name().equals("wine") ? new int[] {13} : new int[] {1, 3, 7});
            assertThat((Long) r.details().get("activePreActivations")).as(n.name() + " active").isGreaterThan(10);
            assertThat((Long) r.details().get("inactivePreActivations")).as(n.name() + " inactive").isGreaterThan(10);
        }
    }

    private static ClaimResult mutated(String name, NetworkKernel kernel, UnaryOperator<Activation> act) {
        SettingCatalogue.Named n = SettingCatalogue.byName(name, 8);
        return A1UnderSetting.run(ctx(n), "A1", "A1", kernel, act);
    }

    @Test
    void negativeControlsAreViolatedWithTheirWitness() {
        ClaimResult noIdentity = mutated("leaky", new NetworkKernel(NetworkKernel.Mutation.DROP_IDENTITY), UnaryOperator.identity());
        assertThat(noIdentity.verdict()).isEqualTo(Verdict.VIOLATED);
        assertThat(noIdentity.reason()).contains("failing case(s), first: d=");
        assertThat(noIdentity.worst().config()).containsKeys("d", "batch", "trial", "setting");
        assertThat(mutated("blocks3", new NetworkKernel(NetworkKernel.Mutation.DROP_LAST_BLOCK), UnaryOperator.identity()).verdict())
                .isEqualTo(Verdict.VIOLATED);
        assertThat(mutated("leaky", new NetworkKernel(), a -> new Activation.LeakyRelu(0.1 + 1e-9)).verdict())
                .isEqualTo(Verdict.VIOLATED);
        assertThat(mutated("gelu", new NetworkKernel(), a -> new Activation.Relu()).verdict()).isEqualTo(Verdict.VIOLATED);
        // control: the same runs with the right kernel hold
        assertThat(mutated("leaky", new NetworkKernel(), UnaryOperator.identity()).verdict()).isEqualTo(Verdict.HOLDS);
    }
}
