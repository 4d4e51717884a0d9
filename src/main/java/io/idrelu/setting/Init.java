package io.idrelu.setting;

/**
 * How the start {@code W0} and the teacher {@code W*} of every block are drawn (each entry of a Gaussian matrix,
 * one seeded stream, see {@link SettingProblem}).
 */
public sealed interface Init {

    /**
     * Today's rule ({@code io.idrelu.model.Problem#random}): a Gaussian matrix rescaled to spectral norm exactly
     * {@code gamma} ([LY17] Theorem 3.1's {@code ||W0||_2, ||W*||_2 <= gamma0}, at the boundary).
     */
    record SpectralNorm(double gamma) implements Init {
        public SpectralNorm {
            if (!(gamma >= 0) || Double.isInfinite(gamma)) {
                throw new IllegalArgumentException("init.gamma = " + gamma + ": expected a finite number >= 0");
            }
        }
    }

    /** Entries i.i.d. {@code N(0, (c / sqrt(d))^2)}, so {@code ||W||_2} is about {@code 2c} for large {@code d}. */
    record Scaled(double c) implements Init {
        public Scaled {
            if (!(c >= 0) || Double.isInfinite(c)) {
                throw new IllegalArgumentException("init.c = " + c + ": expected a finite number >= 0");
            }
        }
    }
}
