"""The framed log (`history.sglog`): an append-only file of checksummed, numbered frames.

The byte layout and the reading rules are specified in docs/store-format.md; the TypeScript reader in
packages/store follows the same rules and both are checked against the golden files in
packages/protocol/fixtures/framed-log/.
"""

from __future__ import annotations

import contextlib
import mmap
import os
import secrets
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import crc32c

from ..base.atomic_file import fsync_directory
from ..base.errors import CorruptLogError, StoreError
from .store_faults import DIRECTORY_DELETED, FILE_REPLACED, fault_error, store_write_error

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; one writer per log is then the caller's responsibility.
    fcntl = None

FILE_MAGIC = b"SPYGLOG\0"
FORMAT_VERSION = 1
FRAME_MAGIC = b"SGFR"
_FILE_HEADER = struct.Struct("<8sHHI")  # magic, version, reserved, CRC32C of bytes 0..11
_FRAME_HEADER = struct.Struct("<4sIQII")  # magic, payload length, seq, payload CRC32C, CRC32C of bytes 0..19
FILE_HEADER_SIZE = _FILE_HEADER.size
FRAME_HEADER_SIZE = _FRAME_HEADER.size
MAX_PAYLOAD_SIZE = 0xFFFF_FFFF
_MAX_IOVECS = 1024  # IOV_MAX on Linux and macOS

PathLike = str | os.PathLike[str]


@dataclass(frozen=True, slots=True)
class Frame:
    """One valid frame: its sequence number, its byte offset in the source and its payload."""

    seq: int
    offset: int
    payload: bytes


@dataclass(frozen=True, slots=True)
class TornTail:
    """Where and why reading stopped before the end of the file (an interrupted write, not corruption)."""

    offset: int
    reason: str


@dataclass(frozen=True, slots=True)
class LogContents:
    """The complete valid prefix of a log: its frames, the byte offset where it ends, and any torn tail."""

    frames: list[Frame]
    valid_end: int
    torn: TornTail | None


def encode_file_header() -> bytes:
    """Return the 16-byte file header of a format-1 log."""
    head = _FILE_HEADER.pack(FILE_MAGIC, FORMAT_VERSION, 0, 0)[:12]
    return head + struct.pack("<I", crc32c.crc32c(head))


def encode_frame(seq: int, payload: bytes | bytearray | memoryview) -> bytes:
    """Return the bytes of one frame (24-byte header followed by the payload)."""
    return encode_frame_header(seq, payload) + payload


def encode_frame_header(seq: int, payload: bytes | bytearray | memoryview) -> bytes:
    """Return the 24-byte header of the frame that holds `payload`."""
    if len(payload) > MAX_PAYLOAD_SIZE:
        raise ValueError(f"frame payload of {len(payload)} bytes exceeds the 4 GiB limit of the format")
    head = _FRAME_HEADER.pack(FRAME_MAGIC, len(payload), seq, crc32c.crc32c(payload), 0)[:20]
    return head + struct.pack("<I", crc32c.crc32c(head))


