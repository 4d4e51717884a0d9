package io.idrelu.setting;

import io.idrelu.model.GaussianSampler;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.NonPositiveDefiniteMatrixException;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.AhrensDieterMarsagliaTsangGammaSampler;
import org.apache.commons.rng.sampling.distribution.ContinuousSampler;
import org.apache.commons.rng.simple.RandomSource;

/**
 * Reproducible input batches for any {@link InputLaw} (proofs-notes/settings.md section 3): a stream is a function
 * of {@code (law, d, seed)} only, like {@link GaussianSampler}; {@link #forTrial} derives trial seeds the same way.
 * The standard Gaussian law delegates to {@link GaussianSampler} with the same seed, so [LY17]'s setting gets
 * today's doubles bit for bit. Preparation (Cholesky factor, loading a data set) happens once, in {@link #of}.
 */
public final class InputSampler {
    private final InputLaw law;
    private final int d;
    /** Lower Cholesky factor {@code C} of Sigma, row-major, for {@link InputLaw.GaussianCov}. */
    private final double[] chol;
    /** The (standardised/whitened) data, for {@link InputLaw.DataSet}. */
    private final DataMatrix data;

    private InputSampler(InputLaw law, int d, double[] chol, DataMatrix data) {
        this.law = law;
        this.d = d;
        this.chol = chol;
        this.data = data;
    }

    /** Prepares the law for dimension {@code d}; a data set is loaded (and validated) here. */
    public static InputSampler of(InputLaw law, int d) {
        double[] chol = null;
        DataMatrix data = null;
        if (law instanceof InputLaw.GaussianCov g) {
            chol = cholesky(g.sigma(), d);
        } else if (law instanceof InputLaw.DataSet ds) {
            data = DataSetLoader.load(ds, d);
        }
        return new InputSampler(law, d, chol, data);
    }

    /** Prepared sampler with already loaded data (for tests and callers that loaded it themselves). */
    public static InputSampler ofData(DataMatrix data) {
        return new InputSampler(new InputLaw.DataSet("<memory>", false, false), data.d(), null, data);
    }

    /** Lower Cholesky factor {@code C} with {@code C C^T = Sigma}, row-major; refuses a non-positive-definite Sigma. */
    public static double[] cholesky(double[][] sigma, int d) {
        try {
            double[][] l = new CholeskyDecomposition(new Array2DRowRealMatrix(sigma, true),
                    CholeskyDecomposition.DEFAULT_RELATIVE_SYMMETRY_THRESHOLD,
                    CholeskyDecomposition.DEFAULT_ABSOLUTE_POSITIVITY_THRESHOLD).getL().getData();
            double[] c = new double[d * d];
            for (int r = 0; r < d; r++) {
                System.arraycopy(l[r], 0, c, r * d, d);
            }
            return c;
        } catch (NonPositiveDefiniteMatrixException e) {
            throw new IllegalArgumentException("inputs.sigma is not positive definite (" + e.getMessage() + "): expected a covariance matrix");
        }
    }

    public InputLaw law() {
        return law;
    }

    public int d() {
        return d;
    }

    /** The loaded data, or null when the law is not a data set. */
    public DataMatrix data() {
        return data;
    }

    /** The lower Cholesky factor (row-major copy), or null when the law is not {@link InputLaw.GaussianCov}. */
    public double[] choleskyFactor() {
        return chol == null ? null : chol.clone();
    }

    /** The stream with this seed. */
    public Stream stream(long seed) {
        return new Stream(seed);
    }

    /** The independent stream of trial {@code trial} of a campaign with base seed {@code baseSeed}. */
    public Stream forTrial(long baseSeed, long trial) {
        return new Stream(GaussianSampler.trialSeed(baseSeed, trial));
    }

    /** One seeded stream of input rows. */
    public final class Stream {
        private final GaussianSampler gauss;
        private final UniformRandomProvider uniform;
        private final ContinuousSampler chi2;
        private final GaussianSampler noiseGauss;

        private Stream(long seed) {
            this.gauss = new GaussianSampler(seed);
            // a second, independent source for the non-Gaussian parts (signs, row indices, chi-square)
            this.uniform = RandomSource.XO_RO_SHI_RO_128_PP.create(new long[] {GaussianSampler.trialSeed(seed, 1L << 40),
                    GaussianSampler.trialSeed(seed, (1L << 40) + 1)});
            this.chi2 = law instanceof InputLaw.StudentT t
                    ? AhrensDieterMarsagliaTsangGammaSampler.of(uniform, t.nu() / 2, 2.0) : null;
            this.noiseGauss = new GaussianSampler(GaussianSampler.trialSeed(seed, 1L << 41));
        }

        /** A fresh row-major batch {@code x[b*d + r]} of {@code batch} rows. */
        public double[] batch(int batch) {
            if (law instanceof InputLaw.StandardGaussian) {
                return gauss.batch(batch, d);
            }
            double[] x = new double[Math.multiplyExact(batch, d)];
            for (int b = 0; b < batch; b++) {
                row(x, b * d);
            }
            return x;
        }

        private void row(double[] x, int o) {
            if (law instanceof InputLaw.GaussianCov) {
                double[] g = new double[d];
                gauss.fill(g);
                for (int r = 0; r < d; r++) {
                    double s = 0;
                    for (int c = 0; c <= r; c++) {
                        s = Math.fma(chol[r * d + c], g[c], s);
                    }
                    x[o + r] = s;
                }
            } else if (law instanceof InputLaw.StudentT t) {
                double scale = Math.sqrt((t.nu() - 2) / t.nu());
                for (int r = 0; r < d; r++) {
                    double z = gauss.next();
                    double v = chi2.sample();
                    x[o + r] = scale * z / Math.sqrt(v / t.nu());
                }
            } else if (law instanceof InputLaw.Rademacher) {
                for (int r = 0; r < d; r++) {
                    x[o + r] = uniform.nextBoolean() ? 1.0 : -1.0;
                }
            } else if (law instanceof InputLaw.Sphere) {
                double ss = 0;
                for (int r = 0; r < d; r++) {
                    x[o + r] = gauss.next();
                    ss = Math.fma(x[o + r], x[o + r], ss);
                }
                double f = Math.sqrt(d / ss);
                for (int r = 0; r < d; r++) {
                    x[o + r] *= f;
                }
            } else if (law instanceof InputLaw.DataSet) {
                int i = uniform.nextInt(data.rows());
                for (int r = 0; r < d; r++) {
                    x[o + r] = data.get(i, r);
                }
            } else {
                throw new AssertionError("unhandled law " + law);
            }
        }

        /** {@code batch} independent {@code N(0, sigma^2)} label-noise values (own stream, independent of the inputs). */
        public double[] noise(int batch, double sigma) {
            double[] e = new double[batch];
            if (sigma == 0) {
                return e;
            }
            for (int b = 0; b < batch; b++) {
                e[b] = sigma * noiseGauss.next();
            }
            return e;
        }
    }
}
