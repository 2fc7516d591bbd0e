"""spyglass: run.log() in a loop, then flush() until every row is fsynced in the framed log.

finish() is timed apart: it adds the Parquet export, which no other contender does.
"""

import time

import spyglass as sg
from workload import parse_args, report, time_loop

args = parse_args()
run = sg.init(project="bench", dir=args.out)
log = run.log
start, loop_end = time_loop(log, args)
run.flush()
durable = time.perf_counter()
run.finish()
report(
    "spyglass",
    args.steps,
    durable - start,
    loop_end - start,
    finish_seconds=time.perf_counter() - durable,
)
