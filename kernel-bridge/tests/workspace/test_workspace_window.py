"""Zoom windows answered in the server (native DuckDB): each bucket is exactly the M4 of its raw rows."""

from __future__ import annotations

import json
import math
import random

import numpy as np
import pyarrow as pa
import pytest
from server_harness import http, jupyter_server
from store_builders import framed_run, live_metadata

from spyglass.workspace_data import window as windows
from spyglass.workspace_data.window import Window, WindowRequestError, metric_window

STEPS = 6000


def batch(steps, values, walls=None):
    return pa.record_batch(
        {
            "_step": pa.array(steps, pa.int64()),
            "_timestamp": pa.array(walls if walls is not None else [1000.0 + 0.5 * s for s in steps]),
            "m": pa.array(values, pa.float64()),
        }
    )


def history(seed):
    rng = random.Random(seed)
    steps = list(range(0, STEPS, 1 + seed % 3))
    values = [rng.uniform(-1, 1) for _ in steps]
    values[rng.randrange(len(values))] = 100.0  # a spike
    values[rng.randrange(len(values))] = -100.0
    values[rng.randrange(len(values))] = math.nan
    values[rng.randrange(len(values))] = math.inf
    walls = [1000.0 + seed * 7 + 0.5 * s for s in steps]
    return steps, values, walls


@pytest.fixture
def store(tmp_path):
    windows.forget_all()
    runs = {}
    for seed in range(4):
        steps, values, walls = history(seed)
        # Two frames per run, so rows come from more than one batch.
        half = len(steps) // 2
        framed_run(
            tmp_path,
            "p",
            f"r{seed}",
            [
                batch(steps[:half], values[:half], walls[:half]),
                batch(steps[half:], values[half:], walls[half:]),
            ],
        )
        runs[f"r{seed}"] = (np.array(steps), np.array(values), np.array(walls))
    yield tmp_path, runs
    windows.forget_all()


def expected_buckets(x, y, bucket):
    """Brute force: per bucket of the finite points, (first x, last x, min y, max y, sum, count)."""
    keep = np.isfinite(y) & np.isfinite(x)
    out = {}
    for b, xi, yi in zip(bucket[keep], x[keep], y[keep], strict=True):
        first, last, low, high, total, n = out.get(b, (xi, xi, yi, yi, 0.0, 0))
        out[b] = (min(first, xi), max(last, xi), min(low, yi), max(high, yi), total + yi, n + 1)
    return out


def answer_by_run(table, run_ids):
    rows = table.to_pylist()
    by_run = {}
    for row in rows:
        by_run.setdefault(run_ids[row["run"]], {})[row["q"]] = row
    return by_run


def check(answer, expected, x, y):
    assert set(answer) == set(expected)
    for q, (first, last, low, high, total, n) in expected.items():
        row = answer[q]
        assert (row["x_first"], row["x_last"], row["y_min"], row["y_max"], row["n"]) == (
            first,
            last,
            low,
            high,
            n,
        )
        assert row["y_sum"] == pytest.approx(total)
        # The extremes are real points of the run, at their real x.
        assert any(x[i] == row["x_min"] and y[i] == low for i in np.flatnonzero(x == row["x_min"]))
        assert any(x[i] == row["x_max"] and y[i] == high for i in np.flatnonzero(x == row["x_max"]))


