"""tensorboardX: 10 add_scalar calls per step, then close()."""

import time

from tensorboardX import SummaryWriter
from workload import parse_args, report, time_loop

args = parse_args()
writer = SummaryWriter(logdir=args.out)
add_scalar = writer.add_scalar


def log(row: dict, step: int) -> None:
    for key, value in row.items():
        add_scalar(key, value, step)


start, loop_end = time_loop(log, args, pass_step=True)
writer.close()
report("tensorboardX", args.steps, time.perf_counter() - start, loop_end - start)
