"""The run store: directory layout, atomic metadata, unified history, and Parquet any engine can read."""

from __future__ import annotations

import json
import os
from pathlib import Path

import duckdb
import polars
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from spyglass.base import atomic_file
from spyglass.errors import InvalidNameError, StoreError
from spyglass.store.arrow_codec import encode_batch
from spyglass.store.framed_log import FramedLogWriter
from spyglass.store.run_store import RunDirectory, find_runs, resolve_store_root, validate_name

META = {"format": 1, "run_id": "abc123", "project": "demo", "state": "running", "config": {"lr": 0.001}}


def history_batch(steps, **metrics) -> pa.RecordBatch:
    columns = {
        "_step": pa.array(steps, pa.int64()),
        "_timestamp": pa.array([1000.0 + step for step in steps]),
        "_runtime": pa.array([float(step) for step in steps]),
    }
    columns.update({name: pa.array(values) for name, values in metrics.items()})
    return pa.record_batch(columns)


def make_run(root, project="demo", run_id="abc123", batches=()) -> RunDirectory:
    run = RunDirectory.create(root, project, run_id)
    run.write_metadata({**META, "project": project, "run_id": run_id})
    with FramedLogWriter(run.log_path) as writer:
        for batch in batches:
            writer.append(encode_batch(batch))
    return run


def test_create_lays_out_project_and_run_directories(tmp_path):
    run = RunDirectory.create(tmp_path / "store", "demo", "abc123")
    assert run.path == tmp_path / "store" / "demo" / "abc123" and run.path.is_dir()
    assert run.metadata_path.name == "run.json"
    assert run.log_path.name == "history.sglog"
    assert run.parquet_path.name == "history.parquet"


def test_create_refuses_an_existing_run_unless_asked_to_reuse_it(tmp_path):
    RunDirectory.create(tmp_path, "demo", "abc123")
    with pytest.raises(StoreError, match="already exists"):
        RunDirectory.create(tmp_path, "demo", "abc123")
    assert RunDirectory.create(tmp_path, "demo", "abc123", exist_ok=True).path.is_dir()


@pytest.mark.parametrize(
    "name",
    [
        "",
        "a/b",
        "a\\b",
        "a#b",
        "a?b",
        "50%",
        "c:d",
        "..",
        "a..b",
        ".",
        ".hidden",
        "nul\0byte",
        "new\nline",
        "x" * 256,
    ],
)
def test_unsafe_project_names_and_run_ids_are_refused(tmp_path, name):
    with pytest.raises(InvalidNameError) as caught:
        RunDirectory.create(tmp_path, name, "abc123")
    assert isinstance(caught.value, ValueError)
    assert "project" in str(caught.value)
    with pytest.raises(InvalidNameError, match="run id"):
        RunDirectory.create(tmp_path, "demo", name)
    assert list(tmp_path.iterdir()) in ([], [tmp_path / "demo"])


@pytest.mark.parametrize("name", ["demo", "my project", "résumé-2026", "v1.2", "run_01", "日本語", "a.b"])
def test_ordinary_names_are_accepted(name):
    assert validate_name("project", name) == name


def test_metadata_round_trips_through_run_json(tmp_path):
    run = RunDirectory.create(tmp_path, "demo", "abc123")
    run.write_metadata(META)
    assert run.read_metadata() == META
    assert json.loads(run.metadata_path.read_text(encoding="utf-8")) == META


def test_metadata_stores_non_finite_numbers_and_numpy_values_as_valid_json(tmp_path):
    class NumpyLikeScalar:  # numpy is not a dependency; its scalars and arrays all offer tolist()
        def tolist(self):
            return 0.5

    run = RunDirectory.create(tmp_path, "demo", "abc123")
    run.write_metadata(
        {"config": {"a": float("nan"), "b": float("inf"), "c": NumpyLikeScalar(), "d": Path("x")}}
    )
    text = run.metadata_path.read_text(encoding="utf-8")
    assert "NaN" not in text.replace('"NaN"', "")  # strict JSON: browsers' JSON.parse rejects bare NaN
    assert run.read_metadata()["config"] == {"a": "NaN", "b": "Infinity", "c": 0.5, "d": "x"}


def test_metadata_refuses_values_json_cannot_hold(tmp_path):
    run = RunDirectory.create(tmp_path, "demo", "abc123")
    with pytest.raises(TypeError, match="cannot be stored as JSON"):
        run.write_metadata({"config": {"callback": object()}})
    assert not run.metadata_path.exists()


def test_a_leftover_temp_file_never_shadows_run_json(tmp_path):
    run = make_run(tmp_path)
    (run.path / ".run.json.deadbeef.tmp").write_text('{"state": "half-written')
    assert run.read_metadata()["state"] == "running"
    assert find_runs(tmp_path) == [run]


def test_a_metadata_write_that_fails_before_the_rename_keeps_the_old_run_json(tmp_path, monkeypatch):
    run = make_run(tmp_path)
    before = run.metadata_path.read_bytes()

    def crash(*args):
        raise OSError("simulated crash before rename")

    monkeypatch.setattr(atomic_file.os, "replace", crash)
    with pytest.raises(OSError, match="simulated crash"):
        run.write_metadata({**META, "state": "finished"})
    monkeypatch.undo()
    assert run.metadata_path.read_bytes() == before
    assert sorted(entry.name for entry in run.path.iterdir()) == ["history.sglog", "run.json"]


