"""The background flusher stores rows on its own, in order, exactly once."""

from __future__ import annotations

import time

import spyglass as sg
from spyglass.arrow_codec import decode_payload
from spyglass.framed_log import read_framed_log
from spyglass.history import CHUNK_ROWS
from spyglass.run_store import RunDirectory


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
    from spyglass.flusher import FRAME_ROWS

    run = sg.init(project="p", flush_interval=30)
    total = FRAME_ROWS * 2 + 500
    for i in range(total):
        run.log({"a": float(i)})
    run.finish()
    log = read_framed_log(RunDirectory(run.dir).log_path)
    assert len(log.frames) >= 3
    assert all(decode_payload(f.payload).num_rows <= FRAME_ROWS for f in log.frames)
    assert stored_steps(run) == list(range(total))
