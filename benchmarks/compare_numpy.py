#!/usr/bin/env python3
"""numpy / mpmath half of benchmarks/compare.sh (see benchmarks/README.md).

Same algorithms as the Java side (io.idrelu.bench.Workload, ScalarKernel javadoc, MATH.md 1-2):
  SGD step: X ~ N(0,1)^{B x d} drawn inside the step (double, rounded to float32 for the float case,
  as OnlineSgdFloat does); teacher h* = X W* + X, f* = sum relu; student h = X W + X (= X (I+W)
  without forming I+W, as the Java kernel does), f = sum relu; r = f - f*; loss = r.r / B;
  M = [h > 0] * (2 r / B); G = X^T M; W -= eta G (in place).
  Population: closed form with Kahan angles for every pair (PopulationClosedForm), vectorised over
  pairs per row i, gradient products via BLAS.
  Reference: PopulationReference(50).evaluate's Gram-form algorithm in mpmath at mp.dps = 50, d = 16.
Prints "case<TAB>median<TAB>min CPU seconds per op<TAB>samples" per case, CPU time of this thread
(time.thread_time), because the machine is shared. Run single-threaded:
  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 \
      python3 benchmarks/compare_numpy.py [--warmup 1] [--chunk 0.05] [--samples 15] [--cases a,b]
"""
import argparse
import math
import statistics
import sys
import time

import numpy as np

D = 256
ETA = 1e-6  # below the stability limit ~1/d^2, as on the Java side
GAMMA = 0.5


def problem(d, seed=20170101):
    """Random W0, W* with spectral norm GAMMA (the Java side uses Problem.random; values differ, cost does not)."""
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(2):
        m = rng.standard_normal((d, d))
        m *= GAMMA / np.linalg.norm(m, 2)
        out.append(m)
    return out


def sgd_op(batch, dtype):
    w, ws = problem(D)
    w = w.astype(dtype)
    ws = ws.astype(dtype)
    rng = np.random.default_rng(1)
    eta = dtype(ETA)
    two = dtype(2)
    w = w.copy()  # updated in place by step()

    def step():
        x = rng.standard_normal((batch, D))
        if dtype is np.float32:
            x = x.astype(np.float32)
        h = x @ ws
        h += x
        ft = np.maximum(h, 0).sum(axis=1)
        h = x @ w
        h += x
        fs = np.maximum(h, 0).sum(axis=1)
        r = fs - ft
        loss = (r @ r) / batch
        c = (two * r) / batch
        m = np.where(h > 0, c[:, None], dtype(0))
        g = x.T @ m
        g *= eta
        np.subtract(w, g, out=w)
        return float(loss)
    return step


def kahan_angles(a, na, b, nb, same):
    """th[i, k] = 2 atan2(| |b_k| a_i - |a_i| b_k |, | |b_k| a_i + |a_i| b_k |) (columns)."""
    d = a.shape[0]
    th = np.empty((d, d))
    t = np.empty((d, d))
    for i in range(d):
        p = np.multiply.outer(a[:, i], nb)
        q = na[i] * b
        np.subtract(p, q, out=t)
        minus = np.einsum('rk,rk->k', t, t)
        np.add(p, q, out=t)
        plus = np.einsum('rk,rk->k', t, t)
        th[i] = 2 * np.arctan2(np.sqrt(minus), np.sqrt(plus))
        if same:
            th[i, i] = 0.0
    return th


def kappa(na, nb, th):
    return np.multiply.outer(na, nb) * (np.sin(th) + (np.pi - th) * np.cos(th)) / (2 * np.pi)


def population_op():
    w, ws = problem(D)
    grad = np.empty((D, D))

    def evaluate():
        u = w + np.eye(D)
        v = ws + np.eye(D)
        nu = np.sqrt((u * u).sum(axis=0))
        nv = np.sqrt((v * v).sum(axis=0))
        th_uu = kahan_angles(u, nu, u, nu, True)
        th_vu = kahan_angles(v, nv, u, nu, False)   # th_vu[k, j] = theta(v_k, u_j)
        th_vv = kahan_angles(v, nv, v, nv, True)
        loss = (kappa(nu, nu, th_uu) - 2 * kappa(nu, nv, th_vu.T) + kappa(nv, nv, th_vv)).sum()
        c = (nu[:, None] * np.sin(th_uu) - nv[:, None] * np.sin(th_vu)).sum(axis=0) / nu
        grad[:] = (u @ (np.pi - th_uu) - v @ (np.pi - th_vu) + c[None, :] * u) / np.pi
        return float(loss)
    return evaluate


