"""wandb in offline mode: run.log() in a loop, then finish()."""

import os
import time

os.environ["WANDB_MODE"] = "offline"
os.environ["WANDB_SILENT"] = "true"

import wandb
from workload import METRICS, parse_args, prebuilt_rows, report

args = parse_args()
run = wandb.init(project="bench", dir=args.out, mode="offline")
log = run.log
if args.build_in_loop:
    m0, m1, m2, m3, m4, m5, m6, m7, m8, m9 = METRICS
    start = time.perf_counter()
    for step in range(args.steps):
        x = step * 0.001
        log(
            {
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
        )
else:
    rows = prebuilt_rows(args.steps)
    start = time.perf_counter()
    for row in rows:
        log(row)
loop_end = time.perf_counter()
run.finish()
report("wandb offline", args.steps, time.perf_counter() - start, loop_end - start)
