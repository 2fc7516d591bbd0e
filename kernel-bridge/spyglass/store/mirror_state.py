"""What the mirror has pulled of one run: `<run_dir>/.mirror.json` (ETags seen; per stream the last segment
key, byte end and next frame number; the segments it refused).

Kept in the run directory so that a restarted server or a second reader on the same local root continues
where the mirror stopped instead of pulling the run again. Hidden, so no reader of the store layout sees it.
"""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ..base.errors import CorruptLogError
from .framed_log import read_framed_log

MIRROR_STATE_FILE = ".mirror.json"


@dataclass
class StreamState:
    """How much of one framed-log stream the mirror holds."""

    last_key: str | None = None
    end: int = 0
    next_seq: int = 0


@dataclass
class MirrorState:
    run_json_etag: str | None = None  # of the run.json last written here from the bucket
    indexed_at: float | None = None  # updated_at of the index row a stand-in run.json was written from
    parquet_etag: str | None = None
    parquet_checked: str | None = None  # the run.json ETag for which history.parquet was last looked for
    # overview.arrow pulled alone for a first chart (no history.parquet here yet): its ETag, and the run.json
    # ETag it was looked for with (the overview then stands for the history the bucket holds; see
    # overview_from_bucket).
    overview_etag: str | None = None
    overview_checked: str | None = None
    streams: dict[str, StreamState] = field(default_factory=dict)
    bad_segments: dict[str, str] = field(default_factory=dict)  # "key etag" -> why it was refused

    def stream(self, name: str) -> StreamState:
        return self.streams.setdefault(name, StreamState())


def load_state(run_dir: Path) -> MirrorState:
    """The run's mirror state; an empty one when there is none or it cannot be read (pulled again)."""
    try:
        raw: Any = json.loads((run_dir / MIRROR_STATE_FILE).read_bytes())
    except (OSError, ValueError):
        return MirrorState()
    if not isinstance(raw, dict):
        return MirrorState()
    streams = raw.get("streams") if isinstance(raw.get("streams"), dict) else {}
    try:
        return MirrorState(
            run_json_etag=raw.get("run_json_etag"),
            indexed_at=raw.get("indexed_at"),
            parquet_etag=raw.get("parquet_etag"),
            parquet_checked=raw.get("parquet_checked"),
            overview_etag=raw.get("overview_etag"),
            overview_checked=raw.get("overview_checked"),
            streams={name: StreamState(**value) for name, value in streams.items()},
            bad_segments=dict(raw.get("bad_segments") or {}),
        )
    except TypeError:
        return MirrorState()


def overview_from_bucket(run_dir: Path) -> bool:
    """True when the run's overview.arrow was pulled from the bucket for the run.json held, without its
    history.parquet: the writer ships the overview right after the history it was computed from and puts the
    ended run.json last, so the overview stands for the bucket's history until that is pulled (then its own
    fingerprint check applies) or run.json changes (a resumed run)."""
    state = load_state(run_dir)
    held = state.run_json_etag
    return held is not None and state.overview_etag is not None and state.overview_checked == held


def save_state(run_dir: Path, state: MirrorState) -> None:
    replace_file(run_dir / MIRROR_STATE_FILE, json.dumps(asdict(state), sort_keys=True).encode("utf-8"))


def replace_file(path: Path, data: bytes) -> None:
    """Replace a mirrored file atomically (readers see the old or the new bytes), without fsync: the bucket
    holds the durable copy, and a first pull of a large project writes thousands of these."""
    temp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.pull")
    try:
        temp.write_bytes(data)
        os.replace(temp, path)
    finally:
        temp.unlink(missing_ok=True)


def local_size(path: Path) -> int:
    try:
        return os.path.getsize(path)
    except FileNotFoundError:
        return 0


def adopt_log(path: Path, progress: StreamState) -> None:
    """Count the valid prefix of a log already here as pulled (cutting anything after it)."""
    # The valid prefix of a log already here counts as pulled; segments it covers are not fetched again.
    try:
        contents = read_framed_log(path)
    except FileNotFoundError:
        progress.end, progress.next_seq = 0, 0
        return
    except CorruptLogError:
        contents = None
    if contents is None or contents.valid_end == 0:
        truncate_log(path, 0)
        progress.end, progress.next_seq = 0, 0
        return
    truncate_log(path, contents.valid_end)
    progress.end = contents.valid_end
    progress.next_seq = contents.frames[-1].seq + 1 if contents.frames else 0


def truncate_log(path: Path, end: int) -> None:
    """Cut a mirrored log to `end` bytes (0: remove it)."""
    if end == 0:
        path.unlink(missing_ok=True)
    elif local_size(path) != end:
        os.truncate(path, end)
