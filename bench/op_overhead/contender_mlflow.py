"""@mlflow.trace on the trivial function, tracking to a local SQLite store; finish = flush async trace logging."""

import logging
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import mlflow
from workload import add, measure

logging.getLogger("mlflow").setLevel(logging.ERROR)

with tempfile.TemporaryDirectory() as store:
    mlflow.set_tracking_uri(f"sqlite:///{os.path.join(store, 'mlflow.db')}")
    # With a SQLite store, trace artifacts default to ./mlruns in the working directory: keep them in the store.
    mlflow.create_experiment(
        "bench", artifact_location=Path(store, "artifacts").as_uri()
    )
    mlflow.set_experiment("bench")

    def finish() -> None:
        flush = getattr(mlflow, "flush_trace_async_logging", None)
        if flush is not None:
            flush()

    measure("mlflow.trace", mlflow.trace(add), finish)
