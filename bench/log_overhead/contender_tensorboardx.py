"""tensorboardX: 10 add_scalar calls per step, then close()."""

import time

from tensorboardX import SummaryWriter
from workload import METRICS, parse_args, prebuilt_rows, report

args = parse_args()
writer = SummaryWriter(logdir=args.out)
add_scalar = writer.add_scalar


def log(row: dict, step: int) -> None:
    for key, value in row.items():
        add_scalar(key, value, step)


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
            },
            step,
        )
else:
    rows = prebuilt_rows(args.steps)
    start = time.perf_counter()
    for step, row in enumerate(rows):
        log(row, step)
loop_end = time.perf_counter()
writer.close()
report("tensorboardX", args.steps, time.perf_counter() - start, loop_end - start)
