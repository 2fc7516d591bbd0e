"""One writer of writers.py: MLflow to a self-hosted `mlflow server` ($MLFLOW_TRACKING_URI, SQLite backend).

MLflow's fastest way to log a metric dict per step: `log_metrics(..., synchronous=False)` with async batching
(MLFLOW_ASYNC_LOGGING_BUFFERING_SECONDS=1 merges the queued calls into batches of up to 1,000 values; without
it every call is one HTTP request). The total runs until flush_async_logging() and end_run() return, so every
value is in the server's database. Runs with .venv-bench-mlflow's python (requirements-mlflow.txt).
"""

import os
import time

os.environ.setdefault("MLFLOW_ASYNC_LOGGING_BUFFERING_SECONDS", "1")

import common  # noqa: F401  (puts bench/log_overhead on sys.path)
import mlflow
from workload import parse_args, report, time_loop

args = parse_args()
mlflow.start_run(experiment_id="0", run_name=f"writer-{os.getpid()}")


def log(row: dict[str, float], step: int) -> None:
    mlflow.log_metrics(row, step=step, synchronous=False)


start, loop_end = time_loop(log, args, pass_step=True)
mlflow.flush_async_logging()
mlflow.end_run()
report("mlflow server", args.steps, time.perf_counter() - start, loop_end - start)
