"""sg.Table(dataframe=df) + run.log({"table": t}): until the Parquet version is written (atomically, fsynced)."""

import os

from workload import build_frame, cpu, now, parse_args, report

args = parse_args()
os.environ["SPYGLASS_DIR"] = args.out
import spyglass as sg

frame = build_frame(args.rows)
run = sg.init(project="bench", settings=sg.Settings(system_metrics=False))
start, start_cpu = now(), cpu()
table = sg.Table(dataframe=frame)
built = now()
run.log({"table": table})
logged = now()
run.finish()
report(
    "spyglass Table + log",
    logged - start,
    cpu() - start_cpu,
    table_s=built - start,
    log_s=logged - built,
)
