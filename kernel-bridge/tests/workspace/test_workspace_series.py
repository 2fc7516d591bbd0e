"""One metric across runs for the charts: column projection, live cursors, skipped runs, order by step."""

from __future__ import annotations

import json
import math
import time

import pyarrow as pa
import pyarrow.parquet as pq
from store_builders import framed_run, logged_run, patch_metadata

from spyglass.workspace_data.series import SCHEMA_KEY, STEP_BLOCK, read_metric


def batch(steps, **metrics):
    columns = {"_step": pa.array(steps, pa.int64()), "_timestamp": pa.array([1000.0 + s for s in steps])}
    columns.update({name: pa.array(values) for name, values in metrics.items()})
    return pa.record_batch(columns)


def test_finished_runs_are_read_with_column_projection(tmp_path, monkeypatch):
    for run_id in ("a", "b"):
        logged_run(tmp_path, "p", run_id, [{"loss": 1.0 / (s + 1), "acc": s, "other": 5} for s in range(20)])
    read = []
    real = pq.read_table

    def spy(source, *args, **kwargs):
        read.append(kwargs.get("columns"))
        return real(source, *args, **kwargs)

    monkeypatch.setattr(pq, "read_table", spy)
    sliced = read_metric(tmp_path, "p", "loss")
    assert read == [["_step", "_timestamp", "loss"]] * 2
    table = sliced.table
    assert table.schema.names == ["run", "step", "wall", "value"]
    assert table.num_rows == 40
    assert sliced.run_ids == ["a", "b"] and sliced.cursors == {} and sliced.skipped == {}
    steps = table.column("step").to_pylist()
    assert steps == list(range(20)) * 2  # one block of STEP_BLOCK steps: run after run
    first = [
        v
        for s, v in zip(table.column("step").to_pylist(), table.column("value").to_pylist(), strict=True)
        if s == 0
    ]
    assert first == [1.0, 1.0]


def test_a_running_run_is_read_from_its_log_and_returns_the_seq_to_tail_from(tmp_path):
    run = framed_run(
        tmp_path,
        "p",
        "live",
        [batch([0, 1], m=[1.0, math.nan]), batch([2], other=[3.0]), batch([3], m=[4.0])],
    )
    patch_metadata(run, state="running", heartbeat_at=time.time(), pid=None, finished_at=None)
    sliced = read_metric(tmp_path, "p", "m")
    assert sliced.cursors == {"live": 2}
    values = sliced.table.column("value").to_pylist()
    assert sliced.table.column("step").to_pylist() == [0, 1, 3]
    assert values[0] == 1.0 and math.isnan(values[1]) and values[2] == 4.0  # NaN kept; row without m dropped
    # A running run that has not logged the metric yet still gets a cursor, so the page can tail it.
    assert read_metric(tmp_path, "p", "nothing").cursors == {"live": 2}


def test_runs_are_chosen_by_id_and_unusable_ones_are_skipped_with_a_reason(tmp_path):
    logged_run(tmp_path, "p", "num", [{"m": 1.0}])
    framed_run(tmp_path, "p", "text", [batch([0], m=["high"])])
    sliced = read_metric(tmp_path, "p", "m", run_ids=["text", "num", "ghost"])
    assert sliced.run_ids == ["num"]
    assert "not as a number" in sliced.skipped["text"]
    assert "no such run" in sliced.skipped["ghost"]


def test_a_step_metric_comes_along_as_x(tmp_path):
    logged_run(tmp_path, "p", "e", [{"val": s * 2.0, "epoch": s // 2} for s in range(6)])
    table = read_metric(tmp_path, "p", "val", x_metric="epoch").table
    assert table.column("x").to_pylist() == [0, 0, 1, 1, 2, 2]


def test_the_ipc_answer_carries_run_ids_cursors_and_skipped_in_its_schema_metadata(tmp_path):
    logged_run(tmp_path, "p", "a", [{"m": 1.0}])
    sliced = read_metric(tmp_path, "p", "m", run_ids=["a", "zz"])
    reader = pa.ipc.open_stream(sliced.to_ipc())
    meta = json.loads(reader.schema.metadata[SCHEMA_KEY])
    assert meta == {"run_ids": ["a"], "cursors": {}, "skipped": {"zz": "no such run (deleted?)"}}
    assert reader.read_all().num_rows == 1


def test_long_runs_are_interleaved_by_blocks_of_steps(tmp_path):
    for run_id in ("a", "b"):
        framed_run(
            tmp_path,
            "p",
            run_id,
            [batch(list(range(0, 3 * STEP_BLOCK, 7)), m=[1.0] * len(range(0, 3 * STEP_BLOCK, 7)))],
        )
    table = read_metric(tmp_path, "p", "m").table
    blocks = [s // STEP_BLOCK for s in table.column("step").to_pylist()]
    assert blocks == sorted(blocks)
    runs = table.column("run").to_pylist()
    assert runs[: len(range(0, STEP_BLOCK, 7))] == [0] * len(range(0, STEP_BLOCK, 7))