def mp_pair_tables(uc, vc):
    """The mpmath closed form's pair tables for the columns uc (students u_j) and vc (teachers v_k) at the current
    mp.dps: squared norms, for every pair (s, th, c) = (|a||b| sin th, th, <a,b>) with th = atan2(s, c) and
    s = sqrt(|a|^2|b|^2 - c^2) (uu and vv for i < k only, mirrored; the diagonal (0, 0, |a|^2)), and the loss
    L = sum_{i,k} kappa(u_i,u_k) - 2 kappa(u_i,v_k) + kappa(v_i,v_k), kappa = (s + (pi - th) c) / (2 pi).
    Shared by reference_op and numpy_peer.py's reference peer."""
    import mpmath
    pi = mpmath.mp.pi
    d = len(uc)

    def pair(a, na2, b, nb2):
        c = mpmath.fdot(a, b)
        rad = na2 * nb2 - c * c
        s = mpmath.sqrt(rad) if rad > 0 else mpmath.mpf(0)
        return s, mpmath.atan2(s, c), c

    nu2 = [mpmath.fdot(x, x) for x in uc]
    nv2 = [mpmath.fdot(x, x) for x in vc]
    uu = [[None] * d for _ in range(d)]
    vv = [[None] * d for _ in range(d)]
    for i in range(d):
        uu[i][i] = (mpmath.mpf(0), mpmath.mpf(0), nu2[i])
        vv[i][i] = (mpmath.mpf(0), mpmath.mpf(0), nv2[i])
        for k in range(i + 1, d):
            uu[i][k] = uu[k][i] = pair(uc[i], nu2[i], uc[k], nu2[k])
            vv[i][k] = vv[k][i] = pair(vc[i], nv2[i], vc[k], nv2[k])
    uv = [[pair(uc[j], nu2[j], vc[k], nv2[k]) for k in range(d)] for j in range(d)]

    def kap(t):
        s, th, c = t
        return (s + (pi - th) * c) / (2 * pi)
    loss = mpmath.fsum(kap(uu[i][k]) - 2 * kap(uv[i][k]) + kap(vv[i][k]) for i in range(d) for k in range(d))
    return nu2, nv2, uu, vv, uv, loss


def reference_op(d=16, dps=50):
    """The algorithm of io.idrelu.reference.PopulationReference.evaluate in mpmath: exact-ish Gram entries
    |a|^2, |b|^2, c = <a,b> (fdot at mp.dps), s = sqrt(|a|^2|b|^2 - c^2) = |a||b| sin th, th = atan2(s, c),
    kappa = (s + (pi - th) c) / (2 pi); symmetric pair sets (uu, vv) for i < k only, uv for all pairs;
    gradient G[r][j] = (sum_k U[r][k](pi - th(u_j,u_k)) - sum_k V[r][k](pi - th(u_j,v_k)) + c_j U[r][j]) / pi
    with c_j = sum_k (s(u_j,u_k) - s(u_j,v_k)) / |u_j|^2."""
    import mpmath
    mp = mpmath.mp
    mp.dps = dps
    w0, ws0 = problem(d)
    u = [[mpmath.mpf(float(w0[r, c])) + (1 if r == c else 0) for c in range(d)] for r in range(d)]
    v = [[mpmath.mpf(float(ws0[r, c])) + (1 if r == c else 0) for c in range(d)] for r in range(d)]
    pi = mp.pi

    def evaluate():
        uc = [[u[r][j] for r in range(d)] for j in range(d)]
        vc = [[v[r][j] for r in range(d)] for j in range(d)]
        nu2, nv2, uu, vv, uv, loss = mp_pair_tables(uc, vc)
        cj = [mpmath.fsum(uu[j][k][0] - uv[j][k][0] for k in range(d)) / nu2[j] for j in range(d)]
        g = [[(mpmath.fdot(u[r], [pi - uu[j][k][1] for k in range(d)])
               - mpmath.fdot(v[r], [pi - uv[j][k][1] for k in range(d)]) + cj[j] * u[r][j]) / pi
              for j in range(d)] for r in range(d)]
        return float(loss + g[0][0])
    return evaluate


def dgemm_op(n):
    rng = np.random.default_rng(3)
    a = rng.standard_normal((n, n))
    b = rng.standard_normal((n, n))
    c = np.empty((n, n))

    def op():
        np.matmul(a, b, out=c)
        return c[0, 0]
    return op


def sample_op(batch):
    rng = np.random.default_rng(1)
    return lambda: rng.standard_normal((batch, D))[0, 0]


CASES = {
    'sample_B256': lambda: sample_op(256),
    'sample_B1': lambda: sample_op(1),
    'sgd_B256_double': lambda: sgd_op(256, np.float64),
    'sgd_B256_float': lambda: sgd_op(256, np.float32),
    'sgd_B1_double': lambda: sgd_op(1, np.float64),
    'sgd_B1_float': lambda: sgd_op(1, np.float32),
    'pop_d256_double': population_op,
    'ref50_d16': reference_op,
    'dgemm_256': lambda: dgemm_op(256),
    'dgemm_1024': lambda: dgemm_op(1024),
}


def measure(op, warmup, chunk, samples):
    t0 = time.thread_time()
    n = 0
    while True:
        op()
        n += 1
        if time.thread_time() - t0 >= warmup:
            break
    per_op = (time.thread_time() - t0) / n
    ops = max(1, int(chunk / per_op))
    out = []
    for _ in range(samples):
        a = time.thread_time()
        for _ in range(ops):
            op()
        out.append((time.thread_time() - a) / ops)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--warmup', type=float, default=1.0)
    ap.add_argument('--chunk', type=float, default=0.05)
    ap.add_argument('--samples', type=int, default=15)
    ap.add_argument('--cases', default=','.join(CASES))
    args = ap.parse_args()
    try:
        import threadpoolctl
        arch = ';'.join('%s %s threads=%s' % (i.get('internal_api'), i.get('architecture'), i.get('num_threads'))
                        for i in threadpoolctl.threadpool_info())
    except ImportError:
        arch = 'threadpoolctl not installed'
    print('# numpy %s python %s blas: %s' % (np.__version__, sys.version.split()[0], arch))
    for name in args.cases.split(','):
        t = measure(CASES[name](), args.warmup, args.chunk, args.samples)
        print('%s\t%.6e\t%.6e\t%d' % (name, statistics.median(t), min(t), len(t)), flush=True)


if __name__ == '__main__':
    main()
