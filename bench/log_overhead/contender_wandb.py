"""wandb in offline mode: run.log() in a loop, then finish()."""

import os
import time

os.environ["WANDB_MODE"] = "offline"
os.environ["WANDB_SILENT"] = "true"

import wandb
from workload import parse_args, report, time_loop

args = parse_args()
run = wandb.init(project="bench", dir=args.out, mode="offline")
log = run.log
start, loop_end = time_loop(log, args)
run.finish()
report("wandb offline", args.steps, time.perf_counter() - start, loop_end - start)
