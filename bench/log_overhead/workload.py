"""The workload every contender times: STEPS calls of log() with a dict of 10 floats."""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable

METRICS = [f"metric_{i}" for i in range(10)]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=100_000)
    parser.add_argument(
        "--out", required=True, help="a fresh directory for this contender's files"
    )
    parser.add_argument(
        "--build-in-loop",
        action="store_true",
        help="build each dict inside the timed loop (as training code does)",
    )
    return parser.parse_args()


def prebuilt_rows(steps: int) -> list[dict[str, float]]:
    return [
        {name: step * 0.001 + i for i, name in enumerate(METRICS)}
        for step in range(steps)
    ]


def time_loop(
    log: Callable[..., object], args: argparse.Namespace, pass_step: bool = False
) -> tuple[float, float]:
    """Calls log() once per step (with the step too when pass_step); returns perf_counter at start and loop end."""
    if args.build_in_loop:
        m0, m1, m2, m3, m4, m5, m6, m7, m8, m9 = METRICS
        start = time.perf_counter()
        for step in range(args.steps):
            x = step * 0.001
            row = {
                m0: x,
                m1: x + 1,
                m2: x + 2,
                m3: x + 3,
                m4: x + 4,
                m5: x + 5,
                m6: x + 6,
                m7: x + 7,
                m8: x + 8,
                m9: x + 9,
            }
            if pass_step:
                log(row, step)
            else:
                log(row)
        return start, time.perf_counter()
    rows = prebuilt_rows(args.steps)
    start = time.perf_counter()
    if pass_step:
        for step, row in enumerate(rows):
            log(row, step)
    else:
        for row in rows:
            log(row)
    return start, time.perf_counter()


def report(
    name: str,
    steps: int,
    seconds: float,
    loop_seconds: float,
    finish_seconds: float = 0.0,
) -> None:
    """One JSON line on stdout: µs per call including the final close, for the loop alone, and extra finish."""
    print(
        json.dumps(
            {
                "contender": name,
                "us_per_call": seconds / steps * 1e6,
                "loop_us_per_call": loop_seconds / steps * 1e6,
                "finish_us_per_call": finish_seconds / steps * 1e6,
                "at": time.time(),
            }
        )
    )
