#!/usr/bin/env python3
"""The numpy / mpmath peer of benchmarks/side-by-side.sh, written as a numpy user would write it.

Workloads (wall-clock seconds of the work only, after warm-up; one line of JSON on stdout):
  train D B STEPS WARMUP  online SGD (MATH.md section 1): X = rng.standard_normal((B, d)) per step,
                       h = X @ W + X, f = relu(h).sum(1) (and the same for W*), r = f - f*,
                       G = X.T @ ([h > 0] * 2r/B), W -= eta G, eta = 1e-6 (as the Java command).
                       WARMUP untimed steps, then STEPS timed: seconds per step.
  population D REPEAT  closed-form L(W) and dL/dW (MATH.md section 2) the plain way: U = I + W, V = I + W*,
                       three Gram products, theta = arccos(clip(cos)), kappa, gradient by two more products.
  reference D DIGITS REPEAT  the same closed form in mpmath at mp.dps = DIGITS (Gram entries by fdot,
                       s = sqrt(|a|^2|b|^2 - c^2), theta = atan2(s, c)); loss, gradient and potential.
  dgemm N REPEAT       numpy's own C = A @ B, N x N: GFLOP/s (2 N^3 per product).
Run single-threaded (side-by-side.sh does): OPENBLAS_NUM_THREADS=1, OMP_NUM_THREADS=1.
"""
import json
import sys
import time

import numpy as np

from compare_numpy import mp_pair_tables, problem  # the same W0, W* and mpmath pair tables as compare.sh


def timed(fn, repeat, warmup):
    for _ in range(warmup):
        fn()
    t = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        t.append(time.perf_counter() - t0)
    return float(np.median(t)), float(np.min(t))


def train(d, batch, steps, warm, eta):
    w, ws = problem(d)
    rng = np.random.default_rng(1)

    def step():
        x = rng.standard_normal((batch, d))
        hs = x @ ws + x
        ft = np.maximum(hs, 0).sum(axis=1)
        h = x @ w + x
        f = np.maximum(h, 0).sum(axis=1)
        r = f - ft
        m = (h > 0) * (2 * r / batch)[:, None]
        w[...] -= eta * (x.T @ m)

    for _ in range(warm):
        step()
    t0 = time.perf_counter()
    for _ in range(steps):
        step()
    sec = (time.perf_counter() - t0) / steps
    return {"seconds_per_step": sec, "steps": steps, "warmup_steps": warm}


def population(d, repeat):
    w, ws = problem(d)
    eye = np.eye(d)

    def evaluate():
        u = eye + w
        v = eye + ws
        guu, guv, gvv = u.T @ u, u.T @ v, v.T @ v
        nu = np.sqrt(np.diag(guu))
        nv = np.sqrt(np.diag(gvv))

        def kappa(g, na, nb):
            nn = np.outer(na, nb)
            th = np.arccos(np.clip(g / nn, -1.0, 1.0))
            return th, nn * np.sin(th), (nn * np.sin(th) + (np.pi - th) * g) / (2 * np.pi)

        thuu, suu, kuu = kappa(guu, nu, nu)
        thuv, suv, kuv = kappa(guv, nu, nv)
        _, _, kvv = kappa(gvv, nv, nv)
        loss = kuu.sum() - 2 * kuv.sum() + kvv.sum()
        c = (suu.sum(axis=1) - suv.sum(axis=1)) / nu ** 2
        grad = (u @ (np.pi - thuu) - v @ (np.pi - thuv).T + u * c) / np.pi
        return loss, grad

    med, mn = timed(evaluate, repeat, 3)
    return {"seconds_per_eval": med, "seconds_min": mn, "repeat": repeat, "warmup": 3,
            "loss": float(evaluate()[0])}


def reference(d, digits, repeat):
    import mpmath
    mp = mpmath.mp
    mp.dps = digits
    w0, ws0 = problem(d)
    u = [[mpmath.mpf(float(w0[r, c])) + (1 if r == c else 0) for r in range(d)] for c in range(d)]
    v = [[mpmath.mpf(float(ws0[r, c])) + (1 if r == c else 0) for r in range(d)] for c in range(d)]

    def evaluate():
        pi = mp.pi
        nu2, nv2, uu, vv, uv, loss = mp_pair_tables(u, v)
        grad = [[None] * d for _ in range(d)]
        for j in range(d):
            cj = mpmath.fsum(uu[j][k][0] - uv[j][k][0] for k in range(d)) / nu2[j]
            for r in range(d):
                g = mpmath.fsum((pi - uu[j][k][1]) * u[k][r] - (pi - uv[j][k][1]) * v[k][r] for k in range(d))
                grad[r][j] = (g + cj * u[j][r]) / pi
        potential = mpmath.fsum(mpmath.sqrt(a) for a in nv2) - mpmath.fsum(mpmath.sqrt(a) for a in nu2)
        paper = [[-pi * g for g in row] for row in grad]
        return loss, grad, paper, potential

    med, mn = timed(evaluate, repeat, 1)
    return {"seconds_per_eval": med, "seconds_min": mn, "repeat": repeat, "warmup": 1,
            "loss": mpmath.nstr(evaluate()[0], 20)}


def dgemm(n, repeat):
    rng = np.random.default_rng(3)
    a = rng.standard_normal((n, n))
    b = rng.standard_normal((n, n))
    med, mn = timed(lambda: a @ b, repeat, 2)
    return {"seconds_per_eval": med, "gflops": 2 * n ** 3 / med / 1e9, "gflops_best": 2 * n ** 3 / mn / 1e9}


def main(argv):
    what = argv[1]
    a = [int(x) for x in argv[2:]]
    if what == "train":
        out = train(a[0], a[1], a[2], a[3], 1e-6)
    elif what == "population":
        out = population(a[0], a[1])
    elif what == "reference":
        out = reference(a[0], a[1], a[2])
    elif what == "dgemm":
        out = dgemm(a[0], a[1])
    else:
        raise SystemExit("unknown workload " + what)
    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv)
