"""One contender of bench/watch: a small CNN trained on CPU, timed per block of `log_freq` steps.

    python contender.py --tracker {torch,spyglass,wandb} [--watch] --log-freq N --blocks B --out DIR

Every block holds exactly one step where watch logs histograms, so block time / log_freq is the mean cost per
training step including the histograms. Each block is timed twice: wall clock, and the CPU time of the training
thread (time.thread_time), which is what the hot path costs and barely moves when other processes share the
cores (wall time on a loaded 2-core machine mostly measures the others). Prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time

import torch


class SmallCNN(torch.nn.Module):
    """Two conv layers and a linear head on 28x28 images (about 30k parameters, 6 parameter tensors)."""

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
    parser.add_argument("--log-freq", type=int, default=100)
    parser.add_argument("--blocks", type=int, default=20)
    parser.add_argument("--warmup-blocks", type=int, default=2)
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

    log = None
    finish = None
    if args.tracker == "spyglass":
        import spyglass as sg

        run = sg.init(
            project="bench-watch",
            dir=args.out,
            settings=sg.Settings(system_metrics=False),
        )
        if args.watch:
            run.watch(model, log="all", log_freq=args.log_freq)
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
        if args.watch:
            run.watch(model, log="all", log_freq=args.log_freq)
        log, finish = run.log, run.finish

    def block() -> tuple[float, float]:
        start, start_cpu = time.perf_counter(), time.thread_time()
        for _ in range(args.log_freq):
            loss = torch.nn.functional.cross_entropy(model(images), labels)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            if log is not None:
                log({"loss": loss.item()})
        return time.perf_counter() - start, time.thread_time() - start_cpu

    for _ in range(args.warmup_blocks):
        block()
    times = [block() for _ in range(args.blocks)]
    if finish is not None:
        finish()
    wall, cpu = [t[0] for t in times], [t[1] for t in times]
    print(
        json.dumps(
            {
                "wall_s": statistics.median(wall),
                "thread_cpu_s": statistics.median(cpu),
                "blocks": times,
            }
        )
    )


if __name__ == "__main__":
    main()
