#!/usr/bin/env python3
"""The CS231n update in numpy, for comparison with initscope's (same work per column):
X ~ N(0,1) B×500; per layer Z = A·W, A = tanh(Z); mean, std and a 100-bin histogram of A.
Prints the best of N repetitions in milliseconds."""
import sys
import time

import numpy as np

columns = int(sys.argv[1]) if len(sys.argv) > 1 else 4
reps = int(sys.argv[2]) if len(sys.argv) > 2 else 5
L, H, B = 10, 500, 1000
rng = np.random.default_rng(0)
stds = [0.01, 1.0, np.sqrt(1 / H), np.sqrt(2 / H)][:columns] + [0.05] * max(0, columns - 4)
Ws = [[(rng.standard_normal((H, H)) * s).astype(np.float32) for _ in range(L)] for s in stds]
best = float("inf")
for _ in range(reps):
    t0 = time.perf_counter()
    X = rng.standard_normal((B, H)).astype(np.float32)
    for W in Ws:
        A = X
        for l in range(L):
            Z = A @ W[l]
            A = np.tanh(Z)
            _ = (A.mean(), A.std(), Z.mean(), Z.std())
            np.histogram(A, bins=100, range=(-1, 1))
            np.histogram(Z, bins=100)
    best = min(best, time.perf_counter() - t0)
print(f"{best * 1e3:.3f}")
