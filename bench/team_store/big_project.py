"""A bucket project of 10,000 runs × 1,000 steps × 10 metrics, read through the Jupyter server as the page reads it.

    .venv/bin/python bench/team_store/big_project.py [--runs 10000] [--steps 1000] [--repeats 3] [--zooms 40]

The project is written straight in the store layout (no run API: that would take hours): per run run.json,
history.parquet (bench/workspace's rows: metric `train/loss` of run i has one spike of 100) and the
overview.arrow finish() writes from it (overview_file.write_overview; --no-overviews leaves it out, as for
runs written before overview files existed), plus the project
index `.index/runs.parquet` (project_index.runs_parquet), all uploaded in parallel to a bucket of a fresh test S3
server under $SG_TEAM_BENCH_DIR (default /tmp/sg-team-bench). Each invocation generates the project again (a few
minutes): a SeaweedFS data dir restarted on new ports refuses to grow its volumes.

Each repeat is a cold machine A: a new Jupyter server with SPYGLASS_DIR=s3://… (viewer identity) and an empty
local root, then, timed over HTTP as the workspace asks:
  runs table   GET /runs (listed from the index rows: runs.parquet + pending records, no file per run)
  first chart  GET /metric?overview_buckets=1000 for the 100 newest runs (the mirror pulls their overview.arrow,
               or their Parquet when they have none)
  all rows     GET /metric for the same runs (what the page fetches in the background after the first paint)
  zoom         POST /metric_window over random step ranges of those 100 runs, 1,000 buckets (p50/p95)
Targets: runs table ≤ 3 s, first chart ≤ 3 s, zoom p95 ≤ 150 ms.

Each figure is also given as the Jupyter server's CPU time for the request (its process's user + system time,
/proc), which a loaded machine inflates far less than wall time: on the shared 2-core machine, quote both.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sys
import tempfile
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor

import pyarrow as pa
import pyarrow.parquet as pq
from common import (
    REPO,
    WORK,
    fmt_ms,
    fmt_s,
    http,
    jupyter_server,
    median,
    quantile,
    start_s3,
)
from spyglass.store.project_index import index_record, runs_key, runs_parquet
from spyglass.store.run_store import OVERVIEW_FILE, PARQUET_FILE, RunDirectory
from spyglass.store.store_url import local_root, parse_store_url
from spyglass.workspace_data.overview_file import write_overview

sys.path.insert(0, str(REPO / "bench" / "workspace"))
from generate_store import METRICS, history

BUCKET = "sg-team-bench"
PROJECT = "big"
METRIC = "train/loss"
NEWEST = 100
BUCKETS = 1000
UPLOAD_THREADS = 8


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=10_000)
    parser.add_argument("--steps", type=int, default=1_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--zooms", type=int, default=40)
    parser.add_argument("--no-overviews", dest="overviews", action="store_false")
    parser.add_argument("--reuse", action="store_true", help="measure the project an earlier invocation "
                        "generated (its data dir, read only: the readers only read), instead of generating")  # fmt: skip
    args = parser.parse_args()
    # A Jupyter server on a loaded 2-core machine can take minutes to start.
    harness = sys.modules[
        "server_harness"
    ]  # imported by common from kernel-bridge/tests
    harness.START_TIMEOUT_S = max(harness.START_TIMEOUT_S, 600)
    workdir = WORK / "s3-big-project"
    if not args.reuse:
        shutil.rmtree(workdir, ignore_errors=True)
    s3 = start_s3(workdir)
    try:
        prefix = f"p{args.runs}x{args.steps}"
        if not args.reuse:
            generate(s3, prefix, args.runs, args.steps, args.overviews)
        url = f"s3://{BUCKET}/{prefix}"
        rounds = []
        for repeat in range(args.repeats):
            rounds.append(measure(s3, url, args, repeat))
            # Each round as it ends: a long run interrupted still tells what it measured.
            print(json.dumps({"round": repeat, **rounds[-1]}), flush=True)
    finally:
        s3.stop()
    if rounds:  # --repeats 0 only generates
        report(rounds, args)
    return 0


def generate(s3, prefix: str, runs: int, steps: int, overviews: bool) -> None:
    s3.client("admin").create_bucket(Bucket=BUCKET)
    client = upload_client(s3)
    started = time.perf_counter()
    now = time.time()

    def one(index: int) -> dict:
        created = now - runs * 60 + index * 60  # run i+1 is a minute newer than run i
        table = history(index, steps, created)
        meta = run_meta(index, steps, created, table)
        base = f"{prefix}/{PROJECT}/{meta['run_id']}"
        with tempfile.TemporaryDirectory(dir=WORK) as scratch:
            run = RunDirectory(scratch)
            pq.write_table(table, run.parquet_path, compression="zstd")
            names = [PARQUET_FILE]
            if overviews and write_overview(run) is not None:
                names.append(
                    OVERVIEW_FILE
                )  # after the history, as the writer ships them
            for name in names:
                body = (run.path / name).read_bytes()
                client.put_object(Bucket=BUCKET, Key=f"{base}/{name}", Body=body)
        client.put_object(
            Bucket=BUCKET,
            Key=f"{base}/run.json",
            Body=json.dumps(meta, indent=2).encode(),
        )
        return meta

    with ThreadPoolExecutor(UPLOAD_THREADS) as pool:
        metas = list(pool.map(one, range(runs)))
    body = runs_parquet(index_record(meta) for meta in metas)
    client.put_object(Bucket=BUCKET, Key=f"{prefix}/{runs_key(PROJECT)}", Body=body)
    print(f"generated and uploaded {runs} runs × {steps} steps × {len(METRICS)} metrics "
          f"({(3 if overviews else 2) * runs + 1} objects) in {time.perf_counter() - started:.0f} s")  # fmt: skip


def upload_client(s3):
    """The writer's client with a pool for every upload thread, and retries: SeaweedFS answers "no writable
    volumes" for a moment while it grows a collection's volumes under a burst of PUTs."""
    import boto3
    from botocore.config import Config

    who = s3.identities["writer"]
    config = Config(s3={"addressing_style": "path"}, max_pool_connections=UPLOAD_THREADS,
                    retries={"max_attempts": 10, "mode": "adaptive"})  # fmt: skip
    return boto3.session.Session().client("s3", endpoint_url=s3.endpoint, aws_access_key_id=who.access_key,
                                          aws_secret_access_key=who.secret_key, region_name="us-east-1",
                                          config=config)  # fmt: skip


