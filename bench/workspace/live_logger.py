"""The benchmark's running run: logs 10 metrics at 100 steps/s through the real spyglass API for N seconds.

python bench/workspace/live_logger.py STORE_DIR SECONDS
"""

from __future__ import annotations

import math
import sys
import time

import spyglass as sg

METRICS = [
    "train/loss", "train/acc", "train/lr", "train/grad_norm", "val/loss",
    "val/acc", "perf/throughput", "perf/memory", "eval/f1", "eval/bleu",
]  # fmt: skip


def main() -> None:
    store, seconds = sys.argv[1], float(sys.argv[2])
    run = sg.init(
        project="bench", dir=store, id="live", name="live-run", config={"lr": 0.01}
    )
    print("ready", flush=True)
    started = time.time()
    step = 0
    while time.time() - started < seconds:
        delay = started + step / 100 - time.time()
        if delay > 0:
            time.sleep(delay)
        run.log(
            {name: math.exp(-step / 5000) + 0.01 * k for k, name in enumerate(METRICS)}
        )
        step += 1
    run.finish()


if __name__ == "__main__":
    main()
