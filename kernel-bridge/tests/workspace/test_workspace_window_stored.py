"""Zoom windows from stored overview levels: a finished run's whole buckets come from its overview.arrow when
that holds the window's level, its edges (and everything else) from its raw rows, and every bucket is still
exactly the brute-force M4 of the raw rows in it, on every grid, for runs with and without stored levels and
for a running run whose log grows between windows."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest
from store_builders import framed_run, live_metadata
from test_workspace_window import answer_by_run, batch, check, expected_buckets

from spyglass.workspace_data import overview_file, window_rows
from spyglass.workspace_data import window as windows
from spyglass.workspace_data.overview_file import SPAN, write_overview
from spyglass.workspace_data.window import Window, metric_window

LONG = 20_000  # top level 15: levels 5 … 15 stored (overview_file.SPAN below the top)


def values_for(seed, steps):
    rng = random.Random(seed)
    values = [rng.uniform(-1, 1) for _ in steps]
    for at, value in ((0.31, 100.0), (0.62, -100.0), (0.47, math.nan), (0.81, math.inf), (0.9, -math.inf)):
        values[int(at * len(values))] = value
    values[int(0.55 * len(values))] = values[int(0.55 * len(values)) + 1]  # equal neighbours (ties)
    return values


@pytest.fixture
def store(tmp_path, monkeypatch):
    """Finished runs with history.parquet and overview.arrow (dense, gapped, negative, short), one finished
    without overview.arrow (an older run), one running run (framed log only); every stored level read
    recorded as (level, the file's finest level, whether the file held it)."""
    windows.forget_all()
    shapes = {
        "dense": list(range(LONG)),
        "gapped": [s for s in range(0, 3 * LONG, 3) if s % 1000 < 700],
        "negative": list(range(-LONG // 2, LONG // 2, 2)),
        "short": list(range(5, 40)),
        "older": list(range(0, LONG, 2)),
        "live": list(range(0, LONG, 5)),
    }
    runs = {}
    for seed, (run_id, steps) in enumerate(shapes.items()):
        values = values_for(seed, steps)
        half = len(steps) // 2
        frames = [batch(steps[:half], values[:half]), batch(steps[half:], values[half:])]
        meta = live_metadata() if run_id == "live" else {}
        run = framed_run(tmp_path, "p", run_id, frames, **meta)
        if run_id != "live":
            run.export_parquet()
        if run_id not in ("live", "older"):
            assert write_overview(run) is not None
        runs[run_id] = (np.array(steps), np.array(values))
    reads = []
    level_rows = overview_file.StoredLevels.level_rows

    def recorded(self, level):
        rows = level_rows(self, level)
        reads.append((level, self.first, rows is not None))
        return rows

    monkeypatch.setattr(overview_file.StoredLevels, "level_rows", recorded)
    yield tmp_path, runs, reads
    windows.forget_all()


def assert_exact(root, runs, run_ids, window):
    table = metric_window(str(root), "p", "m", None, run_ids, window)
    by_run = answer_by_run(table, run_ids)
    unit = 1 << window.level
    ilo, ihi = math.ceil(window.lo), math.floor(window.hi)
    origin = (ilo // unit) * unit
    for run_id in run_ids:
        steps, values = runs[run_id]
        inside = (steps >= ilo) & (steps <= ihi)
        s, v = steps[inside], values[inside]
        check(
            by_run.get(run_id, {}),
            expected_buckets(s.astype(float), v, (s - origin) // unit),
            s.astype(float),
            v,
        )
    return table


def test_random_windows_at_every_level_are_the_m4_of_the_raw_rows(store):
    root, runs, reads = store
    rng = random.Random(18)
    asked = ["gapped", "live", "dense", "short", "older", "negative"]
    for _ in range(60):
        lo = rng.uniform(-LONG, 3 * LONG)
        hi = lo + 10 ** rng.uniform(0.5, math.log10(4 * LONG))
        assert_exact(root, runs, asked, Window("step", lo, hi, level=rng.randint(3, 17)))
    # The finished runs with overview.arrow answered from their stored levels (SPAN below each one's top, and
    # the top beyond it); finer levels are not in the file and were read from the rows.
    assert reads and all(held == (level >= first) for level, first, held in reads)
    assert sum(held for *_, held in reads) > len(reads) // 2
    assert {first for _, first, _ in reads} == {LONG.bit_length() - SPAN, 3, 4, 6}


def test_windows_on_bucket_edges_and_single_steps_are_exact(store):
    root, runs, _ = store
    asked = list(runs)
    for level in (5, 8, 11, 15, 16):
        unit = 1 << level
        for lo, hi in ((0, LONG - 1), (unit, 3 * unit - 1), (unit - 1, 3 * unit), (7.5, 7.6), (123, 123),
                       (-unit, unit), (LONG // 3 + 0.25, LONG // 3 + unit - 0.25)):  # fmt: skip
            assert_exact(root, runs, asked, Window("step", lo, hi, level=level))


def test_every_spike_survives_every_stored_window(store):
    root, runs, _ = store
    rng = random.Random(7)
    for _ in range(30):
        lo = rng.uniform(0, LONG)
        hi = lo + rng.uniform(50, LONG)
        level = rng.randint(5, 12)
        table = metric_window(str(root), "p", "m", None, ["dense"], Window("step", lo, hi, level=level))
        steps, values = runs["dense"]
        for spike in (100.0, -100.0):
            at = steps[values == spike][0]
            kept = [r for r in table.to_pylist() if spike in (r["y_min"], r["y_max"])]
            assert len(kept) == (1 if math.ceil(lo) <= at <= math.floor(hi) else 0)
            assert all(at in (r["x_min"], r["x_max"]) for r in kept)


def test_a_running_run_is_read_again_when_its_log_grows_and_stays_exact(store):
    root, runs, _ = store
    window = Window("step", 100, 3 * LONG, level=9)
    assert_exact(root, runs, ["live", "dense"], window)
    from spyglass.store.arrow_codec import encode_batch
    from spyglass.store.framed_log import FramedLogWriter
    from spyglass.store.run_store import RunDirectory

    steps = list(range(LONG, LONG + 3000, 5))
    values = values_for(99, steps)
    values[7] = 5e5
    with FramedLogWriter(RunDirectory(root / "p" / "live").log_path) as writer:
        writer.append(encode_batch(batch(steps, values)))
    old_steps, old_values = runs["live"]
    runs["live"] = (np.concatenate([old_steps, steps]), np.concatenate([old_values, values]))
    table = assert_exact(root, runs, ["live", "dense"], window)
    assert 5e5 in table.column("y_max").to_pylist()


def test_a_window_reads_a_finished_run_once_and_only_its_own_columns(store, monkeypatch):
    root, runs, _ = store
    reads = []
    read_metric = window_rows.read_metric

    def recorded(*args, **kwargs):
        reads.append((list(args[3]), kwargs.get("wall")))
        return read_metric(*args, **kwargs)

    monkeypatch.setattr(window_rows, "read_metric", recorded)
    for lo in (0, 500, 9000):
        assert_exact(root, runs, ["dense", "gapped"], Window("step", lo, lo + 5000, level=6))
    assert reads == [(["dense", "gapped"], False)]
    # A window on the wall axis needs the wall times: the runs are read once more, with them.
    metric_window(str(root), "p", "m", None, ["dense", "gapped"], Window("wall", 1000, 2000, buckets=10))
    metric_window(str(root), "p", "m", None, ["dense", "gapped"], Window("step", 0, 100, level=3))
    assert reads[1:] == [(["dense", "gapped"], True)]
