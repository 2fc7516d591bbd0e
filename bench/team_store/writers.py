"""N writer processes × STEPS steps × 10 metrics at once, into a team store and into its alternatives, side by side.

    .venv/bin/python bench/team_store/writers.py [--writers 8] [--steps 100000] [--repeats 1]
                                                 [--only spyglass-s3 spyglass-local mlflow wandb]

Contenders (each round starts all N processes together and waits for the last):
  spyglass-s3     SPYGLASS_DIR=s3://… on the test S3 server (SeaweedFS, kernel-bridge/tests/s3_server.py), one
                  local spool for the N processes (one machine); done when finish() has shipped everything
  spyglass-local  the same into a local directory (what log() costs without a bucket)
  mlflow          a self-hosted `mlflow server` with a SQLite backend, log_metrics(synchronous=False) with async
                  batching (.venv-bench-mlflow); done when every value is in the server's database
  wandb           wandb offline (.venv-bench); done when finish() returns (offline: nothing leaves the machine)
Prints, per contender, the median log() µs/call over all writers (the timed loop alone), the median time from
the first log() to done, the wall time from launching the N processes to the last exit, the rows found where
they should be, and each ratio against spyglass-s3.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import BENCH_PYTHON, HERE, MLFLOW_PYTHON, WORK, median, start_s3
from mlflow_server import MlflowServer

CONTENDERS = ("spyglass-s3", "spyglass-local", "mlflow", "wandb")
SCRIPTS = {
    "spyglass-s3": "writer_spyglass.py",
    "spyglass-local": "writer_spyglass.py",
    "mlflow": "writer_mlflow.py",
    "wandb": "writer_wandb.py",
}


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--steps", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--only", nargs="*", choices=CONTENDERS)
    args = parser.parse_args()
    chosen = [name for name in CONTENDERS if not args.only or name in args.only]
    pythons = {"mlflow": MLFLOW_PYTHON, "wandb": BENCH_PYTHON}
    for name, python in pythons.items():
        if name in chosen and not python.exists():
            print(f"skipping {name}: {python} not found (see {'requirements-mlflow.txt' if name == 'mlflow' else 'bench/requirements.txt'})", file=sys.stderr)  # fmt: skip
            chosen.remove(name)
    WORK.mkdir(parents=True, exist_ok=True)
    s3 = start_s3(WORK / "s3-writers") if "spyglass-s3" in chosen else None
    results: dict[str, list[dict]] = {name: [] for name in chosen}
    try:
        # Rounds interleave the contenders, so load from elsewhere on the machine hits them alike.
        for _ in range(args.repeats):
            for name in chosen:
                with tempfile.TemporaryDirectory(dir=WORK) as scratch:
                    results[name].append(run_round(name, Path(scratch), args, s3))
                # Each round as it ends: a long run cut short still tells what it measured.
                print(json.dumps({"contender": name, **results[name][-1]}), flush=True)
    finally:
        if s3 is not None:
            s3.stop()
    print_table(results, args)
    return 0


def run_round(name: str, scratch: Path, args: argparse.Namespace, s3) -> dict:
    """Launch the N writers of one contender at once; their reports, the wall time and the rows stored."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SPYGLASS_", "MLFLOW_", "WANDB_"))
    }
    env["SG_CONTENDER"] = name
    python = sys.executable
    server = None
    store_url = None
    if name == "spyglass-s3":
        bucket = s3.create_bucket("writers")
        store_url = f"s3://{bucket}/team"
        env = s3.process_env("writer", env)
        env.update(SPYGLASS_DIR=store_url, SPYGLASS_CACHE_DIR=str(scratch / "spool"))
    elif name == "spyglass-local":
        env["SPYGLASS_DIR"] = str(scratch / "store")
    elif name == "mlflow":
        python = str(MLFLOW_PYTHON)
        server = MlflowServer(scratch / "mlflow", MLFLOW_PYTHON)
        server.start()
        env["MLFLOW_TRACKING_URI"] = server.url
    else:
        python = str(BENCH_PYTHON)
    try:
        reports, wall = launch(python, SCRIPTS[name], args, scratch, env)
        stored = count_rows(name, scratch, store_url, s3, server)
    finally:
        if server is not None:
            server.stop()
    return {"reports": reports, "wall": wall, "stored": stored}


