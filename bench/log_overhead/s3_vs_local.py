"""log() into an s3:// store against the same workload into a local store, side by side.

    .venv/bin/python bench/log_overhead/s3_vs_local.py [--steps 100000] [--repeats 5]

Starts the test S3 server (SeaweedFS, kernel-bridge/tests/s3_server.py; scripts/setup-s3.sh builds it) and runs
contender_spyglass.py in a fresh process per round, interleaved: once with --out a local directory, once with
--out s3://<bucket>/bench (its spool under a temporary SPYGLASS_CACHE_DIR). Prints the medians of log() µs/call
(the loop, and the loop plus flush() until every row is durable in the local spool) and of finish() (for the
bucket it also ships the rest, history.parquet and run.json), with the ratios s3/local. The hot path must not
see the network: the ratio of the loop should stay near 1.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1] / "kernel-bridge" / "tests"))

from s3_server import S3Server


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--steps", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="spyglass-bench-s3-") as work:
        server = S3Server(Path(work) / "server")
        server.start()
        try:
            bucket = server.create_bucket("bench")
            results: dict[str, list[dict]] = {"local": [], "s3": []}
            for round_number in range(args.repeats):
                out = Path(work) / f"round-{round_number}"
                results["local"].append(
                    run_once(args.steps, str(out / "local"), dict(os.environ))
                )
                env = {
                    **server.process_env("writer"),
                    "SPYGLASS_CACHE_DIR": str(out / "cache"),
                }
                results["s3"].append(
                    run_once(args.steps, f"s3://{bucket}/bench{round_number}", env)
                )
        finally:
            server.stop()
    medians = {
        name: {field: statistics.median(r[field] for r in runs) for field in ("loop_us_per_call", "us_per_call",
                                                                               "finish_us_per_call")}
        for name, runs in results.items()
    }  # fmt: skip
    print(
        f"log() of a 10-float dict, {args.steps} steps, median of {args.repeats} interleaved runs"
    )
    print(
        f"{'store':8} {'loop µs/call':>13} {'+flush µs/call':>15} {'finish µs/call':>15}"
    )
    for name, row in medians.items():
        print(
            f"{name:8} {row['loop_us_per_call']:13.2f} {row['us_per_call']:15.2f} {row['finish_us_per_call']:15.2f}"
        )
    local, s3 = medians["local"], medians["s3"]
    print(
        f"ratio s3/local: loop {s3['loop_us_per_call'] / local['loop_us_per_call']:.2f}x, "
        f"+flush {s3['us_per_call'] / local['us_per_call']:.2f}x, "
        f"finish {s3['finish_us_per_call'] / local['finish_us_per_call']:.2f}x"
    )
    return 0


def run_once(steps: int, out: str, env: dict[str, str]) -> dict:
    command = [
        sys.executable,
        str(HERE / "contender_spyglass.py"),
        "--steps",
        str(steps),
        "--out",
        out,
    ]
    done = subprocess.run(
        command,
        capture_output=True,
        text=True,
        cwd=HERE,
        env=env,
        timeout=1800,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"contender failed ({out}):\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    sys.exit(main())
