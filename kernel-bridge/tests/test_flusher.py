"""The background flusher stores rows on its own, in order, exactly once; flush() says "done" only then."""

from __future__ import annotations

import errno
import itertools
import os
import shutil
import time
import warnings

import pytest

import spyglass as sg
from spyglass.errors import FlushError, StoreWriteError
from spyglass.rows import batch_builder
from spyglass.rows.flusher import FlushFailedWarning
from spyglass.rows.history import CHUNK_ROWS, RefusedValueWarning
from spyglass.store import framed_log
from spyglass.store.arrow_codec import decode_payload
from spyglass.store.durable_log import DurableLog
from spyglass.store.framed_log import read_framed_log
from spyglass.store.run_store import RunDirectory


def stored_steps(run) -> list[int]:
    log = read_framed_log(RunDirectory(run.dir).log_path)
    return [s for f in log.frames for s in decode_payload(f.payload).column("_step").to_pylist()]


def test_rows_reach_the_log_within_the_flush_interval_without_finish(store):
    run = sg.init(project="p", flush_interval=0.1)
    run.log({"a": 1.0})
    deadline = time.monotonic() + 2
    while not stored_steps(run) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert stored_steps(run) == [0]


def test_rows_converted_ahead_in_chunks_are_stored_once_and_in_order(store):
    run = sg.init(project="p", flush_interval=30)  # only chunk wake-ups convert before finish()
    total = CHUNK_ROWS * 5 + 17
    for i in range(total):
        run.log({"a": float(i), "b": i * 2.0})
        if i % CHUNK_ROWS == 0:
            time.sleep(0.01)  # let the flusher thread convert the chunk
        if i == total // 2:
            run.log({"text": "half"})  # another key set in the middle
    run.finish()
    table = RunDirectory(run.dir).read_history()
    assert table.column("_step").to_pylist() == list(range(total + 1))
    assert table.column("text").to_pylist().count("half") == 1
    assert [v for v in table.column("a").to_pylist() if v is not None] == [float(i) for i in range(total)]


def test_a_large_flush_is_split_into_moderate_frames_in_step_order(store):
    from spyglass.rows.flusher import FRAME_ROWS

    run = sg.init(project="p", flush_interval=30)
    total = FRAME_ROWS * 2 + 500
    for i in range(total):
        run.log({"a": float(i)})
    run.finish()
    log = read_framed_log(RunDirectory(run.dir).log_path)
    assert len(log.frames) >= 3
    assert all(decode_payload(f.payload).num_rows <= FRAME_ROWS for f in log.frames)
    assert stored_steps(run) == list(range(total))


class _Dtype:
    kind = "f"


class ScalarThatExplodes:
    """Looks like a 0-d float tensor to log(), but reading it raises (as a tensor on a lost device may)."""

    dtype = _Dtype()
    shape = ()

    def __init__(self, error: BaseException) -> None:
        self.error = error

    def __float__(self) -> float:
        raise self.error


def wait_for_steps(run, count: int) -> list[int]:
    deadline = time.monotonic() + 10
    while len(stored_steps(run)) < count and time.monotonic() < deadline:
        time.sleep(0.02)
    return stored_steps(run)


@pytest.mark.parametrize("error", [RuntimeError("device lost"), SystemExit(3), KeyboardInterrupt()])
def test_a_value_that_cannot_be_read_is_stored_as_null_and_the_flusher_keeps_storing(store, error):
    run = sg.init(project="p", flush_interval=0.05)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for i in range(10):
            run.log({"x": float(i), "t": ScalarThatExplodes(error) if i in (3, 7) else float(i)})
        assert wait_for_steps(run, 10) == list(range(10))  # stored by the flusher thread, before finish()
        run.log({"x": 10.0, "t": 10.0})
        run.finish()
    refused = [str(w.message) for w in caught if issubclass(w.category, RefusedValueWarning)]
    assert len(refused) == 1 and "metric 't'" in refused[0] and type(error).__name__ in refused[0]
    table = RunDirectory(run.dir).read_history()
    assert run.state == "finished" and table.column("x").to_pylist() == [float(i) for i in range(11)]
    values = table.column("t").to_pylist()
    assert values[3] is None and values[7] is None and values[8] == 8.0


