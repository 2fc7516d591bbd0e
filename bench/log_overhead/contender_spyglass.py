"""spyglass: run.log() in a loop, then flush() until every row is fsynced in the framed log.

finish() is timed apart: it adds the Parquet export, which no other contender does.
"""

import time

import spyglass as sg
from workload import METRICS, parse_args, prebuilt_rows, report

args = parse_args()
run = sg.init(project="bench", dir=args.out)
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
