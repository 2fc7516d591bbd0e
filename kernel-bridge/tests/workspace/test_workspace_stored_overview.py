"""overview.arrow: written when a run finishes, read by the step overview instead of the rows, and always
the same answer as the overview computed from every run's rows (checked against that and brute force)."""

from __future__ import annotations

import json
import math
import random

import pyarrow as pa
import pytest
from store_builders import framed_run, live_metadata, logged_run

from spyglass.store.run_store import OVERVIEW_FILE, RunDirectory
from spyglass.workspace_data import stored_overviews
from spyglass.workspace_data.overview import overview_ipc
from spyglass.workspace_data.overview_file import SPAN, open_overview, write_overview
from spyglass.workspace_data.series import read_metric
from spyglass.workspace_data.stored_overviews import step_overview_ipc


def frame(steps, **metrics):
    columns = {"_step": pa.array(steps, pa.int64()), "_timestamp": pa.array([1000.0 + s for s in steps])}
    for name, values in metrics.items():
        columns[name] = pa.array(values)
    return pa.record_batch(columns)


def finished(root, run_id, *frames, overview=True):
    """A finished run with history.parquet (and overview.arrow unless `overview` is False)."""
    run = framed_run(root, "p", run_id, frames)
    run.export_parquet()
    if overview:
        assert write_overview(run) == run.path / OVERVIEW_FILE
    return run


def decoded(ipc: bytes) -> tuple[pa.Table, dict]:
    reader = pa.ipc.open_stream(ipc)
    return reader.read_all(), json.loads(reader.schema.metadata[b"spyglass"])


def assert_same_as_computed(root, metric, buckets, run_ids=None):
    """The stored path's answer equals overview_ipc over read_metric of the same runs, row for row."""
    stored_table, stored_meta = decoded(step_overview_ipc(str(root), "p", metric, run_ids, None, buckets))
    table, meta = decoded(overview_ipc(read_metric(root, "p", metric, run_ids), buckets))
    assert stored_meta == meta
    assert stored_table.schema.remove_metadata() == table.schema.remove_metadata()
    assert stored_table.to_pylist() == table.to_pylist()
    return stored_table, stored_meta


def noisy_run(root, run_id, seed, n, spike_at, **kwargs):
    rng = random.Random(seed)
    steps = list(range(n))
    values = [rng.uniform(-1, 1) for _ in steps]
    values[(spike_at + 1) % n] = math.nan
    values[(spike_at + 2) % n] = -math.inf
    values[spike_at] = 1e6
    return finished(root, run_id, frame(steps, m=values, other=[float(s) for s in steps]), **kwargs)


@pytest.mark.parametrize("buckets", [1, 4, 64, 200, 1000])
def test_stored_levels_give_the_computed_overview_and_keep_every_spike(tmp_path, buckets):
    for i, n in enumerate((5000, 20_000, 3, 1)):
        noisy_run(tmp_path, f"r{i}", i, n, (i * 997) % n)
    table, meta = assert_same_as_computed(tmp_path, "m", buckets)
    assert meta["run_ids"] == ["r0", "r1", "r2", "r3"] and meta["stats"]["r0"]["finite"] == 4998
    # Brute force: each run's largest finite value is the highest point of one of its buckets.
    for index, run_id in enumerate(meta["run_ids"]):
        rows = read_metric(tmp_path, "p", "m", [run_id]).table.column("value").to_pylist()
        highest = max(v for v in rows if math.isfinite(v))
        kept = [r["y_max"] for r in table.to_pylist() if r["run"] == index]
        assert max(kept) == highest and all(r["lvl"] == meta["level"] for r in table.to_pylist())


def test_finished_runs_are_answered_from_overview_file_without_reading_their_rows(tmp_path, monkeypatch):
    for i in range(3):
        noisy_run(tmp_path, f"done{i}", i, 4000, 100 + i)
    noisy_run(tmp_path, "old", 9, 3000, 5, overview=False)  # finished before overview files existed
    framed_run(tmp_path, "p", "live", [frame([0, 1, 2], m=[1.0, 2.0, 3.0])], **live_metadata())
    finished(tmp_path, "text", frame([0, 1], m=["a", "b"]))  # not a number: read, and skipped with a reason
    finished(tmp_path, "nometric", frame([0, 1], other=[1.0, 2.0]))  # lacks the metric: left out
    read = []
    real = stored_overviews.read_metric
    monkeypatch.setattr(stored_overviews, "read_metric", lambda *a, **k: read.append(a[3]) or real(*a, **k))
    _, meta = assert_same_as_computed(tmp_path, "m", 200)
    assert read == [["live", "old", "text"]]
    assert set(meta["cursors"]) == {"live"} and "not as a number" in meta["skipped"]["text"]
    assert meta["run_ids"] == ["done0", "done1", "done2", "live", "old"]


