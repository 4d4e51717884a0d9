"""Golden values of the population closed forms (docs/MATH.md section 2) computed by mpmath at 110 digits, from the
doubles below taken exactly (mpmath.mpf(float) is exact). Regenerate with: python3 generate_mpmath_golden.py > mpmath-golden.json
Independent of the Java code: plain atan2 of the exact Gram data, no shared routine."""
import json
import mpmath
import numpy as np

mpmath.mp.dps = 110


def case(d, seed, identity):
    rng = np.random.default_rng(seed)
    ms = []
    for _ in range(2):
        m = rng.standard_normal((d, d))
        m *= 0.5 / np.linalg.norm(m, 2)
        ms.append(m)
    w, ws = ms
    unit = lambda m, ident, i: [mpmath.mpf(float(m[r, i])) + (1 if (ident and r == i) else 0) for r in range(d)]
    u = [unit(w, identity, i) for i in range(d)]
    v = [unit(ws, True, i) for i in range(d)]
    dot = lambda a, b: mpmath.fsum(x * y for x, y in zip(a, b))
    pi = mpmath.pi

    def pair(a, b):  # (s, pi - theta, c)
        na, nb, c = dot(a, a), dot(b, b), dot(a, b)
        rad = na * nb - c * c
        s = mpmath.sqrt(rad) if rad > 0 else mpmath.mpf(0)
        return s, pi - mpmath.atan2(s, c), c

    kappa = lambda a, b: (lambda s, phi, c: (s + phi * c) / (2 * pi))(*pair(a, b))
    loss = mpmath.fsum(kappa(u[i], u[j]) - 2 * kappa(u[i], v[j]) + kappa(v[i], v[j]) for i in range(d) for j in range(d))
    grad = [[None] * d for _ in range(d)]
    for j in range(d):
        nuj = dot(u[j], u[j])
        for r in range(d):
            terms = []
            for k in range(d):
                s, phi, _ = pair(u[j], u[k])
                s2, phi2, _ = pair(u[j], v[k])
                terms += [phi * u[k][r], s / nuj * u[j][r], -phi2 * v[k][r], -s2 / nuj * u[j][r]]
            grad[r][j] = mpmath.fsum(terms) / pi
    potential = mpmath.fsum(mpmath.sqrt(dot(x, x)) for x in v) - mpmath.fsum(mpmath.sqrt(dot(x, x)) for x in u)
    s = lambda x: mpmath.nstr(x, 105, min_fixed=-5, max_fixed=5)
    return {"d": d, "identity": identity, "W": [[repr(float(x)) for x in row] for row in w],
            "Wstar": [[repr(float(x)) for x in row] for row in ws],
            "loss": s(loss), "grad": [[s(x) for x in row] for row in grad], "potential": s(potential)}


print(json.dumps({"digits": 110, "cases": [case(5, 11, True), case(3, 12, False), case(8, 13, True)]}, indent=1))
