#!/usr/bin/env python3
"""The classic figure made the usual way, for comparison with `initscope export`: the CS231n
tanh network (10 × 500, B = 1000) under four inits in numpy, then a 10-row × 4-column grid of
100-bin activation histograms with matplotlib, saved as a 1600×1000 PNG. The whole process is
timed by the benchmark (interpreter start and imports included, as for initscope).
Usage: matplotlib_figure.py OUT.png"""
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

L, H, B = 10, 500, 1000
rng = np.random.default_rng(0)
inits = {"N(0, 0.01)": 0.01, "N(0, 1)": 1.0, "Xavier": np.sqrt(1 / H), "He": np.sqrt(2 / H)}
X = rng.standard_normal((B, H)).astype(np.float32)
fig, axes = plt.subplots(L, len(inits), figsize=(16, 10), dpi=100, sharex=True)
for c, (name, std) in enumerate(inits.items()):
    A = X
    for l in range(L):
        W = (rng.standard_normal((H, H)) * std).astype(np.float32)
        A = np.tanh(A @ W)
        ax = axes[l, c]
        ax.hist(A.ravel(), bins=100, range=(-1, 1))
        ax.set_yticks([])
        ax.set_title(f"{name} layer {l + 1}: mean {A.mean():.3g} std {A.std():.3g}", fontsize=7)
fig.tight_layout()
fig.savefig(sys.argv[1])
