"""One writer of writers.py: spyglass into $SPYGLASS_DIR (an s3:// store or a local directory).

The timed loop is log() alone; the total runs to the end of finish(), which for an s3:// store ships the last
segments, history.parquet and run.json, so every row is in the bucket when it returns.
"""

import os
import time

import common  # noqa: F401  (puts bench/log_overhead on sys.path)
import spyglass as sg
from workload import parse_args, report, time_loop

args = parse_args()
run = sg.init(project="writers", name=f"writer-{os.getpid()}")
start, loop_end = time_loop(run.log, args)
run.finish()
report(
    os.environ.get("SG_CONTENDER", "spyglass"),
    args.steps,
    time.perf_counter() - start,
    loop_end - start,
)
