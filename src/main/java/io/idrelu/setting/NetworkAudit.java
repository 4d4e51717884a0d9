package io.idrelu.setting;

import io.idrelu.setting.reference.ExactNetwork;
import io.idrelu.setting.reference.NetworkValues;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.List;

/**
 * The A1 audit under any setting (proofs-notes/settings.md section 5): the fast path ({@link NetworkKernel}) and the
 * reference ({@link ExactNetwork}) on the <b>same doubles</b>; every output, residual, the loss and every gradient
 * entry of every block must lie within its {@link NetworkBounds} bound. For smooth activations the reference is
 * accurate to {@code 10^-p (1 + |v|)} ({@link #REFERENCE_DIGITS} digits), which is added to the bound.
 *
 * @param worstRatio    largest {@code |fast - reference| / bound} over all checked quantities ({@code <= 1}: agrees)
 * @param worstQuantity where the worst ratio occurred
 * @param checked       number of quantities compared
 */
public record NetworkAudit(double worstRatio, String worstQuantity, long checked) {
    /** Digits of the reference for smooth activations. */
    public static final int REFERENCE_DIGITS = 30;

    public boolean agrees() {
        return worstRatio <= 1;
    }

    /** Runs {@code kernel} and the reference at {@code (W, W*, X, noise)} and compares. */
    public static NetworkAudit run(NetworkKernel kernel, Architecture arch, Activation act, List<double[]> w,
                                   List<double[]> wStar, double[] x, int batch, double[] noise) {
        return run(kernel, arch, act, w, wStar, x, batch, noise, act);
    }

    /**
     * As {@link #run(NetworkKernel, Architecture, Activation, List, List, double[], int, double[])}, but the kernel is
     * handed {@code kernelAct} (a negative control: a kernel with a wrong activation parameter must fail).
     */
    public static NetworkAudit run(NetworkKernel kernel, Architecture arch, Activation act, List<double[]> w,
                                   List<double[]> wStar, double[] x, int batch, double[] noise, Activation kernelAct) {
        int d = arch.d();
        FastValues fast = kernel.evaluate(arch, kernelAct, w, wStar, x, batch, noise);
        NetworkBounds bounds = new NetworkBounds(arch, act, w, wStar, fast, noise);
        ExactNetwork ref = new ExactNetwork(arch, act, REFERENCE_DIGITS);
        BigDecimal[] nz = null;
        if (noise != null) {
            nz = new BigDecimal[batch];
            for (int b = 0; b < batch; b++) {
                nz[b] = new BigDecimal(noise[b]);
            }
        }
        NetworkValues exact = ref.evaluate(ExactNetwork.exact(w, d), ExactNetwork.exact(wStar, d),
                ExactNetwork.exact(x, batch, d), nz);
        MathContext mc = new MathContext(40, RoundingMode.HALF_EVEN);
        double refRel = act.piecewiseLinear() ? 0 : Math.pow(10, -REFERENCE_DIGITS);
        Worst worst = new Worst();
        for (int b = 0; b < batch; b++) {
            worst.check("output[" + b + "]", fast.outputs()[b], exact.outputs()[b], bounds.output(b), refRel);
            worst.check("residual[" + b + "]", fast.residuals()[b], exact.residuals()[b], bounds.residual(b), refRel);
        }
        worst.check("loss", fast.loss(), exact.loss(mc), bounds.loss(), refRel);
        for (int k = 1; k <= arch.blocks(); k++) {
            BigDecimal[][] g = exact.gradient(k, mc);
            double[] gf = fast.gradients().get(k - 1);
            for (int r = 0; r < d; r++) {
                for (int j = 0; j < d; j++) {
                    worst.check("grad W_" + k + "[" + r + "][" + j + "]", gf[r * d + j], g[r][j], bounds.gradient(k, r, j), refRel);
                }
            }
        }
        return new NetworkAudit(worst.ratio, worst.where, worst.count);
    }

    private static final class Worst {
        double ratio = 0;
        String where = "none";
        long count;

        void check(String name, double fast, BigDecimal exact, double bound, double refRel) {
            count++;
            BigDecimal err = new BigDecimal(fast).subtract(exact).abs();
            // the reference's own error (smooth activations; 0 when exact), and the 40-digit rounding of 1/B quotients
            double allowance = bound + refRel * (1 + Math.abs(exact.doubleValue())) + 1e-38 * (1 + Math.abs(exact.doubleValue()));
            double ratio = err.signum() == 0 ? 0 : err.doubleValue() / allowance;
            if (!(ratio <= this.ratio)) {
                this.ratio = ratio;
                this.where = name + ": |" + fast + " - " + exact.round(new MathContext(17)) + "| = " + err.round(new MathContext(3))
                        + " vs bound " + allowance;
            }
        }
    }
}
