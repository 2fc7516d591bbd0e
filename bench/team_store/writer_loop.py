"""The loop every writer of writers.py runs: STEPS log() calls of a 10-float dict, each call timed on its own.

The rows are built before the loop (bench/log_overhead/workload.py), so a call's time is the logging call
alone. With --cap-seconds the loop stops at that many seconds after the first call (for a contender that
cannot take the whole load in reasonable time); the report says how many steps were logged.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from array import array
from collections.abc import Callable

import common  # noqa: F401  (puts bench/log_overhead on sys.path)
from workload import prebuilt_rows


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=100_000)
    parser.add_argument(
        "--out", required=True, help="a fresh directory for this writer"
    )
    parser.add_argument(
        "--cap-seconds",
        type=float,
        default=0.0,
        help="stop logging (and waiting) this long after the first log(); 0: no cap",
    )
    return parser.parse_args()


class TimedLoop:
    """Runs the loop; keeps each call's duration and the wall clock at the first call."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.rows = prebuilt_rows(args.steps)
        self.durations = array("q", bytes(8 * args.steps))  # ns per call
        self.steps = 0
        self.started_at = (
            0.0  # time.time() at the first call (compared across processes)
        )
        self.start = 0.0  # perf_counter at the first call
        self.loop_end = 0.0

    def run(self, log: Callable[..., object], pass_step: bool = False) -> None:
        clock, durations, rows = time.perf_counter_ns, self.durations, self.rows
        cap = self.args.cap_seconds
        deadline = time.perf_counter() + cap if cap else float("inf")
        self.started_at, self.start = time.time(), time.perf_counter()
        step = -1
        # Two copies of the loop so that neither pays a branch for the other's call shape.
        if pass_step:
            for step, row in enumerate(rows):
                t0 = clock()
                log(row, step)
                durations[step] = clock() - t0
                if step & 1023 == 1023 and time.perf_counter() > deadline:
                    break
        else:
            for step, row in enumerate(rows):
                t0 = clock()
                log(row)
                durations[step] = clock() - t0
                if step & 1023 == 1023 and time.perf_counter() > deadline:
                    break
        self.loop_end = time.perf_counter()
        self.steps = step + 1

    def deadline(self) -> float:
        """perf_counter at which a capped writer stops waiting (inf without a cap)."""
        cap = self.args.cap_seconds
        return self.start + cap if cap else float("inf")

    def report(self, contender: str, done: float | None, **extra: object) -> None:
        """One JSON line on stdout; `done` is perf_counter when everything was durable (None: cap reached)."""
        calls = sorted(self.durations[: self.steps])
        print(
            json.dumps(
                {
                    "contender": contender,
                    "steps": self.steps,
                    "median_us": statistics.median(calls) / 1e3 if calls else None,
                    "p99_us": calls[int(0.99 * (len(calls) - 1))] / 1e3
                    if calls
                    else None,
                    "mean_us": (self.loop_end - self.start) / max(self.steps, 1) * 1e6,
                    "loop_s": self.loop_end - self.start,
                    "done_s": None if done is None else done - self.start,
                    "started_at": self.started_at,
                    **extra,
                }
            ),
            flush=True,
        )
