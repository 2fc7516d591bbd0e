"""Times log() of a 10-float dict over 100k steps for each contender, each in its own process, side by side.

    .venv/bin/python bench/log_overhead/run.py [--steps 100000] [--repeats 3] [--bench-python .venv-bench/bin/python]

spyglass and the pyarrow baseline run with the main venv's python; wandb and tensorboardX with the bench venv's
(see bench/requirements.txt). Prints the median µs per call (the loop plus what makes the rows stored: spyglass's
flush() until every row is fsynced in the framed log, the others' finish()/close()), the loop alone, and ratios
vs spyglass. spyglass's finish() (which adds the Parquet export) is reported apart.
"""

from __future__ import annotations

import argparse
import json
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
    parser.add_argument("--steps", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--python", default=sys.executable, help="python with spyglass and pyarrow"
    )
    parser.add_argument(
        "--bench-python", default=str(REPO / ".venv-bench" / "bin" / "python")
    )
    parser.add_argument(
        "--only",
        nargs="*",
        help="contender script names (spyglass pyarrow wandb tensorboardx)",
    )
    parser.add_argument(
        "--build-in-loop",
        action="store_true",
        help="build each dict inside the timed loop",
    )
    args = parser.parse_args()

    contenders = {
        "spyglass": args.python,
        "pyarrow": args.python,
        "wandb": args.bench_python,
        "tensorboardx": args.bench_python,
    }
    chosen = {}
    for name, python in contenders.items():
        if args.only and name not in args.only:
            continue
        if not Path(python).exists():
            print(
                f"skipping {name}: {python} not found (see bench/requirements.txt)",
                file=sys.stderr,
            )
            continue
        chosen[name] = python
    runs: dict[str, list[dict]] = {name: [] for name in chosen}
    # Rounds interleave the contenders, so load from elsewhere on the machine hits them alike.
    for _ in range(args.repeats):
        for name, python in chosen.items():
            result = run_once(name, python, args.steps, args.build_in_loop)
            if result is not None:
                runs[name].append(result)
    results: dict[str, dict[str, float]] = {}
    for name, done in runs.items():
        if done:
            results[name] = {
                "label": done[0]["contender"],
                "us": statistics.median(r["us_per_call"] for r in done),
                "loop_us": statistics.median(r["loop_us_per_call"] for r in done),
                "finish_us": statistics.median(r["finish_us_per_call"] for r in done),
            }

    mode = (
        "dicts built inside the timed loop"
        if args.build_in_loop
        else "dicts built before timing"
    )
    print(
        f"log() of a 10-float dict, {args.steps} steps, median of {args.repeats} runs ({mode})"
    )
    print(
        f"{'contender':18} {'µs/call':>9} {'loop only':>10} {'vs spyglass':>12}  notes"
    )
    reference = results.get("spyglass", {}).get("us")
    for result in results.values():
        ratio = f"{result['us'] / reference:.2f}x" if reference else "-"
        note = (
            f"finish() adds {result['finish_us']:.2f} µs/call (Parquet export)"
            if result["finish_us"]
            else ""
        )
        print(
            f"{result['label']:18} {result['us']:9.2f} {result['loop_us']:10.2f} {ratio:>12}  {note}"
        )
    return 0


def run_once(name: str, python: str, steps: int, build_in_loop: bool) -> dict | None:
    """Run one contender in a fresh process; return its JSON report (None if it failed)."""
    with tempfile.TemporaryDirectory() as out:
        script = str(HERE / f"contender_{name}.py")
        command = [python, script, "--steps", str(steps), "--out", out]
        if build_in_loop:
            command.append("--build-in-loop")
        done = subprocess.run(
            command, check=False, capture_output=True, text=True, cwd=HERE, timeout=1800
        )
        if done.returncode != 0:
            print(f"{name} failed:\n{done.stderr}", file=sys.stderr)
            return None
        return json.loads(done.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    sys.exit(main())
