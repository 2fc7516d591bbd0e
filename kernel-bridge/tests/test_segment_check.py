"""A segment is appended to a mirror only when its CRC32C, its end offset, every frame and its first frame's
number check out; each way of failing names the key and what is wrong."""

from __future__ import annotations

import crc32c
import pytest
from store_builders import framed_run, history_batch

from spyglass.store.framed_log import FILE_HEADER_SIZE, read_framed_log
from spyglass.store.segment_check import BadSegment, check_segment, segment_offset


@pytest.fixture
def log(tmp_path) -> bytes:
    batches = [history_batch([step], loss=[float(step)]) for step in range(3)]
    return framed_run(tmp_path, "p", "r", batches).log_path.read_bytes()


def metadata(data: bytes, start: int) -> dict[str, str]:
    return {"crc32c": str(crc32c.crc32c(data)), "end": str(start + len(data))}


def frame_starts(log: bytes) -> list[int]:
    return [frame.offset for frame in read_framed_log(log).frames]


def test_the_first_segment_and_a_later_one_are_accepted(log):
    cut = frame_starts(log)[1]
    first = check_segment(log[:cut], 0, 0, metadata(log[:cut], 0), "k/0")
    assert (first.frames, first.next_seq) == (1, 1)
    rest = check_segment(log[cut:], cut, 1, metadata(log[cut:], cut), "k/1")
    assert (rest.frames, rest.next_seq) == (2, 3)


def test_the_writers_hex_spelling_of_the_crc_is_accepted(log):
    assert check_segment(log, 0, 0, {"crc32c": f"{crc32c.crc32c(log):08x}"}, "k").frames == 3


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda data, meta: (data[:-3], meta), "CRC32C does not match"),
        (lambda data, meta: (data, {**meta, "end": "7"}), "metadata says 7"),
        (lambda data, meta: (data, {"end": meta["end"]}), "no crc32c metadata"),
        (lambda data, meta: (data[:-3], metadata(data[:-3], 0)), "ends inside a frame"),
        (lambda data, meta: (b"X" + data[1:], metadata(b"X" + data[1:], 0)), "bad file magic"),
    ],
)
def test_a_bad_segment_is_refused_with_its_key_and_reason(log, change, reason):
    data, meta = change(log, metadata(log, 0))
    with pytest.raises(BadSegment, match=reason) as raised:
        check_segment(data, 0, 0, meta, "proj/run/segments/history/0000000000000000.sglog")
    assert "proj/run/segments/history/0000000000000000.sglog" in str(raised.value)


def test_a_segment_whose_frames_are_numbered_elsewhere_is_refused(log):
    cut = frame_starts(log)[1]
    with pytest.raises(BadSegment, match="number 1, 5 was expected"):
        check_segment(log[cut:], cut, 5, metadata(log[cut:], cut), "k")


def test_segment_keys_name_their_offset():
    assert segment_offset("p/r/segments/history/0000000000000016.sglog") == FILE_HEADER_SIZE
    assert segment_offset("p/r/segments/history/notes.txt") is None
