#!/usr/bin/env python3
"""One step of initscope's GAN (issue 14) in PyTorch (Debian's python3-torch, CPU), for
bench_gan.cpp's ratio: the same networks, loss, optimizer and batch, PyTorch's own defaults for
the weights (nn.Linear's init), images gathered from a uint8 image set and scaled to [-1, 1].

  G: z (100, N(0, 1)) -> 256 -> 512 -> 1024 -> 784, LeakyReLU(0.2), tanh output
  D: 784 -> 512 -> 256 -> 1, LeakyReLU(0.2), one logit (BCEWithLogitsLoss = sigmoid + BCE)
  Adam lr 2e-4, betas (0.5, 0.999), one for each network; batch 64.
  A step: one D step on a real and a fake mini-batch (the fakes detached from G), then one G
  step with the non-saturating loss -log D(G(z)) (BCE against "real" labels) on fresh noise.

usage: torch_gan.py BATCH STEPS REPS [THREADS]
  THREADS   torch.set_num_threads (default: PyTorch's own choice)
Prints the best of REPS runs of STEPS steps, in steps per second, then PyTorch's thread count."""
import sys
import time

import torch

batch = int(sys.argv[1]) if len(sys.argv) > 1 else 64
steps = int(sys.argv[2]) if len(sys.argv) > 2 else 100
reps = int(sys.argv[3]) if len(sys.argv) > 3 else 5
if len(sys.argv) > 4:
    torch.set_num_threads(int(sys.argv[4]))

LATENT = 100
torch.manual_seed(0)
images = torch.randint(0, 256, (60000, 784), dtype=torch.uint8)
slope = 0.2
generator = torch.nn.Sequential(
    torch.nn.Linear(LATENT, 256), torch.nn.LeakyReLU(slope),
    torch.nn.Linear(256, 512), torch.nn.LeakyReLU(slope),
    torch.nn.Linear(512, 1024), torch.nn.LeakyReLU(slope),
    torch.nn.Linear(1024, 784), torch.nn.Tanh())
discriminator = torch.nn.Sequential(
    torch.nn.Linear(784, 512), torch.nn.LeakyReLU(slope),
    torch.nn.Linear(512, 256), torch.nn.LeakyReLU(slope),
    torch.nn.Linear(256, 1))
opt_g = torch.optim.Adam(generator.parameters(), lr=2e-4, betas=(0.5, 0.999))
opt_d = torch.optim.Adam(discriminator.parameters(), lr=2e-4, betas=(0.5, 0.999))
bce = torch.nn.BCEWithLogitsLoss()
ones = torch.ones(batch, 1)
zeros = torch.zeros(batch, 1)
order = torch.randperm(60000)


def run(n, start):
    for k in range(n):
        i = (start + k) % (60000 // batch)
        rows = order[i * batch:(i + 1) * batch]
        real = images[rows].float().div_(127.5).sub_(1.0)
        # D step: real rows labelled 1, fakes (no gradient into G) labelled 0.
        fake = generator(torch.randn(batch, LATENT)).detach()
        opt_d.zero_grad(set_to_none=True)
        d_loss = bce(discriminator(real), ones) + bce(discriminator(fake), zeros)
        d_loss.backward()
        opt_d.step()
        # G step: non-saturating, -log D(G(z)) on fresh noise.
        opt_g.zero_grad(set_to_none=True)
        g_loss = bce(discriminator(generator(torch.randn(batch, LATENT))), ones)
        g_loss.backward()
        opt_g.step()


run(10, 0)  # warm up: allocator, kernels
best = float("inf")
for r in range(reps):
    t0 = time.perf_counter()
    run(steps, r * steps)
    best = min(best, time.perf_counter() - t0)
print(f"{steps / best:.2f} {torch.get_num_threads()}")
