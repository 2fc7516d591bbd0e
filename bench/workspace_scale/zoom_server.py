"""The server's half of a zoom (POST /metric_window: M4 buckets of one metric over every run in a step range), on
the workspace scale store, in this process (no HTTP, no page), side by side with native DuckDB reading the
runs' history.parquet files for the same window (the alternative without held rows: one query over the 1,000
files with the step range pushed down, Parquet footers cached; only on windows at most --duckdb-max-width steps
wide, since a wide one takes it minutes: the ratio is the one least favourable to us). Both answers are compared
bucket for bucket.

The windows are bench/workspace/zoom-windows.mjs's (same seed, same generator: widths from the whole range
down to ~1/1000 of it, anywhere), on the grid the page asks for at `--buckets` (query.ts pyramidGrid: the
pyramid level whose 2^k-step buckets give at most that many, or equal buckets when the range is too narrow
for level 3). The first window reads every run (cold); the others are timed warm. Prints median and p95 of
wall and CPU time, the ratio to DuckDB on the windows both ran, peak RSS and the load average.

    python bench/workspace_scale/zoom_server.py STORE_DIR [--zooms 40] [--buckets 250] [--duckdb 3]
                                                 [--duckdb-max-width 5000] [--metric train/loss] [--seed 1]

STORE_DIR is one generate_store.py wrote (with its overview files; without them the server builds every level of
a run from its points when it reads it).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import statistics
import time
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
from spyglass.charts.m4 import equal_bucket_sql, m4_aggregates_sql
from spyglass.workspace_data import window as windows
from spyglass.workspace_data.window import Window, metric_window

PROJECT = "bench"
MIN_LEVEL = 3


def rand(seed: int):
    """zoom-windows.mjs's generator (mulberry32), so both benches zoom into the same windows."""
    state = seed & 0xFFFFFFFF

    def imul(a: int, b: int) -> int:
        return (a * b) & 0xFFFFFFFF

    def next_value() -> float:
        nonlocal state
        state = (state + 0x6D2B79F5) & 0xFFFFFFFF
        t = imul(state ^ (state >> 15), state | 1)
        t ^= (t + imul(t ^ (t >> 7), t | 61)) & 0xFFFFFFFF
        return ((t ^ (t >> 14)) & 0xFFFFFFFF) / 4294967296

    return next_value


def zoom_windows(n: int, seed: int, steps: int) -> list[tuple[int, int]]:
    r = rand(seed)
    out = []
    for _ in range(n):
        width = max(50, math.floor(steps * 10 ** (-3 * r())))
        lo = math.floor(r() * (steps - width))
        out.append((lo, lo + width))
    return out


def page_window(lo: float, hi: float, buckets: int, max_level: int) -> Window:
    """The window the page asks for this range (packages/store/src/workspace/sql.ts pyramidGrid)."""
    wanted = max((math.floor(hi) - math.ceil(lo) + 1) / buckets, 1)
    level = min(max_level, math.ceil(math.log2(wanted)))
    if level < MIN_LEVEL:
        return Window("step", lo, hi, buckets=buckets)
    return Window("step", lo, hi, level=level)


def duckdb_window(con, files: pa.Table, metric: str, window: Window) -> pa.Table:
    """The same window from the Parquet files: M4 of the raw rows in range, grouped by run and bucket."""
    value = f'"{metric}"'
    if window.level is not None:
        unit = 1 << window.level
        lo, hi = math.ceil(window.lo), math.floor(window.hi)
        q = f"(_step - {(lo // unit) * unit}) // {unit}"
    else:
        lo, hi = math.floor(window.lo), math.ceil(window.hi)
        q = equal_bucket_sql(
            "_step::DOUBLE", window.lo, window.hi, int(window.buckets or 1)
        )
    listed = ", ".join(f"'{path}'" for path in files.column("path").to_pylist())
    con.register("files", files)
    sql = (
        f"SELECT f.run, ({q})::DOUBLE AS q, {m4_aggregates_sql('_step', value, '::DOUBLE')}, "
        f"sum({value}) AS y_sum, count(*)::DOUBLE AS n "
        f"FROM read_parquet([{listed}], filename = true) h JOIN files f ON h.filename = f.path "
        f"WHERE _step BETWEEN {lo} AND {hi} AND isfinite({value}) GROUP BY ALL ORDER BY f.run, q"
    )
    return con.sql(sql).to_arrow_table()


def same_buckets(ours: pa.Table, theirs: pa.Table) -> bool:
    if ours.num_rows != theirs.num_rows:
        return False
    exact = (
        "run",
        "q",
        "x_first",
        "y_first",
        "x_last",
        "y_last",
        "y_min",
        "y_max",
        "n",
    )
    for name in exact:
        a = ours.column(name).to_numpy().astype(np.float64)
        if not np.array_equal(a, theirs.column(name).to_numpy().astype(np.float64)):
            return False
    # Ties of an extreme may stand at another step in DuckDB's arg_min; sums differ in the last bits.
    return bool(
        np.allclose(
            ours.column("y_sum").to_numpy(),
            theirs.column("y_sum").to_numpy(),
            rtol=1e-9,
        )
    )


