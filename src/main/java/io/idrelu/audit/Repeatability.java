package io.idrelu.audit;

import io.idrelu.kernel.FloatKernel;
import io.idrelu.kernel.Kernel;
import io.idrelu.model.Matrices;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Part of claim A1 (the kernel contract's "Determinism" and "outputs are overwritten" clauses) on every audited
 * batch: the batch methods are called twice more on fresh copies of the same inputs, once into the <em>same</em>
 * output arrays the audited call filled (dirty, as a training loop reuses them) and once into fresh zeroed arrays;
 * all three calls must give the same bits. The audited call alone cannot see a kernel that adds into its outputs
 * (fresh Java arrays are zero) or one whose result depends on earlier calls.
 *
 * <p>The report's quantity is {@code repeatability}, units {@code none}, bound 0 (bit identity, no tolerance:
 * the same operations on the same inputs round the same way). A difference is a violation, reported with ratio
 * {@code +inf}, the first differing element with the audited value ("exact") and the repeated one ("kernel").
 */
final class Repeatability {
    private Repeatability() { }

    static final String QUANTITY = "repeatability";
    static final String BOUND = "bit-identical on a second call into the first call's (dirty) outputs and a third into fresh ones";

    /** The batch quantities of one call, widened exactly to double. */
    private record Call(double[] h, double[] out, double[] res, double loss, double[] grad) { }

    static AuditReport check(Kernel k, int d, boolean identity, double[] w, double[] wStar, double[] x, int batch,
                             FastBatch first) {
        double[] h = first.h().clone();
        double[] out = first.out().clone();
        double[] res = first.residuals().clone();
        double[] grad = first.grad().clone();
        k.preActivations(d, identity, w.clone(), x.clone(), batch, h);
        k.forward(d, identity, w.clone(), x.clone(), batch, out);
        double loss = k.lossAndGradient(d, identity, w.clone(), wStar.clone(), x.clone(), batch, res, grad);
        Call dirty = new Call(h, out, res, loss, grad);
        FastBatch again = FastBatch.run(k, d, identity, w, wStar, x, batch);
        return report(first, dirty, of(again), d, batch);
    }

    static AuditReport check(FloatKernel k, int d, boolean identity, float[] w, float[] wStar, float[] x, int batch,
                             FastBatch first) {
        float[] h = Matrices.toFloat(first.h());
        float[] out = Matrices.toFloat(first.out());
        float[] res = Matrices.toFloat(first.residuals());
        float[] grad = Matrices.toFloat(first.grad());
        k.preActivations(d, identity, w.clone(), x.clone(), batch, h);
        k.forward(d, identity, w.clone(), x.clone(), batch, out);
        float loss = k.lossAndGradient(d, identity, w.clone(), wStar.clone(), x.clone(), batch, res, grad);
        Call dirty = new Call(Matrices.toDouble(h), Matrices.toDouble(out), Matrices.toDouble(res), loss,
                Matrices.toDouble(grad));
        FastBatch again = FastBatch.run(k, d, identity, w, wStar, x, batch);
        return report(first, dirty, of(again), d, batch);
    }

    private static Call of(FastBatch f) {
        return new Call(f.h(), f.out(), f.residuals(), f.loss(), f.grad());
    }

    private static AuditReport report(FastBatch first, Call dirty, Call fresh, int d, int batch) {
        Call audited = of(first);
        String[] names = {"preActivation", "forward", "residual", "loss", "gradient"};
        long elements = 0;
        long dirtyDiffs = 0;
        long freshDiffs = 0;
        String where = "";
        double seen = 0;
        double expected = 0;
        for (int q = 0; q < names.length; q++) {
            double[] a = part(audited, q);
            double[] b = part(dirty, q);
            double[] c = part(fresh, q);
            for (int i = 0; i < a.length; i++) {
                elements++;
                boolean bd = !same(a[i], b[i]);
                boolean cd = !same(a[i], c[i]);
                if ((bd || cd) && dirtyDiffs + freshDiffs == 0) {
                    where = names[q] + index(q, i, d);
                    seen = cd ? c[i] : b[i];
                    expected = a[i];
                }
                dirtyDiffs += bd ? 1 : 0;
                freshDiffs += cd ? 1 : 0;
            }
        }
        long violations = Math.max(dirtyDiffs, freshDiffs);
        Map<String, Object> notes = new LinkedHashMap<>();
        notes.put("differencesIntoDirtyOutputs", dirtyDiffs);
        notes.put("differencesIntoFreshOutputs", freshDiffs);
        if (freshDiffs > 0) {
            notes.put("failure", "same inputs, fresh outputs, different bits: the kernel is not deterministic (state kept "
                    + "between calls?)");
        } else if (dirtyDiffs > 0) {
            notes.put("failure", "a second call into the outputs of the first gives different bits: the kernel adds into "
                    + "its outputs instead of overwriting them");
        }
        return new AuditReport("A1", QUANTITY, first.kernel(), first.precision().name().toLowerCase(Locale.ROOT),
                d, batch, "none", elements, 0, 0, 0, first.precision() == Precision.FLOAT ? 24 : 53, where,
                violations == 0 ? 0 : seen, violations == 0 ? "" : Double.toString(expected), 0, 0,
                violations == 0 ? 0 : Double.POSITIVE_INFINITY, violations, 0, 0, 0, violations == 0, BOUND, notes);
    }

    private static double[] part(Call c, int q) {
        return switch (q) {
            case 0 -> c.h();
            case 1 -> c.out();
            case 2 -> c.res();
            case 3 -> new double[] {c.loss()};
            default -> c.grad();
        };
    }

    private static String index(int q, int i, int d) {
        return switch (q) {
            case 0 -> "[" + i / d + "][" + i % d + "]";
            case 3 -> "";
            case 1, 2 -> "[" + i + "]";
            default -> "[" + i / d + "][" + i % d + "]";
        };
    }

    private static boolean same(double a, double b) {
        return Double.doubleToLongBits(a) == Double.doubleToLongBits(b);
    }
}
