"""@sg.op per-call overhead on a trivial function against mlflow.trace and OpenTelemetry SDK spans, side by side.

    .venv/bin/python bench/op_overhead/run.py [--calls 20000] [--rounds 3] \\
        [--bench-python .venv-bench-mlflow/bin/python] [--mlflow-calls 300]

Each contender runs in its own process (spyglass with the main venv, the others with the bench venv of
requirements.txt); the rounds interleave them so they share the machine's load. A contender's figure is its
median over rounds of (traced loop + making the calls stored) / calls - the plain function's per-call time in
the same process: spyglass flush() (rows in the framed log, fsynced), OpenTelemetry's in-memory exporter
(spans exported synchronously by SimpleSpanProcessor), mlflow's async trace logging flushed to SQLite.
The same in the process's CPU time (all its threads) is printed next to it, and the load average before and
after: on a shared machine the wall figure grows with the load, the CPU figure much less.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--calls", type=int, default=20_000)
    parser.add_argument(
        "--mlflow-calls",
        type=int,
        default=300,
        help="mlflow is far slower: fewer calls",
    )
    parser.add_argument(
        "--repeats", type=int, default=5, help="repeats inside each process"
    )
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument(
        "--bench-python", default=str(REPO / ".venv-bench-mlflow" / "bin" / "python")
    )
    args = parser.parse_args()
    contenders = [
        ("spyglass", args.python, ["contender_spyglass.py", args.calls]),
        (
            "otel-bare",
            args.bench_python,
            ["contender_otel.py", args.calls, None, "bare"],
        ),
        ("otel-io", args.bench_python, ["contender_otel.py", args.calls, None, "io"]),
        ("mlflow", args.bench_python, ["contender_mlflow.py", args.mlflow_calls]),
    ]
    if not Path(args.bench_python).exists():
        print(
            f"no bench python at {args.bench_python}: spyglass alone (see requirements.txt)"
        )
        contenders = contenders[:1]
    results: dict[str, list[dict]] = {}
    load_before = os.getloadavg()
    for round_index in range(args.rounds):
        for key, python, (script, calls, *rest) in contenders:
            extra = [str(value) for value in rest if value is not None]
            command = [
                python,
                str(HERE / script),
                str(calls),
                str(args.repeats),
                *extra,
            ]
            done = subprocess.run(
                command, capture_output=True, text=True, cwd=REPO, check=False
            )
            if done.returncode != 0:
                print(f"{key} failed:\n{done.stderr[-2000:]}", file=sys.stderr)
                return 1
            results.setdefault(key, []).append(
                json.loads(done.stdout.strip().splitlines()[-1])
            )
        print(f"round {round_index + 1}/{args.rounds} done", file=sys.stderr)
    summary = {key: _summarise(rows) for key, rows in results.items()}
    reference = summary["spyglass"]
    print(
        f"load average (1 min) {load_before[0]:.1f} before, {os.getloadavg()[0]:.1f} after,"
        f" on {os.cpu_count()} cores; medians of {args.rounds} rounds × {args.repeats} repeats"
    )
    print(
        f"{'contender':36} {'overhead µs/call':>17} {'× spyglass':>10} {'CPU µs/call':>12} {'× spyglass':>10}"
        f" {'loop only':>10} {'plain':>6}"
    )
    for row in summary.values():
        ratio = (
            row["overhead_us"] / reference["overhead_us"]
            if reference["overhead_us"] > 0
            else float("nan")
        )
        cpu_ratio = (
            row["cpu_us"] / reference["cpu_us"]
            if reference["cpu_us"] > 0
            else float("nan")
        )
        print(
            f"{row['name']:36} {row['overhead_us']:17.2f} {ratio:10.1f} {row['cpu_us']:12.2f} {cpu_ratio:10.1f}"
            f" {row['loop_us']:10.2f} {row['plain_us']:6.2f}"
        )
    fastest = min(summary.values(), key=lambda row: row["overhead_us"])
    met = "met" if reference["overhead_us"] <= 10 else "not met"
    print(f"fastest: {fastest['name']}; spyglass target ≤ 10 µs (wall): {met}")
    return 0


def _summarise(rows: list[dict]) -> dict:
    return {
        "name": rows[0]["name"],
        "plain_us": statistics.median(row["plain_us"] for row in rows),
        "loop_us": statistics.median(row["loop_us"] - row["plain_us"] for row in rows),
        "overhead_us": statistics.median(
            row["total_us"] - row["plain_us"] for row in rows
        ),
        "cpu_us": statistics.median(
            row["cpu_total_us"] - row["cpu_plain_us"] for row in rows
        ),
    }


if __name__ == "__main__":
    raise SystemExit(main())