def test_metadata_is_replaced_not_rewritten_in_place(tmp_path):
    run = make_run(tmp_path)
    inode_before = run.metadata_path.stat().st_ino
    run.write_metadata({**META, "state": "finished"})
    assert run.metadata_path.stat().st_ino != inode_before
    assert run.read_metadata()["state"] == "finished"


def test_new_metadata_files_follow_the_umask(tmp_path):
    run = RunDirectory.create(tmp_path, "demo", "abc123")
    previous = os.umask(0o022)
    try:
        run.write_metadata(META)
    finally:
        os.umask(previous)
    assert run.metadata_path.stat().st_mode & 0o777 == 0o644


def test_history_unifies_columns_by_name_with_nulls_where_missing(tmp_path):
    run = make_run(
        tmp_path,
        batches=[
            history_batch([0, 1], loss=[1.0, 0.5]),
            history_batch([2], acc=[0.9], loss=[0.25]),
            history_batch([3], phase=["eval"]),
        ],
    )
    table = run.read_history()
    assert table.column_names == ["_step", "_timestamp", "_runtime", "loss", "acc", "phase"]
    assert table.column("_step").to_pylist() == [0, 1, 2, 3]
    assert table.column("loss").to_pylist() == [1.0, 0.5, 0.25, None]
    assert table.column("acc").to_pylist() == [None, None, 0.9, None]
    assert table.column("phase").to_pylist() == [None, None, None, "eval"]


def test_history_keeps_a_metric_logged_as_number_and_as_text_by_reading_it_as_text(tmp_path):
    run = make_run(tmp_path, batches=[history_batch([0], x=[1.5]), history_batch([1], x=["n/a"])])
    table = run.read_history()
    assert table.schema.field("x").type == pa.string()
    assert table.column("x").to_pylist() == ["1.5", "n/a"]


def test_history_of_a_run_that_logged_nothing_has_the_reserved_columns(tmp_path):
    run = RunDirectory.create(tmp_path, "demo", "abc123")
    assert run.read_history().column_names == ["_step", "_timestamp", "_runtime"]
    FramedLogWriter(run.log_path).close()
    assert run.read_history().num_rows == 0


def test_history_leaves_out_a_torn_tail(tmp_path):
    run = make_run(tmp_path, batches=[history_batch([0], loss=[1.0]), history_batch([1], loss=[0.5])])
    with open(run.log_path, "r+b") as file:
        file.truncate(run.log_path.stat().st_size - 5)
    assert run.read_history().column("_step").to_pylist() == [0]


def test_exported_parquet_is_readable_by_duckdb_polars_and_pyarrow(tmp_path):
    run = make_run(
        tmp_path,
        batches=[
            history_batch([0, 1], loss=[1.0, float("nan")]),
            history_batch([2], **{"train/acc": [0.75]}),
        ],
    )
    path = run.export_parquet()
    assert path == run.parquet_path

    rows = duckdb.sql(f"select _step, loss, \"train/acc\" from '{path}' order by _step").fetchall()
    assert rows[0] == (0, 1.0, None) and rows[2] == (2, None, 0.75)
    assert str(rows[1][1]) == "nan"

    frame = polars.read_parquet(path)
    assert frame["_step"].to_list() == [0, 1, 2]
    assert frame["train/acc"].to_list() == [None, None, 0.75]

    table = pq.read_table(path)
    assert table.column_names == ["_step", "_timestamp", "_runtime", "loss", "train/acc"]
    compressions = {pq.ParquetFile(path).metadata.row_group(0).column(i).compression for i in range(5)}
    assert compressions == {"ZSTD"}


def test_a_project_glob_over_finished_runs_works_in_duckdb(tmp_path):
    make_run(tmp_path, run_id="one", batches=[history_batch([0], loss=[1.0])]).export_parquet()
    make_run(tmp_path, run_id="two", batches=[history_batch([0, 1], loss=[2.0, 3.0])]).export_parquet()
    totals = duckdb.sql(f"select count(*), sum(loss) from '{tmp_path}/demo/*/history.parquet'").fetchall()
    assert totals == [(3, 6.0)]


def test_find_runs_lists_runs_with_metadata_sorted_by_path(tmp_path):
    second = make_run(tmp_path, "proj-b", "r1")
    first = make_run(tmp_path, "proj-a", "r2")
    other = make_run(tmp_path, "proj-a", "r1")
    (tmp_path / "proj-a" / "no-metadata-yet").mkdir()
    (tmp_path / "stray-file.txt").write_text("not a project")
    assert find_runs(tmp_path) == [other, first, second]
    assert find_runs(tmp_path, project="proj-a") == [other, first]
    assert find_runs(tmp_path, project="missing") == []
    assert find_runs(tmp_path / "no-such-store") == []
    with pytest.raises(InvalidNameError):
        find_runs(tmp_path, project="../etc")


def test_store_root_comes_from_the_argument_then_the_environment_then_the_default(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SPYGLASS_DIR", raising=False)
    assert resolve_store_root(None) == tmp_path / "spyglass"
    monkeypatch.setenv("SPYGLASS_DIR", "from-env")
    assert resolve_store_root(None) == tmp_path / "from-env"
    assert resolve_store_root("explicit") == tmp_path / "explicit"
    assert resolve_store_root(tmp_path / "abs") == tmp_path / "abs"
    assert resolve_store_root(None).is_absolute()
