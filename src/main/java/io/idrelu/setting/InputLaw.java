package io.idrelu.setting;

import java.util.Arrays;

/**
 * The law of the input {@code x} (proofs-notes/settings.md section 3). [LY17] assumes {@code x ~ N(0, I_d)}; every
 * other law here is scaled so that {@code E x = 0} and {@code E x x^T = I} (except {@link GaussianCov}, whose
 * second moment is {@code Sigma} by definition, and a {@link DataSet} that is not standardised), so that the
 * question "does the theorem survive" is about the shape of the law, not its scale. Sampling: {@link InputSampler}.
 */
public sealed interface InputLaw {

    /** Short name for tables and JSON. */
    String kind();

    /** {@code N(0, I_d)}: today's {@code io.idrelu.model.GaussianSampler}, bit for bit. */
    record StandardGaussian() implements InputLaw {
        @Override
        public String kind() {
            return "gaussian";
        }
    }

    /**
     * {@code N(0, Sigma)}, sampled as {@code x = C g} with {@code C} the lower Cholesky factor of {@code Sigma}
     * ({@code C C^T = Sigma}) and {@code g ~ N(0, I)}; {@code Sigma} symmetric positive definite, row-major d x d.
     */
    record GaussianCov(double[][] sigma) implements InputLaw {
        public GaussianCov {
            if (sigma == null || sigma.length == 0) {
                throw new IllegalArgumentException("inputs.sigma is missing: expected a symmetric positive definite d x d matrix");
            }
            int d = sigma.length;
            double[][] copy = new double[d][];
            for (int r = 0; r < d; r++) {
                if (sigma[r] == null || sigma[r].length != d) {
                    throw new IllegalArgumentException("inputs.sigma row " + r + " has " + (sigma[r] == null ? 0 : sigma[r].length)
                            + " entries != " + d + ": expected a square matrix");
                }
                for (int c = 0; c < d; c++) {
                    if (!Double.isFinite(sigma[r][c])) {
                        throw new IllegalArgumentException("inputs.sigma[" + r + "][" + c + "] = " + sigma[r][c] + ": expected a finite number");
                    }
                }
                copy[r] = sigma[r].clone();
            }
            for (int r = 0; r < d; r++) {
                for (int c = 0; c < r; c++) {
                    if (copy[r][c] != copy[c][r]) {
                        throw new IllegalArgumentException("inputs.sigma[" + r + "][" + c + "] = " + copy[r][c] + " != sigma[" + c + "][" + r
                                + "] = " + copy[c][r] + ": expected a symmetric matrix");
                    }
                }
            }
            sigma = copy;
        }

        @Override
        public double[][] sigma() {
            double[][] copy = new double[sigma.length][];
            for (int r = 0; r < sigma.length; r++) {
                copy[r] = sigma[r].clone();
            }
            return copy;
        }

        @Override
        public String kind() {
            return "gaussian-cov";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof GaussianCov g && Arrays.deepEquals(sigma, g.sigma);
        }

        @Override
        public int hashCode() {
            return Arrays.deepHashCode(sigma);
        }

        @Override
        public String toString() {
            return "GaussianCov" + Arrays.deepToString(sigma);
        }
    }

    /**
     * Independent coordinates {@code x_i = sqrt((nu - 2)/nu) T_i} with {@code T_i} Student-t with {@code nu > 2}
     * degrees of freedom: scaled to <b>unit variance</b>, heavy tails (excess kurtosis {@code 6/(nu - 4)} for nu > 4).
     */
    record StudentT(double nu) implements InputLaw {
        public StudentT {
            if (!(nu > 2) || Double.isInfinite(nu)) {
                throw new IllegalArgumentException("inputs.nu = " + nu + ": expected finite degrees of freedom nu > 2 (unit variance needs nu > 2)");
            }
        }

        @Override
        public String kind() {
            return "student-t";
        }
    }

    /** Independent coordinates {@code +1 / -1} with probability 1/2 each: {@code E x x^T = I}. */
    record Rademacher() implements InputLaw {
        @Override
        public String kind() {
            return "rademacher";
        }
    }

    /** Uniform on the sphere of <b>radius sqrt(d)</b>, {@code x = sqrt(d) g / |g|}: {@code E x x^T = I}. */
    record Sphere() implements InputLaw {
        @Override
        public String kind() {
            return "sphere";
        }
    }

    /**
     * The empirical law of a data file (CSV or NPY, {@link DataSetLoader}), rows resampled uniformly with
     * replacement by seed. {@code standardise}: each column shifted to mean 0 and scaled to variance 1 (variance with
     * divisor {@code n}, so the empirical law has exactly mean 0 and unit variances); {@code whiten}: centred and
     * multiplied by {@code S^(-1/2)} (symmetric inverse square root of the empirical covariance, divisor n), so the
     * empirical second moment is {@code I}. Whitening implies standardisation.
     *
     * @param path        file path as given by the user ({@code classpath:datasets/wine.csv} for the shipped one)
     */
    record DataSet(String path, boolean standardise, boolean whiten) implements InputLaw {
        public DataSet {
            if (path == null || path.isBlank()) {
                throw new IllegalArgumentException("inputs.path is missing: expected a .csv or .npy file");
            }
        }

        @Override
        public String kind() {
            return "dataset";
        }
    }
}
