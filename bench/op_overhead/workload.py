"""The workload every contender runs: a trivial two-argument function, called in a loop, traced and not.

Each repeat times the plain function, then the traced one, then what makes the recorded calls stored
(`finish`); the overhead of a call is (traced loop + finish) / calls - plain per call. Prints one JSON line.
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


def _loop(function: Callable[[int, int], int], calls: int) -> int:
    start = time.perf_counter_ns()
    for index in range(calls):
        function(index, 2)
    return time.perf_counter_ns() - start


def measure(
    name: str, traced: Callable[[int, int], int], finish: Callable[[], object]
) -> None:
    """Time `traced` against `add`; argv: calls repeats. Prints {"name", "plain_us", "loop_us", "total_us"}."""
    calls, repeats = int(sys.argv[1]), int(sys.argv[2])
    assert traced(1, 2) == 3, (
        "the traced function must return what the function returns"
    )
    finish()
    plain, loop, total = [], [], []
    for _ in range(repeats):
        gc.collect()
        plain.append(_loop(add, calls) / calls / 1000)
        traced_ns = _loop(traced, calls)
        start = time.perf_counter_ns()
        finish()
        finish_ns = time.perf_counter_ns() - start
        loop.append(traced_ns / calls / 1000)
        total.append((traced_ns + finish_ns) / calls / 1000)
    result = {
        "name": name,
        "plain_us": statistics.median(plain),
        "loop_us": statistics.median(loop),
        "total_us": statistics.median(total),
    }
    print(json.dumps(result))
