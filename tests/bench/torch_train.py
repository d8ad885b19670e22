#!/usr/bin/env python3
"""The training step of initscope's bench_train.cpp in PyTorch (Debian's python3-torch, CPU):
the 784-256-256-10 ReLU MLP (nn.Linear layers, so with biases), softmax cross-entropy, one
optimizer step on a mini-batch gathered from a uint8 image set scaled to [0, 1] — the same work
as initscope's Trainer::step for one column.

usage: torch_train.py OPTIMIZER BATCH STEPS REPS [THREADS]
  OPTIMIZER sgd | momentum | adam (torch.optim defaults; lr 0.1, 0.01, 0.001)
  THREADS   torch.set_num_threads (default: PyTorch's own choice)
Prints the best of REPS runs of STEPS steps, in steps per second, then PyTorch's thread count."""
import sys
import time

import torch

opt_name = sys.argv[1] if len(sys.argv) > 1 else "sgd"
batch = int(sys.argv[2]) if len(sys.argv) > 2 else 128
steps = int(sys.argv[3]) if len(sys.argv) > 3 else 200
reps = int(sys.argv[4]) if len(sys.argv) > 4 else 5
if len(sys.argv) > 5:
    torch.set_num_threads(int(sys.argv[5]))

torch.manual_seed(0)
images = torch.randint(0, 256, (60000, 784), dtype=torch.uint8)
labels = torch.randint(0, 10, (60000,))
model = torch.nn.Sequential(
    torch.nn.Linear(784, 256), torch.nn.ReLU(),
    torch.nn.Linear(256, 256), torch.nn.ReLU(),
    torch.nn.Linear(256, 10))
for m in model:
    if isinstance(m, torch.nn.Linear):
        torch.nn.init.kaiming_normal_(m.weight)
        torch.nn.init.zeros_(m.bias)
if opt_name == "sgd":
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
elif opt_name == "momentum":
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
else:
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_fn = torch.nn.CrossEntropyLoss()
order = torch.randperm(60000)


def run(n, start):
    for k in range(n):
        i = (start + k) % (60000 // batch)
        rows = order[i * batch:(i + 1) * batch]
        x = images[rows].float().div_(255.0)
        y = labels[rows]
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()


run(20, 0)  # warm up: allocator, kernels
best = float("inf")
for r in range(reps):
    t0 = time.perf_counter()
    run(steps, r * steps)
    best = min(best, time.perf_counter() - t0)
print(f"{steps / best:.2f} {torch.get_num_threads()}")
