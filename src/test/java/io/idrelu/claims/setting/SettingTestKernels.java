package io.idrelu.claims.setting;

import io.idrelu.setting.Activation;
import io.idrelu.setting.Architecture;
import io.idrelu.setting.FastValues;
import io.idrelu.setting.NetworkKernel;

import java.util.ArrayList;
import java.util.List;

/** Deliberately wrong generic fast paths for the negative controls of the claims under a setting. */
final class SettingTestKernels {
    private SettingTestKernels() { }

    /** The batch gradient of every block multiplied by {@code factor} ({@code -1}: SGD climbs the loss). */
    static NetworkKernel scaledGradient(double factor) {
        return new NetworkKernel() {
            @Override
            public FastValues evaluate(Architecture arch, Activation act, List<double[]> w, List<double[]> wStar,
                                       double[] x, int batch, double[] noise) {
                FastValues v = super.evaluate(arch, act, w, wStar, x, batch, noise);
                List<double[]> g = new ArrayList<>();
                for (double[] a : v.gradients()) {
                    double[] b = new double[a.length];
                    for (int i = 0; i < a.length; i++) {
                        b[i] = factor * a[i];
                    }
                    g.add(b);
                }
                return new FastValues(v.batch(), v.outputs(), v.teacherOutputs(), v.residuals(), v.loss(), g, v.h(), v.z(),
                        v.delta(), v.teacherZ());
            }
        };
    }
}
