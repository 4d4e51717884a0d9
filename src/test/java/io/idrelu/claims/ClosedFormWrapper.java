package io.idrelu.claims;

import java.math.BigDecimal;
import java.util.function.UnaryOperator;

/** Test-only: a {@link ClosedForm} with its loss and/or gradient passed through a perturbation. */
final class ClosedFormWrapper implements ClosedForm {
    interface LossEdit {
        BigDecimal apply(boolean identity, BigDecimal[][] w, BigDecimal[][] wStar, BigDecimal loss);
    }

    interface GradientEdit {
        BigDecimal[][] apply(boolean identity, BigDecimal[][] w, BigDecimal[][] wStar, BigDecimal[][] grad);
    }

    private final ClosedForm inner;
    private final LossEdit loss;
    private final GradientEdit grad;
    private final String name;

    ClosedFormWrapper(ClosedForm inner, String name, LossEdit loss, GradientEdit grad) {
        this.inner = inner;
        this.name = name;
        this.loss = loss;
        this.grad = grad;
    }

    static ClosedForm gradient(ClosedForm inner, String name, UnaryOperator<BigDecimal[][]> edit) {
        return new ClosedFormWrapper(inner, name, null, (id, w, ws, g) -> edit.apply(g));
    }

    static ClosedForm loss(ClosedForm inner, String name, UnaryOperator<BigDecimal> edit) {
        return new ClosedFormWrapper(inner, name, (id, w, ws, l) -> edit.apply(l), null);
    }

    @Override
    public BigDecimal loss(boolean identity, BigDecimal[][] w, BigDecimal[][] wStar) {
        BigDecimal l = inner.loss(identity, w, wStar);
        return loss == null ? l : loss.apply(identity, w, wStar, l);
    }

    @Override
    public BigDecimal[][] gradient(boolean identity, BigDecimal[][] w, BigDecimal[][] wStar) {
        BigDecimal[][] g = inner.gradient(identity, w, wStar);
        return grad == null ? g : grad.apply(identity, w, wStar, g);
    }

    @Override
    public int digits() {
        return inner.digits();
    }

    @Override
    public String toString() {
        return name + "(" + inner + ")";
    }

    static BigDecimal[][] map(BigDecimal[][] g, UnaryOperator<BigDecimal> f) {
        BigDecimal[][] out = new BigDecimal[g.length][];
        for (int i = 0; i < g.length; i++) {
            out[i] = new BigDecimal[g[i].length];
            for (int j = 0; j < g[i].length; j++) {
                out[i][j] = f.apply(g[i][j]);
            }
        }
        return out;
    }
}
