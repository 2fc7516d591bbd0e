"""Writes the workspace scale store: RUNS finished runs × STEPS steps × 10 metrics (run.json + history.parquet).

The rows are bench/workspace's (same metrics, `train/loss` of history h has one spike of 100 at step
(h * 997) % STEPS), without the framed log: a finished run is read from its Parquet file. Writing 1,000
distinct histories takes over an hour on the shared 2-core machine, so there are DISTINCT of them (default 100)
and run i's history.parquet is a hard link to history i % DISTINCT's: every run is still its own file to the
readers, but the page cache holds each history once (~1 GB instead of ~10 GB). Run i has its own run.json.

Each run also gets the overview.arrow a finished run writes (workspace_data/overview_file.py; ~0.9 MB, linked
like its history), added to a store generated before they existed; `--no-overviews` removes them instead, for
the first chart as it was (every run's rows read).

    python bench/workspace_scale/generate_store.py STORE_DIR [--runs 1000] [--steps 100000] [--jobs 2]
                                                   [--no-overviews]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pyarrow.parquet as pq
from spyglass.store.run_store import OVERVIEW_FILE, RunDirectory
from spyglass.workspace_data.overview_file import write_overview

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "workspace"))
from generate_store import METRICS, PROJECT, history, write_metadata


def history_of(index: int, distinct: int) -> int:
    """The history run `index` shares (its spike is at (history * 997) % steps)."""
    return index % distinct


def write_run(root: Path, index: int, steps: int, distinct: int) -> None:
    run_id = f"bench{index:04d}"
    created = time.time() - 86_400 * 30 + index * 60
    run = RunDirectory.create(root, PROJECT, run_id, exist_ok=True)
    source = history_of(index, distinct)
    if source == index:
        table = history(index, steps, created)
        pq.write_table(table, run.parquet_path, compression="zstd")
    else:
        run.parquet_path.unlink(missing_ok=True)
        os.link(
            root / PROJECT / f"bench{source:04d}" / "history.parquet", run.parquet_path
        )
        table = pq.read_table(run.parquet_path, columns=METRICS)
    write_metadata(run, index, created, steps, table)


def write_overviews(
    root: Path, runs: int, distinct: int, jobs: int, wanted: bool
) -> None:
    """Each run's overview.arrow (written for the distinct histories, linked for the others), or none."""
    paths = [RunDirectory(root / PROJECT / f"bench{i:04d}") for i in range(runs)]
    if not wanted:
        for run in paths:
            (run.path / OVERVIEW_FILE).unlink(missing_ok=True)
        return
    started = time.perf_counter()
    todo = [run for run in paths[:distinct] if not (run.path / OVERVIEW_FILE).is_file()]
    with ProcessPoolExecutor(jobs) as pool:
        list(pool.map(write_overview, todo))
    for index, run in enumerate(paths[distinct:], start=distinct):
        source = paths[history_of(index, distinct)].path / OVERVIEW_FILE
        if not (run.path / OVERVIEW_FILE).is_file():
            os.link(source, run.path / OVERVIEW_FILE)
    if todo:
        print(
            f"wrote {len(todo)} overview.arrow files in {time.perf_counter() - started:.1f} s"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("store", type=Path)
    parser.add_argument("--runs", type=int, default=1000)
    parser.add_argument("--steps", type=int, default=100_000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--distinct", type=int, default=100)
    parser.add_argument("--no-overviews", action="store_true")
    args = parser.parse_args()
    marker = args.store / f".bench-{args.runs}x{args.steps}.json"
    distinct = min(args.distinct, args.runs)
    if marker.exists():
        print(f"store {args.store} already generated ({marker.name})")
        distinct = json.loads(marker.read_text()).get("distinct", distinct)
        write_overviews(
            args.store, args.runs, distinct, args.jobs, not args.no_overviews
        )
        return
    started = time.perf_counter()
    with ProcessPoolExecutor(args.jobs) as pool:
        done = [
            args.store / PROJECT / f"bench{i:04d}" / "history.parquet"
            for i in range(distinct)
        ]
        todo = [
            i for i in range(distinct) if not done[i].is_file()
        ]  # kept from an interrupted run
        list(
            pool.map(
                write_run,
                [args.store] * len(todo),
                todo,
                [args.steps] * len(todo),
                [distinct] * len(todo),
            )
        )
    for index in range(distinct, args.runs):
        write_run(args.store, index, args.steps, distinct)
    write_overviews(args.store, args.runs, distinct, args.jobs, not args.no_overviews)
    marker.write_text(
        json.dumps(
            {
                "runs": args.runs,
                "steps": args.steps,
                "metrics": METRICS,
                "distinct": distinct,
            }
        )
    )
    points = args.runs * args.steps * len(METRICS)
    print(f"wrote {args.runs} runs × {args.steps} steps × {len(METRICS)} metrics ({points:,} points) "
          f"in {time.perf_counter() - started:.1f} s")  # fmt: skip


if __name__ == "__main__":
    main()
