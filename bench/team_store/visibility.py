"""Machine B → machine A: how long after log() on B a row is in the chart data of A's JupyterLab (p50/p95).

    .venv/bin/python bench/team_store/visibility.py [--seconds 60] [--rate 10] [--interval 5]

The "two machines" are two processes that share only the bucket (the test S3 server): B (visibility_writer.py)
logs with the writer identity, its own spool and a segment interval of INTERVAL s; A is a Jupyter server with
SPYGLASS_DIR=s3://… (the viewer identity, read-only, its own mirror), read over HTTP as the workspace reads a
running run: the run list every second until B's run appears (the page relists every 5 s), then the run's framed
log tailed every 150 ms (`/history?after_seq=`, the workspace's tail). Each row B logged carries its wall clock,
so its latency is the time A first received it minus that. Target: p95 ≤ interval + 2 s.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from common import HERE, WORK, fmt_s, http, jupyter_server, median, quantile, start_s3
from spyglass.store.arrow_codec import decode_payload
from spyglass.store.framed_log import read_framed_log
from spyglass.store.store_url import local_root, parse_store_url

TAIL_S = 0.15
LIST_S = 1.0


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--rate", type=float, default=10, help="rows B logs per second")
    parser.add_argument(
        "--interval", type=float, default=5.0, help="B's segment interval (s)"
    )
    args = parser.parse_args()
    work = WORK / f"visibility-{os.getpid()}"
    s3 = start_s3(work / "s3")
    try:
        url = f"s3://{s3.create_bucket('visibility')}/team"
        latencies, listed_after = measure(s3, url, work, args)
    finally:
        s3.stop()
    report(latencies, listed_after, args)
    return 0


def measure(
    s3, url: str, work: Path, args: argparse.Namespace
) -> tuple[list[float], float]:
    # Machine A: this process's environment is what the Jupyter server inherits (viewer keys, A's own cache).
    os.environ.update(s3.env("viewer"))
    os.environ["SPYGLASS_CACHE_DIR"] = str(work / "machine-a")
    store_root = local_root(parse_store_url(url))
    (work / "root").mkdir(parents=True)
    with jupyter_server(work / "root", work / "jupyter", store=url) as base:
        writer_env = s3.process_env("writer")
        writer_env.update(SPYGLASS_DIR=url, SPYGLASS_CACHE_DIR=str(work / "machine-b"),
                          SPYGLASS_SEGMENT_INTERVAL=str(args.interval), SPYGLASS_DISPLAY="0")  # fmt: skip
        command = [sys.executable, str(HERE / "visibility_writer.py"), "--seconds", str(args.seconds),
                   "--rate", str(args.rate)]  # fmt: skip
        writer = subprocess.Popen(
            command, env=writer_env, stdout=subprocess.PIPE, text=True
        )
        try:
            started = json.loads(writer.stdout.readline())
            run_dir = wait_listed(
                base, store_root, started["run_id"], args.seconds + 60
            )
            listed_after = time.time() - started["started"]
            latencies = tail(base, run_dir, writer)
        finally:
            if writer.poll() is None:
                writer.kill()
            writer.wait()
    return latencies, listed_after


def wait_listed(base: str, store_root: Path, run_id: str, timeout: float) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status, _, body = http(
            base,
            "/spyglass/api/v1/runs",
            store_root=str(store_root),
            project="visibility",
        )
        if status == 200:
            for run in json.loads(body)["runs"]:
                if run["run_id"] == run_id:
                    return run["run_dir"]
        time.sleep(LIST_S)
    raise RuntimeError(f"machine A never listed run {run_id}")


def tail(base: str, run_dir: str, writer: subprocess.Popen) -> list[float]:
    """Tail the run's log until B has finished and its last row arrived; each row's latency."""
    latencies: list[float] = []
    after_seq = -1
    finished_at = None
    while True:
        status, _, body = http(
            base, "/spyglass/api/v1/history", run_dir=run_dir, after_seq=str(after_seq)
        )
        now = time.time()
        if status != 200:
            raise RuntimeError(f"/history answered {status}: {body[:300]!r}")
        for frame in read_framed_log(body, any_first_seq=True).frames:
            batch = decode_payload(frame.payload)
            if "sent" in batch.schema.names:
                latencies.extend(
                    now - sent
                    for sent in batch.column("sent").to_pylist()
                    if sent is not None
                )
            after_seq = frame.seq
        if finished_at is None and writer.poll() is not None:
            finished_at = time.monotonic()
        if finished_at is not None and time.monotonic() - finished_at > 15:
            return latencies
        time.sleep(TAIL_S)


def report(
    latencies: list[float], listed_after: float, args: argparse.Namespace
) -> None:
    logged = int(args.seconds * args.rate)
    print(f"\nmachine B logs {args.rate:g} rows/s for {args.seconds:g} s, segment interval {args.interval:g} s; "
          f"machine A tails over HTTP every {TAIL_S * 1000:.0f} ms")  # fmt: skip
    print(f"rows seen by A: {len(latencies)} of ~{logged}")
    print(
        f"B's run listed by A after {fmt_s(listed_after)} (from B's init; A relists every {LIST_S:g} s)"
    )
    print(f"row latency B log() → A: p50 {fmt_s(median(latencies))}, p95 {fmt_s(quantile(latencies, 0.95))}, "
          f"max {fmt_s(max(latencies) if latencies else float('nan'))}; "
          f"target p95 ≤ interval + 2 s = {args.interval + 2:g} s")  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())
