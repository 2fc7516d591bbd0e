"""The framed-log writer appends whole frames, recovers from a crash, and never writes after garbage."""

from __future__ import annotations

import errno
import os
import threading

import pytest

from spyglass.errors import CorruptLogError, StoreError
from spyglass.store import framed_log
from spyglass.store.framed_log import FILE_HEADER_SIZE, FramedLogWriter, encode_file_header, read_framed_log

PAYLOADS = [f"payload {index} ".encode() * (index + 3) for index in range(6)]


def write_log(path, payloads=PAYLOADS):
    with FramedLogWriter(path) as writer:
        for payload in payloads:
            writer.append(payload)
        writer.sync()


def test_writer_creates_a_log_with_only_the_file_header(tmp_path):
    path = tmp_path / "history.sglog"
    with FramedLogWriter(path) as writer:
        assert writer.next_seq == 0
        assert writer.size == FILE_HEADER_SIZE
    assert path.read_bytes() == encode_file_header()
    assert not [entry for entry in os.listdir(tmp_path) if entry.endswith(".tmp")]


def test_writer_numbers_frames_from_zero_and_readers_get_them_back(tmp_path):
    path = tmp_path / "history.sglog"
    with FramedLogWriter(path) as writer:
        assert [writer.append(payload) for payload in PAYLOADS] == list(range(len(PAYLOADS)))
        assert writer.next_seq == len(PAYLOADS)
        assert writer.size == path.stat().st_size
    contents = read_framed_log(path)
    assert [frame.payload for frame in contents.frames] == PAYLOADS
    assert contents.torn is None


def patch_writes(monkeypatch, fake_write):
    """Route the writer's write() and writev() (whichever the platform has) through fake_write(fd, data)."""
    monkeypatch.setattr(framed_log.os, "write", fake_write)
    if hasattr(os, "writev"):
        monkeypatch.setattr(framed_log.os, "writev", lambda fd, buffers: fake_write(fd, b"".join(buffers)))


def test_writer_appends_each_frame_with_a_single_write_call(tmp_path, monkeypatch):
    calls = []
    real_write = os.write
    with FramedLogWriter(tmp_path / "history.sglog") as writer:
        patch_writes(monkeypatch, lambda fd, data: calls.append(len(data)) or real_write(fd, data))
        writer.append(b"x" * 1000)
    assert calls == [framed_log.FRAME_HEADER_SIZE + 1000]


def test_reopened_writer_continues_the_sequence(tmp_path):
    path = tmp_path / "history.sglog"
    write_log(path, PAYLOADS[:3])
    with FramedLogWriter(path) as writer:
        assert writer.next_seq == 3 and writer.recovered_tail is None
        assert writer.append(PAYLOADS[3]) == 3
    assert [frame.seq for frame in read_framed_log(path).frames] == [0, 1, 2, 3]


def test_writer_recovers_after_a_crash_at_every_offset_of_the_last_two_frames(tmp_path):
    path = tmp_path / "history.sglog"
    write_log(path)
    data = path.read_bytes()
    starts = [frame.offset for frame in read_framed_log(data).frames]
    for cut in range(starts[-2], len(data)):
        path.write_bytes(data[:cut])  # what a kill -9 in the middle of a write can leave
        with FramedLogWriter(path) as writer:
            kept = 5 if cut >= starts[-1] else 4
            assert writer.next_seq == kept, cut
            assert (writer.recovered_tail is None) == (cut in starts), cut
            writer.append(b"after the crash")
            writer.append(b"and one more")
        contents = read_framed_log(path)
        assert contents.torn is None, cut
        assert [frame.seq for frame in contents.frames] == list(range(kept + 2)), cut
        assert [frame.payload for frame in contents.frames] == [
            *PAYLOADS[:kept],
            b"after the crash",
            b"and one more",
        ], cut


def test_writer_replaces_a_zero_filled_tail(tmp_path):
    path = tmp_path / "history.sglog"
    write_log(path, PAYLOADS[:2])
    with open(path, "ab") as file:
        file.write(bytes(4096))
    with FramedLogWriter(path) as writer:
        assert writer.recovered_tail.reason == "zero-filled tail"
        writer.append(b"next")
    assert [frame.payload for frame in read_framed_log(path).frames] == [*PAYLOADS[:2], b"next"]


def test_writer_rewrites_a_header_cut_short(tmp_path):
    path = tmp_path / "history.sglog"
    path.write_bytes(encode_file_header()[:7])
    with FramedLogWriter(path) as writer:
        writer.append(b"first")
    assert [(frame.seq, frame.payload) for frame in read_framed_log(path).frames] == [(0, b"first")]


def test_writer_refuses_to_open_a_log_corrupt_in_the_middle_and_leaves_it_untouched(tmp_path):
    path = tmp_path / "history.sglog"
    write_log(path)
    damaged = bytearray(path.read_bytes())
    middle = read_framed_log(bytes(damaged)).frames[2].offset
    damaged[middle + 30] ^= 0x40
    path.write_bytes(damaged)
    with pytest.raises(CorruptLogError) as caught:
        FramedLogWriter(path)
    assert caught.value.offset == middle and caught.value.path == str(path)
    assert path.read_bytes() == bytes(damaged)


def test_a_second_writer_on_the_same_log_is_refused(tmp_path):
    path = tmp_path / "history.sglog"
    with FramedLogWriter(path), pytest.raises(StoreError, match="already open for writing"):
        FramedLogWriter(path)
    with FramedLogWriter(path) as writer:  # the lock goes with close()
        assert writer.next_seq == 0


def test_a_failed_append_leaves_the_log_valid_and_the_sequence_unchanged(tmp_path, monkeypatch):
    path = tmp_path / "history.sglog"
    real_write = os.write

    def disk_full_half_way(fd, data):
        real_write(fd, bytes(data)[: len(data) // 2])
        raise OSError(errno.ENOSPC, "No space left on device")

    with FramedLogWriter(path) as writer:
        writer.append(b"kept")
        with monkeypatch.context() as disk_full:
            patch_writes(disk_full, disk_full_half_way)
            with pytest.raises(StoreError, match="No space left on device"):
                writer.append(b"lost" * 100)
        assert writer.append(b"after the disk was freed") == 1
    contents = read_framed_log(path)
    assert [frame.payload for frame in contents.frames] == [b"kept", b"after the disk was freed"]
    assert contents.torn is None


def test_writer_finishes_a_short_write(tmp_path, monkeypatch):
    path = tmp_path / "history.sglog"
    real_write = os.write
    with FramedLogWriter(path) as writer:
        patch_writes(monkeypatch, lambda fd, data: real_write(fd, bytes(data)[:10]))
        writer.append(b"y" * 100)
    assert read_framed_log(path).frames[0].payload == b"y" * 100


def test_a_closed_writer_refuses_to_append(tmp_path):
    writer = FramedLogWriter(tmp_path / "history.sglog")
    writer.close()
    writer.close()
    with pytest.raises(StoreError, match="closed"):
        writer.append(b"late")


def test_writer_works_from_a_background_thread(tmp_path):
    path = tmp_path / "history.sglog"
    writer = FramedLogWriter(path)
    errors = []

    def flush():
        try:
            for payload in PAYLOADS:
                writer.append(payload)
            writer.sync()
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)

    thread = threading.Thread(target=flush)
    thread.start()
    thread.join()
    writer.close()
    assert errors == []
    assert [frame.payload for frame in read_framed_log(path).frames] == PAYLOADS
