"""Checking a segment object before the mirror appends it: its CRC32C, its end offset, and frame by frame.

A segment holds whole frames of a run's framed log from its start offset (the first one also the file
header). It is accepted only when its bytes match the `crc32c` metadata the writer put, the `end` metadata
equals start + size, every frame is complete with valid checksums, and its first frame carries the sequence
number that follows the mirror's last one. Anything else is a BadSegment, reported and not applied.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import crc32c

from ..base.errors import CorruptLogError, StoreError
from .framed_log import FILE_HEADER_SIZE, encode_file_header, read_framed_log

_SEGMENT_NAME = re.compile(r"(\d{16})\.sglog$")


class BadSegment(StoreError):
    """A segment object that is truncated, corrupt or out of place; the mirror skips it and says why."""


@dataclass(frozen=True)
class CheckedSegment:
    """A valid segment: its bytes, how many frames it holds and the sequence number after its last."""

    data: bytes
    frames: int
    next_seq: int


def segment_offset(key: str) -> int | None:
    """The start offset a segment key names (`.../<16 digits>.sglog`), None for any other key."""
    match = _SEGMENT_NAME.search(key)
    return int(match.group(1)) if match else None


def check_segment(
    data: bytes, start: int, next_seq: int, metadata: dict[str, str] | None, key: str
) -> CheckedSegment:
    """Return the checked segment, or raise BadSegment naming `key` and what is wrong with it."""
    metadata = {name.lower(): value for name, value in (metadata or {}).items()}
    expected_crc = metadata.get("crc32c")
    if expected_crc is None:
        raise BadSegment(f"segment {key}: it has no crc32c metadata, so it cannot be verified")
    if not _crc_matches(crc32c.crc32c(data), expected_crc):
        raise BadSegment(
            f"segment {key}: its CRC32C does not match the writer's ({len(data)} bytes; truncated or altered)"
        )
    end = metadata.get("end")
    if end is not None and (not end.isdigit() or int(end) != start + len(data)):
        raise BadSegment(f"segment {key}: it ends at {start + len(data)}, its metadata says {end}")
    # A later segment starts on a frame boundary: read it behind a file header, with the log's own rules.
    framed = data if start == 0 else encode_file_header() + data
    header = 0 if start == 0 else FILE_HEADER_SIZE
    try:
        contents = read_framed_log(framed, any_first_seq=start != 0)
    except CorruptLogError as error:
        raise BadSegment(f"segment {key}: {error.reason} at byte {start + error.offset - header}") from None
    if contents.torn is not None or contents.valid_end != len(framed):
        raise BadSegment(f"segment {key}: it ends inside a frame (incomplete: {contents.torn or 'short'})")
    if start == 0 and len(data) < FILE_HEADER_SIZE:
        raise BadSegment(f"segment {key}: the first segment must hold the log's file header")
    frames = contents.frames
    if frames and frames[0].seq != next_seq:
        raise BadSegment(f"segment {key}: its first frame is number {frames[0].seq}, {next_seq} was expected")
    return CheckedSegment(data, len(frames), frames[-1].seq + 1 if frames else next_seq)


def _crc_matches(actual: int, expected: str) -> bool:
    # Writers put the CRC as decimal; an 8-digit hex spelling is accepted too.
    text = expected.strip().lower()
    if text.isdigit() and int(text) == actual:
        return True
    return len(text) == 8 and text == f"{actual:08x}"
