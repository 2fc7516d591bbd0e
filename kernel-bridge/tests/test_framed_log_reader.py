"""The framed-log reader follows the reading rules of docs/store-format.md byte for byte."""

from __future__ import annotations

import struct

import crc32c
import pytest

from spyglass.errors import CorruptLogError
from spyglass.store.framed_log import (
    FILE_HEADER_SIZE,
    FRAME_HEADER_SIZE,
    encode_file_header,
    encode_frame,
    log_slice,
    read_framed_log,
)

PAYLOADS = [bytes([index]) * (40 + 13 * index) for index in range(1, 6)]  # distinct sizes and contents


def build_log(payloads: list[bytes] = PAYLOADS, first_seq: int = 0) -> tuple[bytes, list[int]]:
    """Return the bytes of a log of `payloads` and the start offset of each frame."""
    data = bytearray(encode_file_header())
    starts = []
    for seq, payload in enumerate(payloads, start=first_seq):
        starts.append(len(data))
        data += encode_frame(seq, payload)
    return bytes(data), starts


def flip_bit(data: bytes, bit: int) -> bytes:
    changed = bytearray(data)
    changed[bit // 8] ^= 1 << (bit % 8)
    return bytes(changed)


def test_reader_returns_every_frame_of_an_intact_log():
    data, starts = build_log()
    contents = read_framed_log(data)
    assert [frame.seq for frame in contents.frames] == [0, 1, 2, 3, 4]
    assert [frame.offset for frame in contents.frames] == starts
    assert [frame.payload for frame in contents.frames] == PAYLOADS
    assert contents.valid_end == len(data)
    assert contents.torn is None


def test_reader_reads_a_path_the_same_as_its_bytes(tmp_path):
    data, _ = build_log()
    path = tmp_path / "history.sglog"
    path.write_bytes(data)
    assert read_framed_log(path) == read_framed_log(data)
    assert read_framed_log(str(path)) == read_framed_log(memoryview(data))


def test_reader_returns_prefix_when_truncated_at_every_offset():
    data, starts = build_log()
    ends = starts[1:] + [len(data)]
    for cut in range(len(data) + 1):
        contents = read_framed_log(data[:cut])
        complete = [index for index, end in enumerate(ends) if end <= cut]
        assert [frame.seq for frame in contents.frames] == complete, cut
        assert [frame.payload for frame in contents.frames] == PAYLOADS[: len(complete)], cut
        expected_end = (
            ends[complete[-1]] if complete else (FILE_HEADER_SIZE if cut >= FILE_HEADER_SIZE else 0)
        )
        assert contents.valid_end == expected_end, cut
        if cut in (0, *starts, len(data)):
            assert contents.torn is None, cut
        elif cut < FILE_HEADER_SIZE:
            assert contents.torn.reason == "incomplete file header", cut
        else:
            assert contents.torn.offset == contents.valid_end, cut
            in_header = cut - contents.valid_end < FRAME_HEADER_SIZE
            expected = "incomplete frame header" if in_header else "incomplete frame payload"
            assert contents.torn.reason == expected, cut


def test_reader_raises_at_the_frame_offset_for_every_bit_flipped_in_a_middle_frame():
    data, starts = build_log()
    middle = starts[2]
    for bit in range(middle * 8, (middle + FRAME_HEADER_SIZE + 16) * 8):
        with pytest.raises(CorruptLogError) as caught:
            read_framed_log(flip_bit(data, bit))
        assert caught.value.offset == middle, bit


def test_reader_reports_a_torn_tail_for_every_bit_flipped_in_the_last_payload():
    data, starts = build_log()
    last_payload = starts[-1] + FRAME_HEADER_SIZE
    for bit in range(last_payload * 8, len(data) * 8):
        contents = read_framed_log(flip_bit(data, bit))
        assert [frame.seq for frame in contents.frames] == [0, 1, 2, 3], bit
        assert contents.torn.offset == starts[-1], bit
        assert contents.torn.reason == "payload checksum mismatch in the last frame"


def test_reader_treats_a_damaged_last_frame_header_as_corruption_not_as_a_torn_tail():
    # A cut write leaves a short or zero-filled header, never a full header with wrong bits.
    data, starts = build_log()
    for bit in range(starts[-1] * 8, (starts[-1] + FRAME_HEADER_SIZE) * 8):
        with pytest.raises(CorruptLogError) as caught:
            read_framed_log(flip_bit(data, bit))
        assert caught.value.offset == starts[-1], bit


def test_reader_names_the_file_and_offset_of_corruption_in_the_middle(tmp_path):
    data, starts = build_log()
    path = tmp_path / "history.sglog"
    path.write_bytes(flip_bit(data, (starts[1] + FRAME_HEADER_SIZE + 3) * 8))
    with pytest.raises(CorruptLogError) as caught:
        read_framed_log(path)
    assert caught.value.path == str(path)
    assert caught.value.offset == starts[1]
    assert caught.value.reason == "payload checksum mismatch"
    assert str(path) in str(caught.value) and f"offset {starts[1]}" in str(caught.value)


def test_prefix_before_a_corruption_offset_stays_readable():
    data, starts = build_log()
    damaged = flip_bit(data, (starts[3] + 30) * 8)
    with pytest.raises(CorruptLogError) as caught:
        read_framed_log(damaged)
    prefix = read_framed_log(damaged[: caught.value.offset])
    assert [frame.payload for frame in prefix.frames] == PAYLOADS[:3]
    assert prefix.torn is None


@pytest.mark.parametrize("zeros", [1, FRAME_HEADER_SIZE - 1, FRAME_HEADER_SIZE, 4096])
def test_reader_reports_a_zero_filled_tail_as_torn(zeros):
    data, _ = build_log()
    contents = read_framed_log(data + bytes(zeros))
    assert len(contents.frames) == 5
    assert contents.valid_end == len(data)
    expected = "incomplete frame header" if zeros < FRAME_HEADER_SIZE else "zero-filled tail"
    assert contents.torn.offset == len(data) and contents.torn.reason == expected


def test_reader_raises_when_a_zero_filled_region_is_followed_by_data():
    data, _ = build_log()
    with pytest.raises(CorruptLogError) as caught:
        read_framed_log(data + bytes(100) + b"\x01")
    assert caught.value.offset == len(data)


def test_reader_raises_on_a_sequence_gap():
    head, _ = build_log(PAYLOADS[:2])
    data = head + encode_frame(3, b"skipped seq 2")
    with pytest.raises(CorruptLogError, match="sequence number 3 where 2 was expected"):
        read_framed_log(data)


def test_reader_requires_sequence_zero_first_unless_told_otherwise():
    data, _ = build_log(first_seq=7)
    with pytest.raises(CorruptLogError) as caught:
        read_framed_log(data)
    assert caught.value.offset == FILE_HEADER_SIZE
    assert [frame.seq for frame in read_framed_log(data, any_first_seq=True).frames] == [7, 8, 9, 10, 11]


def test_reader_returns_only_frames_after_the_given_sequence_number():
    data, _ = build_log()
    assert [frame.seq for frame in read_framed_log(data, after_seq=2).frames] == [3, 4]
    assert read_framed_log(data, after_seq=4).frames == []
    assert read_framed_log(data, after_seq=99).frames == []
    sliced, _ = build_log(PAYLOADS[3:], first_seq=3)
    assert [frame.seq for frame in read_framed_log(sliced, after_seq=3, any_first_seq=True).frames] == [4]


def test_reader_treats_an_empty_file_as_an_empty_log():
    assert read_framed_log(b"").frames == []
    assert read_framed_log(b"").torn is None
    assert read_framed_log(encode_file_header()).valid_end == FILE_HEADER_SIZE


def test_reader_refuses_a_file_that_is_not_a_framed_log():
    with pytest.raises(CorruptLogError, match="bad file magic") as caught:
        read_framed_log(b"PAR1" + bytes(40))
    assert caught.value.offset == 0


def test_reader_refuses_a_damaged_file_header():
    data, _ = build_log()
    with pytest.raises(CorruptLogError, match="file header checksum"):
        read_framed_log(flip_bit(data, 9 * 8))


def test_reader_refuses_a_newer_format_version_with_a_clear_message():
    head = b"SPYGLOG\0" + struct.pack("<HH", 2, 0)
    header = head + struct.pack("<I", crc32c.crc32c(head))
    with pytest.raises(CorruptLogError, match="unsupported format version 2"):
        read_framed_log(header)


def test_log_slice_holds_the_file_header_and_the_frames_after_a_sequence_number_unchanged(tmp_path):
    data, starts = build_log()
    path = tmp_path / "history.sglog"
    path.write_bytes(data + b"\x00\x00partial")  # a torn tail is left out of the slice
    sliced = log_slice(path, after_seq=2)
    assert sliced == encode_file_header() + data[starts[3] :]
    contents = read_framed_log(sliced, any_first_seq=True)
    assert [(frame.seq, frame.payload) for frame in contents.frames] == [(3, PAYLOADS[3]), (4, PAYLOADS[4])]
    assert log_slice(path, after_seq=-1) == data
    assert log_slice(path, after_seq=4) == encode_file_header()


def test_log_slice_raises_on_corruption_in_the_middle(tmp_path):
    data, starts = build_log()
    path = tmp_path / "history.sglog"
    path.write_bytes(flip_bit(data, (starts[1] + 40) * 8))
    with pytest.raises(CorruptLogError):
        log_slice(path, after_seq=3)
