"""What the team-store benchmarks share: the repo's paths, the test S3 server and Jupyter server, statistics.

The S3 server is the one the tests use (kernel-bridge/tests/s3_server.py: SeaweedFS `weed mini`, built by
scripts/setup-s3.sh, with a writer and a read-only viewer identity), and the Jupyter server is the HTTP tests'
harness (kernel-bridge/tests/server_harness.py); both are imported from there, not copied.
"""

from __future__ import annotations

import math
import os
import statistics
import sys
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
TESTS = REPO / "kernel-bridge" / "tests"
LOG_OVERHEAD = REPO / "bench" / "log_overhead"
BENCH_PYTHON = REPO / ".venv-bench" / "bin" / "python"  # wandb (bench/requirements.txt)
MLFLOW_PYTHON = (
    REPO / ".venv-bench-mlflow" / "bin" / "python"
)  # mlflow (bench/team_store/requirements-mlflow.txt)
WORK = Path(os.environ.get("SG_TEAM_BENCH_DIR", "/tmp/sg-team-bench"))

for path in (TESTS, LOG_OVERHEAD):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from s3_server import S3Server
from server_harness import free_port, http, jupyter_server

__all__ = [
    "S3Server",
    "fmt_ms",
    "fmt_s",
    "free_port",
    "http",
    "jupyter_server",
    "median",
    "quantile",
]


def quantile(values: Sequence[float], q: float) -> float:
    """The q-quantile by nearest rank (NaN for no values)."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))]


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else math.nan


def fmt_s(seconds: float) -> str:
    return "n/a" if math.isnan(seconds) else f"{seconds:.2f} s"


def fmt_ms(seconds: float) -> str:
    return "n/a" if math.isnan(seconds) else f"{seconds * 1000:.0f} ms"


def start_s3(workdir: Path) -> S3Server:
    """A started test S3 server whose data stays in `workdir` (a bucket made once survives a restart)."""
    workdir.mkdir(parents=True, exist_ok=True)
    server = S3Server(workdir)
    server.start()
    return server
