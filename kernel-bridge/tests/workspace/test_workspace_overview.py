"""The server's first-paint overview: one M4 level per run, exactly as the page's pyramid would hold it."""

from __future__ import annotations

import json
import math
import random

import pyarrow as pa
import pyarrow.compute as pc
from store_builders import framed_run, logged_run

from spyglass.workspace_data.overview import (
    axis_overview,
    overview,
    overview_ipc,
    read_for_overview,
    take_rows,
)
from spyglass.workspace_data.series import read_metric


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


def walled_batch(steps, values, walls):
    return pa.record_batch(
        {
            "_step": pa.array(steps, pa.int64()),
            "_timestamp": pa.array(walls, pa.float64()),
            "m": pa.array(values, pa.float64()),
        }
    )


def expected_m4(points_by_run, buckets):
    """Plain M4 written out: (run, q) → [(x, v), ...] on `buckets` equal buckets over the overall x extent."""
    xs = [x for points in points_by_run.values() for x, _ in points]
    x0, x1 = min(xs), max(xs)
    span = max(x1 - x0, 1e-300)
    out = {}
    for run, points in points_by_run.items():
        for x, v in sorted(points):
            q = min(buckets - 1, max(0, math.floor((x - x0) * buckets / span)))
            out.setdefault((run, q), []).append((x, v))
    return out, x0, x1


def assert_m4_rows(table, expected):
    rows = table.to_pylist()
    assert {(r["run"], r["q"]) for r in rows} == set(expected)
    for row in rows:
        points = expected[(row["run"], row["q"])]
        assert (row["x_first"], row["y_first"]) == points[0]
        assert (row["x_last"], row["y_last"]) == points[-1]
        assert (row["x_min"], row["y_min"]) == min(points, key=lambda p: p[1])
        assert (row["x_max"], row["y_max"]) == max(points, key=lambda p: p[1])
        assert row["n"] == len(points) and math.isclose(row["y_sum"], sum(v for _, v in points))


def test_wall_and_relative_overviews_are_plain_m4_over_the_whole_range_and_keep_spikes(tmp_path):
    rng = random.Random(9)
    starts = {"early": 1000.0, "late": 4000.5}
    runs = {}
    for run_id, start in starts.items():
        steps = list(range(3000))
        values = [rng.uniform(-1, 1) for _ in steps]
        values[1234 if run_id == "early" else 17] = 80.0  # a spike
        values[50] = math.nan
        walls = [start + 0.25 * s for s in steps]
        walls[2000], walls[2001] = walls[2001], walls[2000]  # a clock step back: x order, not step order
        framed_run(tmp_path, "p", run_id, [walled_batch(steps, values, walls)])
        runs[run_id] = (walls, values)
    sliced = read_metric(tmp_path, "p", "m")
    for axis in ("wall", "relative"):
        table, meta = axis_overview(sliced, axis, 100)
        points = {}
        for index, run_id in enumerate(sliced.run_ids):
            walls, values = runs[run_id]
            shift = min(walls) if axis == "relative" else 0.0
            points[index] = [(w - shift, v) for w, v in zip(walls, values, strict=True) if math.isfinite(v)]
        expected, x0, x1 = expected_m4(points, 100)
        assert {k: meta[k] for k in ("axis", "x0", "x1", "buckets")} == {
            "axis": axis,
            "x0": x0,
            "x1": x1,
            "buckets": 100,
        }
        assert meta["stats"]["late"] == {"rows": 3000, "finite": 2999, "max_step": 2999}
        assert_m4_rows(table, expected)
        assert table.filter(pc.equal(table.column("y_max"), 80.0)).num_rows == 2
    # On the relative axis both runs start at 0, whatever their wall-clock start.
    table, meta = axis_overview(sliced, "relative", 100)
    assert meta["x0"] == 0.0 and meta["x1"] == 0.25 * 2999
    assert sorted(r["x_first"] for r in table.to_pylist() if r["q"] == 0) == [0.0, 0.0]


def test_points_on_bucket_edges_land_in_one_bucket_and_the_last_point_in_the_last(tmp_path):
    # x = 0, 1, ..., 10 over 5 buckets of width 2: edges 2, 4, 6, 8 open their bucket; 10 closes the last one.
    framed_run(tmp_path, "p", "r", [walled_batch(list(range(11)), [float(s) for s in range(11)], range(11))])
    table, _ = axis_overview(read_metric(tmp_path, "p", "m"), "wall", 5)
    assert [(r["q"], r["x_first"], r["x_last"], r["n"]) for r in table.to_pylist()] == [
        (0, 0.0, 1.0, 2),
        (1, 2.0, 3.0, 2),
        (2, 4.0, 5.0, 2),
        (3, 6.0, 7.0, 2),
        (4, 8.0, 10.0, 3),
    ]


def test_a_single_point_an_all_nan_run_and_a_step_metric_axis(tmp_path):
    framed_run(tmp_path, "p", "one", [walled_batch([5], [2.5], [123.0])])
    framed_run(tmp_path, "p", "nan", [walled_batch([0, 1], [math.nan, math.nan], [1.0, 2.0])])
    sliced = read_metric(tmp_path, "p", "m")
    table, meta = axis_overview(sliced, "relative", 1000)
    assert table.to_pylist() == [
        {"run": sliced.run_ids.index("one"), "q": 0, "x_first": 0.0, "y_first": 2.5, "x_last": 0.0,
         "y_last": 2.5, "x_min": 0.0, "y_min": 2.5, "x_max": 0.0, "y_max": 2.5, "y_sum": 2.5, "n": 1}
    ]  # fmt: skip
    assert meta["x0"] == meta["x1"] == 0.0
    nothing, _ = axis_overview(read_metric(tmp_path, "p", "m", ["nan"]), "wall", 10)
    assert nothing.num_rows == 0
    logged_run(tmp_path, "p", "epochs", [{"m": float(s % 7), "epoch": s / 10} for s in range(40)])
    by_epoch, meta = axis_overview(read_metric(tmp_path, "p", "m", ["epochs"], "epoch"), "x", 4)
    assert meta["x1"] == 3.9 and [r["n"] for r in by_epoch.to_pylist()] == [10, 10, 10, 10]


def test_an_overview_on_another_axis_reuses_the_kept_read_even_after_the_rows_took_it(tmp_path):
    logged_run(tmp_path, "p", "a", [{"m": 1.0}])
    args = (str(tmp_path), "p", "m", None, None)
    first = read_for_overview(*args)
    assert take_rows(*args) is first
    assert read_for_overview(*args, reuse=True) is first
    assert read_for_overview(*args) is not first  # a step overview (a new load) reads afresh
    reader = pa.ipc.open_stream(overview_ipc(first, 10, "wall"))
    meta = json.loads(reader.schema.metadata[b"spyglass"])
    assert meta["axis"] == "wall" and meta["run_ids"] == ["a"] and reader.read_all().num_rows == 1
