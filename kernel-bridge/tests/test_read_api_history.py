"""The read API's history: sampling like wandb, key selection, streaming scans, pandas or pyarrow results."""

from __future__ import annotations

import builtins
import socket
import sys
import tracemalloc

import pandas as pd
import pyarrow as pa
import pytest
from store_builders import framed_run, history_batch, logged_run

from spyglass.api import Api, CorruptRunLogError, history_sampling
from spyglass.errors import CorruptLogError
from spyglass.store.arrow_codec import encode_batch
from spyglass.store.framed_log import FramedLogWriter


@pytest.fixture
def long_run(store):
    """A run of 1000 steps logged through spyglass.init; "val" is logged every 100 steps only."""
    rows = [
        {"loss": 1000.0 - step, **({"val": float(step)} if step % 100 == 0 else {})} for step in range(1000)
    ]
    logged_run(store, "demo", "long", rows)
    return Api().run("demo/long")


@pytest.fixture
def framed(store):
    """A run of 50 frames of 20 rows each (steps 0..999), written frame by frame."""
    frames = [
        history_batch(list(range(start, start + 20)), loss=[float(s) for s in range(start, start + 20)])
        for start in range(0, 1000, 20)
    ]
    framed_run(store, "demo", "framed", frames)
    return Api().run("demo/framed")


def test_history_returns_a_pandas_dataframe_of_500_evenly_spaced_rows_by_default(long_run):
    frame = long_run.history()
    assert isinstance(frame, pd.DataFrame)
    assert len(frame) == 500
    steps = frame["_step"].tolist()
    assert (steps[0], steps[-1]) == (0, 999)
    gaps = {later - earlier for earlier, later in zip(steps, steps[1:], strict=False)}
    assert gaps <= {1, 2, 3}


@pytest.mark.parametrize("samples", [1, 2, 7, 999, 1000, 5000])
def test_sampling_keeps_the_first_and_last_rows_and_returns_at_most_samples(long_run, samples):
    steps = long_run.history(samples=samples, pandas=False).column("_step").to_pylist()
    assert len(steps) == min(samples, 1000)
    assert steps[0] == 0
    if samples > 1:
        assert steps[-1] == 999
    assert steps == sorted(set(steps))


def test_samples_none_returns_every_row(long_run):
    assert long_run.history(samples=None, pandas=False).num_rows == 1000


def test_history_as_pyarrow_when_pandas_is_false(long_run):
    table = long_run.history(pandas=False)
    assert isinstance(table, pa.Table)
    assert {"_step", "_timestamp", "_runtime", "loss", "val"} <= set(table.column_names)


def test_history_is_pyarrow_when_pandas_is_not_installed(long_run, monkeypatch):
    real_import = builtins.__import__

    def without_pandas(name, *args, **kwargs):
        if name == "pandas":
            raise ImportError("no pandas here")
        return real_import(name, *args, **kwargs)

    monkeypatch.delitem(sys.modules, "pandas")
    monkeypatch.setattr(builtins, "__import__", without_pandas)
    assert isinstance(long_run.history(), pa.Table)


def test_keys_select_columns_and_only_rows_where_every_key_was_logged(long_run):
    frame = long_run.history(keys=["val", "loss"], samples=None)
    assert list(frame.columns) == ["_step", "val", "loss"]
    assert frame["_step"].tolist() == list(range(0, 1000, 100))


def test_an_unlogged_key_gives_no_rows_as_in_wandb(long_run):
    assert long_run.history(keys=["nope"], pandas=False).num_rows == 0


def test_x_axis_comes_first(long_run):
    assert long_run.history(keys=["loss"], x_axis="_runtime", pandas=False).column_names == [
        "_runtime",
        "loss",
    ]


def test_scan_history_yields_every_row_as_a_dict_of_logged_values(long_run):
    rows = list(long_run.scan_history())
    assert len(rows) == 1000
    assert rows[1] == {
        "_step": 1,
        "_timestamp": rows[1]["_timestamp"],
        "_runtime": rows[1]["_runtime"],
        "loss": 999.0,
    }
    assert rows[100]["val"] == 100.0


def test_scan_history_with_keys_and_a_step_range(long_run):
    rows = list(long_run.scan_history(keys=["val"], min_step=200, max_step=500))
    assert rows == [{"_step": 200, "val": 200.0}, {"_step": 300, "val": 300.0}, {"_step": 400, "val": 400.0}]


