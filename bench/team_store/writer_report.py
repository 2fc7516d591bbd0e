"""The summary table of writers.py: one row per contender, medians over rounds, ratios against spyglass-s3.

For a capped contender (mlflow) the time to durable end and the wall time are extrapolated: the time
measured up to the cap plus the values still missing at the rate of the cap's second half (from the polls
of its database); they are marked `~`.
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path

from common import median


def summarize(rounds: list[dict], expected_rows: int) -> dict:
    failed = sum(1 for one in rounds for r in one["reports"] if "failed" in r)
    # Only the writers that ran to their report; a failed one counts in `failed` and in the rows missing.
    rounds = [
        {**one, "reports": [r for r in one["reports"] if "failed" not in r]}
        for one in rounds
    ]
    rounds = [one for one in rounds if one["reports"]]
    if not rounds:
        return {"failed": failed}
    reports = [r for one in rounds for r in one["reports"]]
    ends, rates, extrapolated, walls = [], [], [], []
    for one in rounds:
        first = min(r["started_at"] for r in one["reports"])
        finished = all(r["done_s"] is not None for r in one["reports"])
        last = max(r["started_at"] + (r["done_s"] or 0) for r in one["reports"]) - first
        if finished and one["stored"] >= expected_rows:
            ends.append(last)
            walls.append(one["wall"])
            continue
        # Capped: measured up to the cap, the rest of the load at the rate of the window's second half
        # (mlflow, polled) or at the rate up to the last durable end (a writer that finished what it logged).
        elapsed = last if finished else one["counted_at"] - first
        steady = one["stored"] / elapsed if finished else steady_rate(one, first)
        rates.append((one["stored"] / elapsed * 10, steady * 10))
        missing = expected_rows - one["stored"]
        end = elapsed + (missing / steady if steady else math.inf)
        extrapolated.append(end)
        walls.append(first - one["launched_at"] + end)
    return {
        "us": median([r["median_us"] for r in reports if r["median_us"] is not None]),
        "p99": median([r["p99_us"] for r in reports if r["p99_us"] is not None]),
        "mean": median([r["mean_us"] for r in reports]),
        "steps": median([r["steps"] for r in reports]),
        "end": median(ends or extrapolated),
        "wall": median(walls),
        "extrapolated": not ends,
        "values_per_s": [median([r[i] for r in rates]) for i in (0, 1)]
        if rates
        else None,
        "stored": rounds[-1]["stored"],
        "load": median([x for one in rounds for x in one["load"]]),
        "failed": failed,
    }


def steady_rate(one: dict, first: float) -> float:
    """Rows/s over the second half of the capped window (the first values arrive late), from the polls."""
    points = [*one["samples"], (one["counted_at"], one["stored"])]
    middle = first + (one["counted_at"] - first) / 2
    later = [p for p in points if p[0] >= middle]
    if len(later) < 2 or later[-1][1] <= later[0][1]:
        return one["stored"] / (one["counted_at"] - first)
    return (later[-1][1] - later[0][1]) / (later[-1][0] - later[0][0])


def print_table(results: dict[str, list[dict]], args: argparse.Namespace) -> None:
    expected = args.writers * args.steps
    print(f"\n{args.writers} writer processes × {args.steps:,} steps × 10 metrics at once; median of {args.repeats} round(s)")  # fmt: skip
    print(f"{'contender':15} {'rows delivered/expected':>24} {'wall':>15} {'log() µs med':>12} {'p99':>7} {'mean':>7} {'durable end':>15} {'µs ratio':>8} {'mean ratio':>10} {'wall ratio':>10} {'end ratio':>9} {'load':>5}")  # fmt: skip
    rows = {
        name: summarize(rounds, expected) for name, rounds in results.items() if rounds
    }
    ref = rows.get("spyglass-s3")
    for name, row in rows.items():
        if row["failed"]:
            print(f"  {name}: {row['failed']} writer process(es) failed (their rows are missing)")  # fmt: skip
        if "us" not in row:
            continue
        mark = "~" if row["extrapolated"] else ""
        wall = f"{mark}{row['wall']:.1f}s"
        end = f"{mark}{row['end']:.1f}s"
        ratios = [
            f"{mark}{row[k] / ref[k]:.1f}x" if ref else "-"
            for k in ("us", "mean", "wall", "end")
        ]
        ratios[:2] = [
            r.lstrip("~") for r in ratios[:2]
        ]  # log() is measured, even capped
        delivered = f"{row['stored']:,.0f}/{expected:,}"
        print(f"{name:15} {delivered:>24} {wall:>15} {row['us']:12.2f} {row['p99']:7.1f} {row['mean']:7.1f} {end:>15} {ratios[0]:>8} {ratios[1]:>10} {ratios[2]:>10} {ratios[3]:>9} {row['load']:5.1f}")  # fmt: skip
        if row["extrapolated"]:
            average, steady = row["values_per_s"]
            cap = getattr(args, f"{name}_cap_seconds", 0)
            print(f"  {name}: capped at {cap:.0f} s per writer; {row['steps']:,.0f} steps logged per writer (median); delivered {average:,.0f} values/s since the first log(), {steady:,.0f} values/s used for the rest (mlflow: the cap's second half; a writer that finished what it logged: up to its durable end); `~` = measured to the cap + the rest of {expected * 10:,} values at that rate (extrapolated, not measured)")  # fmt: skip
    for name, rounds in results.items():
        refused = [
            one["refused_batches"] for one in rounds if one.get("refused_batches")
        ]
        if refused:
            counts = ", ".join(
                f"{r['ok']} / {r['refused']} / {r['dropped_by_writers']}"
                for r in refused
            )
            print(f"  {name}: log-batch requests answered 200 / refused by its server / batches its writers dropped, per round: {counts}")  # fmt: skip
    print("log() µs: median and p99 of the calls timed one by one, mean = the whole loop's wall time / calls (median over writers)")  # fmt: skip
    print("ratios: the contender / spyglass-s3 (higher = slower than spyglass into the bucket);")  # fmt: skip
    print("durable end: first log() of any writer to the last writer's end (finish()/flush returned); load: 1-min load average at round start/end")  # fmt: skip


if __name__ == "__main__":
    # The table again from writers.py's saved output (its JSON line per round).
    parser = argparse.ArgumentParser(
        description="writers.py's table from its saved output"
    )
    parser.add_argument(
        "output", type=Path, nargs="+", help="one or more saved outputs"
    )
    parser.add_argument("--steps", type=int, default=100_000)
    parser.add_argument("--mlflow-cap-seconds", type=float, default=180.0)
    parser.add_argument("--wandb-cap-seconds", type=float, default=0.0)
    args = parser.parse_args()
    results: dict[str, list[dict]] = {}
    lines = [line for path in args.output for line in path.read_text().splitlines()]
    for line in lines:
        if line.startswith("{"):
            one = json.loads(line)
            results.setdefault(one["contender"], []).append(one)
    args.writers = len(next(iter(results.values()))[0]["reports"])
    args.repeats = max(len(rounds) for rounds in results.values())
    print_table(results, args)
