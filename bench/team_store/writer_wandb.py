"""One writer of writers.py: wandb offline (its files stay on this machine; nothing reaches a shared server).

`run.log(row)` once per step, as a training loop calls it; done is the end of finish() and teardown()
(wandb-core has written the run's `.wandb` log and stopped). The rows reported are the history records
read back from that log afterwards. Runs with .venv-bench's python (bench/team_store/requirements-wandb.txt).
"""

import os
import sys
import time
from pathlib import Path

os.environ["WANDB_MODE"] = "offline"
os.environ["WANDB_SILENT"] = "true"

import wandb
from writer_loop import TimedLoop, parse_args

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "wandb_parity"))
from read_wandb import pb, records

args = parse_args()
loop = TimedLoop(args)
run = wandb.init(project="writers", dir=args.out, mode="offline")
loop.run(run.log)
run.finish()
finished = time.perf_counter()
# finish() returned before the .wandb log held the last rows (seen: 1,964 of 2,000 history records
# right after it, all of them after teardown()); teardown() stops wandb-core, so the log is complete.
wandb.teardown()
done = time.perf_counter()


def history_rows(out: Path) -> int:
    count = 0
    for payload in records(next(out.glob("**/offline-run-*/*.wandb"))):
        record = pb.Record()
        record.ParseFromString(payload)
        count += record.WhichOneof("record_type") == "history"
    return count


loop.report(
    "wandb offline",
    done,
    finish_s=finished - loop.start,
    stored_rows=history_rows(Path(args.out)),
)
