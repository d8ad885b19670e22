#!/usr/bin/env python3
"""The CS231n update in numpy, for comparison with initscope's (same work per column):
X ~ N(0,1) B×500; per layer Z = A·W, A = tanh(Z); mean, std and a 100-bin histogram of Z and A.
With "grad": then the backward pass of L = mean over the batch of Σ A_L (dA_L = 1/B):
dZ = dA ⊙ (1 − A²), dW = A_prevᵀ·dZ, dA_prev = dZ·Wᵀ, with mean, std and histograms of dA and dW.
Usage: numpy_update.py [columns] [repetitions] [grad]. Prints the best time in milliseconds."""
import sys
import time

import numpy as np

columns = int(sys.argv[1]) if len(sys.argv) > 1 else 4
reps = int(sys.argv[2]) if len(sys.argv) > 2 else 5
grad = len(sys.argv) > 3 and sys.argv[3] == "grad"
L, H, B = 10, 500, 1000
rng = np.random.default_rng(0)
stds = [0.01, 1.0, np.sqrt(1 / H), np.sqrt(2 / H)][:columns] + [0.05] * max(0, columns - 4)
Ws = [[(rng.standard_normal((H, H)) * s).astype(np.float32) for _ in range(L)] for s in stds]


def stats(x, lo=None, hi=None):
    _ = (x.mean(), x.std())
    if lo is None:
        np.histogram(x, bins=100)
    else:
        np.histogram(x, bins=100, range=(lo, hi))


best = float("inf")
for _ in range(reps):
    t0 = time.perf_counter()
    X = rng.standard_normal((B, H)).astype(np.float32)
    for W in Ws:
        acts = [X]
        A = X
        for l in range(L):
            Z = A @ W[l]
            A = np.tanh(Z)
            stats(Z)
            stats(A, -1, 1)
            acts.append(A)
        if grad:
            dA = np.full((B, H), 1.0 / B, dtype=np.float32)
            for l in reversed(range(L)):
                A = acts[l + 1]
                dZ = dA * (1 - A * A)
                dW = acts[l].T @ dZ
                stats(dA)
                stats(dW)
                if l > 0:
                    dA = dZ @ W[l].T
    best = min(best, time.perf_counter() - t0)
print(f"{best * 1e3:.3f}")
