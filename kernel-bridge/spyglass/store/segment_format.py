"""Segment objects: a run's framed logs shipped to the bucket as immutable pieces (docs/team.md, "Writers").

A segment holds the bytes of whole frames of one stream's spool file (history.sglog or system.sglog) from byte
offset `start`; the first segment (start 0) also holds the 16-byte file header. Its key is
`<project>/<run_id>/segments/<stream>/<start, 16 digits>.sglog`, so concatenating a stream's segments in key
order gives the spool file byte for byte. Object metadata: `crc32c` (of the whole segment) and `end`
(start + size), both decimal. segment_check.py checks a segment's bytes against them, frame by frame.
"""

from __future__ import annotations

import os
import struct
from typing import NamedTuple

import crc32c

from .framed_log import FILE_HEADER_SIZE, FRAME_HEADER_SIZE, FRAME_MAGIC
from .run_store import LOG_FILE, SYSTEM_LOG_FILE

STREAMS = {"history": LOG_FILE, "system": SYSTEM_LOG_FILE}  # stream name -> spool file in the run directory
OFFSET_DIGITS = 16
SEGMENT_SUFFIX = ".sglog"
CRC_KEY = "crc32c"
END_KEY = "end"
_FRAME_HEADER = struct.Struct("<4sIQII")


def run_prefix(project: str, run_id: str) -> str:
    """The key prefix of one run in the bucket (relative to the store URL's prefix)."""
    return f"{project}/{run_id}/"


def segments_prefix(project: str, run_id: str, stream: str) -> str:
    """The key prefix under which one stream's segments are listed, in offset order."""
    if stream not in STREAMS:
        raise ValueError(f"unknown segment stream {stream!r}; expected one of {', '.join(STREAMS)}")
    return f"{run_prefix(project, run_id)}segments/{stream}/"


def segment_key(project: str, run_id: str, stream: str, start: int) -> str:
    """The key of the segment of `stream` that starts at byte `start` of the spool file."""
    if not 0 <= start < 10**OFFSET_DIGITS:
        raise ValueError(f"segment offset {start} does not fit {OFFSET_DIGITS} digits")
    return f"{segments_prefix(project, run_id, stream)}{start:0{OFFSET_DIGITS}d}{SEGMENT_SUFFIX}"


def segment_metadata(data: bytes | memoryview, start: int) -> dict[str, str]:
    """The object metadata a segment is created with: its CRC32C and its end offset, both decimal."""
    return {CRC_KEY: str(crc32c.crc32c(data)), END_KEY: str(start + len(data))}


class FrameSpan(NamedTuple):
    """Whole frames of a spool file: where they end, the first one's sequence number and the next one's."""

    end: int
    first_seq: int | None  # None: no whole frame
    next_seq: int | None


def whole_frames(fd: int, start: int, size: int, max_bytes: int) -> FrameSpan:
    """The whole frames of an open spool file from `start` (a frame boundary) up to `size` bytes.

    Reads frame headers only (the payload checksums are checked on the bytes shipped). Stops before a frame
    that is not complete yet (the flusher may be writing it), before any bytes that are not a frame header,
    and once more than `max_bytes` are covered (at least one frame is, whatever its size).
    """
    first = FILE_HEADER_SIZE if start == 0 else start  # the first segment carries the file header
    pos, first_seq, last_seq = first, None, 0
    while size - pos >= FRAME_HEADER_SIZE:
        header = os.pread(fd, FRAME_HEADER_SIZE, pos)
        if len(header) < FRAME_HEADER_SIZE:
            break
        magic, length, seq, _payload_crc, header_crc = _FRAME_HEADER.unpack(header)
        if magic != FRAME_MAGIC or header_crc != crc32c.crc32c(header[:20]):
            break
        end = pos + FRAME_HEADER_SIZE + length
        if end > size or (end - start > max_bytes and pos > first):
            break
        pos = end
        first_seq = seq if first_seq is None else first_seq
        last_seq = seq
    if first_seq is None:
        return FrameSpan(start, None, None)  # no whole frame yet: nothing to ship
    return FrameSpan(pos, first_seq, last_seq + 1)
