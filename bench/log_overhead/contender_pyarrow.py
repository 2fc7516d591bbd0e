"""Hand-written pyarrow baseline: per-key Python lists, one Arrow IPC batch written to a file every 1000 steps."""

import os
import time

import pyarrow as pa
from workload import METRICS, parse_args, report, time_loop

BATCH = 1000


class Baseline:
    def __init__(self, path: str) -> None:
        self.sink = pa.OSFile(path, "wb")
        self.schema = pa.schema([(name, pa.float64()) for name in METRICS])
        self.writer = pa.ipc.new_stream(self.sink, self.schema)
        self.columns = {name: [] for name in METRICS}
        self.count = 0
        # pyarrow imports numpy/pandas lazily on its first conversion (~0.3 s when pandas is installed);
        # spyglass pays that in init(), so the baseline pays it here, outside the timed loop, too.
        pa.array([0.0], pa.float64())

    def log(self, row: dict) -> None:
        columns = self.columns
        for key, value in row.items():
            columns[key].append(value)
        self.count += 1
        if self.count == BATCH:
            self.write()

    def write(self) -> None:
        arrays = [pa.array(self.columns[name], pa.float64()) for name in METRICS]
        self.writer.write_batch(pa.record_batch(arrays, schema=self.schema))
        self.columns = {name: [] for name in METRICS}
        self.count = 0

    def close(self) -> None:
        if self.count:
            self.write()
        self.writer.close()
        self.sink.close()


args = parse_args()
baseline = Baseline(os.path.join(args.out, "history.arrows"))
log = baseline.log
start, loop_end = time_loop(log, args)
baseline.close()
report("pyarrow baseline", args.steps, time.perf_counter() - start, loop_end - start)
