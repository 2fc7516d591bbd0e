"""Zoom windows cost what the runs they ask for cost: only those runs are looked up, read and held, whatever
the project's size, and each bucket stays exactly the M4 of its raw rows as runs come and go."""

from __future__ import annotations

import math
import random
import shutil

import numpy as np
import pytest
from store_builders import framed_run
from test_workspace_window import answer_by_run, batch, check, expected_buckets, history

from spyglass.workspace_data import run_reads, window_rows
from spyglass.workspace_data import window as windows
from spyglass.workspace_data.window import Window, metric_window

PROJECT_RUNS = 40


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A project of PROJECT_RUNS runs, with every read of a run's metric and every listing recorded."""
    windows.forget_all()
    runs = {}
    for seed in range(PROJECT_RUNS):
        steps, values, walls = history(seed)
        framed_run(tmp_path, "p", f"r{seed:02d}", [batch(steps, values, walls)])
        runs[f"r{seed:02d}"] = (np.array(steps), np.array(values), np.array(walls))
    reads: list[list[str]] = []
    read_metric = window_rows.read_metric

    def recorded(store_root, project, metric, run_ids, *args, **kwargs):
        reads.append(list(run_ids))
        return read_metric(store_root, project, metric, run_ids, *args, **kwargs)

    def no_listing(*_args, **_kwargs):
        raise AssertionError("a window listed every run directory of the project")

    monkeypatch.setattr(window_rows, "read_metric", recorded)
    monkeypatch.setattr(run_reads, "run_directories", no_listing)
    yield tmp_path, runs, reads
    windows.forget_all()


def assert_exact(root, runs, run_ids, window):
    """Every asked run's buckets are the brute-force M4 of its raw rows on the window's pyramid grid."""
    table = metric_window(str(root), "p", "m", None, run_ids, window)
    by_run = answer_by_run(table, run_ids)
    unit = 1 << window.level
    ilo, ihi = math.ceil(window.lo), math.floor(window.hi)
    origin = (ilo // unit) * unit
    for run_id in run_ids:
        steps, values, _ = runs[run_id]
        inside = (steps >= ilo) & (steps <= ihi)
        s, v = steps[inside], values[inside]
        check(
            by_run.get(run_id, {}),
            expected_buckets(s.astype(float), v, (s - origin) // unit),
            s.astype(float),
            v,
        )
    return table


def test_a_window_reads_and_holds_only_the_runs_it_asks_for(project):
    root, runs, reads = project
    window = Window("step", 100, 5000, level=6)
    assert_exact(root, runs, ["r03", "r01"], window)
    assert reads == [["r03", "r01"]]
    assert_exact(root, runs, ["r01", "r03"], Window("step", 0, 5999, level=9))
    assert reads == [["r03", "r01"]]  # held: not read again
    # A run written or changed elsewhere in the project does not make these windows read anything.
    framed_run(root, "p", "r99", [batch([0, 1], [1.0, 2.0])])
    shutil.rmtree(root / "p" / "r20")
    assert_exact(root, runs, ["r01", "r03"], window)
    assert reads == [["r03", "r01"]]
    # More runs asked: only the new one is read; the held ones answer as before.
    assert_exact(root, runs, ["r01", "r02", "r03"], window)
    assert reads == [["r03", "r01"], ["r02"]]
    (rows,) = windows._kept.values()
    assert sorted(rows.runs) == ["r01", "r02", "r03"]


def test_a_changed_run_is_read_again_alone_and_a_deleted_one_answers_nothing(project):
    root, runs, reads = project
    window = Window("step", 0, 5999, level=8)
    assert_exact(root, runs, ["r00", "r05", "r07"], window)
    steps = list(range(0, 3000, 3))
    values = [float(s % 17) for s in steps]
    values[123] = 1e6
    shutil.rmtree(root / "p" / "r05")
    framed_run(root, "p", "r05", [batch(steps, values)])
    runs["r05"] = (np.array(steps), np.array(values), None)
    assert_exact(root, runs, ["r00", "r05", "r07"], window)
    assert reads[1:] == [["r05"]]
    shutil.rmtree(root / "p" / "r07")
    table = metric_window(str(root), "p", "m", None, ["r00", "r07"], window)
    assert set(table.column("run").to_pylist()) == {0}


def test_runs_of_very_different_lengths_are_exact_at_every_level(project):
    """A run's pyramid stops at its own top level; windows at coarser levels (up to the longest run's) and
    negative steps still give every run the M4 of its raw rows."""
    root, runs, _ = project
    for run_id, steps in (("short", list(range(0, 21))), ("negative", list(range(-700, 40, 7)))):
        rng = random.Random(run_id)
        values = [rng.uniform(-1, 1) for _ in steps]
        values[len(values) // 2] = -50.0
        framed_run(root, "p", run_id, [batch(steps, values)])
        runs[run_id] = (np.array(steps), np.array(values), None)
    rng = random.Random(3)
    asked = ["short", "r02", "negative", "r11"]
    for _ in range(20):
        lo = rng.uniform(-800, 6000)
        hi = lo + rng.uniform(5, 7000)
        assert_exact(root, runs, asked, Window("step", lo, hi, level=rng.randint(3, 13)))
    # Loaded in two batches (the short run first, the rest later), the answers are the same.
    windows.forget_all()
    assert_exact(root, runs, ["short"], Window("step", 0, 30, level=5))
    assert_exact(root, runs, asked, Window("step", -800, 6000, level=12))


def test_runs_not_asked_lately_are_dropped_past_the_row_limit_and_read_again_when_asked(project, monkeypatch):
    root, runs, reads = project
    per_run = int(np.isfinite(runs["r00"][1]).sum())  # a run's finite points are held
    monkeypatch.setattr(window_rows, "MAX_HELD_ROWS", per_run)
    window = Window("step", 10, 5900, level=7)
    assert_exact(root, runs, ["r00", "r01"], window)  # over the limit, but both asked: both kept
    assert_exact(root, runs, ["r02", "r03"], window)
    (rows,) = windows._kept.values()
    assert sorted(rows.runs) == ["r02", "r03"]
    assert_exact(root, runs, ["r00"], window)
    assert reads[-1] == ["r00"] and sorted(rows.runs) == ["r00"]
    # It holds exactly the rows of the runs it says it holds.
    count = sum(len(held.steps) == len(held.values) and len(held.steps) for held in rows.runs.values())
    assert count == sum(held.rows for held in rows.runs.values()) == rows.rows == per_run