def test_scan_history_decodes_one_frame_at_a_time(framed, monkeypatch):
    decoded = []
    real_decode = history_sampling.decode_payload

    def counting_decode(payload):
        decoded.append(len(payload))
        return real_decode(payload)

    monkeypatch.setattr(history_sampling, "decode_payload", counting_decode)
    rows = framed.scan_history(page_size=7)
    first = next(rows)
    assert first["_step"] == 0
    assert len(decoded) == 1
    for _ in range(20):
        next(rows)
    assert len(decoded) == 2
    assert sum(1 for _ in rows) == 1000 - 21
    assert len(decoded) == 50


def test_scan_history_never_materialises_the_whole_log(framed, monkeypatch):
    monkeypatch.setattr(
        type(framed._directory), "read_history", lambda self: pytest.fail("read the whole log")
    )
    assert sum(1 for _ in framed.scan_history()) == 1000


def test_scan_history_memory_stays_far_below_the_size_of_the_log(store):
    frames = [
        history_batch(list(range(start, start + 2000)), **{f"m{i}": [float(i)] * 2000 for i in range(10)})
        for start in range(0, 100_000, 2000)
    ]
    directory = framed_run(store, "demo", "big", frames)
    log_size = directory.log_path.stat().st_size
    run = Api().run("demo/big")
    tracemalloc.start()
    try:
        assert sum(1 for _ in run.scan_history()) == 100_000
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert log_size > 8_000_000
    assert peak < log_size / 4


def test_to_arrow_returns_the_whole_history(framed):
    table = framed.to_arrow()
    assert table.num_rows == 1000
    assert table.column("loss").to_pylist()[-1] == 999.0


def test_a_run_without_a_log_has_an_empty_history(store):
    framed_run(store, "demo", "empty", [])
    run = Api().run("demo/empty")
    assert run.history(pandas=False).num_rows == 0
    assert list(run.scan_history()) == []


def test_system_metrics_read_the_system_stream_when_present(store):
    directory = framed_run(store, "demo", "sys", [history_batch([0], loss=[1.0])])
    run = Api().run("demo/sys")
    assert run.system_metrics(pandas=False).num_rows == 0
    batch = pa.record_batch({"_timestamp": [1.0, 11.0], "_runtime": [0.0, 10.0], "system/cpu": [12.5, 40.0]})
    with FramedLogWriter(directory.path / "system.sglog") as writer:
        writer.append(encode_batch(batch))
    frame = run.system_metrics()
    assert frame["system/cpu"].tolist() == [12.5, 40.0]


def test_the_read_api_reads_the_file_the_system_monitor_writes():
    from spyglass.api import stored_run as run
    from spyglass.system import system_metrics

    assert run.SYSTEM_LOG_FILE == system_metrics.SYSTEM_LOG_FILE


def test_a_corrupt_log_names_the_run_and_the_byte_offset(framed):
    data = bytearray(framed._directory.log_path.read_bytes())
    data[16 + 24 + 5] ^= 0xFF  # a payload byte of the first frame: corruption in the middle
    framed._directory.log_path.write_bytes(bytes(data))
    for read in (lambda: framed.history(), lambda: list(framed.scan_history())):
        with pytest.raises(
            CorruptRunLogError,
            match=r"run demo/framed: .*history.sglog: corrupt framed log at byte offset 16",
        ) as caught:
            read()
        assert isinstance(caught.value, CorruptLogError)
        assert caught.value.offset == 16


def test_sample_indices_are_evenly_spaced_with_both_ends():
    assert history_sampling.sample_indices(11, 3) == [0, 5, 10]
    assert history_sampling.sample_indices(10, 4) == [0, 3, 6, 9]
    with pytest.raises(ValueError, match="at least 1"):
        history_sampling.sample_indices(10, 0)


def test_a_real_run_reads_back_the_values_it_logged(store):
    logged_run(
        store,
        "demo",
        "nested",
        [{"train": {"loss": 0.5}, "note": "hello"}],
        config={"host": socket.gethostname()},
    )
    rows = list(Api().run("demo/nested").scan_history())
    assert rows[0]["train/loss"] == 0.5
    assert rows[0]["note"] == "hello"
