package io.idrelu.kernel.vector;

import io.idrelu.kernel.Parallel;
import io.idrelu.kernel.PopulationClosedForm;
import io.idrelu.kernel.Scratch;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link PopulationClosedForm} (claim A2) with its three {@code O(d^3)}/{@code O(d^2)} hooks vectorised, bit for bit
 * equal to the scalar definitions:
 * <ul>
 *   <li>{@link #gram} and {@link #gradientProduct}: one packed, register-blocked product ({@link #product}),
 *       {@value #MR} output rows by {@code 3 L} output columns held in 12 vector accumulators, the reduction index
 *       innermost. Each accumulator lane is the scalar fma chain of one output element, in the same order, from
 *       {@code 0}: vectorised across output elements, never along a chain (DESIGN.md), so no rounding changes.
 *       Packing makes both operands contiguous in the inner loop (the row-major panels of a {@code 256 x 256}
 *       matrix are 2 KiB apart and would thrash L1's sets); padding lanes carry zeros and are never stored.</li>
 *   <li>{@link #gramAngles}: the Gram-route arithmetic lane-wise ({@code fma}, {@code sqrt}, division and
 *       {@code max} are IEEE operations, identical in lanes) and {@code atan2} by {@link #angleRow}, a lane-wise
 *       transcription of fdlibm's {@code atan2}/{@code atan} (the algorithm {@link StrictMath} specifies), on the
 *       part of its domain the Gram route meets; lanes outside it call {@link StrictMath#atan2}.
 *       {@code VectorPopulationTest} checks it bit for bit against {@link StrictMath#atan2}. (The Vector API's own
 *       {@code VectorOperators.ATAN2} is not used: its javadoc (section "Operations on floating point vectors")
 *       promises only the accuracy of {@code Math.atan2} (2 ulps), "not guaranteed to be semi-monotonic", and no
 *       agreement with {@code StrictMath}; an intrinsic may change the bits by platform, so the scalar and vector
 *       paths could not stay identical.)</li>
 * </ul>
 */
final class VectorPopulation extends PopulationClosedForm {
    private static final VectorSpecies<Double> S = VectorKernel.S;
    private static final int L = VectorKernel.L;
    /** Output rows per register tile: {@link StripTile}'s strip. */
    static final int MR = StripTile.ROWS;
    /** Output columns per register tile: {@link StripTile}'s two-vector panel. */
    private static final int NC = StripTile.WIDTH;

    @Override
    protected void gram(int d, double[] a, double[] b, boolean symmetric, double[] out, Parallel parallel,
                        Scratch scratch) {
        int mb = (d + MR - 1) / MR;
        int nb = (d + NC - 1) / NC;
        // ap[(ib*d + t)*MR + m] = a[t][ib*MR + m]: the row block's entries for one t side by side (padding: 0)
        // (StripTile's strip of A^T's rows: six element copies per t, not an arraycopy and a fill call each, which
        // were 2 % of an evaluation at d = 256)
        double[] ap = scratch.doubles(mb * d * MR);
        for (int ib = 0; ib < mb; ib++) {
            StripTile.packColumns(a, d, d, d, ib, ap, ib * d * MR);
        }
        double[] bp = packPanels(d, d, nb, t -> b, t -> t * d, scratch);
        blocked(ap, bp, d, d, out, symmetric, parallel);
    }

    @Override
    protected void gradientProduct(int d, double[] u, double[] a, double[] v, double[] b, double[] grad,
                                   Parallel parallel, Scratch scratch) {
        double[] lp = packGradientLeft(d, u, v, scratch);
        double[] rp = packPanels(2 * d, d, (d + NC - 1) / NC, t -> t < d ? a : b, t -> (t < d ? t : t - d) * d, scratch);
        blocked(lp, rp, 2 * d, d, grad, false, parallel);
    }

    /**
     * The gradient product with {@code A = pi - thU}, {@code B = pi - thV} formed while their panels are packed:
     * {@code panel = pi - th} per entry, the subtraction {@link PopulationClosedForm#coefficientProduct} does, so
     * the same operands and chains without two {@code d x d} arrays written and read again (with the {@code d x d}
     * pass that formed them, about 2 % of an evaluation at d = 256).
     */
    @Override
    protected void coefficientProduct(int d, double[] u, double[] thU, double[] v, double[] thV, double[] grad,
                                      Parallel parallel, Scratch scratch) {
        double[] lp = packGradientLeft(d, u, v, scratch);
        int nb = (d + NC - 1) / NC;
        double[] rp = scratch.doubles(nb * 2 * d * NC);
        for (int p = 0; p < nb; p++) {
            int c0 = p * NC;
            int w = Math.min(NC, d - c0);
            for (int t = 0; t < 2 * d; t++) {
                double[] th = t < d ? thU : thV;
                int src = (t < d ? t : t - d) * d + c0;
                int o = (p * 2 * d + t) * NC;
                if (w == NC) {
                    PI.sub(DoubleVector.fromArray(S, th, src)).intoArray(rp, o);
                    PI.sub(DoubleVector.fromArray(S, th, src + L)).intoArray(rp, o + L);
                } else {
                    for (int c = 0; c < w; c++) {
                        rp[o + c] = Math.PI - th[src + c];
                    }
                    java.util.Arrays.fill(rp, o + w, o + NC, 0.0);
                }
            }
        }
        blocked(lp, rp, 2 * d, d, grad, false, parallel);
    }

    /** The gradient's left operand: strips of {@code [U, -V]} (reduction index {@code k < d}, then {@code d + k}). */
    private static double[] packGradientLeft(int d, double[] u, double[] v, Scratch scratch) {
        int kk = 2 * d;   // reduction index: k < d over u and a, then d + k over -v and b
        int mb = (d + MR - 1) / MR;
        double[] lp = scratch.doubles(mb * kk * MR);
        java.util.Arrays.fill(lp, (mb - 1) * kk * MR, mb * kk * MR, 0.0);   // the last block's padding rows: 0
        for (int ib = 0; ib < mb; ib++) {
            StripTile.packRows(u, d, d, d, ib, lp, ib * kk * MR);
            if (ib * MR + MR <= d) {   // a full strip of -V: six read streams, one contiguous write stream
                int src = ib * MR * d;
                for (int k = 0; k < d; k++) {
                    int dst = ib * kk * MR + (d + k) * MR;
                    int i = src + k;
                    lp[dst] = -v[i];
                    lp[dst + 1] = -v[i + d];
                    lp[dst + 2] = -v[i + 2 * d];
                    lp[dst + 3] = -v[i + 3 * d];
                    lp[dst + 4] = -v[i + 4 * d];
                    lp[dst + 5] = -v[i + 5 * d];
                }
            } else {
                for (int m = 0; ib * MR + m < d; m++) {
                    int ro = (ib * MR + m) * d;
                    int base = ib * kk * MR + m;
                    for (int k = 0; k < d; k++) {
                        lp[base + (d + k) * MR] = -v[ro + k];
                    }
                }
            }
        }
        return lp;
    }

    /** Row blocks (strips) per task. */
    static final int GROUP = 8;
    /** Column panels per task. */
    static final int PANELS = 8;

    /**
     * {@code out = ap bp} ({@code d x d}, reduction length {@code kk}; with {@code symmetric} only the tiles that hold
     * some {@code k >= i}): tasks own a group of {@link #GROUP} strips by {@link #PANELS} column panels; each tile is
     * one {@link StripTile#tile} call over the whole reduction (its chains run {@code t = 0..kk-1} from 0, the
     * scalar order), and only the tile's rows and columns inside {@code out} are copied there.
     */
    private static void blocked(double[] ap, double[] bp, int kk, int d, double[] out, boolean symmetric,
                                Parallel parallel) {
        int mb = (d + MR - 1) / MR;
        int nb = (d + NC - 1) / NC;
        int groups = (mb + GROUP - 1) / GROUP;
        int chunks = (nb + PANELS - 1) / PANELS;
        double[][] accs = new double[parallel.threads()][StripTile.accLength()];   // raw chains per participant
        parallel.forEach(groups * chunks, (task, part) -> {
            int ib0 = task / chunks * GROUP;
            int p0 = task % chunks * PANELS;
            blockedTask(ap, bp, kk, d, out, symmetric, ib0, Math.min(mb, ib0 + GROUP), p0, Math.min(nb, p0 + PANELS),
                    accs[part]);
        });
    }

    /** One task's tiles, panel by panel (the panel stays in cache while the group's strips stream past it). */
    private static void blockedTask(double[] ap, double[] bp, int kk, int d, double[] out, boolean symmetric,
                                    int ib0, int ib1, int p0, int p1, double[] acc) {
        for (int p = p0; p < p1; p++) {
            int k0 = p * NC;
            int w = Math.min(NC, d - k0);
            int iEnd = symmetric ? Math.min(d, k0 + NC) : d;   // only k >= i is read when symmetric
            for (int ib = ib0; ib < ib1 && ib * MR < iEnd; ib++) {
                int i0 = ib * MR;
                StripTile.tile(ap, ib * kk * MR, kk, bp, p * kk * NC, acc);
                for (int m = 0; m < MR && i0 + m < d; m++) {
                    System.arraycopy(acc, m * NC, out, (i0 + m) * d + k0, w);
                }
            }
        }
    }

    /**
     * The loss rows lane-wise: lane {@code l} of a vector is row {@code i + l}'s chain, term {@code k} added in order,
     * each term by the scalar operations ({@link PopulationClosedForm#kappa}: {@code ((na nb) (sin + (pi - theta) cos))
     * * INV_TWO_PI}, {@code 0} where a norm is {@code 0}, by blends; then {@code (kuu - 2 kuv) + kvv}); the last
     * {@code d mod L} rows by the scalar {@link #lossTerms}. (Scalar, this loop was 5.7 % of an evaluation at
     * d = 256 in JFR.) One method with arrays in and out, no vector crossing a call.
     */
    @Override
    protected void lossRows(int d, double[] nu, double[] nv, double[] uuTh, double[] uuSin, double[] uuCos,
                            double[] vuTh, double[] vuSin, double[] vuCos, double[] vvTh, double[] vvSin,
                            double[] vvCos, double[] rows) {
        int end = d / L * L;
        DoubleVector zero = DoubleVector.zero(S);
        for (int k = 0; k < d; k++) {
            int ko = k * d;
            DoubleVector nuk = DoubleVector.broadcast(S, nu[k]);
            DoubleVector nvk = DoubleVector.broadcast(S, nv[k]);
            VectorMask<Double> nukZero = nuk.compare(VectorOperators.EQ, 0.0);
            VectorMask<Double> nvkZero = nvk.compare(VectorOperators.EQ, 0.0);
            for (int i = 0; i < end; i += L) {
                int ki = ko + i;
                DoubleVector nui = DoubleVector.fromArray(S, nu, i);
                DoubleVector nvi = DoubleVector.fromArray(S, nv, i);
                VectorMask<Double> nuiZero = nui.compare(VectorOperators.EQ, 0.0);
                VectorMask<Double> nviZero = nvi.compare(VectorOperators.EQ, 0.0);
                DoubleVector kuu = nui.mul(nuk).mul(DoubleVector.fromArray(S, uuSin, ki)
                        .add(PI.sub(DoubleVector.fromArray(S, uuTh, ki)).mul(DoubleVector.fromArray(S, uuCos, ki))))
                        .mul(INV_TWO_PI).blend(zero, nuiZero).blend(zero, nukZero);
                DoubleVector kuv = nui.mul(nvk).mul(DoubleVector.fromArray(S, vuSin, ki)
                        .add(PI.sub(DoubleVector.fromArray(S, vuTh, ki)).mul(DoubleVector.fromArray(S, vuCos, ki))))
                        .mul(INV_TWO_PI).blend(zero, nuiZero).blend(zero, nvkZero);
                DoubleVector kvv = nvi.mul(nvk).mul(DoubleVector.fromArray(S, vvSin, ki)
                        .add(PI.sub(DoubleVector.fromArray(S, vvTh, ki)).mul(DoubleVector.fromArray(S, vvCos, ki))))
                        .mul(INV_TWO_PI).blend(zero, nviZero).blend(zero, nvkZero);
                DoubleVector.fromArray(S, rows, i).add(kuu.sub(kuv.mul(2.0)).add(kvv)).intoArray(rows, i);
            }
            lossTerms(d, k, end, d, nu, nv, uuTh, uuSin, uuCos, vuTh, vuSin, vuCos, vvTh, vvSin, vvCos, rows);
        }
    }

    /** The {@code sin} sums lane-wise (lane {@code l}: chain {@code j + l}, terms in order); scalar tail. */
    @Override
    protected void sinSums(int d, double[] nu, double[] nv, double[] uuSin, double[] vuSin, double[] s) {
        int end = d / L * L;
        for (int k = 0; k < d; k++) {
            int ko = k * d;
            DoubleVector nuk = DoubleVector.broadcast(S, nu[k]);
            DoubleVector nvk = DoubleVector.broadcast(S, nv[k]);
            for (int j = 0; j < end; j += L) {
                DoubleVector t = nuk.mul(DoubleVector.fromArray(S, uuSin, ko + j))
                        .sub(nvk.mul(DoubleVector.fromArray(S, vuSin, ko + j)));
                DoubleVector.fromArray(S, s, j).add(t).intoArray(s, j);
            }
            sinTerms(d, k, end, d, nu, nv, uuSin, vuSin, s);
        }
    }

    /** The gradient's last step lane-wise ({@code fma}, then the product; zero-norm units by a blend); scalar tail. */
    @Override
    protected void finishGradient(int d, double[] nu, double[] c, double[] u, double[] grad) {
        int end = d / L * L;
        DoubleVector zero = DoubleVector.zero(S);
        for (int r = 0; r < d; r++) {
            int ro = r * d;
            for (int j = 0; j < end; j += L) {
                VectorMask<Double> zeroNorm = DoubleVector.fromArray(S, nu, j).compare(VectorOperators.EQ, 0.0);
                DoubleVector.fromArray(S, c, j).fma(DoubleVector.fromArray(S, u, ro + j),
                        DoubleVector.fromArray(S, grad, ro + j)).mul(INV_PI).blend(zero, zeroNorm).intoArray(grad, ro + j);
            }
            finishGradientRow(d, r, end, d, nu, c, u, grad);
        }
    }

    /** {@code bp[(p*kk + t)*NC + c] = row t's element p*NC + c} (0 past the last of the {@code n} columns). */
    private static double[] packPanels(int kk, int n, int nb, java.util.function.IntFunction<double[]> src,
                                       java.util.function.IntUnaryOperator offset, Scratch scratch) {
        double[] bp = scratch.doubles(nb * kk * NC);
        for (int p = 0; p < nb; p++) {
            int c0 = p * NC;
            int w = Math.min(NC, n - c0);
            for (int t = 0; t < kk; t++) {
                int o = (p * kk + t) * NC;
                double[] row = src.apply(t);
                int from = offset.applyAsInt(t) + c0;
                if (w == NC) {   // a full panel row: two vector copies (no call per row)
                    DoubleVector.fromArray(S, row, from).intoArray(bp, o);
                    DoubleVector.fromArray(S, row, from + L).intoArray(bp, o + L);
                } else {
                    System.arraycopy(row, from, bp, o, w);
                    java.util.Arrays.fill(bp, o + w, o + NC, 0.0);
                }
            }
        }
        return bp;
    }

    @Override
    protected void gramAngles(double[] g, int go, double n2a, double[] n2b, int from, int to,
                              double[] th, double[] sin, double[] cos) {
        int end = from + (to - from) / L * L;
        gramRow(g, go, n2a, n2b, from, end, th, sin, cos);
        angleRow(th, g, sin, go + from, go + end, th);
        if (end < to) {
            tail(g, go, n2a, n2b, end, to, th, sin, cos);
        }
    }

    /**
     * The last {@code to - end < L} pairs of a row through the same lane code (lanes are independent, so each element
     * gets the bits it would get in a full vector), on one padded vector: padding lanes have {@code g = 0},
     * {@code n2b = 0}, hence {@code r = 0}, a {@code NaN} sine and no Gram route, and are not copied back. (The scalar
     * tail this replaces called {@link StrictMath#atan2} per pair: 6 % of an evaluation at d = 256 in JFR.)
     */
    private static void tail(double[] g, int go, double n2a, double[] n2b, int end, int to,
                             double[] th, double[] sin, double[] cos) {
        int w = to - end;
        double[] gt = new double[L];
        double[] nt = new double[L];
        double[] tt = new double[L];
        double[] st = new double[L];
        double[] ct = new double[L];
        System.arraycopy(g, go + end, gt, 0, w);
        System.arraycopy(n2b, end, nt, 0, w);
        gramRow(gt, 0, n2a, nt, 0, L, tt, st, ct);
        angleRow(tt, gt, st, 0, L, tt);
        System.arraycopy(tt, 0, th, go + end, w);
        System.arraycopy(st, 0, sin, go + end, w);
        System.arraycopy(ct, 0, cos, go + end, w);
    }

    /** First pass: {@code s} (parked in {@code th}), {@code sin = s/r}, {@code cos = x/r} lane-wise. */
    private static void gramRow(double[] g, int go, double n2a, double[] n2b, int from, int end,
                                double[] th, double[] sin, double[] cos) {
        DoubleVector na = DoubleVector.broadcast(S, n2a);
        for (int k = from; k < end; k += L) {
            int o = go + k;
            DoubleVector x = DoubleVector.fromArray(S, g, o);
            DoubleVector s = x.neg().fma(x, na.mul(DoubleVector.fromArray(S, n2b, k))).max(0.0).sqrt();
            DoubleVector r = s.fma(s, x.mul(x)).sqrt();
            s.intoArray(th, o);
            s.div(r).intoArray(sin, o);
            x.div(r).intoArray(cos, o);
        }
    }

    /**
     * Second pass: {@code out[o] = atan2(y[o], x[o])} where {@code sel[o] >= GRAM_MIN_SIN}, else {@code NaN} (Kahan's
     * formula follows); {@code out} may be {@code y}. Lanes not selected get the harmless argument {@code (1, 1)}.
     * The lane-wise {@code atan2} is fdlibm's operation sequence, bit for bit {@link StrictMath#atan2}: branches
     * {@code id = 0..3} of {@code atan} for {@code y > 0}, {@code x != 0}, {@code 0.4375 <= |y/x| < 2^59}, then
     * {@code z} for {@code x > 0} and {@code pi - (z - pi_lo)} for {@code x < 0}; any other lane (zero, tiny or huge
     * ratios, {@code y <= 0}, NaN) by {@link StrictMath#atan2} itself.
     *
     * <p><b>Why four loops over a row buffer.</b> No vector may cross a call C2 does not inline: it is boxed, and its
     * operations run the Vector API's Java fallback. Written as one loop that called an {@code atan(DoubleVector)}
     * helper, C2 compiled the helper on its own first and then would not inline it ("already compiled into a big
     * method"): on the Zen 4 machine of stop 17, boxed {@code Double512Vector}s at its {@code sub}, 17 % of an
     * evaluation at d = 256 in {@code lanewiseTemplate}. Written as one loop with everything inline (656 bytecodes),
     * C1's profiling compile failed ("out of virtual registers in LIR generator") and C2 never compiled it: 3.5x
     * slower. So the work is split into loops that take and give arrays only ({@link #ratios}, {@link #reduce},
     * {@link #series}, {@link #finish}), each small enough for C1; between them the row's values wait in a thread's
     * buffer ({@code 3 (end - from)} doubles, L1-resident at d = 256). They are called through one megamorphic call
     * site ({@link #STAGES}), which C2 does not inline, so each is compiled on its own: called directly, C2 inlined
     * the first three into this loop's compile (hot and under 325 bytecodes), reached {@code NodeCountInliningCutoff}
     * there, and left the rest of {@code series}' Vector API calls out of line, boxed: in some runs but not others,
     * 6.1 or 7.5 against 5.7 ms per evaluation. Mask logic is kept to compares and blends (JDK 17 does not intrinsify
     * {@code VectorMask.and/andNot} for double species on AVX2). No vector crosses a branch (see {@link #finish}).
     */
    private static void angleRow(double[] y, double[] x, double[] sel, int from, int end, double[] out) {
        int n = end - from;
        double[] buf = BUFFER.get();
        if (buf.length < 3 * n) {
            buf = new double[3 * n];
            BUFFER.set(buf);
        }
        for (Stage stage : STAGES) {   // one call site, four receivers: megamorphic, never inlined (see above)
            stage.run(y, x, sel, from, end, buf, n, out);
        }
    }

    /** One of {@link #angleRow}'s loops (each uses the arguments it needs). */
    @FunctionalInterface
    private interface Stage {
        void run(double[] y, double[] x, double[] sel, int from, int end, double[] buf, int n, double[] out);
    }

    /** {@link #angleRow}'s loops in order. */
    private static final Stage[] STAGES = {
        (y, x, sel, from, end, buf, n, out) -> ratios(y, x, sel, from, end, buf, n),
        (y, x, sel, from, end, buf, n, out) -> reduce(buf, n),
        (y, x, sel, from, end, buf, n, out) -> series(buf, n),
        VectorPopulation::finish,
    };

    /** Per thread: {@link #angleRow}'s row buffer ({@code t} and then {@code atan(t)}, the reduced argument, {@code q}). */
    private static final ThreadLocal<double[]> BUFFER = ThreadLocal.withInitial(() -> new double[0]);

    /**
     * {@code buf[j] = t = |y/x|} (lanes not selected: {@code (1, 1)}) and {@code buf[2n + j] = q}: {@code t} where the
     * lane is in the transcribed domain ({@code y > 0}, {@code T_MIN <= t < T_MAX}), else {@code T_MAX} (NaN: not
     * below {@code T_MAX} either), the three tests folded into one compare for {@link #finish}; {@code j = o - from}.
     */
    private static void ratios(double[] y, double[] x, double[] sel, int from, int end, double[] buf, int n) {
        for (int o = from; o < end; o += L) {
            int j = o - from;
            VectorMask<Double> gram = DoubleVector.fromArray(S, sel, o).compare(VectorOperators.GE, GRAM_MIN_SIN);
            DoubleVector yv = ONE.blend(DoubleVector.fromArray(S, y, o), gram);
            DoubleVector xv = ONE.blend(DoubleVector.fromArray(S, x, o), gram);
            DoubleVector t = yv.div(xv).abs();
            t.intoArray(buf, j);
            t.blend(T_MAX, t.compare(VectorOperators.LT, T_MIN))
                    .blend(T_MAX, yv.compare(VectorOperators.LE, 0.0)).intoArray(buf, 2 * n + j);
        }
    }

    /**
     * fdlibm's reduced argument of {@code atan(t)}, {@code t = buf[j]}, to {@code buf[n + j]}: id 0
     * {@code (2t-1)/(2+t)}, 1 {@code (t-1)/(t+1)}, 2 {@code (t-1.5)/(1+1.5t)}, 3 {@code -1/t}.
     */
    private static void reduce(double[] buf, int n) {
        for (int j = 0; j < n; j += L) {
            DoubleVector t = DoubleVector.fromArray(S, buf, j);
            VectorMask<Double> lt0 = t.compare(VectorOperators.LT, 0.6875);
            VectorMask<Double> lt1 = t.compare(VectorOperators.LT, 1.1875);
            VectorMask<Double> lt2 = t.compare(VectorOperators.LT, 2.4375);
            DoubleVector num = MINUS_ONE.blend(t.sub(1.5), lt2).blend(t.sub(1.0), lt1).blend(t.mul(2.0).sub(1.0), lt0);
            DoubleVector den = t.blend(ONE.add(t.mul(1.5)), lt2).blend(t.add(1.0), lt1).blend(TWO.add(t), lt0);
            num.div(den).intoArray(buf, n + j);
        }
    }

    /**
     * fdlibm's {@code atan(t)} for {@code 0.4375 <= t < 2^66} (branches {@code id = 0..3}), same operations:
     * {@code z = atanhi[id] - ((a*(s1+s2) - atanlo[id]) - a)}, {@code a = buf[n + j]} the reduced argument, {@code s1},
     * {@code s2} the odd and even halves of {@code sum aT[i] z^(i+1)} ({@code z = a^2}, {@code w = z^2}); the result
     * replaces {@code t = buf[j]}.
     */
    private static void series(double[] buf, int n) {
        for (int j = 0; j < n; j += L) {
            DoubleVector t = DoubleVector.fromArray(S, buf, j);
            DoubleVector a = DoubleVector.fromArray(S, buf, n + j);
            VectorMask<Double> lt0 = t.compare(VectorOperators.LT, 0.6875);
            VectorMask<Double> lt1 = t.compare(VectorOperators.LT, 1.1875);
            VectorMask<Double> lt2 = t.compare(VectorOperators.LT, 2.4375);
            DoubleVector z = a.mul(a);
            DoubleVector w = z.mul(z);
            DoubleVector s1 = z.mul(w.mul(w.mul(w.mul(w.mul(w.mul(V10).add(V8)).add(V6)).add(V4)).add(V2)).add(V0));
            DoubleVector s2 = w.mul(w.mul(w.mul(w.mul(w.mul(V9).add(V7)).add(V5)).add(V3)).add(V1));
            DoubleVector hi = HI3.blend(ATANHI[2], lt2).blend(ATANHI[1], lt1).blend(ATANHI[0], lt0);
            DoubleVector lo = LO3.blend(ATANLO[2], lt2).blend(ATANLO[1], lt1).blend(ATANLO[0], lt0);
            hi.sub(a.mul(s1.add(s2)).sub(lo).sub(a)).intoArray(buf, j);
        }
    }

    /**
     * {@code out[o] = z} ({@code x > 0}) or {@code pi - (z - pi_lo)} ({@code x < 0}) where selected, else {@code NaN};
     * lanes outside the domain ({@code q}, see {@link #ratios}) by {@link #outsideDomain}. Every vector is evaluated
     * and stored on both sides of the domain test, so C2 never merges two vectors in a phi, which it could not keep
     * unboxed.
     */
    private static void finish(double[] y, double[] x, double[] sel, int from, int end, double[] buf, int n,
                               double[] out) {
        DoubleVector nan = DoubleVector.broadcast(S, Double.NaN);
        for (int o = from; o < end; o += L) {
            int j = o - from;
            VectorMask<Double> gram = DoubleVector.fromArray(S, sel, o).compare(VectorOperators.GE, GRAM_MIN_SIN);
            DoubleVector xv = ONE.blend(DoubleVector.fromArray(S, x, o), gram);
            DoubleVector atan = DoubleVector.fromArray(S, buf, j);
            DoubleVector negX = PI.sub(atan.sub(PI_LO));
            DoubleVector at2 = atan.blend(negX, xv.compare(VectorOperators.LT, 0.0));
            if (DoubleVector.fromArray(S, buf, 2 * n + j).compare(VectorOperators.LT, T_MAX).allTrue()) {
                nan.blend(at2, gram).intoArray(out, o);
            } else {
                double[] fixed = outsideDomain(y, x, sel, o);   // reads y before out (possibly y) is written
                nan.blend(at2, gram).intoArray(out, o);
                for (int l = 0; l < L; l++) {
                    if (fixed[l] == fixed[l]) {   // not NaN: a lane outside the domain
                        out[o + l] = fixed[l];
                    }
                }
            }
        }
    }

    /**
     * Test seam: the lane-wise {@code atan2} of {@link #angleRow} (every lane selected) over arrays whose length is a
     * multiple of the lane count, so tests need no vector types and check the code the kernel runs.
     */
    static void atan2(double[] y, double[] x, double[] out) {
        double[] all = new double[y.length];
        java.util.Arrays.fill(all, 1.0);
        angleRow(y, x, all, 0, y.length, out);
    }

    /** Lanes per vector (tests size their arrays by it). */
    static int lanes() {
        return L;
    }

    // fdlibm s_atan.c / e_atan2.c constants (as in the JDK's FdLibm.Atan and FdLibm.Atan2)
    private static final double[] ATANHI = {
        0x1.dac670561bb4fp-2, 0x1.921fb54442d18p-1, 0x1.f730bd281f69bp-1, 0x1.921fb54442d18p0};
    private static final double[] ATANLO = {
        0x1.a2b7f222f65e2p-56, 0x1.1a62633145c07p-55, 0x1.007887af0cbbdp-56, 0x1.1a62633145c07p-54};
    private static final double AT0 = 0x1.555555555550dp-2;
    private static final double AT1 = -0x1.999999998ebc4p-3;
    private static final double AT2 = 0x1.24924920083ffp-3;
    private static final double AT3 = -0x1.c71c6fe231671p-4;
    private static final double AT4 = 0x1.745cdc54c206ep-4;
    private static final double AT5 = -0x1.3b0f2af749a6dp-4;
    private static final double AT6 = 0x1.10d66a0d03d51p-4;
    private static final double AT7 = -0x1.dde2d52defd9ap-5;
    private static final double AT8 = 0x1.97b4b24760debp-5;
    private static final double AT9 = -0x1.2b4442c6a6c2fp-5;
    private static final double AT10 = 0x1.0ad3ae322da11p-6;
    private static final double PI_LO = 0x1.1a62633145c07p-53;
    /** {@code |y/x|} below this takes fdlibm's {@code id = -1} branch, not transcribed. */
    private static final double T_MIN = 0.4375;
    /** At {@code |y/x| < 2^59} fdlibm's exponent test {@code k > 60} cannot fire; above it falls back. */
    private static final double T_MAX = 0x1p59;

    /**
     * The lanes of {@code o..o+L-1} that {@link #angleRow} selects but does not transcribe, by
     * {@link StrictMath#atan2} (rare: not on the hot path); {@code NaN} for every other lane. The same test as the
     * vector one, on the arrays: selected ({@code sel >= GRAM_MIN_SIN}) and not ({@code y > 0} and
     * {@code T_MIN <= |y/x| < T_MAX}), which is true for NaN. Arrays in and out, no vectors: a vector returned
     * from here met the loop's own in a phi, which C2 (JDK 17) could not keep unboxed; in JFR runs where it boxed,
     * {@code intoArray} ran the Java fallback and allocated, 17 % of an evaluation at d = 256.
     */
    private static double[] outsideDomain(double[] y, double[] x, double[] sel, int o) {
        double[] fixed = new double[L];
        for (int l = 0; l < L; l++) {
            double yy = y[o + l];
            double xx = x[o + l];
            double t = Math.abs(yy / xx);
            boolean inDomain = yy > 0 && t >= T_MIN && t < T_MAX;
            fixed[l] = sel[o + l] >= GRAM_MIN_SIN && !inDomain ? StrictMath.atan2(yy, xx) : Double.NaN;
        }
        return fixed;
    }

    /**
     * {@code aT[i]} broadcast once (fewer C2 nodes per use than {@code mul(double)}), as constants: a
     * {@code static final} field is one to C2, an element of a {@code static final} array is a load.
     */
    private static final DoubleVector V0 = bc(AT0);
    private static final DoubleVector V1 = bc(AT1);
    private static final DoubleVector V2 = bc(AT2);
    private static final DoubleVector V3 = bc(AT3);
    private static final DoubleVector V4 = bc(AT4);
    private static final DoubleVector V5 = bc(AT5);
    private static final DoubleVector V6 = bc(AT6);
    private static final DoubleVector V7 = bc(AT7);
    private static final DoubleVector V8 = bc(AT8);
    private static final DoubleVector V9 = bc(AT9);
    private static final DoubleVector V10 = bc(AT10);

    private static DoubleVector bc(double c) {
        return DoubleVector.broadcast(S, c);
    }

    private static final DoubleVector HI3 = DoubleVector.broadcast(S, ATANHI[3]);
    private static final DoubleVector LO3 = DoubleVector.broadcast(S, ATANLO[3]);
    private static final DoubleVector ONE = DoubleVector.broadcast(S, 1.0);
    private static final DoubleVector PI = DoubleVector.broadcast(S, Math.PI);
    private static final DoubleVector TWO = DoubleVector.broadcast(S, 2.0);
    private static final DoubleVector MINUS_ONE = DoubleVector.broadcast(S, -1.0);
}
