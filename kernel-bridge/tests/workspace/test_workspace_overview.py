"""The server's first-paint overview: one M4 level per run, exactly as the page's pyramid would hold it."""

from __future__ import annotations

import json
import math
import random

import pyarrow as pa
from store_builders import framed_run, logged_run

from spyglass.workspace_overview import overview, overview_ipc, read_for_overview, take_rows
from spyglass.workspace_series import read_metric


def batch(steps, values):
    return pa.record_batch(
        {
            "_step": pa.array(steps, pa.int64()),
            "_timestamp": pa.array([1000.0 + s for s in steps]),
            "m": pa.array(values, pa.float64()),
        }
    )


def test_each_bucket_keeps_first_last_min_max_sum_and_count_of_finite_values(tmp_path):
    rng = random.Random(5)
    steps = list(range(0, 5000, 3))
    values = [rng.uniform(-1, 1) for _ in steps]
    values[100] = math.nan
    values[200] = math.inf
    values[777] = 50.0  # a spike
    framed_run(tmp_path, "p", "r", [batch(steps, values)])
    sliced = read_metric(tmp_path, "p", "m")
    table, meta = overview(sliced, buckets=100)
    level = meta["level"]
    assert level == math.ceil(math.log2(4998 / 100)) and meta["max_level"] == (4998).bit_length()
    assert meta["stats"]["r"] == {"rows": len(steps), "finite": len(steps) - 2, "max_step": 4998}
    rows = table.to_pylist()
    finite = [(s, v) for s, v in zip(steps, values, strict=True) if math.isfinite(v)]
    expected = {}
    for s, v in finite:
        expected.setdefault(s >> level, []).append((s, v))
    assert [r["b"] for r in rows] == sorted(expected)
    for row in rows:
        points = expected[row["b"]]
        low = min(points, key=lambda p: p[1])
        high = max(points, key=lambda p: p[1])
        assert (row["x_first"], row["y_first"]) == points[0]
        assert (row["x_last"], row["y_last"]) == points[-1]
        assert (row["x_min"], row["y_min"]) == low
        assert (row["x_max"], row["y_max"]) == high
        assert row["n"] == len(points) and math.isclose(row["y_sum"], sum(v for _, v in points))
        assert row["lvl"] == level and row["run"] == 0
    assert any(r["y_max"] == 50.0 and r["x_max"] == steps[777] for r in rows)


def test_an_all_nan_run_has_stats_but_no_buckets(tmp_path):
    framed_run(tmp_path, "p", "nan", [batch([0, 1, 2], [math.nan] * 3)])
    logged_run(tmp_path, "p", "ok", [{"m": 1.0}, {"m": 2.0}])
    sliced = read_metric(tmp_path, "p", "m")
    table, meta = overview(sliced, buckets=10)
    assert meta["stats"]["nan"]["finite"] == 0
    assert set(table.column("run").to_pylist()) == {sliced.run_ids.index("ok")}
    reader = pa.ipc.open_stream(overview_ipc(sliced, 10))
    assert json.loads(reader.schema.metadata[b"spyglass"])["level"] == 3


def test_the_rows_request_after_an_overview_reuses_its_read_once(tmp_path):
    logged_run(tmp_path, "p", "a", [{"m": 1.0}])
    first = read_for_overview(str(tmp_path), "p", "m", None, None)
    assert take_rows(str(tmp_path), "p", "m", None, None) is first
    assert take_rows(str(tmp_path), "p", "m", None, None) is not first  # consumed: the next read is fresh