def read_framed_log(
    source: PathLike | bytes | bytearray | memoryview, *, after_seq: int = -1, any_first_seq: bool = False
) -> LogContents:
    """Return the complete valid prefix of a log (frames with seq > after_seq); raise CorruptLogError."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        path, data = None, bytes(source)
    else:
        path, data = os.fspath(source), _read_file(source)
    spans, valid_end, torn = _scan(data, path, any_first_seq=any_first_seq)
    view = memoryview(data)
    frames = [
        Frame(seq, start, bytes(view[start + FRAME_HEADER_SIZE : end]))
        for seq, start, end in spans[_first_index_after(spans, after_seq) :]
    ]
    return LogContents(frames, valid_end, torn)


def iter_frames(path: PathLike, *, after_seq: int = -1) -> Iterator[Frame]:
    """Yield the valid prefix of a log frame by frame, holding one payload in memory at a time.

    Same rules and errors as read_framed_log (the scan runs over a read-only memory map, so the file's bytes
    stay in the page cache instead of the heap). Frames appended after the call are not seen.
    """
    with open(path, "rb") as file:
        size = os.fstat(file.fileno()).st_size
        if size == 0:
            return
        with mmap.mmap(file.fileno(), size, access=mmap.ACCESS_READ) as mapped:
            spans, failure = _scan_mapped(mapped, os.fspath(path))
            if failure is not None:
                raise failure
            view = memoryview(mapped)
            try:
                for seq, start, end in spans[_first_index_after(spans, after_seq) :]:
                    yield Frame(seq, start, bytes(view[start + FRAME_HEADER_SIZE : end]))
            finally:
                view.release()


def _scan_mapped(mapped: mmap.mmap, path: str) -> tuple[list[tuple[int, int, int]], CorruptLogError | None]:
    # The traceback of an error raised inside _scan keeps its memoryview of the map alive, and a map with
    # live views cannot be closed; so the error is replaced by an equal one without that traceback.
    try:
        return _scan(mapped, path, any_first_seq=False)[0], None
    except CorruptLogError as error:
        return [], CorruptLogError(error.path, error.offset, error.reason)


def log_slice(path: PathLike, after_seq: int) -> bytes:
    """Return the file header plus the stored frames with seq > after_seq, unchanged (read: any_first_seq)."""
    data = _read_file(path)
    spans, valid_end, _ = _scan(data, os.fspath(path), any_first_seq=False)
    index = _first_index_after(spans, after_seq)
    start = spans[index][1] if index < len(spans) else valid_end
    # Frames are contiguous, so the slice is one copy whatever the number of frames.
    return b"".join((encode_file_header(), memoryview(data)[start:valid_end]))


def _read_file(path: PathLike) -> bytes:
    # One read of the whole file: the scan then works on memoryview slices without further system calls.
    with open(path, "rb") as file:
        return file.read()


def _first_index_after(spans: list[tuple[int, int, int]], after_seq: int) -> int:
    # Sequence numbers are contiguous within a scan, so the first frame past after_seq is found by arithmetic.
    if not spans:
        return 0
    return min(max(after_seq + 1 - spans[0][0], 0), len(spans))


def _scan(
    data: bytes | mmap.mmap, path: str | None, *, any_first_seq: bool
) -> tuple[list[tuple[int, int, int]], int, TornTail | None]:
    """Apply the reading rules; return (seq, start, end) per valid frame, the valid end, any torn tail."""
    size = len(data)
    if size == 0:
        return [], 0, None
    if size < FILE_HEADER_SIZE:
        return [], 0, TornTail(0, "incomplete file header")
    magic, version, _reserved, header_crc = _FILE_HEADER.unpack_from(data, 0)
    if magic != FILE_MAGIC:
        raise CorruptLogError(path, 0, "not a Spyglass framed log (bad file magic)")
    if header_crc != crc32c.crc32c(data[:12]):
        raise CorruptLogError(path, 0, "file header checksum mismatch")
    if version != FORMAT_VERSION:
        raise CorruptLogError(path, 0, f"unsupported format version {version} (this Spyglass reads 1)")

    view = memoryview(data)
    spans: list[tuple[int, int, int]] = []
    expected_seq = None if any_first_seq else 0
    pos = FILE_HEADER_SIZE
    while pos < size:
        if size - pos < FRAME_HEADER_SIZE:
            return spans, pos, TornTail(pos, "incomplete frame header")
        magic, length, seq, payload_crc, header_crc = _FRAME_HEADER.unpack_from(data, pos)
        if magic != FRAME_MAGIC or header_crc != crc32c.crc32c(view[pos : pos + 20]):
            # A crash can leave a zero-filled tail (the size grew before the data reached the disk).
            if _zero_count_from(data, pos) == size - pos:
                return spans, pos, TornTail(pos, "zero-filled tail")
            what = "bad frame magic" if magic != FRAME_MAGIC else "frame header checksum mismatch"
            raise CorruptLogError(path, pos, what)
        if expected_seq is not None and seq != expected_seq:
            raise CorruptLogError(path, pos, f"sequence number {seq} where {expected_seq} was expected")
        end = pos + FRAME_HEADER_SIZE + length
        if end > size:
            return spans, pos, TornTail(pos, "incomplete frame payload")
        if crc32c.crc32c(view[pos + FRAME_HEADER_SIZE : end]) != payload_crc:
            if end == size:
                return spans, pos, TornTail(pos, "payload checksum mismatch in the last frame")
            raise CorruptLogError(path, pos, "payload checksum mismatch")
        spans.append((seq, pos, end))
        expected_seq = seq + 1
        pos = end
    return spans, pos, None


def _zero_count_from(data: bytes | mmap.mmap, pos: int) -> int:
    # bytes counts in place; a memory map has no count(), and this runs only when a header is bad.
    return data.count(0, pos) if isinstance(data, bytes) else data[pos:].count(0)


class FramedLogWriter:
    """Appends frames to one log file. Use it from one thread at a time; one writer per file (locked)."""

    def __init__(self, path: PathLike) -> None:
        self.path = Path(path)
        try:
            if not self.path.exists():
                _create_empty_log(self.path)
            self._fd: int | None = os.open(self.path, os.O_RDWR | os.O_APPEND | getattr(os, "O_BINARY", 0))
        except OSError as error:
            raise store_write_error(self.path, "open the log for writing", error) from error
        try:
            _lock_exclusively(self._fd, self.path)
            self.recovered_tail, self._end, self._next_seq = self._recover()
        except BaseException:
            os.close(self._fd)
            self._fd = None
            raise
        # What the last successful sync() made durable: rewind() goes back here after a failed write or sync.
        self._durable_end, self._durable_seq = self._end, self._next_seq
        self._identity = _identity(os.fstat(self._fd))

    @property
    def next_seq(self) -> int:
        """The sequence number the next append() will get."""
        return self._next_seq

    @property
    def size(self) -> int:
        """The byte length of the log: the end of the last complete frame."""
        return self._end

    @property
    def closed(self) -> bool:
        """True after close(), or after a failed cut left the file in a state this writer cannot vouch for."""
        return self._fd is None

    @property
    def durable_seq(self) -> int:
        """The sequence number after the last frame made durable by sync() (or found when opening)."""
        return self._durable_seq

    def append(self, payload: bytes | bytearray | memoryview) -> int:
        """Append one frame with one write() call and return its sequence number (durable after sync())."""
        return self.append_many([payload])

    def append_many(self, payloads: list[bytes | bytearray | memoryview]) -> int:
        """Append one frame per payload, all with one writev() when the system allows; return the first seq.

        All or none: a failure cuts every frame of the call off again. One system call releases the GIL once,
        so a flusher competing with a busy logging thread waits for the GIL once, not once per frame.
        """
        fd = self._require_open()
        first = self._next_seq
        parts: list[bytes | bytearray | memoryview] = []
        for index, payload in enumerate(payloads):
            parts += (encode_frame_header(first + index, payload), payload)
        try:
            _write_all(fd, parts)
        except OSError as error:
            self._roll_back()
            what = f"frame {first}" if len(payloads) == 1 else f"frames {first}-{first + len(payloads) - 1}"
            raise store_write_error(self.path, f"append {what}", error) from error
        self._end += sum(map(len, parts))
        self._next_seq += len(payloads)
        return first

    def sync(self) -> None:
        """Make every appended frame durable (fsync) and check that the path still names this file.

        Raises StoreWriteError when the fsync fails or when the file (or its directory) was deleted or
        replaced: writes to a deleted file succeed but reach no file anyone can read. Frames appended since
        the last successful sync() then count as not durable; rewind() drops them to write them again.
        """
        fd = self._require_open()
        try:
            os.fsync(fd)
        except OSError as error:
            raise store_write_error(self.path, "fsync the log", error) from error
        self._check_still_linked()
        self._durable_end, self._durable_seq = self._end, self._next_seq

    def rewind(self) -> None:
        """Cut the frames appended since the last successful sync() (a failed sync() may have lost them)."""
        if self._end != self._durable_end:
            self._cut(self._durable_end, self._durable_seq)

    def rewind_to(self, seq: int) -> None:
        """Cut every frame from `seq` on (a reopened writer keeps what its caller knows to be durable)."""
        if seq > self._next_seq:
            raise ValueError(f"cannot rewind {self.path} to frame {seq}: its next frame is {self._next_seq}")
        if seq < self._next_seq:
            spans = _scan(_read_file(self.path), os.fspath(self.path), any_first_seq=False)[0]
            self._cut(spans[seq][1], seq)

    def _cut(self, end: int, seq: int) -> None:
        fd = self._require_open()
        try:
            os.ftruncate(fd, end)
            os.fsync(fd)
        except OSError as error:
            self.close()  # frames of unknown durability stay in the file: the caller must reopen and check
            raise store_write_error(self.path, "cut frames that were not made durable", error) from error
        self._end = self._durable_end = end
        self._next_seq = self._durable_seq = seq

    def _check_still_linked(self) -> None:
        try:
            current = _identity(os.stat(self.path))
        except FileNotFoundError:
            current = None
        except OSError as error:
            raise store_write_error(self.path, "check the log after fsync", error) from error
        if current != self._identity:
            reason = FILE_REPLACED if self.path.parent.is_dir() else DIRECTORY_DELETED
            raise fault_error(self.path, "keep writing the log", reason)

    def close(self) -> None:
        """Close the file (releasing the writer lock); later calls do nothing."""
        if self._fd is not None:
            fd, self._fd = self._fd, None
            os.close(fd)

    def __enter__(self) -> FramedLogWriter:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _require_open(self) -> int:
        if self._fd is None:
            raise StoreError(f"{self.path}: the framed log writer is closed")
        return self._fd

    def _recover(self) -> tuple[TornTail | None, int, int]:
        # Validate the whole file so that appending never buries corruption in the middle of the log.
        spans, valid_end, torn = _scan(_read_file(self.path), os.fspath(self.path), any_first_seq=False)
        if torn is not None or valid_end == 0:
            os.ftruncate(self._fd, valid_end)
            if valid_end == 0:
                os.write(self._fd, encode_file_header())
                valid_end = FILE_HEADER_SIZE
            os.fsync(self._fd)
        next_seq = spans[-1][0] + 1 if spans else 0
        return torn, valid_end, next_seq

    def _roll_back(self) -> None:
        # Cut a partial frame off so the file stays a valid prefix; if even that fails, stop writing rather
        # than append after garbage (which a reader would report as corruption in the middle).
        try:
            os.ftruncate(self._fd, self._end)
        except OSError:
            self.close()


def _write_all(fd: int, parts: list[bytes | bytearray | memoryview]) -> None:
    # writev() of headers and payloads: one system call, as one write() of the frames would be, without first
    # copying megabytes of payload into one buffer. Windows has no writev: one write() of the join.
    total = sum(map(len, parts))
    if not hasattr(os, "writev"):
        written = os.write(fd, b"".join(parts))
    else:
        written = 0
        for start in range(0, len(parts), _MAX_IOVECS):
            chunk = parts[start : start + _MAX_IOVECS]
            done = os.writev(fd, chunk)
            written += done
            if done < sum(map(len, chunk)):
                break
    if written < total:  # A short write (disk nearly full, signal): finish the frames.
        rest = memoryview(b"".join(parts))[written:]
        while rest:
            more = os.write(fd, rest)
            if more == 0:
                raise OSError(0, "write made no progress")
            rest = rest[more:]


def _identity(status: os.stat_result) -> tuple[int, int]:
    return status.st_dev, status.st_ino


def _create_empty_log(path: Path) -> None:
    # Write the header to a temporary file and link it into place: the log appears complete or not at all,
    # and a log created concurrently by someone else is never overwritten.
    temp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    try:
        with open(temp, "xb") as file:
            file.write(encode_file_header())
            file.flush()
            os.fsync(file.fileno())
        with contextlib.suppress(FileExistsError):
            os.link(temp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
    fsync_directory(path.parent)


def _lock_exclusively(fd: int, path: Path) -> None:
    # Two writers would both append seq N and corrupt the log; the advisory lock turns that into an error.
    if fcntl is None:
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        raise StoreError(
            f"{path}: the log is already open for writing (another process, or an unclosed FramedLogWriter); "
            "close that writer first"
        ) from None
