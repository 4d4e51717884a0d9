package io.idrelu.claims.setting;

import io.idrelu.claims.C8OnePointStrongConvexity;
import io.idrelu.claims.OnePoint;
import io.idrelu.claims.Preset;
import io.idrelu.claims.RatioDescent;
import io.idrelu.kernel.Kernel;
import io.idrelu.model.GaussianSampler;
import io.idrelu.setting.OnePointEstimator;
import io.idrelu.setting.PopulationRoute;
import io.idrelu.setting.Setting;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * The adversarial search of claim C8 where {@link C8UnderSetting}'s closed-form search does not run (issue 11;
 * proofs-notes/C8.md "Under other settings"): a <b>Monte Carlo</b> population gradient (Student-t, GELU, ...) or
 * {@code K > 1} residual blocks.
 *
 * <p><b>Search on one sample, judge on another.</b> Under Monte Carlo the searches ({@code RatioSearch} from a random
 * pair and from the soft Hessian direction, {@code RatioDescent} at block size {@code k}, embedded block-diagonally into
 * {@code embedDims}) minimise the ratio estimated on a <i>search</i> sample drawn from the stream
 * {@link #SEARCH_STREAM}; every point they return is then judged by the caller's estimator, whose sample (stream
 * {@link C8UnderSetting#MC_STREAM}) is independent of the search sample. The points are functions of the search sample
 * only, so conditionally on them the judging interval keeps its level: the minimum found is not judged on the data it
 * was selected on (that would bias the ratio down and the interval would not cover). {@link #searchEstimator} refuses a
 * search sample drawn from the judge's seed. Under an exact route ({@code K > 1} with a closed form or a finite law)
 * search and judge are the same exact function.
 *
 * <p><b>K > 1 blocks</b> (an extension of the paper): the search moves block 1 of {@code (W, W*)}; blocks 2..K are a
 * random pair inside the region from seeds derived from the search's seed, held fixed (embedded block-diagonally with
 * block 1 when the descent's result is embedded). The ratio runs over all blocks, as in {@link C8UnderSetting}.
 *
 * <p>Cost: under Monte Carlo the searches run only at the gammas that decide the verdict ({@code gamma <=
 * decisionGammaMax}); the search sample is a quarter of the judging sample's rows ({@link #searchSample}).
 */
final class C8SearchUnderSetting {
    /** Seed stream of the search sample and of the searches' starts (xor-ed into the base seed). */
    static final long SEARCH_STREAM = 0x7365617263L;

    private C8SearchUnderSetting() { }

    /**
     * The search's budget under Monte Carlo per preset: the search sample ({@code batches x rows}, smaller than the judging
     * sample: the search needs a direction, the judge an interval) and the steps of {@code RatioSearch} and of
     * {@code RatioDescent} (a descent step at block size k costs {@code 4 k^2 + 1} ratios). Sized so that the default
     * preset's search under GELU, the most expensive activation (Commons Math's erfc per unit and row), stays within
     * about 30 s on one loaded core (proofs-notes/C8.md "Under other settings", measured there).
     */
    record Budget(int batches, int rows, int searchSteps, int descentIterations) {
        static Budget of(Preset p, C8OnePointStrongConvexity.Config cfg) {
            return switch (p) {
                case QUICK -> new Budget(4, 256, Math.min(cfg.searchSteps(), 60), Math.min(cfg.descentIterations(), 10));
                case DEFAULT -> new Budget(4, 256, Math.min(cfg.searchSteps(), 100), Math.min(cfg.descentIterations(), 20));
                case PAPER, DEEP -> new Budget(8, 1024, cfg.searchSteps(), cfg.descentIterations());
            };
        }

        int[] sample() {
            return new int[] {batches, rows};
        }

        @Override
        public String toString() {
            return batches + " x " + rows + " rows (RatioSearch " + searchSteps + " steps, descent " + descentIterations + " steps)";
        }
    }

    /**
     * The estimator the search minimises at one dimension: under Monte Carlo a sample drawn from {@code searchSeed},
     * refused when that is the judge's seed (the same rows: the found minimum would be judged on the data it was
     * selected on); under an exact route the judge itself.
     *
     * @throws IllegalArgumentException when {@code searchSeed == judgeSeed} under Monte Carlo
     */
    static OnePointEstimator searchEstimator(Setting s, Kernel kernel, long searchSeed, OnePointEstimator judge,
                                             long judgeSeed, int[] size, double z) {
        if (PopulationRoute.of(s) != PopulationRoute.MONTE_CARLO) {
            return judge;
        }
        if (searchSeed == judgeSeed) {
            throw new IllegalArgumentException("C8: the Monte Carlo sample that judges the searched points must be independent"
                    + " of the search's sample, but both are drawn from seed " + searchSeed);
        }
        return OnePointEstimator.of(s, kernel, searchSeed, size[0], size[1], z);
    }

    /** Fixed blocks 2..K of a search (empty for one block), with their embeddings per dimension. */
    private static final class Rest {
        final int k;
        final List<double[]> w = new ArrayList<>();
        final List<double[]> ws = new ArrayList<>();
        final Map<Integer, List<List<double[]>>> embedded = new HashMap<>();

        Rest(int k) {
            this.k = k;
        }

        /** Draws blocks 2..K at dimension {@code k} from seeds derived from {@code seed}; false when one is outside the region. */
        static Rest draw(int blocks, int k, double gamma, long seed, double thr, List<Rest> out) {
            Rest r = new Rest(k);
            for (int b = 1; b < blocks; b++) {
                C8OnePointStrongConvexity.Trial t = C8OnePointStrongConvexity.trial((d, x, y) -> Double.NaN, k, gamma, "random",
                        GaussianSampler.trialSeed(seed, b), thr, 0);
                if (!t.location().inside()) {
                    return null;
                }
                r.w.add(t.w());
                r.ws.add(t.wStar());
            }
            out.add(r);
            return r;
        }

        /** {@code first} followed by the fixed blocks (embedded block-diagonally at {@code d > k}). */
        List<double[]> join(double[] first, int d, boolean teacher) {
            List<double[]> rest = teacher ? ws : w;
            if (d != k) {
                rest = embedded.computeIfAbsent(d, dd -> {
                    List<double[]> ew = new ArrayList<>();
                    List<double[]> ews = new ArrayList<>();
                    for (int i = 0; i < w.size(); i++) {
                        ew.add(RatioDescent.blockDiagonal(w.get(i), k, dd));
                        ews.add(RatioDescent.blockDiagonal(ws.get(i), k, dd));
                    }
                    return List.of(ew, ews);
                }).get(teacher ? 1 : 0);
            }
            List<double[]> all = new ArrayList<>();
            all.add(first);
            all.addAll(rest);
            return all;
        }

        /** Whether the embedded fixed blocks are still inside the region at {@code d} (the potential grows with the copies). */
        boolean insideAt(int d, double gamma, double thr) {
            for (int i = 0; i < w.size(); i++) {
                List<double[]> ew = join(new double[0], d, false);
                List<double[]> ews = join(new double[0], d, true);
                if (!OnePoint.locate(d, ew.get(i + 1), ews.get(i + 1), gamma, thr).inside()) {
                    return false;
                }
            }
            return true;
        }
    }

    /** What the search produced: judged points, points that left the region, and a line per searched point. */
    record Found(List<C8UnderSetting.Point> points, long outside, List<String> lines) { }

    /**
     * Runs the searches and judges every point they return.
     *
     * @param search  the search's estimator per dimension ({@link #searchEstimator})
     * @param judge   the judging estimator per dimension (independent of {@code search} under Monte Carlo)
     * @param dims    the cells' dimensions
     * @param gammas  the gammas searched
     * @param kDims   the descent's block sizes
     * @param embed   dimensions the descent's results are embedded into (empty at a fixed d)
     * @param iterations descent steps per start
     */
    static Found run(IntFunction<OnePointEstimator> search, IntFunction<OnePointEstimator> judge, int blocks, long baseSeed,
                     double thr, int[] dims, double[] gammas, int searchStarts, int searchSteps, int[] kDims,
                     int descentStarts, int iterations, int[] embed, java.util.function.Consumer<String> progress) {
        List<C8UnderSetting.Point> points = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        long outside = 0;
        long index = 0;
        List<Rest> rests = new ArrayList<>();
        for (int d : dims) {
            for (double gamma : gammas) {
                for (int i = 0; i < searchStarts; i++) {
                    String mode = i % 2 == 0 ? "search" : "search-hessian";
                    long seed = GaussianSampler.trialSeed(baseSeed ^ SEARCH_STREAM, index++);
                    Rest rest = Rest.draw(blocks, d, gamma, seed, thr, rests);
                    if (rest == null) {
                        outside++;
                        continue;
                    }
                    OnePoint.RatioFunction fn = (dd, w, ws) -> search.apply(dd).value(rest.join(w, dd, false), rest.join(ws, dd, true));
                    C8OnePointStrongConvexity.Trial t = C8OnePointStrongConvexity.trial(fn, d, gamma, mode, seed, thr, searchSteps);
                    if (!t.location().inside() || Double.isNaN(t.ratio())) {
                        outside++;
                        continue;
                    }
                    points.add(judged(judge, rest, d, gamma, mode, seed, t.w(), t.wStar(), t.ratio(), lines));
                }
                progress.accept("C8 search d=" + d + " gamma=" + gamma + " done");
            }
        }
        long descentIndex = 0;
        for (double gamma : gammas) {
            for (int k : kDims) {
                for (int i = 0; i < descentStarts; i++) {
                    long seed = GaussianSampler.trialSeed(baseSeed ^ SEARCH_STREAM ^ C8OnePointStrongConvexity.DESCENT_STREAM,
                            descentIndex++);
                    Rest rest = Rest.draw(blocks, k, gamma, GaussianSampler.trialSeed(seed, 7), thr, rests);
                    if (rest == null) {
                        outside++;
                        continue;
                    }
                    OnePoint.RatioFunction fn = (dd, w, ws) -> search.apply(dd).value(rest.join(w, dd, false), rest.join(ws, dd, true));
                    String mode = C8OnePointStrongConvexity.DESCENT + k;
                    C8OnePointStrongConvexity.Trial t = C8OnePointStrongConvexity.descentTrial(fn, k, gamma, mode, seed, thr, iterations);
                    if (!t.location().inside() || Double.isNaN(t.ratio())) {
                        outside++;
                        continue;
                    }
                    points.add(judged(judge, rest, k, gamma, mode, seed, t.w(), t.wStar(), t.ratio(), lines));
                    for (int bigD : embed) {
                        if (bigD <= k) {
                            continue;
                        }
                        double[] w = RatioDescent.blockDiagonal(t.w(), k, bigD);
                        double[] ws = RatioDescent.blockDiagonal(t.wStar(), k, bigD);
                        if (!OnePoint.locate(bigD, w, ws, gamma, thr).inside() || !rest.insideAt(bigD, gamma, thr)) {
                            outside++;
                            continue;
                        }
                        points.add(judged(judge, rest, bigD, gamma, mode + "-in-" + bigD, seed, w, ws, Double.NaN, lines));
                    }
                }
            }
            progress.accept("C8 descent gamma=" + gamma + " done");
        }
        return new Found(points, outside, lines);
    }

    private static C8UnderSetting.Point judged(IntFunction<OnePointEstimator> judge, Rest rest, int d, double gamma, String mode,
                                               long seed, double[] w, double[] ws, double searchValue, List<String> lines) {
        List<double[]> wAll = rest.join(w, d, false);
        List<double[]> wsAll = rest.join(ws, d, true);
        OnePointEstimator.Ratio r = judge.apply(d).ratio(wAll, wsAll);
        lines.add(mode + " d=" + d + " gamma=" + gamma + " search sample " + C8UnderSetting.fmt(searchValue) + ", judged "
                + C8UnderSetting.fmt(r.value()) + " in [" + C8UnderSetting.fmt(r.lo()) + ", " + C8UnderSetting.fmt(r.hi()) + "]");
        return new C8UnderSetting.Point(d, gamma, mode, seed, wAll, wsAll, r);
    }
}
