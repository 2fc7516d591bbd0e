"""One writer of writers.py: MLflow to a self-hosted `mlflow server` ($MLFLOW_TRACKING_URI, SQLite backend).

MLflow's fastest way to log a metric dict per step: `log_metrics(row, step=step, synchronous=False)` with
async batching (MLFLOW_ASYNC_LOGGING_BUFFERING_SECONDS=1 merges the queued calls into batches of up to
1,000 values sent by a thread pool; without it every call is one HTTP request). Done is when
flush_async_logging() and end_run() return, so every value is in the server's database.

The server takes values far slower than the writers queue them, so writers.py gives this writer a cap:
at --cap-seconds after the first log() it reports and exits without waiting for its queue (done: None);
writers.py then counts what reached the database and reports the sustained rate. Runs with
.venv-bench-mlflow's python (requirements-mlflow.txt).
"""

import os
import threading
import time

os.environ.setdefault("MLFLOW_ASYNC_LOGGING_BUFFERING_SECONDS", "1")

import mlflow
from writer_loop import TimedLoop, parse_args

loop = TimedLoop(parse_args())
mlflow.start_run(experiment_id="0", run_name=f"writer-{os.getpid()}")


def log(row: dict[str, float], step: int) -> None:
    mlflow.log_metrics(row, step=step, synchronous=False)


def drain() -> None:
    mlflow.flush_async_logging()
    mlflow.end_run()


loop.run(log, pass_step=True)
drainer = threading.Thread(target=drain, daemon=True)
drainer.start()
drainer.join(max(0.0, loop.deadline() - time.perf_counter()))
flushed = not drainer.is_alive()
loop.report("mlflow server", time.perf_counter() if flushed else None)
# Capped: leave now; the values still queued in this process are not delivered (and not counted).
os._exit(0)
