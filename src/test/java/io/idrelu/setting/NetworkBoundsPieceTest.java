package io.idrelu.setting;

import io.idrelu.setting.reference.ExactNetwork;
import io.idrelu.setting.reference.NetworkValues;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link NetworkBounds#pieceKnown} at a real kink crossing: d = 2, one identity block, ReLU, {@code x = (1, 1)},
 * {@code W[0][0] = -1}, {@code W[1][0] = 2^-60}. The kernel computes {@code h_0 = fl(fl(-1 + 2^-60) + 1) = 0} (the fma
 * rounds {@code -1 + 2^-60} to {@code -1}), the exact value is {@code 2^-60 > 0}: the fast path takes the inactive
 * piece, the exact one the active piece. The decision with the proven error {@code E_h} must call the piece unknown
 * (and the A1 audit, which then charges the derivative jump, must agree); the control, the same decision with a wrong
 * error 0, calls it known and is wrong.
 */
class NetworkBoundsPieceTest {

    @Test
    void aRealKinkCrossingIsUncertainAndTheAuditStillAgrees() {
        Architecture arch = new Architecture(2, 1, true);
        Activation relu = new Activation.Relu();
        List<double[]> w = List.of(new double[] {-1, 0, 0x1p-60, 0});
        List<double[]> wStar = List.of(new double[] {0.25, 0, 0, 0.25});
        double[] x = {1, 1};
        FastValues v = new NetworkKernel().evaluate(arch, relu, w, wStar, x, 1, null);
        NetworkBounds nb = new NetworkBounds(arch, relu, w, wStar, v, null);
        NetworkValues exact = new ExactNetwork(arch, relu, 30).evaluate(ExactNetwork.exact(w, 2), ExactNetwork.exact(wStar, 2),
                ExactNetwork.exact(x, 1, 2), null);
        double hFast = v.h().get(0)[0];
        // the crossing is real: fast on the inactive piece, exact on the active one
        assertThat(hFast).isEqualTo(0.0);
        assertThat(exact.preActivations().get(0)[0][0].signum()).isPositive();
        // with the proven error the piece is unknown; the other unit (h = 1) is known
        assertThat(nb.preActivation(1, 0, 0)).isPositive();
        assertThat(NetworkBounds.pieceKnown(hFast, nb.preActivation(1, 0, 0))).isFalse();
        assertThat(NetworkBounds.pieceKnown(v.h().get(0)[1], nb.preActivation(1, 0, 1))).isTrue();
        // control: a wrong (zero) error calls the piece known, which the exact sign contradicts
        assertThat(NetworkBounds.pieceKnown(hFast, 0)).isTrue();
        // the A1 audit covers the gradient jump of the unknown unit
        NetworkAudit a = NetworkAudit.run(new NetworkKernel(), arch, relu, w, wStar, x, 1, null);
        assertThat(a.agrees()).as(a.worstQuantity()).isTrue();
    }
}