def run_meta(index: int, steps: int, created: float, table: pa.Table) -> dict:
    return {
        "format": 1,
        "run_id": f"r{index:05d}",
        "project": PROJECT,
        "name": f"run-{index:05d}",
        "state": "finished",
        "created_at": created,
        "updated_at": created + steps * 0.01,
        "heartbeat_at": created + steps * 0.01,
        "finished_at": created + steps * 0.01,
        "exit_code": 0,
        "host": f"gpu-node-{index % 16:02d}",
        "config": {
            "lr": 10 ** -(1 + index % 4),
            "batch_size": [32, 64, 128][index % 3],
            "seed": index,
        },
        "summary": {name: float(table.column(name)[-1].as_py()) for name in METRICS},
        "tags": ["bench"],
        "group": f"group-{index % 8}",
        "job_type": "train",
        "last_step": steps - 1,
    }


def measure(s3, url: str, args: argparse.Namespace, repeat: int) -> dict:
    """One cold machine A: a fresh local root and Jupyter server; the page's requests, timed."""
    work = WORK / f"big-reader-{os.getpid()}-{repeat}"
    os.environ.update(s3.env("viewer"))
    os.environ["SPYGLASS_CACHE_DIR"] = str(work / "cache")
    store_root = str(local_root(parse_store_url(url)))
    (work / "root").mkdir(parents=True)
    result: dict = {}
    with jupyter_server(work / "root", work / "jupyter", store=url) as base:
        common = {"store_root": store_root, "project": PROJECT}

        server = ServerCpu()

        def get(endpoint: str, **params) -> tuple[float, bytes]:
            started = time.perf_counter()
            # Repeated keys (run_id=…&run_id=…) for list values, as the page sends them.
            query = urllib.parse.urlencode({**common, **params}, doseq=True)
            status, _, body = http(base, f"{endpoint}?{query}", timeout=600)
            if status != 200:
                raise RuntimeError(f"{endpoint} answered {status}: {body[:300]!r}")
            return time.perf_counter() - started, body

        result["runs_s"], body = server.timed(get, "/spyglass/api/v1/runs")
        listed = json.loads(body)["runs"]
        result["listed"] = len(listed)
        result["runs_warm_s"], _ = get("/spyglass/api/v1/runs")
        newest = [
            r["run_id"]
            for r in sorted(listed, key=lambda r: r["created_at"] or 0, reverse=True)[
                :NEWEST
            ]
        ]
        result["runs_cpu_s"] = server.last
        result["chart_s"], body = server.timed(get, "/spyglass/api/v1/metric", metric=METRIC, run_id=newest,
                                               overview_buckets=str(BUCKETS))  # fmt: skip
        result["chart_cpu_s"] = server.last
        result["chart_bytes"] = len(body)
        # What the chart pulled: overview.arrow files, and history.parquet only for runs without one.
        project_dir = local_root(parse_store_url(url)) / PROJECT
        for name in (OVERVIEW_FILE, PARQUET_FILE):
            result[f"chart_pulled_{name}"] = sum(
                (project_dir / r / name).is_file() for r in newest
            )
        result["load"] = os.getloadavg()[0]
        result["rows_s"], body = get(
            "/spyglass/api/v1/metric", metric=METRIC, run_id=newest
        )
        result["rows_bytes"] = len(body)
        result["zooms"], result["zooms_cpu"] = zooms(base, common, newest, args, server)
    return result


