"""N writer processes × STEPS steps × 10 metrics at once, into a team store and into its alternatives, side by side.

    .venv/bin/python bench/team_store/writers.py [--writers 8] [--steps 100000] [--repeats 1]
        [--mlflow-cap-seconds 180] [--wandb-cap-seconds 0] [--only spyglass-s3 spyglass-local mlflow wandb]

Contenders (each round starts all N processes together and waits for the last; rounds interleave them):
  spyglass-s3     SPYGLASS_DIR=s3://… on the test S3 server (SeaweedFS, kernel-bridge/tests/s3_server.py), one
                  local spool for the N processes (one machine); durable when finish() has shipped everything
  spyglass-local  the same into a local directory (what log() costs without a bucket)
  wandb           wandb offline (.venv-bench, requirements-wandb.txt); durable when finish() and teardown()
                  return (offline: the run's .wandb log is written; nothing leaves the machine). 20-35
                  steps/s per writer here, so --wandb-cap-seconds stops its loop early (then finish());
                  the full load's times are extrapolated from its rate, marked as for mlflow.
  mlflow          a self-hosted `mlflow server` with a SQLite backend, log_metrics(synchronous=False) with
                  async batching (.venv-bench-mlflow, requirements-mlflow.txt). Its server takes a few
                  hundred values/s, so the full load would take hours: each writer stops --mlflow-cap-seconds
                  after its first log() and the values found in the server's database give the sustained
                  rate; its time to durable end and wall time for the full load are extrapolated from that
                  rate (labelled so), never measured.
Prints each round as JSON as it ends, then per contender: rows delivered / expected, wall time (launch to
last exit), median log() µs/call (each call timed on its own inside the writer's loop), time from the first
log() to the last writer's durable end, the load average, and the ratios against spyglass-s3.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import BENCH_PYTHON, HERE, MLFLOW_PYTHON, WORK, start_s3
from mlflow_server import MlflowServer
from writer_report import print_table

CONTENDERS = ("spyglass-s3", "spyglass-local", "mlflow", "wandb")
SCRIPTS = {
    "spyglass-s3": "writer_spyglass.py",
    "spyglass-local": "writer_spyglass.py",
    "mlflow": "writer_mlflow.py",
    "wandb": "writer_wandb.py",
}
REQUIREMENTS = {"mlflow": "requirements-mlflow.txt", "wandb": "requirements-wandb.txt"}


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--steps", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--mlflow-cap-seconds", type=float, default=180.0)
    parser.add_argument(
        "--wandb-cap-seconds",
        type=float,
        default=0.0,
        help="stop wandb's writers this long after their first log() (0: the whole load)",
    )
    parser.add_argument("--only", nargs="*", choices=CONTENDERS)
    args = parser.parse_args()
    chosen = [name for name in CONTENDERS if not args.only or name in args.only]
    for name, python in {"mlflow": MLFLOW_PYTHON, "wandb": BENCH_PYTHON}.items():
        if name in chosen and not python.exists():
            print(f"skipping {name}: {python} not found (see bench/team_store/{REQUIREMENTS[name]})", file=sys.stderr)  # fmt: skip
            chosen.remove(name)
    WORK.mkdir(parents=True, exist_ok=True)
    # A fresh S3 server and one bucket per invocation (SeaweedFS may refuse to grow volumes for a
    # reused data directory, and a new bucket per round waits for volume growth); a prefix per round.
    s3_work = WORK / f"s3-writers-{os.getpid()}"
    s3 = start_s3(s3_work) if "spyglass-s3" in chosen else None
    bucket = s3.create_bucket("writers") if s3 else None
    results: dict[str, list[dict]] = {name: [] for name in chosen}
    try:
        for _ in range(args.repeats):
            for name in chosen:
                with tempfile.TemporaryDirectory(dir=WORK) as scratch:
                    results[name].append(
                        run_round(name, Path(scratch), args, s3, bucket)
                    )
                # Each round as it ends: a long run cut short still tells what it measured.
                print(json.dumps({"contender": name, **results[name][-1]}), flush=True)
    finally:
        if s3 is not None:
            s3.stop()
            shutil.rmtree(s3_work, ignore_errors=True)
    print_table(results, args)
    return 0


def run_round(
    name: str, scratch: Path, args: argparse.Namespace, s3, bucket: str | None
) -> dict:
    """Launch the N writers of one contender at once; their reports, the wall time and the rows stored."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SPYGLASS_", "MLFLOW_", "WANDB_"))
    }
    env["SG_CONTENDER"] = name
    python, server, store_url, cap = sys.executable, None, None, 0.0
    if name == "spyglass-s3":
        store_url = f"s3://{bucket}/{scratch.name}"
        env = s3.process_env("writer", env)
        env.update(SPYGLASS_DIR=store_url, SPYGLASS_CACHE_DIR=str(scratch / "spool"))
    elif name == "spyglass-local":
        env["SPYGLASS_DIR"] = str(scratch / "store")
    elif name == "mlflow":
        python, cap = str(MLFLOW_PYTHON), args.mlflow_cap_seconds
        server = MlflowServer(scratch / "mlflow", MLFLOW_PYTHON)
        server.start()
        env["MLFLOW_TRACKING_URI"] = server.url
    else:
        python, cap = str(BENCH_PYTHON), args.wandb_cap_seconds
    load_before = os.getloadavg()[0]
    try:
        launched_at = time.time()
        # mlflow: the values in its database every few seconds, for the rate while it runs.
        poll = (
            (lambda: count_rows(name, scratch, None, s3, server, []))
            if server
            else None
        )
        reports, wall, samples = launch(
            python, SCRIPTS[name], args, scratch, env, cap, poll
        )
        counted_at = time.time()
        stored = count_rows(name, scratch, store_url, s3, server, reports)
    finally:
        if server is not None:
            server.stop()
    refused = refused_batches(scratch) if server is not None else None
    return {
        "refused_batches": refused,
        "reports": reports,
        "wall": wall,
        "stored": stored,
        "launched_at": launched_at,
        "counted_at": counted_at,
        "samples": samples,
        "load": [load_before, os.getloadavg()[0]],
    }