def quantile(xs: list[float], q: float) -> float:
    s = sorted(xs)
    return s[min(len(s) - 1, math.floor(q * (len(s) - 1) + 0.5))]


def timed(call):
    started, cpu = time.perf_counter(), time.process_time()
    answer = call()
    return time.perf_counter() - started, time.process_time() - cpu, answer


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("store", type=Path)
    parser.add_argument("--zooms", type=int, default=40)
    parser.add_argument("--buckets", type=int, default=250)
    parser.add_argument(
        "--duckdb",
        type=int,
        default=3,
        help="windows also answered by DuckDB (0: none)",
    )
    parser.add_argument(
        "--duckdb-max-width",
        type=int,
        default=5000,
        help="DuckDB only on windows this narrow (a wide one: minutes)",
    )
    parser.add_argument("--metric", default="train/loss")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    marker = next(args.store.glob(".bench-*.json"))
    spec = json.loads(marker.read_text())
    run_ids = [f"bench{i:04d}" for i in range(spec["runs"])]
    max_level = max(MIN_LEVEL, (spec["steps"] - 1).bit_length())
    asked = [
        page_window(lo, hi, args.buckets, max_level)
        for lo, hi in zoom_windows(args.zooms, args.seed, spec["steps"])
    ]
    root = str(args.store)
    files = pa.table(
        {
            "run": pa.array(range(len(run_ids)), pa.int32()),
            "path": [
                str(args.store / PROJECT / r / "history.parquet") for r in run_ids
            ],
        }
    )
    con = duckdb.connect(":memory:")
    con.execute("SET parquet_metadata_cache = true")
    every = 1 if args.duckdb else 0

    print(
        f"{spec['runs']} runs × {spec['steps']} steps, {args.metric}, {args.buckets} buckets, {args.zooms} windows"
    )
    print(f"load average before: {os.getloadavg()}")
    windows.forget_all()
    cold_wall, cold_cpu, _ = timed(
        lambda: metric_window(root, PROJECT, args.metric, None, run_ids, asked[0])
    )
    held_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
    print(
        f"cold (first window reads every run): {cold_wall:.2f} s wall, {cold_cpu:.2f} s CPU, RSS {held_rss:.2f} GiB"
    )
    walls, cpus, sizes, pairs, same = [], [], [], [], True
    for index, window in enumerate(asked):
        wall, cpu, table = timed(
            lambda w=window: metric_window(root, PROJECT, args.metric, None, run_ids, w)
        )
        walls.append(wall)
        cpus.append(cpu)
        sizes.append(table.num_rows)
        narrow = window.hi - window.lo <= args.duckdb_max_width
        if every and narrow and len(pairs) < args.duckdb:
            d_wall, d_cpu, theirs = timed(
                lambda w=window: duckdb_window(con, files, args.metric, w)
            )
            pairs.append((wall, d_wall, cpu, d_cpu))
            same = same and same_buckets(table, theirs)
            kind = (
                f"level {window.level}"
                if window.level is not None
                else f"{window.buckets} equal buckets"
            )
            print(
                f"  [{window.lo:.0f}, {window.hi:.0f}] {kind}: ours {wall * 1000:.0f} ms, "
                f"DuckDB on the Parquet files {d_wall:.2f} s ({d_wall / wall:.0f}×), {table.num_rows:,} buckets"
            )
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
    print(f"load average after: {os.getloadavg()}")
    print(
        "\n| zoom window, server side, all runs | held rows + stored levels | DuckDB on history.parquet |"
    )
    print("|---|---|---|")
    print(
        f"| wall median / p95 of {len(walls)} | {statistics.median(walls) * 1000:.0f} ms / "
        f"{quantile(walls, 0.95) * 1000:.0f} ms | "
        + (
            f"{statistics.median([p[1] for p in pairs]):.2f} s (median of {len(pairs)}) |"
            if pairs
            else "— |"
        )
    )
    print(
        f"| CPU median / p95 | {statistics.median(cpus) * 1000:.0f} ms / {quantile(cpus, 0.95) * 1000:.0f} ms | "
        + (f"{statistics.median([p[3] for p in pairs]):.2f} s |" if pairs else "— |")
    )
    if pairs:
        ratios = [d / o for o, d, _, _ in pairs]
        print(
            f"| ratio on the same windows (wall), median | 1 | {statistics.median(ratios):.0f}× |"
        )
    print(
        f"buckets per answer: median {statistics.median(sizes):,.0f}, max {max(sizes):,}"
    )
    print(
        f"cold first window {cold_wall:.2f} s; peak RSS {held_rss:.2f} GiB after it, {rss:.2f} GiB with DuckDB's"
    )
    if pairs:
        print(f"identical buckets to DuckDB's: {same}")
        if not same:
            raise SystemExit(
                "the held-rows answer differs from DuckDB's over the Parquet files"
            )


if __name__ == "__main__":
    main()
