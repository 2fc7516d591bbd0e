"""wandb.Table(dataframe=df) (offline), and run.log of it when wandb accepts that many rows."""

import os

os.environ["WANDB_MODE"] = "offline"
os.environ["WANDB_SILENT"] = "true"

import wandb
from workload import build_frame, cpu, now, parse_args, report

args = parse_args()
frame = build_frame(args.rows)
run = wandb.init(project="bench", dir=args.out, mode="offline")
start, start_cpu = now(), cpu()
table = wandb.Table(dataframe=frame)
built = now()
error = None
try:
    run.log({"table": table})
except Exception as caught:  # noqa: BLE001 - wandb refuses tables over its row limit (200k rows)
    error = f"{type(caught).__name__}: {str(caught)[:120]}"
logged = now()
run.finish()
report(
    "wandb Table (+ log)",
    logged - start,
    cpu() - start_cpu,
    table_s=built - start,
    log_error=error,
)
