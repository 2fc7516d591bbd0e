"""Shipping one framed log (a spool file) to the bucket as immutable segment objects, and pulling it back.

A run's history and system logs (segment_shipper.py, run_pull.py) and a trace session's calls log
(traces/trace_shipping.py) ship the same way: the whole frames past the shipped offset as one object per pass,
keyed by its start offset (segment_format.py), created with If-None-Match and metadata `crc32c` and `end`,
checked with the readers' own check before it leaves; a reader appends each segment after checking it.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from pathlib import Path

from ..base.errors import ObjectMissing
from .bucket import Bucket, ObjectInfo
from .mirror_state import MirrorState, StreamState, adopt_log, local_size, truncate_log
from .segment_check import BadSegment, CheckedSegment, check_segment, segment_offset
from .segment_format import END_KEY, OFFSET_DIGITS, SEGMENT_SUFFIX, segment_metadata, whole_frames

logger = logging.getLogger("spyglass.mirror")
MAX_SEGMENT_BYTES = 64 * 2**20  # a backlog ships in pieces of this size (at least one frame each)


class ShippingStopped(Exception):
    """This writer may not ship the run any more (its lease was taken over, or the bucket has other bytes)."""


def offset_key(prefix: str, start: int) -> str:
    """The key of the segment under `prefix` that starts at byte `start` of its log."""
    if not 0 <= start < 10**OFFSET_DIGITS:
        raise ValueError(f"segment offset {start} does not fit {OFFSET_DIGITS} digits")
    return f"{prefix}{start:0{OFFSET_DIGITS}d}{SEGMENT_SUFFIX}"


def ship_log(
    bucket: Bucket,
    path: Path,
    start: int,
    key_of: Callable[[int], str],
    shipped: Callable[[str, int], None],
) -> None:
    """Ship the whole frames of the log at `path` from byte `start` as segments `key_of(start)`, calling
    `shipped(key, end)` after each. Raises BucketError, or ShippingStopped for bytes the bucket or the check
    refuses (what was shipped before stays shipped)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        return
    try:
        size = os.fstat(fd).st_size
        while start < size:
            end, first_seq, _ = whole_frames(fd, start, size, MAX_SEGMENT_BYTES)
            if first_seq is None:
                return
            data = _pread_exactly(fd, start, end - start)
            key = key_of(start)
            try:  # the readers' own check: bytes that would be refused are never shipped
                check_segment(data, start, first_seq, segment_metadata(data, start), key)
            except BadSegment as error:
                raise ShippingStopped(f"{path} at byte {start}: {error}") from None
            start = _create_segment(bucket, key, start, data, path.parent)
            shipped(key, start)
    finally:
        os.close(fd)


def _create_segment(bucket: Bucket, key: str, start: int, data: bytes, spool: Path) -> int:
    """Create the segment; return the offset shipped up to (an existing segment of ours is adopted)."""
    if bucket.create(key, data, segment_metadata(data, start)) is not None:
        return start + len(data)
    # A writer killed after creating this segment and before recording it: the object holds our bytes.
    info = bucket.head(key)
    metadata = {name.lower(): value for name, value in (info.metadata if info is not None else {}).items()}
    try:
        end = int(metadata.get(END_KEY, ""))
    except ValueError:
        end = -1
    expected = segment_metadata(data[: end - start], start) if start < end <= start + len(data) else None
    ours = expected is not None and all(metadata.get(name) == value for name, value in expected.items())
    if not ours:
        raise ShippingStopped(
            f"the bucket already holds other bytes at {key} (another writer?); this process's rows stay "
            f"in the local spool {spool}"
        )
    return end


def pull_log(
    bucket: Bucket, prefix: str, path: Path, progress: StreamState, state: MirrorState
) -> tuple[int, list[str]]:
    """Append the segments under `prefix` past the last one held to the log at `path`, each checked first;
    (segments appended, why any was refused)."""
    appended, bad = 0, []
    if progress.last_key is None and progress.end == 0:
        adopt_log(path, progress)  # a log this machine wrote and shipped (its spool marker is gone)
    elif local_size(path) != progress.end:  # a pull cut short after appending: drop the unrecorded part
        truncate_log(path, progress.end)
    for info in bucket.list(prefix, start_after=progress.last_key):
        start = segment_offset(info.key)
        if start is None:
            continue
        if start + info.size <= progress.end:
            progress.last_key = info.key  # held already (an adopted spool)
            continue
        if start > progress.end or f"{info.key} {info.etag}" in state.bad_segments:
            break  # a gap (the segment before it is missing or was refused): wait, do not skip rows
        if start < progress.end:  # an adopted spool ends inside this segment: take the segment's bytes
            truncate_log(path, start)
            adopt_log(path, progress)
        try:
            checked = _fetch_segment(bucket, info, start, progress.next_seq)
        except BadSegment as error:
            state.bad_segments[f"{info.key} {info.etag}"] = str(error)
            bad.append(str(error))
            logger.warning("spyglass: %s", error)
            break
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "ab") as file:
            file.write(checked.data)
        progress.last_key, progress.next_seq = info.key, checked.next_seq
        progress.end = start + len(checked.data)
        appended += 1
    return appended, bad


def _fetch_segment(bucket: Bucket, info: ObjectInfo, start: int, next_seq: int) -> CheckedSegment:
    try:
        data, got = bucket.get_with_info(info.key)  # bytes and metadata in one request
    except ObjectMissing:
        raise BadSegment(f"segment {info.key}: listed but gone") from None
    return check_segment(data, start, next_seq, got.metadata, info.key)


def _pread_exactly(fd: int, start: int, length: int) -> bytes:
    parts, done = [], 0
    while done < length:
        chunk = os.pread(fd, length - done, start + done)
        if not chunk:
            raise OSError(f"spool file shrank while it was read (at byte {start + done})")
        parts.append(chunk)
        done += len(chunk)
    return b"".join(parts)


__all__ = ["MAX_SEGMENT_BYTES", "ShippingStopped", "offset_key", "pull_log", "ship_log"]
