"""The DataFrame every contender converts: N rows x 10 columns (floats, ints, short strings, a bool), seeded."""

from __future__ import annotations

import argparse
import json
import time

import numpy as np
import pandas as pd


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument(
        "--out", required=True, help="a fresh directory for this contender's files"
    )
    return parser.parse_args()


def build_frame(rows: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    labels = np.array(["cat", "dog", "bird", "fish", "horse"], dtype=object)
    return pd.DataFrame(
        {
            "id": np.arange(rows, dtype=np.int64),
            "epoch": rng.integers(0, 100, rows),
            "label": rng.integers(0, 5, rows),
            "score": rng.random(rows),
            "loss": rng.exponential(1.0, rows),
            "x": rng.normal(size=rows),
            "y": rng.normal(size=rows),
            "truth": labels[rng.integers(0, 5, rows)],
            "guess": labels[rng.integers(0, 5, rows)],
            "correct": rng.random(rows) > 0.5,
        }
    )


def report(contender: str, seconds: float, cpu_seconds: float, **extra: object) -> None:
    print(
        json.dumps(
            {"contender": contender, "seconds": seconds, "cpu_s": cpu_seconds, **extra}
        )
    )


now = time.perf_counter
cpu = (
    time.process_time
)  # CPU of every thread of the process: steadier than wall time on a busy machine