def test_steps_out_of_order_negative_and_an_all_nan_run(tmp_path):
    finished(tmp_path, "shuffled", frame([50, -3, 7, 2000, 9], m=[1.0, 9.0, -4.0, 2.0, 3.0]))
    finished(tmp_path, "nan", frame([0, 1, 2], m=[math.nan] * 3))
    finished(tmp_path, "nulls", frame([0, 1], m=pa.array([None, None], pa.float64()), other=[1.0, 2.0]))
    for buckets in (1, 3, 100):
        _, meta = assert_same_as_computed(tmp_path, "m", buckets)
    assert meta["stats"]["nan"] == {"rows": 3, "finite": 0, "max_step": 2}
    assert meta["stats"]["nulls"]["rows"] == 0


def test_a_subset_of_runs_in_the_order_asked(tmp_path):
    for i in range(4):
        noisy_run(tmp_path, f"r{i}", i, 1000 * (i + 1), 10)
    _, meta = assert_same_as_computed(tmp_path, "m", 50, ["r3", "missing", "r1"])
    assert meta["run_ids"] == ["r3", "r1"] and "missing" in meta["skipped"]


def test_more_buckets_than_the_stored_levels_hold_reads_the_rows(tmp_path):
    run = noisy_run(tmp_path, "long", 1, 300_000, 12345)
    stored = open_overview(run)
    first, top = stored.metrics["m"]["levels"]
    assert top - first == SPAN and stored.level_rows("m", first - 1) is None
    assert_same_as_computed(tmp_path, "m", 100_000)


def test_an_overview_of_another_history_or_a_damaged_one_is_ignored(tmp_path):
    run = noisy_run(tmp_path, "r", 1, 2000, 3)
    kept = (run.path / OVERVIEW_FILE).read_bytes()
    # The run resumed and finished again without its overview written (a crash between the two files).
    framed_run(tmp_path, "p", "again", [frame(list(range(10)), m=[5.0] * 10)]).export_parquet()
    (run.path / "history.parquet").write_bytes((tmp_path / "p" / "again" / "history.parquet").read_bytes())
    assert open_overview(run) is None
    _, meta = assert_same_as_computed(tmp_path, "m", 64)
    assert meta["stats"]["r"]["rows"] == 10
    (run.path / OVERVIEW_FILE).write_bytes(kept[: len(kept) // 2])  # truncated
    assert open_overview(run) is None
    assert_same_as_computed(tmp_path, "m", 64)


def test_a_finished_run_writes_its_overview_and_a_rewrite_replaces_it(tmp_path):
    run = logged_run(tmp_path, "p", "api", [{"loss": 1.0 / (i + 1), "acc": i % 7} for i in range(500)])
    stored = open_overview(run)
    assert stored is not None and {"loss", "acc", "_timestamp"} <= set(stored.metrics)
    levels = [entry["levels"][1] - entry["levels"][0] + 1 for entry in stored.metrics.values()]
    assert stored.file.num_record_batches == sum(levels)  # one batch per level of each metric
    assert_same_as_computed(tmp_path, "loss", 20)
    write_overview(RunDirectory(run.path))
    assert open_overview(run).metrics == stored.metrics


def test_a_run_too_wide_or_too_long_gets_no_file_and_is_read_from_its_history(tmp_path, monkeypatch):
    # finish() must not wait minutes on a run of 100k keys: past MAX_METRICS numeric columns (or MAX_VALUES
    # values) no file is written, and its first chart is computed from the rows as for an older run.
    from spyglass.workspace_data import overview_file

    wide = frame([0, 1], **{f"k{i}": [float(i), float(i) + 1] for i in range(overview_file.MAX_METRICS + 1)})
    run = finished(tmp_path, "wide", wide, overview=False)
    assert write_overview(run) is None
    assert not (run.path / OVERVIEW_FILE).exists()
    assert_same_as_computed(tmp_path, "k7", 100)

    values = 3 * 51  # m, other and _timestamp: the numeric columns, 51 rows each
    monkeypatch.setattr(overview_file, "MAX_VALUES", values - 1)
    long = noisy_run(tmp_path, "long", 3, 51, 10, overview=False)
    assert write_overview(long) is None
    monkeypatch.setattr(overview_file, "MAX_VALUES", values)
    assert write_overview(long) == long.path / OVERVIEW_FILE
    assert_same_as_computed(tmp_path, "m", 100, ["long"])
