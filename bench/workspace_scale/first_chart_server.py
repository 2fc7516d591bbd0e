"""The server's half of the first chart (GET /metric?overview_buckets=N: the step overview of one metric across
every run), side by side on the workspace scale store, in this process (no HTTP, no page):
- stored: the finished runs' overview.arrow levels (workspace_data/stored_overviews.py, what the server does);
- read: every run's rows read and bucketed (read_metric + overview_ipc, what it did before overview files).
Both answers are compared row for row. Prints medians, the ratio and the load average (the machine is shared).

    python bench/workspace_scale/first_chart_server.py STORE_DIR [--buckets 200] [--repeats 5]
                                                        [--read-repeats 1 (0: stored only)] [--metric train/loss]

STORE_DIR is one generate_store.py wrote (with its overview files). --buckets 200 is what the page asks for
1,000 runs (packages/store/src/workspace/load.ts overviewBucketsFor).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import time
from pathlib import Path

import pyarrow as pa
from spyglass.workspace_data.overview import overview_ipc
from spyglass.workspace_data.series import read_metric
from spyglass.workspace_data.stored_overviews import step_overview_ipc

PROJECT = "bench"


def timed(repeats: int, call):
    """Wall times of `repeats` calls, the last answer, and the process's CPU time per call (all threads: what
    the call costs the machine, which the load from other work does not inflate as much as the wall time)."""
    times, cpu, answer = [], [], None
    for _ in range(repeats):
        started, cpu_started = time.perf_counter(), time.process_time()
        answer = call()
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - cpu_started)
    print(f"  CPU {[f'{t:.2f}' for t in cpu]} s, median {statistics.median(cpu):.2f} s")
    return times, answer


def rss_gib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("store", type=Path)
    parser.add_argument("--buckets", type=int, default=200)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--read-repeats", type=int, default=1)
    parser.add_argument("--metric", default="train/loss")
    args = parser.parse_args()
    root = str(args.store)

    def stored():
        return step_overview_ipc(root, PROJECT, args.metric, None, None, args.buckets)

    def read():
        return overview_ipc(read_metric(root, PROJECT, args.metric), args.buckets)

    print(f"load average before: {os.getloadavg()}")
    stored_times, stored_ipc = timed(args.repeats, stored)
    stored_rss = rss_gib()
    print(
        f"stored: {[f'{t:.2f}' for t in stored_times]} s, peak RSS {stored_rss:.2f} GiB"
    )
    if (
        not args.read_repeats
    ):  # the stored path alone (the read one takes minutes at this size)
        print(
            f"stored median {statistics.median(stored_times):.2f} s, load average {os.getloadavg()}"
        )
        return
    read_times, read_ipc = timed(args.read_repeats, read)
    print(f"read:   {[f'{t:.2f}' for t in read_times]} s, peak RSS {rss_gib():.2f} GiB")
    ours, theirs = pa.ipc.open_stream(stored_ipc), pa.ipc.open_stream(read_ipc)
    same = ours.schema.metadata == theirs.schema.metadata and ours.read_all().equals(
        theirs.read_all()
    )
    table = pa.ipc.open_stream(stored_ipc).read_all()
    print(f"load average after: {os.getloadavg()}")
    print(
        f"\n{args.metric}, {args.buckets} buckets: {table.num_rows:,} overview rows, {len(stored_ipc) / 1e6:.1f} MB"
    )
    print("| first chart, server side | stored levels | rows read | ratio |")
    print("|---|---|---|---|")
    s, r = statistics.median(stored_times), statistics.median(read_times)
    print(
        f"| median of {args.repeats} / {args.read_repeats} | {s:.2f} s | {r:.2f} s | {r / s:.1f}× |"
    )
    print(f"identical answers: {same}")
    if not same:
        raise SystemExit(
            "the stored overview differs from the one computed from the rows"
        )


if __name__ == "__main__":
    main()
