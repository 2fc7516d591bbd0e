"""The workspace's run listing: flat config and summary, effective state, damaged and deleted runs."""

from __future__ import annotations

import math
import shutil
import time

import pyarrow as pa
from store_builders import framed_run, logged_run, patch_metadata

from spyglass.workspace_data.index import flatten, list_runs, run_entry

ROW_KEYS = {
    "run_dir", "run_id", "name", "state", "created_at", "duration", "tags", "group", "job_type", "config",
    "summary", "metrics", "damaged",
}  # fmt: skip


def test_a_run_is_listed_with_flat_config_and_summary_and_its_metric_names(tmp_path):
    logged_run(
        tmp_path,
        "demo",
        "a1",
        [{"loss": 1.0, "train": {"acc": 0.5}, "label": "x"}, {"loss": 0.5, "train": {"acc": 0.7}}],
        config={"optimizer": {"lr": 0.01, "betas": [0.9, 0.99]}, "epochs": 3},
        tags=["baseline"],
        group="g1",
        job_type="train",
    )
    listing = list_runs(tmp_path, "demo")
    assert listing["projects"] == ["demo"]
    [run] = listing["runs"]
    assert set(run) >= ROW_KEYS
    assert run["run_dir"] == str(tmp_path / "demo" / "a1")
    assert (run["state"], run["tags"], run["group"], run["job_type"]) == (
        "finished",
        ["baseline"],
        "g1",
        "train",
    )
    assert run["config"] == {"optimizer.lr": 0.01, "optimizer.betas": "[0.9,0.99]", "epochs": 3}
    assert run["summary"]["loss"] == 0.5 and run["summary"]["train/acc"] == 0.7
    assert run["metrics"] == ["loss", "train/acc"]  # the text column "label" is not a metric
    assert run["damaged"] is None
    assert run["duration"] is not None and run["duration"] >= 0


def test_config_values_of_mixed_types_across_runs_are_kept_as_they_are(tmp_path):
    for run_id, lr in (("a", 0.1), ("b", "auto"), ("c", None), ("d", True)):
        logged_run(tmp_path, "p", run_id, [{"m": 1}], config={"lr": lr})
    by_id = {r["run_id"]: r for r in list_runs(tmp_path, "p")["runs"]}
    assert [by_id[i]["config"]["lr"] for i in "abcd"] == [0.1, "auto", None, True]


def test_a_running_run_with_a_stale_heartbeat_is_listed_as_crashed(tmp_path):
    run = framed_run(tmp_path, "p", "r", [pa.record_batch({"_step": pa.array([0], pa.int64()), "m": [1.0]})])
    patch_metadata(run, state="running", heartbeat_at=time.time() - 3600, finished_at=None)
    [entry] = list_runs(tmp_path, "p")["runs"]
    assert entry["state"] == "crashed"
    assert entry["metrics"] == ["m"]  # read from the framed log: no history.parquet


def test_damaged_runs_are_listed_with_the_reason_and_the_others_are_unaffected(tmp_path):
    logged_run(tmp_path, "p", "good", [{"m": 1}])
    bad_json = logged_run(tmp_path, "p", "badjson", [{"m": 1}])
    bad_json.metadata_path.write_text("{not json")
    bad_parquet = logged_run(tmp_path, "p", "badparquet", [{"m": 1}])
    bad_parquet.parquet_path.write_bytes(b"PAR1 this is not parquet")
    bad_log = framed_run(
        tmp_path, "p", "badlog", [pa.record_batch({"_step": pa.array([i], pa.int64())}) for i in range(3)]
    )
    patch_metadata(bad_log, state="running", heartbeat_at=time.time(), pid=None)
    data = bytearray(bad_log.log_path.read_bytes())
    data[30] ^= 0xFF  # inside the first frame's payload, with frames after it: corruption, not a torn tail
    bad_log.log_path.write_bytes(bytes(data))
    by_id = {r["run_id"]: r for r in list_runs(tmp_path, "p")["runs"]}
    assert set(by_id) == {"good", "badjson", "badparquet", "badlog"}
    assert by_id["good"]["damaged"] is None
    assert "run.json" in by_id["badjson"]["damaged"]
    assert by_id["badjson"]["state"] == "unknown"
    assert "history" in by_id["badparquet"]["damaged"]
    assert "corrupt" in by_id["badlog"]["damaged"]


def test_a_run_deleted_meanwhile_simply_disappears(tmp_path):
    logged_run(tmp_path, "p", "stays", [{"m": 1}])
    gone = logged_run(tmp_path, "p", "goes", [{"m": 1}])
    assert len(list_runs(tmp_path, "p")["runs"]) == 2
    shutil.rmtree(gone.path)
    assert [r["run_id"] for r in list_runs(tmp_path, "p")["runs"]] == ["stays"]
    assert run_entry(gone.path) is None


def test_thousands_of_metric_keys_list_quickly(tmp_path):
    logged_run(tmp_path, "p", "wide", [{f"layer{i}/grad": float(i) for i in range(3000)}])
    started = time.perf_counter()
    [run] = list_runs(tmp_path, "p")["runs"]
    assert len(run["metrics"]) == 3000
    assert time.perf_counter() - started < 2.0


def test_flatten_joins_nested_keys_with_dots_and_keeps_non_finite_spellings():
    assert flatten({"a": {"b": {"c": 1}}, "n": "NaN", "l": [1, {"x": 2}], "s": "text"}) == {
        "a.b.c": 1,
        "n": "NaN",
        "l": '[1,{"x":2}]',
        "s": "text",
    }
    assert math.isnan(float(flatten({"n": "NaN"})["n"]))
