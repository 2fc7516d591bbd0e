"""Writes the workspace benchmark store: RUNS finished runs × STEPS steps × 10 metrics, in the real store format.

Each run gets run.json, history.sglog (framed log of Arrow IPC frames of 10k rows) and history.parquet (zstd),
written with pyarrow directly (the run API would take minutes for 100M values). Metric `train/loss` of run i has
one spike (value 100) at step (i * 997) % STEPS, so a benchmark can check that downsampling kept it.

    python bench/workspace/generate_store.py STORE_DIR [--runs 100] [--steps 100000]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
from spyglass.store.arrow_codec import encode_batch
from spyglass.store.framed_log import FramedLogWriter
from spyglass.store.run_store import RunDirectory

PROJECT = "bench"
METRICS = [
    "train/loss", "train/acc", "train/lr", "train/grad_norm", "val/loss",
    "val/acc", "perf/throughput", "perf/memory", "eval/f1", "eval/bleu",
]  # fmt: skip
FRAME_ROWS = 10_000


def spike_step(index: int, steps: int) -> int:
    return (index * 997) % steps


def history(index: int, steps: int, created: float) -> pa.Table:
    rng = np.random.default_rng(index)
    step = np.arange(steps, dtype=np.int64)
    t = step / steps
    columns: dict[str, np.ndarray] = {
        "_step": step,
        "_timestamp": created + step * 0.01,
        "_runtime": step * 0.01,
    }
    for k, name in enumerate(METRICS):
        base = np.exp(-t * (2 + k % 3)) * (1 + 0.1 * index / 100) + 0.05 * k
        columns[name] = base + rng.normal(0, 0.02, steps)
    columns["train/loss"][spike_step(index, steps)] = 100.0
    return pa.table(columns)


def write_run(root: Path, index: int, steps: int) -> None:
    run_id = f"bench{index:03d}"
    created = time.time() - 86_400 + index * 60
    run = RunDirectory.create(root, PROJECT, run_id, exist_ok=True)
    table = history(index, steps, created)
    run.log_path.unlink(missing_ok=True)
    with FramedLogWriter(run.log_path) as writer:
        for batch in table.to_batches(max_chunksize=FRAME_ROWS):
            writer.append(encode_batch(batch))
    pq.write_table(table, run.parquet_path, compression="zstd")
    write_metadata(run, index, created, steps, table)


def write_metadata(
    run: RunDirectory, index: int, created: float, steps: int, table: pa.Table
) -> None:
    """run.json of finished run `index` (its summary: the last value of each metric in `table`)."""
    summary = {name: float(table.column(name)[-1].as_py()) for name in METRICS}
    run.write_metadata(
        {
            "format": 1,
            "run_id": run.path.name,
            "project": PROJECT,
            "name": f"run-{index:03d}",
            "state": "finished",
            "created_at": created,
            "updated_at": created + steps * 0.01,
            "finished_at": created + steps * 0.01,
            "exit_code": 0,
            "config": {
                "lr": 10 ** -(1 + index % 4),
                "batch_size": [32, 64, 128][index % 3],
                "optimizer": {"name": ["adam", "sgd"][index % 2], "momentum": 0.9},
                "seed": index,
            },
            "summary": summary,
            "tags": ["bench", f"seed{index % 5}"],
            "group": f"group-{index % 4}",
            "job_type": "train",
            "last_step": steps - 1,
        }
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("store", type=Path)
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--steps", type=int, default=100_000)
    args = parser.parse_args()
    marker = args.store / f".bench-{args.runs}x{args.steps}.json"
    if marker.exists():
        print(f"store {args.store} already generated ({marker.name})")
        return
    started = time.perf_counter()
    for index in range(args.runs):
        write_run(args.store, index, args.steps)
    marker.write_text(
        json.dumps({"runs": args.runs, "steps": args.steps, "metrics": METRICS})
    )
    points = args.runs * args.steps * len(METRICS)
    print(f"wrote {args.runs} runs × {args.steps} steps × {len(METRICS)} metrics ({points:,} points) "
          f"in {time.perf_counter() - started:.1f} s")  # fmt: skip


if __name__ == "__main__":
    main()
