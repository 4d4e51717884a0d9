package io.idrelu.setting;

/**
 * How labels are made from the teacher: {@code y = f(x, W*)} (noiseless, [LY17]) or
 * {@code y = f(x, W*) + sigma * eps} with {@code eps ~ N(0, 1)} independent of {@code x}. With noise the
 * population loss is {@code L(W) + sigma^2} and its gradient is unchanged (proofs-notes/settings.md section 4).
 */
public sealed interface LabelModel {
    /** Standard deviation of the additive label noise (0 when noiseless). */
    double sigma();

    /** {@code y = f(x, W*)}. */
    record Noiseless() implements LabelModel {
        @Override
        public double sigma() {
            return 0;
        }
    }

    /** {@code y = f(x, W*) + sigma eps}, {@code sigma > 0} finite. */
    record GaussianNoise(double sigma) implements LabelModel {
        public GaussianNoise {
            if (!(sigma > 0) || Double.isInfinite(sigma)) {
                throw new IllegalArgumentException("labels.sigma = " + sigma + ": expected a finite number > 0");
            }
        }
    }
}
