"""One contender of bench/watch: a small CNN trained on CPU, every training step timed on its own.

    python contender.py --tracker {torch,spyglass,wandb} [--watch] --log-freq N --steps S --out DIR

With --watch, every N-th step is one where the hooks log histograms (12 tensors); the others only bump counters.
Both kinds of step run in the same process, so `watch`'s cost per logged step is the median of the logged steps
minus the median of the others, free of the differences between processes. Each step is timed twice: the
training thread's CPU time (time.thread_time: what the hot path costs; other processes on the cores barely move
it) and wall clock. Prints one JSON line of medians in seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time

import torch


class SmallCNN(torch.nn.Module):
    """Two conv layers and a linear head on 28x28 images (about 20k parameters, 6 parameter tensors)."""

    def __init__(self) -> None:
        super().__init__()
        self.conv1 = torch.nn.Conv2d(1, 16, 3, padding=1)
        self.conv2 = torch.nn.Conv2d(16, 32, 3, padding=1)
        self.fc = torch.nn.Linear(32 * 7 * 7, 10)

    def forward(self, x):
        x = torch.nn.functional.max_pool2d(torch.relu(self.conv1(x)), 2)
        x = torch.nn.functional.max_pool2d(torch.relu(self.conv2(x)), 2)
        return self.fc(x.flatten(1))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--tracker", choices=("torch", "spyglass", "wandb"), required=True
    )
    parser.add_argument("--watch", action="store_true")
    parser.add_argument("--log-freq", type=int, default=10)
    parser.add_argument("--steps", type=int, default=400)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    torch.manual_seed(0)
    torch.set_num_threads(
        1
    )  # the machine is shared: one thread each keeps contenders comparable
    model = SmallCNN()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    images = torch.randn(32, 1, 28, 28)
    labels = torch.randint(0, 10, (32,))

    log = finish = None
    if args.tracker == "spyglass":
        import spyglass as sg

        run = sg.init(
            project="bench-watch",
            dir=args.out,
            settings=sg.Settings(system_metrics=False),
        )
        log, finish = run.log, run.finish
    elif args.tracker == "wandb":
        os.environ["WANDB_MODE"] = "offline"
        os.environ["WANDB_SILENT"] = "true"
        import wandb

        run = wandb.init(
            project="bench-watch",
            dir=args.out,
            settings=wandb.Settings(x_disable_stats=True),
        )
        log, finish = run.log, run.finish

    def step() -> tuple[float, float]:
        start, start_cpu = time.perf_counter(), time.thread_time()
        loss = torch.nn.functional.cross_entropy(model(images), labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if log is not None:
            log({"loss": loss.item()})
        return time.perf_counter() - start, time.thread_time() - start_cpu

    for _ in range(args.warmup):
        step()
    if args.watch:
        # Watched after the warmup, so step k (from 1) is a logged one exactly when k % log_freq == 0.
        run.watch(model, log="all", log_freq=args.log_freq)
    times = [step() for _ in range(args.steps)]
    if finish is not None:
        finish()
    logged = [
        t for k, t in enumerate(times, 1) if args.watch and k % args.log_freq == 0
    ]
    plain = [
        t for k, t in enumerate(times, 1) if not (args.watch and k % args.log_freq == 0)
    ]

    def median(rows: list[tuple[float, float]], clock: int) -> float | None:
        return statistics.median(row[clock] for row in rows) if rows else None

    print(
        json.dumps(
            {
                "plain_cpu_s": median(plain, 1),
                "plain_wall_s": median(plain, 0),
                "logged_cpu_s": median(logged, 1),
                "logged_wall_s": median(logged, 0),
            }
        )
    )


if __name__ == "__main__":
    main()
