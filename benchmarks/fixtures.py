#!/usr/bin/env python3
"""The population fixtures every benchmark script shares: pop16.json and pop256.json in DIR.

W0 and W* are Gaussian matrices scaled to spectral norm 0.5, drawn from numpy's default_rng(20170101) (the
numpy peer's problem in numpy_peer.py), identity mapping. Usage: python3 benchmarks/fixtures.py DIR [d ...]
(default d: 16 256).
"""
import json
import sys

import numpy as np


def write(directory, d):
    rng = np.random.default_rng(20170101)
    ms = []
    for _ in range(2):
        m = rng.standard_normal((d, d))
        m *= 0.5 / np.linalg.norm(m, 2)
        ms.append(m)
    with open(f"{directory}/pop{d}.json", "w") as f:
        json.dump({"d": d, "identity": True, "W": ms[0].tolist(), "Wstar": ms[1].tolist()}, f)


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: fixtures.py DIR [d ...]")
    for d in (map(int, sys.argv[2:]) if len(sys.argv) > 2 else (16, 256)):
        write(sys.argv[1], d)