def test_a_step_window_on_the_pyramid_grid_is_exactly_the_m4_of_the_raw_rows(store):
    root, runs = store
    rng = random.Random(1)
    run_ids = ["r2", "r0", "r3", "r1"]
    for _ in range(25):
        lo = rng.uniform(-50, STEPS)
        hi = min(STEPS + 50, lo + rng.uniform(10, STEPS))
        level = rng.randint(3, 9)
        table = metric_window(str(root), "p", "m", None, run_ids, Window("step", lo, hi, level=level))
        by_run = answer_by_run(table, run_ids)
        unit = 1 << level
        ilo, ihi = math.ceil(lo), math.floor(hi)
        origin = (ilo // unit) * unit
        for run_id, (steps, values, _) in runs.items():
            inside = (steps >= ilo) & (steps <= ihi)
            s, v = steps[inside], values[inside]
            expected = expected_buckets(s.astype(float), v, (s - origin) // unit)
            check(by_run.get(run_id, {}), expected, s.astype(float), v)


def test_every_spike_survives_every_window_that_holds_it(store):
    root, runs = store
    for level, (lo, hi) in [(3, (0, 2000)), (6, (1000, 5999)), (9, (0, 5999)), (4, (10.5, 300.2))]:
        table = metric_window(str(root), "p", "m", None, list(runs), Window("step", lo, hi, level=level))
        for run_id, buckets in answer_by_run(table, list(runs)).items():
            steps, values, _ = runs[run_id]
            for spike in (100.0, -100.0):
                at = steps[values == spike][0]
                if lo <= at <= hi:
                    kept = [r for r in buckets.values() if spike in (r["y_min"], r["y_max"])]
                    assert len(kept) == 1 and at in (kept[0]["x_min"], kept[0]["x_max"])


@pytest.mark.parametrize("axis", ["step", "wall", "relative"])
def test_equal_buckets_on_any_axis_are_the_m4_of_the_raw_rows_in_range(store, axis):
    root, runs = store
    lo, hi, count = {
        "step": (101.0, 4321.0, 97),
        "wall": (1500.0, 3000.0, 50),
        "relative": (10.0, 2500.0, 64),
    }[axis]
    table = metric_window(str(root), "p", "m", None, list(runs), Window(axis, lo, hi, buckets=count))
    by_run = answer_by_run(table, list(runs))
    for run_id, (steps, values, walls) in runs.items():
        x = {"step": steps.astype(float), "wall": walls, "relative": walls - walls.min()}[axis]
        inside = (
            (x >= lo) & (x <= hi) if axis != "step" else (steps >= math.floor(lo)) & (steps <= math.ceil(hi))
        )
        xs, vs = x[inside], values[inside]
        bucket = np.clip(np.floor((xs - lo) * count / (hi - lo)), 0, count - 1)
        check(by_run.get(run_id, {}), expected_buckets(xs, vs, bucket), xs, vs)


def test_runs_are_numbered_as_asked_and_unknown_runs_have_no_rows(store):
    root, _ = store
    table = metric_window(str(root), "p", "m", None, ["nope", "r1"], Window("step", 0, 5999, level=8))
    assert set(table.column("run").to_pylist()) == {1}


def test_a_run_that_changed_on_disk_is_read_again(store):
    root, runs = store
    window = Window("step", 0, 5999, level=12)
    before = metric_window(str(root), "p", "m", None, ["r0"], window)
    assert max(before.column("y_max").to_pylist()) == 100.0
    framed_run(root, "p", "r9", [batch([0, 1, 2], [1.0, 500.0, 2.0])])
    after = metric_window(str(root), "p", "m", None, ["r9"], window)
    assert after.column("y_max").to_pylist() == [500.0]


def test_a_running_run_does_not_make_every_window_read_the_rows_again(store):
    root, _ = store
    live = framed_run(root, "p", "live", [batch([0, 1], [1.0, 2.0])], **live_metadata())
    window = Window("step", 0, 5999, level=10)
    metric_window(str(root), "p", "m", None, ["r0"], window)
    kept = next(iter(windows._kept.values()))
    with live.log_path.open("ab") as log:
        log.write(b"")  # the log's mtime moves as a logging run's does
    live.log_path.touch()
    metric_window(str(root), "p", "m", None, ["r0"], window)
    assert next(iter(windows._kept.values())) is kept


@pytest.mark.parametrize(
    "args, says",
    [
        (("time", 0, 1), "axis must be one of"),
        (("step", 5, 1), "lo <= hi"),
        (("step", 0, math.inf), "finite"),
        (("wall", 0, 1, 5), "the axis step"),
        (("step", 0, 1, 2), "level must be"),
        (("step", 0, 1), "either level"),
        (("step", 0, 1, None, 0), "buckets must be"),
    ],
)
def test_a_bad_window_says_what_is_wrong(args, says):
    with pytest.raises(WindowRequestError, match=says):
        Window(*args)


def test_the_endpoint_answers_arrow_buckets_and_refuses_a_bad_body(tmp_path):
    windows.forget_all()
    store = tmp_path / "root" / "spyglass"
    store.mkdir(parents=True)
    steps, values, walls = history(3)
    framed_run(store, "p", "a", [batch(steps, values, walls)])
    with jupyter_server(tmp_path / "root", tmp_path / "jupyter") as url:

        def post(body):
            return http(
                url,
                "/spyglass/api/v1/metric_window",
                method="POST",
                data=json.dumps(body).encode(),
                store_root=str(store),
                project="p",
            )

        status, headers, body = post(
            {"metric": "m", "run_ids": ["a"], "axis": "step", "lo": 0, "hi": 5999, "level": 8}
        )
        assert status == 200 and headers["Content-Type"] == "application/vnd.apache.arrow.stream"
        table = pa.ipc.open_stream(body).read_all()
        finite = np.array(values)[np.isfinite(values)]
        assert min(table.column("y_min").to_pylist()) == finite.min() == -100.0
        assert max(table.column("y_max").to_pylist()) == finite.max() == 100.0
        assert sum(table.column("n").to_pylist()) == len(finite)
        status, _, body = post({"metric": "m", "run_ids": ["a"], "lo": 0, "hi": "x", "level": 8})
        assert status == 400 and "'hi' must be a finite number" in json.loads(body)["error"]
        status, _, body = post({"metric": "m", "run_ids": "a", "lo": 0, "hi": 1, "level": 8})
        assert status == 400 and "run_ids" in json.loads(body)["error"]
    windows.forget_all()