class ServerCpu:
    """The CPU seconds (user + system) the Jupyter server, this process's child, spends on each request."""

    def __init__(self) -> None:
        self.pid = next(
            int(entry)
            for entry in os.listdir("/proc")
            if entry.isdigit()
            and _stat(int(entry))[1] == os.getpid()
            and b"jupyter_server" in _cmdline(entry)
        )
        self.last = 0.0

    def seconds(self) -> float:
        return _stat(self.pid)[0]

    def timed(self, call, *args, **kwargs):
        before = self.seconds()
        answer = call(*args, **kwargs)
        self.last = self.seconds() - before
        return answer


def _stat(pid: int) -> tuple[float, int]:
    """(user + system CPU seconds, parent pid) of a process."""
    try:
        with open(f"/proc/{pid}/stat") as file:
            fields = file.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0, -1
    ticks = int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK"), int(fields[1])


def _cmdline(pid: str) -> bytes:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as file:
            return file.read()
    except OSError:
        return b""


def zooms(
    base: str,
    common: dict,
    run_ids: list[str],
    args: argparse.Namespace,
    server: ServerCpu,
) -> tuple[list[float], list[float]]:
    rng = random.Random(7)
    times, cpu = [], []
    for _ in range(args.zooms):
        width = rng.uniform(0.02, 0.5) * args.steps
        lo = rng.uniform(0, args.steps - 1 - width)
        body = json.dumps({"metric": METRIC, "run_ids": run_ids, "axis": "step", "lo": lo, "hi": lo + width,
                           "buckets": BUCKETS}).encode()  # fmt: skip
        started = time.perf_counter()
        status, _, answer = server.timed(http, base, "/spyglass/api/v1/metric_window", method="POST", data=body,
                                         timeout=120, headers={"Content-Type": "application/json"},
                                         **common)  # fmt: skip
        if status != 200:
            raise RuntimeError(f"/metric_window answered {status}: {answer[:300]!r}")
        times.append(time.perf_counter() - started)
        cpu.append(server.last)
    return times, cpu


def report(rounds: list[dict], args: argparse.Namespace) -> None:
    def mid(name: str) -> float:
        return median([r[name] for r in rounds])

    zoom_times = [t for r in rounds for t in r["zooms"]]
    print(f"\nbucket project: {args.runs:,} runs × {args.steps:,} steps × {len(METRICS)} metrics; "
          f"median of {len(rounds)} cold machine-A starts (fresh Jupyter server and local root)")  # fmt: skip
    print(f"load average at the end: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print(f"runs table visible (GET /runs, {rounds[0]['listed']:,} runs): {fmt_s(mid('runs_s'))}  "
          f"(server CPU {fmt_s(mid('runs_cpu_s'))}; again, warm: {fmt_s(mid('runs_warm_s'))})  "
          "target ≤ 3 s")  # fmt: skip
    print(f"first chart, {METRIC} of the {NEWEST} newest runs (overview, {BUCKETS} buckets, "
          f"{rounds[0]['chart_bytes'] / 1e6:.1f} MB): {fmt_s(mid('chart_s'))} (server CPU "
          f"{fmt_s(mid('chart_cpu_s'))})  target ≤ 3 s; pulled "
          f"{rounds[0][f'chart_pulled_{OVERVIEW_FILE}']} overview.arrow, "
          f"{rounds[0][f'chart_pulled_{PARQUET_FILE}']} history.parquet")  # fmt: skip
    print(
        f"their raw rows (GET /metric, {rounds[0]['rows_bytes'] / 1e6:.1f} MB): {fmt_s(mid('rows_s'))}"
    )
    first = median([r["zooms"][0] for r in rounds if r["zooms"]])
    print(f"zoom (POST /metric_window, {len(zoom_times)} windows): p50 {fmt_ms(median(zoom_times))}, "
          f"p95 {fmt_ms(quantile(zoom_times, 0.95))} (the first, which loads the metric into the "
          f"server's DuckDB: {fmt_ms(first)})  target p95 ≤ 150 ms")  # fmt: skip
    zoom_cpu = [t for r in rounds for t in r["zooms_cpu"]]
    print(
        f"zoom server CPU: p50 {fmt_ms(median(zoom_cpu))}, p95 {fmt_ms(quantile(zoom_cpu, 0.95))}"
    )


if __name__ == "__main__":
    sys.exit(main())
