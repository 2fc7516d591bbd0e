"""One writer of writers.py: wandb offline (its files stay on this machine; nothing reaches a shared server).

Runs with .venv-bench's python (bench/requirements.txt). The total runs to the end of finish().
"""

import os
import time

os.environ["WANDB_MODE"] = "offline"
os.environ["WANDB_SILENT"] = "true"

import common  # noqa: F401  (puts bench/log_overhead on sys.path)
import wandb
from workload import parse_args, report, time_loop

args = parse_args()
run = wandb.init(project="writers", dir=args.out, mode="offline")
start, loop_end = time_loop(run.log, args)
run.finish()
report("wandb offline", args.steps, time.perf_counter() - start, loop_end - start)