def test_a_row_that_breaks_its_batch_is_left_out_alone_and_every_other_row_is_stored(store, monkeypatch):
    # Whatever fails while a batch is built, the flusher isolates the failing rows by halving.
    build_columns = batch_builder._to_arrow_columns

    def breaks_on_step_1234(segment, *args):
        if 1234 in segment.columns[0]:
            raise ArithmeticError("a failure nobody planned for")
        return build_columns(segment, *args)

    monkeypatch.setattr(batch_builder, "_to_arrow_columns", breaks_on_step_1234)
    run = sg.init(project="p", flush_interval=0.05)
    with pytest.warns(RefusedValueWarning, match=r"row at step 1234 .*ArithmeticError.*every other row"):
        for i in range(3000):
            run.log({"x": float(i), "s": f"row {i}"})
        run.finish()
    table = RunDirectory(run.dir).read_history()
    assert run.state == "finished"
    assert table.column("_step").to_pylist() == [i for i in range(3000) if i != 1234]


def stored_seqs(run) -> list[int]:
    return [f.seq for f in read_framed_log(RunDirectory(run.dir).log_path).frames]


def disk_full(monkeypatch) -> None:
    """Every write to a framed log fails with ENOSPC, as on a full disk (torture tests use a real one)."""

    def no_space(*args):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(framed_log.os, "writev", no_space)
    monkeypatch.setattr(framed_log.os, "write", no_space)


def test_flush_raises_while_the_disk_is_full_and_the_rows_catch_up_once_it_has_room(store, monkeypatch):
    run = sg.init(project="p", flush_interval=0.05, settings=sg.Settings(system_metrics=False))
    run.log({"a": 0.0})
    run.flush()
    with monkeypatch.context() as full:
        disk_full(full)
        for i in range(1, 500):
            run.log({"a": float(i)})  # never raises for the disk
        with pytest.warns(FlushFailedWarning, match="disk full"), pytest.raises(FlushError) as raised:
            run.flush()
        assert raised.value.reason == "disk full" and raised.value.rows >= 499
        assert raised.value.path == str(RunDirectory(run.dir).log_path)
        assert isinstance(raised.value, OSError) and raised.value.errno == errno.ENOSPC
        assert run.degraded["reason"] == "disk full" and run.degraded["unstored_rows"] >= 499
        time.sleep(0.3)  # the flusher thread retries meanwhile, and fails again
        for i in range(500, 1000):
            run.log({"a": float(i)})
    deadline = time.monotonic() + 5  # backoff: retried at least every MAX_RETRY_SECONDS
    while run.degraded is not None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert run.degraded is None, "the flusher caught up by itself once the disk had room"
    run.flush()
    assert stored_steps(run) == list(range(1000)), "every row once, in order"
    assert stored_seqs(run) == list(range(len(stored_seqs(run)))), "frame numbers stay contiguous"
    run.finish()


def test_frames_whose_fsync_failed_are_cut_and_written_again_with_the_same_numbers(store, monkeypatch):
    run = sg.init(project="p", flush_interval=60, settings=sg.Settings(system_metrics=False))
    run.log({"a": 0.0})
    run.flush()
    real_fsync = os.fsync
    failures = []

    def failing_fsync(fd):
        if not failures:
            failures.append(fd)
            raise OSError(errno.EIO, "Input/output error")
        real_fsync(fd)

    run.log({"a": 1.0})
    with monkeypatch.context() as broken:
        broken.setattr(framed_log.os, "fsync", failing_fsync)
        with pytest.warns(FlushFailedWarning), pytest.raises(FlushError, match="I/O error"):
            run.flush()
    run.log({"a": 2.0})
    run.flush()
    assert stored_steps(run) == [0, 1, 2] and stored_seqs(run) == [0, 1, 2]  # frame 1 written once, again
    run.finish()