def launch(
    python: str,
    script: str,
    args: argparse.Namespace,
    scratch: Path,
    env: dict,
    cap: float,
    poll=None,
) -> tuple[list[dict], float, list[tuple[float, float]]]:
    processes = []
    started = time.perf_counter()
    for index in range(args.writers):
        out = scratch / f"writer-{index}"
        out.mkdir()
        command = [python, str(HERE / script), "--steps", str(args.steps)]
        command += ["--out", str(out), "--cap-seconds", str(cap)]
        # Files, not pipes: the parent polls while they run and reads the report at the end.
        with open(f"{out}.json", "wb") as stdout, open(f"{out}.log", "wb") as stderr:
            process = subprocess.Popen(
                command, cwd=HERE, env=env, stdout=stdout, stderr=stderr
            )
        processes.append((process, out))
    samples = []
    while any(process.poll() is None for process, _ in processes):
        time.sleep(5 if poll else 0.2)
        if poll:
            samples.append((time.time(), poll()))
    reports = []
    for process, out in processes:
        if process.wait() != 0:
            # A failed writer is part of the result (mlflow's server has answered 500 to a run's
            # creation under this load); the round goes on with the others.
            tail = Path(f"{out}.log").read_text(errors="replace")[-600:]
            print(f"{script} failed ({process.returncode}): {tail}", file=sys.stderr)
            reports.append({"failed": process.returncode, "error": tail})
            continue
        reports.append(json.loads(Path(f"{out}.json").read_text().splitlines()[-1]))
    return reports, time.perf_counter() - started, samples


def refused_batches(scratch: Path) -> dict[str, int]:
    """mlflow: the log-batch requests its server answered with an error, and what the writers made of them.

    Under this load the server's connection pool runs out (SQLite takes one writer at a time) and it answers
    400 "QueuePool limit ... reached"; MLflow's async logger logs the error and drops that batch.
    """
    log = (scratch / "mlflow" / "server.log").read_text(errors="replace")
    writers = [p.read_text(errors="replace") for p in scratch.glob("writer-*.log")]
    return {
        "ok": log.count('/runs/log-batch HTTP/1.1" 200'),
        "refused": sum(
            log.count(f'/runs/log-batch HTTP/1.1" {code}') for code in (400, 500, 503)
        ),
        "dropped_by_writers": sum(w.count("Failed to log run data") for w in writers),
    }


def count_rows(
    name: str, scratch: Path, store_url: str | None, s3, server, reports: list[dict]
) -> int:
    """How many step rows (10 values each) reached the contender's destination."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    if name == "spyglass-s3":
        client = s3.client("admin")
        bucket, prefix = store_url[len("s3://") :].split("/", 1)
        pages = client.get_paginator("list_objects_v2").paginate(
            Bucket=bucket, Prefix=f"{prefix}/writers/"
        )
        keys = [
            item["Key"]
            for page in pages
            for item in page.get("Contents", [])
            if item["Key"].endswith("/history.parquet")
        ]
        bodies = (client.get_object(Bucket=bucket, Key=k)["Body"].read() for k in keys)
        return sum(pq.ParquetFile(pa.BufferReader(b)).metadata.num_rows for b in bodies)
    if name == "spyglass-local":
        return sum(
            pq.ParquetFile(p).metadata.num_rows
            for p in (scratch / "store").glob("writers/*/history.parquet")
        )
    if name == "mlflow":
        with sqlite3.connect(server.database) as db:
            return db.execute("SELECT COUNT(*) FROM metrics").fetchone()[0] / 10
    return sum(r["stored_rows"] for r in reports)  # wandb: read back by each writer


if __name__ == "__main__":
    sys.exit(main())
