package io.idrelu.reference;

import java.math.BigDecimal;

/**
 * Exact forward pass, residuals, batch loss and batch gradient (MATH.md section 1, [LY17] section 2):
 * BigDecimal with no MathContext anywhere, so every result is the exact value for inputs given as
 * doubles ({@code new BigDecimal(double)}) or decimals. Matrices are {@code W[r][c]} (unit {@code c} =
 * column {@code c}); the batch is rows {@code X[b][r]}. The ReLU indicator is {@code <u_j, x> > 0}: the
 * kink {@code h = 0} is inactive, as on every other path. Imports no kernel code: this is the oracle
 * behind claims C1, C3 and A1.
 */
public final class ExactBatch {
    private ExactBatch() { }

    /** {@code h[b][j] = <u_j, x_b>}, with {@code u_j = e_j + w_j} when {@code identity}, else {@code w_j}. */
    public static BigDecimal[][] preActivations(boolean identity, BigDecimal[][] w, BigDecimal[][] x) {
        int d = checkSquare("W", w);
        checkRows(x, d);
        return preActivationsTrusted(identity, w, x);
    }

    /** {@code f(x_b, W)} for each row. */
    public static BigDecimal[] forward(boolean identity, BigDecimal[][] w, BigDecimal[][] x) {
        return outputs(preActivations(identity, w, x));
    }

    /** All batch quantities; the teacher {@code W*} is always identity-mapped. */
    public static BatchValues evaluate(boolean identity, BigDecimal[][] w, BigDecimal[][] wStar, BigDecimal[][] x) {
        int d = checkSquare("W", w);
        int dStar = checkSquare("W*", wStar);
        if (dStar != d) {
            throw new IllegalArgumentException("W* is " + dStar + " x " + dStar + " != W's " + d + " x " + d);
        }
        checkRows(x, d);
        BigDecimal[][] h = preActivationsTrusted(identity, w, x);
        BigDecimal[] out = outputs(h);
        BigDecimal[] teacher = outputs(preActivationsTrusted(true, wStar, x));
        int batch = x.length;
        BigDecimal[] res = new BigDecimal[batch];
        BigDecimal sum = BigDecimal.ZERO;
        for (int b = 0; b < batch; b++) {
            res[b] = out[b].subtract(teacher[b]);
            sum = sum.add(res[b].multiply(res[b]));
        }
        BigDecimal[][] s = new BigDecimal[d][d];
        for (int r = 0; r < d; r++) {
            for (int j = 0; j < d; j++) {
                s[r][j] = BigDecimal.ZERO;
            }
        }
        for (int b = 0; b < batch; b++) {
            if (res[b].signum() == 0) {
                continue;
            }
            for (int r = 0; r < d; r++) {
                BigDecimal rx = res[b].multiply(x[b][r]);
                for (int j = 0; j < d; j++) {
                    if (h[b][j].signum() > 0) { // kink h = 0 counts as inactive (MATH.md section 1)
                        s[r][j] = s[r][j].add(rx);
                    }
                }
            }
        }
        return new BatchValues(batch, out, teacher, res, sum, s);
    }

    static BigDecimal[][] preActivationsTrusted(boolean identity, BigDecimal[][] w, BigDecimal[][] x) {
        int d = w.length;
        BigDecimal[][] h = new BigDecimal[x.length][d];
        for (int b = 0; b < x.length; b++) {
            for (int j = 0; j < d; j++) {
                // <e_j + w_j, x> = x[j] + <w_j, x>: the same exact number, one multiplication fewer
                BigDecimal acc = identity ? x[b][j] : BigDecimal.ZERO;
                for (int r = 0; r < d; r++) {
                    acc = acc.add(w[r][j].multiply(x[b][r]));
                }
                h[b][j] = acc;
            }
        }
        return h;
    }

    private static BigDecimal[] outputs(BigDecimal[][] h) {
        BigDecimal[] f = new BigDecimal[h.length];
        for (int b = 0; b < h.length; b++) {
            BigDecimal acc = BigDecimal.ZERO;
            for (BigDecimal hj : h[b]) {
                if (hj.signum() > 0) {
                    acc = acc.add(hj);
                }
            }
            f[b] = acc;
        }
        return f;
    }

    /** Checks a non-null square matrix with non-null entries and returns its size. */
    static int checkSquare(String name, BigDecimal[][] m) {
        if (m == null || m.length == 0) {
            throw new IllegalArgumentException(name + " is " + (m == null ? "missing" : "empty") + ": expected a d x d matrix, d >= 1");
        }
        int d = m.length;
        for (int r = 0; r < d; r++) {
            if (m[r] == null || m[r].length != d) {
                throw new IllegalArgumentException(name + " row " + r + " has " + (m[r] == null ? "no" : m[r].length)
                        + " entries != " + d + ": expected a square d x d matrix");
            }
            for (int c = 0; c < d; c++) {
                if (m[r][c] == null) {
                    throw new IllegalArgumentException(name + "[" + r + "][" + c + "] is null: expected a number");
                }
            }
        }
        return d;
    }

    private static void checkRows(BigDecimal[][] x, int d) {
        if (x == null || x.length == 0) {
            throw new IllegalArgumentException("X is " + (x == null ? "missing" : "empty") + ": expected B >= 1 rows of length d = " + d);
        }
        for (int b = 0; b < x.length; b++) {
            if (x[b] == null || x[b].length != d) {
                throw new IllegalArgumentException("X row " + b + " has " + (x[b] == null ? "no" : x[b].length)
                        + " entries != d = " + d);
            }
            for (int r = 0; r < d; r++) {
                if (x[b][r] == null) {
                    throw new IllegalArgumentException("X[" + b + "][" + r + "] is null: expected a number");
                }
            }
        }
    }
}
