"""The workload every contender runs: a trivial two-argument function, called in a loop, traced and not.

Each repeat times the plain function, then the traced one, then what makes the recorded calls stored
(`finish`); the overhead of a call is (traced loop + finish) / calls - plain per call, in wall time and in the
process's CPU time (every thread: a contender's exporter or writer thread counts). On a shared machine the
CPU figure moves less with the load. Prints one JSON line.
"""

from __future__ import annotations

import gc
import json
import statistics
import sys
import time
from collections.abc import Callable


def add(a: int, b: int) -> int:
    return a + b


def _loop(function: Callable[[int, int], int], calls: int) -> tuple[int, int]:
    start, cpu = time.perf_counter_ns(), time.process_time_ns()
    for index in range(calls):
        function(index, 2)
    return time.perf_counter_ns() - start, time.process_time_ns() - cpu


def measure(
    name: str, traced: Callable[[int, int], int], finish: Callable[[], object]
) -> None:
    """Time `traced` against `add`; argv: calls repeats. Prints {"name", "plain_us", "loop_us", "total_us",
    "cpu_plain_us", "cpu_total_us"}."""
    calls, repeats = int(sys.argv[1]), int(sys.argv[2])
    assert traced(1, 2) == 3, (
        "the traced function must return what the function returns"
    )
    finish()
    plain, loop, total, cpu_plain, cpu_total = [], [], [], [], []
    for _ in range(repeats):
        gc.collect()
        plain_ns, plain_cpu_ns = _loop(add, calls)
        traced_ns, traced_cpu_ns = _loop(traced, calls)
        start, cpu = time.perf_counter_ns(), time.process_time_ns()
        finish()
        finish_ns, finish_cpu_ns = (
            time.perf_counter_ns() - start,
            time.process_time_ns() - cpu,
        )
        plain.append(plain_ns / calls / 1000)
        loop.append(traced_ns / calls / 1000)
        total.append((traced_ns + finish_ns) / calls / 1000)
        cpu_plain.append(plain_cpu_ns / calls / 1000)
        cpu_total.append((traced_cpu_ns + finish_cpu_ns) / calls / 1000)
    result = {
        "name": name,
        "plain_us": statistics.median(plain),
        "loop_us": statistics.median(loop),
        "total_us": statistics.median(total),
        "cpu_plain_us": statistics.median(cpu_plain),
        "cpu_total_us": statistics.median(cpu_total),
    }
    print(json.dumps(result))
