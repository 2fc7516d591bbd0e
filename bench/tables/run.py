"""Times turning a 1M-row x 10-column pandas DataFrame into a stored table, per contender, side by side.

    .venv/bin/python bench/tables/run.py [--rows 1000000] [--repeats 3] [--bench-python .venv-bench/bin/python]

Contenders, each in its own process (the DataFrame is built before the clock starts):
  spyglass   sg.Table(dataframe=df) + run.log({"table": t})  (Parquet, zstd, fsynced, content-addressed)
  pyarrow    pa.Table.from_pandas(df) + pq.write_table (pyarrow's default snappy, and zstd as spyglass writes)
  wandb      wandb.Table(dataframe=df) + run.log (offline), with the bench venv's python (bench/requirements.txt)
Prints median seconds and the ratios to the pyarrow baselines (issue 5's target: spyglass <= 1.5x).
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
REPO = HERE.parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--wandb-repeats",
        type=int,
        default=1,
        help="wandb's per-cell conversion is slow",
    )
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument(
        "--bench-python", default=str(REPO / ".venv-bench" / "bin" / "python")
    )
    args = parser.parse_args()

    contenders = [
        ("spyglass", "contender_spyglass.py", args.python, {}),
        (
            "pyarrow",
            "contender_pyarrow.py",
            args.python,
            {"BENCH_COMPRESSION": "snappy"},
        ),
        (
            "pyarrow-zstd",
            "contender_pyarrow.py",
            args.python,
            {"BENCH_COMPRESSION": "zstd"},
        ),
    ]
    runs: dict[str, list[dict]] = {name: [] for name, *_ in contenders}
    for _ in range(
        args.repeats
    ):  # rounds interleave the contenders, so load elsewhere hits them alike
        for name, script, python, env in contenders:
            runs[name].append(run_once(script, python, args.rows, env))
    if not args.wandb_repeats:
        pass
    elif Path(args.bench_python).exists():
        runs["wandb"] = [
            run_once("contender_wandb.py", args.bench_python, args.rows, {})
            for _ in range(args.wandb_repeats)
        ]
    else:
        print(
            f"skipping wandb: {args.bench_python} not found (see bench/requirements.txt)",
            file=sys.stderr,
        )

    medians = {
        n: statistics.median(r["seconds"] for r in d) for n, d in runs.items() if d
    }
    cpu = {n: statistics.median(r["cpu_s"] for r in d) for n, d in runs.items() if d}
    print(
        f"\n{args.rows:,} rows x 10 columns, median of {args.repeats} (wandb: {args.wandb_repeats})"
    )
    for name, done in runs.items():
        detail = {
            key: round(value, 3) if isinstance(value, float) else value
            for key, value in done[0].items()
            if key not in ("contender", "seconds", "cpu_s")
        }
        label = done[0]["contender"]
        print(
            f"  {label:<46} {medians[name]:8.3f} s  cpu {cpu[name]:8.3f} s  {json.dumps(detail)}"
        )
    print("\n  ratio                         wall      cpu")
    for label, top, bottom in (
        ("spyglass / pyarrow (snappy)", "spyglass", "pyarrow"),
        ("spyglass / pyarrow (zstd)", "spyglass", "pyarrow-zstd"),
        ("wandb / spyglass", "wandb", "spyglass"),
    ):
        if top in medians and bottom in medians:
            wall, cpu_ratio = medians[top] / medians[bottom], cpu[top] / cpu[bottom]
            target = "   (target <= 1.5x)" if bottom == "pyarrow" else ""
            print(f"  {label:<28} {wall:7.2f}x {cpu_ratio:7.2f}x{target}")
    return 0


def run_once(script: str, python: str, rows: int, env: dict[str, str]) -> dict:
    with tempfile.TemporaryDirectory(prefix="sg-bench-tables-") as out:
        result = subprocess.run(
            [python, str(HERE / script), "--rows", str(rows), "--out", out],
            capture_output=True,
            text=True,
            cwd=HERE,
            env={**os.environ, **env, "PYTHONPATH": str(HERE)},
            timeout=1800,
            check=False,
        )
    if result.returncode != 0:
        raise SystemExit(f"{script} failed:\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    raise SystemExit(main())
