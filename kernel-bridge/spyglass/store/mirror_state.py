"""What the mirror has pulled of one run: `<run_dir>/.mirror.json` (ETags seen; per stream the last segment
key, byte end and next frame number; the segments it refused).

Kept in the run directory so that a restarted server or a second reader on the same local root continues
where the mirror stopped instead of pulling the run again. Hidden, so no reader of the store layout sees it.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ..base.atomic_file import write_atomic

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
            streams={name: StreamState(**value) for name, value in streams.items()},
            bad_segments=dict(raw.get("bad_segments") or {}),
        )
    except TypeError:
        return MirrorState()


def save_state(run_dir: Path, state: MirrorState) -> None:
    write_atomic(run_dir / MIRROR_STATE_FILE, json.dumps(asdict(state), sort_keys=True).encode("utf-8"))


def local_size(path: Path) -> int:
    try:
        return os.path.getsize(path)
    except FileNotFoundError:
        return 0