def launch(
    python: str, script: str, args: argparse.Namespace, scratch: Path, env: dict
) -> tuple[list[dict], float]:
    processes = []
    started = time.perf_counter()
    for index in range(args.writers):
        out = scratch / f"writer-{index}"
        out.mkdir()
        log = (scratch / f"writer-{index}.log").open("wb")
        command = [
            python,
            str(HERE / script),
            "--steps",
            str(args.steps),
            "--out",
            str(out),
        ]
        processes.append(
            (
                subprocess.Popen(
                    command, cwd=HERE, env=env, stdout=subprocess.PIPE, stderr=log
                ),
                log,
            )
        )
    reports = []
    for process, log in processes:
        stdout, _ = process.communicate(timeout=7200)
        log.close()
        if process.returncode != 0:
            raise RuntimeError(
                f"{script} failed ({process.returncode}):\n{Path(log.name).read_text()[-3000:]}"
            )
        reports.append(json.loads(stdout.decode().strip().splitlines()[-1]))
    return reports, time.perf_counter() - started


def count_rows(
    name: str, scratch: Path, store_url: str | None, s3, server
) -> int | None:
    """How many step rows reached the contender's destination (None where that is not checked)."""
    if name == "spyglass-s3":
        import pyarrow.parquet as pq

        client = s3.client("admin")
        bucket, prefix = store_url[len("s3://") :].split("/", 1)
        total = 0
        pages = client.get_paginator("list_objects_v2").paginate(
            Bucket=bucket, Prefix=f"{prefix}/writers/"
        )
        for page in pages:
            for item in page.get("Contents", []):
                if item["Key"].endswith("/history.parquet"):
                    body = client.get_object(Bucket=bucket, Key=item["Key"])[
                        "Body"
                    ].read()
                    total += pq.ParquetFile(pa_buffer(body)).metadata.num_rows
        return total
    if name == "spyglass-local":
        import pyarrow.parquet as pq

        return sum(
            pq.ParquetFile(p).metadata.num_rows
            for p in (scratch / "store").glob("writers/*/history.parquet")
        )
    if name == "mlflow":
        with sqlite3.connect(server.database) as db:
            return db.execute("SELECT COUNT(*) FROM metrics").fetchone()[0] // 10
    return None


def pa_buffer(body: bytes):
    import pyarrow as pa

    return pa.BufferReader(body)


def print_table(results: dict[str, list[dict]], args: argparse.Namespace) -> None:
    print(f"\n{args.writers} writer processes × {args.steps:,} steps × 10 metrics, at once; median of {args.repeats} round(s)")  # fmt: skip
    print(f"{'contender':16} {'log() µs/call':>14} {'to done':>9} {'wall':>9} {'rows stored':>13} {'µs ratio':>9} {'wall ratio':>11}")  # fmt: skip
    rows = {}
    for name, rounds in results.items():
        if not rounds:
            continue
        reports = [r for one in rounds for r in one["reports"]]
        rows[name] = {
            "us": median([r["loop_us_per_call"] for r in reports]),
            "done": median([r["us_per_call"] * args.steps / 1e6 for r in reports]),
            "wall": median([one["wall"] for one in rounds]),
            "stored": rounds[-1]["stored"],
        }
    reference = rows.get("spyglass-s3")
    for name, row in rows.items():
        us_ratio = f"{row['us'] / reference['us']:.1f}x" if reference else "-"
        wall_ratio = f"{row['wall'] / reference['wall']:.1f}x" if reference else "-"
        stored = "-" if row["stored"] is None else f"{row['stored']:,}"
        print(f"{name:16} {row['us']:14.2f} {row['done']:8.1f}s {row['wall']:8.1f}s {stored:>13} {us_ratio:>9} {wall_ratio:>11}")  # fmt: skip
    print(
        "ratios: the contender / spyglass-s3 (higher = slower than spyglass into the bucket)"
    )


if __name__ == "__main__":
    sys.exit(main())
