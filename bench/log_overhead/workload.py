"""The workload every contender times: STEPS calls of log() with a dict of 10 floats."""

from __future__ import annotations

import argparse
import json
import time

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
