package io.idrelu.setting;

import io.idrelu.model.GaussianSampler;
import io.idrelu.model.Matrices;
import io.idrelu.model.Problem;

import java.util.ArrayList;
import java.util.List;

/**
 * One teacher-student instance under a {@link Setting}: the start {@code W0_k} and the teacher {@code W*_k} of every
 * block {@code k = 1..K}, each a row-major {@code double[d*d]} (unit {@code j} uses column {@code j}, MATH.md
 * section 1). Immutable; arrays are copied in and out.
 */
public final class SettingProblem {
    private final Setting setting;
    private final List<double[]> w0;
    private final List<double[]> wStar;

    public SettingProblem(Setting setting, List<double[]> w0, List<double[]> wStar) {
        int k = setting.architecture().blocks();
        int d = setting.d();
        if (w0.size() != k || wStar.size() != k) {
            throw new IllegalArgumentException("W0 has " + w0.size() + " and W* " + wStar.size() + " blocks != architecture.blocks = " + k);
        }
        this.setting = setting;
        this.w0 = copy(w0, d, "W0");
        this.wStar = copy(wStar, d, "W*");
    }

    private static List<double[]> copy(List<double[]> m, int d, String name) {
        List<double[]> out = new ArrayList<>();
        for (int k = 0; k < m.size(); k++) {
            double[] w = m.get(k);
            if (w.length != d * d) {
                throw new IllegalArgumentException(name + " block " + (k + 1) + " has " + w.length + " entries != d*d = " + d * d);
            }
            for (int i = 0; i < w.length; i++) {
                if (!Double.isFinite(w[i])) {
                    throw new IllegalArgumentException(name + " block " + (k + 1) + "[" + i / d + "][" + i % d + "] = " + w[i] + ": expected a finite number");
                }
            }
            out.add(w.clone());
        }
        return List.copyOf(out);
    }

    /**
     * A seeded random instance: from the weight stream ({@link GaussianSampler#forTrial} index {@code -1}, as
     * {@link Problem#random}) draw {@code W0_1..W0_K} then {@code W*_1..W*_K}, each a Gaussian matrix rescaled to
     * spectral norm {@code gamma} ({@link Init.SpectralNorm}) or with entries scaled by {@code c/sqrt(d)}
     * ({@link Init.Scaled}). For {@code K = 1} and spectral norm this is {@link Problem#random} bit for bit.
     */
    public static SettingProblem random(Setting setting, long seed) {
        int d = setting.d();
        int k = setting.architecture().blocks();
        GaussianSampler s = GaussianSampler.forTrial(seed, -1);
        List<double[]> w0 = new ArrayList<>();
        List<double[]> ws = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            w0.add(draw(s, d, setting.init()));
        }
        for (int i = 0; i < k; i++) {
            ws.add(draw(s, d, setting.init()));
        }
        return new SettingProblem(setting, w0, ws);
    }

    private static double[] draw(GaussianSampler s, int d, Init init) {
        double[] m = s.batch(d, d);
        double f;
        if (init instanceof Init.SpectralNorm sn) {
            f = sn.gamma() / Matrices.spectralNorm(m, d); // the same expression as Problem.scaled: same bits
        } else {
            f = ((Init.Scaled) init).c() / Math.sqrt(d);
        }
        for (int i = 0; i < m.length; i++) {
            m[i] = m[i] * f;
        }
        return m;
    }

    public Setting setting() {
        return setting;
    }

    /** Copies of the start blocks. */
    public List<double[]> w0() {
        return copyOut(w0);
    }

    /** Copies of the teacher blocks. */
    public List<double[]> wStar() {
        return copyOut(wStar);
    }

    private static List<double[]> copyOut(List<double[]> m) {
        List<double[]> out = new ArrayList<>();
        for (double[] w : m) {
            out.add(w.clone());
        }
        return out;
    }
}