def test_a_deleted_run_directory_is_named_in_the_errors_of_flush_and_finish(store):
    run = sg.init(project="p", flush_interval=60, settings=sg.Settings(system_metrics=False))
    run.log({"a": 1.0})
    run.flush()
    shutil.rmtree(run.dir)
    run.log({"a": 2.0})
    with pytest.warns(FlushFailedWarning), pytest.raises(FlushError) as raised:
        run.flush()
    assert raised.value.reason == "directory deleted" and run.dir in str(raised.value)
    assert run.degraded["reason"] == "directory deleted"
    with pytest.raises(StoreWriteError, match="directory deleted") as at_finish:
        run.finish()
    assert run.dir in str(at_finish.value) and run.state == "failed"


def test_flushes_are_due_at_a_fixed_rate_so_a_slow_write_does_not_delay_the_next(store, monkeypatch):
    starts: list[float] = []
    real_write = DurableLog.write

    def slow_write(self, payloads):
        starts.append(time.monotonic())
        time.sleep(0.1)  # a slow disk, or a flusher waiting for the GIL
        return real_write(self, payloads)

    monkeypatch.setattr(DurableLog, "write", slow_write)
    run = sg.init(project="p", flush_interval=0.25, settings=sg.Settings(system_metrics=False))
    end = time.monotonic() + 2.2
    while time.monotonic() < end:
        run.log({"a": 1.0})
        time.sleep(0.001)
    gaps = sorted(b - a for a, b in itertools.pairwise(starts))
    run.finish()
    # Due every 0.25 s; before, each write pushed the next flush back by its own 0.1 s (gaps of 0.35 s).
    assert gaps[len(gaps) // 2] < 0.3, gaps


def test_run_json_and_the_read_api_show_a_degraded_run_until_its_rows_are_stored(store, monkeypatch):
    run = sg.init(project="p", flush_interval=0.05, settings=sg.Settings(system_metrics=False))
    run.log({"a": 0.0})
    run.flush()
    path = f"p/{run.id}"
    with monkeypatch.context() as full:
        disk_full(full)  # the history log cannot grow; run.json (a small file) still can be replaced
        run.log({"a": 1.0})
        deadline = time.monotonic() + 5
        while sg.Api(store).run(path).degraded is None and time.monotonic() < deadline:
            time.sleep(0.05)
        degraded = sg.Api(store).run(path).degraded
        assert degraded is not None and degraded["reason"] == "disk full"
        assert degraded["path"].endswith("history.sglog") and degraded["unstored_rows"] >= 1
    run.finish()
    stored = sg.Api(store).run(path)
    assert stored.degraded is None and stored.dropped_rows == 0 and stored.state == "finished"


def test_past_the_memory_bound_newer_rows_are_dropped_counted_and_recorded(store, monkeypatch):
    run = sg.init(project="p", flush_interval=60, settings=sg.Settings(system_metrics=False))
    run._flusher._pending.max_bytes = 200_000  # MAX_UNSTORED_BYTES (256 MiB) scaled down for the test
    with monkeypatch.context() as full:
        disk_full(full)
        with pytest.warns(FlushFailedWarning):
            for chunk in range(10):
                for i in range(5000):
                    run.log({"a": float(chunk * 5000 + i)})
                with pytest.raises(FlushError):
                    run.flush()
    assert run._flusher.dropped_rows > 0
    kept = 50_000 - run._flusher.dropped_rows
    run.log({"a": -1.0})  # logged once the disk has room: kept
    run.finish()
    steps = stored_steps(run)
    assert steps == list(range(kept)) + [50_000], "the kept rows are the ones right after the stored prefix"
    assert sg.Api(store).run(f"p/{run.id}").dropped_rows == 50_000 - kept
