"""Feedback on calls (thumbs, notes, labels): one small JSON file per entry, never rewritten.

Layout (docs/store-format.md, "Feedback"): `<project>/.traces/.feedback/<created>-<id>.json`.
A file per entry makes concurrent writers safe without a lock (every name is new; each file appears whole by
rename), and nothing already written is changed: removing feedback is itself an entry (`kind: "removed"`).
"""

from __future__ import annotations

import datetime
import json
import os
import re
import secrets
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from ..base.atomic_file import write_atomic
from ..base.errors import SpyglassError
from ..store.run_store import validate_name
from .trace_session import TRACES_DIR

FEEDBACK_DIR = (
    ".feedback"  # a dot name: never a trace session (session ids are run ids, which cannot start with .)
)
FORMAT = 1
KINDS = ("thumbs", "note", "label")
REMOVED = "removed"
THUMBS = ("up", "down")
MAX_NOTE = 10_000
MAX_LABEL = 64
MAX_CREATOR = 100
_CALL_ID = re.compile(r"[0-9a-f]{32}")
_NAME = re.compile(r"(\d{8}T\d{12})-([0-9a-f]{32})\.json")


class FeedbackError(SpyglassError, ValueError):
    """Feedback that cannot be stored: an unknown kind, a bad value, a call id that is not one."""


def feedback_directory(root: str | os.PathLike[str], project: str) -> Path:
    return Path(root) / validate_name("project", project) / TRACES_DIR / FEEDBACK_DIR


def checked_feedback(call_id: Any, kind: Any, value: Any, creator: Any = None) -> dict[str, Any]:
    """The fields of a feedback entry, checked; FeedbackError names what is wrong and what is accepted."""
    if not isinstance(call_id, str) or not _CALL_ID.fullmatch(call_id):
        raise FeedbackError(f"call_id must be a call's id (32 lower-case hex digits), got {call_id!r}")
    if kind == REMOVED:
        if not isinstance(value, str) or not _CALL_ID.fullmatch(value):
            raise FeedbackError(f"a removal's value is the id of the feedback it removes, got {value!r}")
    elif kind == "thumbs":
        if value not in THUMBS:
            raise FeedbackError(f"thumbs feedback is 'up' or 'down', got {value!r}")
    elif kind == "note":
        if not isinstance(value, str) or not value.strip() or len(value) > MAX_NOTE:
            raise FeedbackError(f"a note is non-empty text of at most {MAX_NOTE:,} characters")
    elif kind == "label":
        if not isinstance(value, str) or not value.strip() or len(value.strip()) > MAX_LABEL:
            raise FeedbackError(f"a label is non-empty text of at most {MAX_LABEL} characters, got {value!r}")
        if any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
            raise FeedbackError(f"a label is one line of text without control characters, got {value!r}")
        value = value.strip()
    else:
        raise FeedbackError(f"feedback kind must be one of {', '.join(KINDS)}, got {kind!r}")
    if creator is not None and (not isinstance(creator, str) or len(creator) > MAX_CREATOR):
        raise FeedbackError(f"creator must be text of at most {MAX_CREATOR} characters, got {creator!r}")
    return {"call_id": call_id, "kind": kind, "value": value, "creator": creator}


def add_feedback(
    root: str | os.PathLike[str],
    project: str,
    call_id: str,
    kind: str,
    value: str,
    *,
    creator: str | None = None,
    source: str = "python",
) -> dict[str, Any]:
    """Store one feedback entry on a call; answers the entry as stored (with its `id` and `created_at`)."""
    entry = checked_feedback(call_id, kind, value, creator)
    now = datetime.datetime.now(datetime.timezone.utc)
    feedback_id = secrets.token_hex(16)
    stored = {"format": FORMAT, "id": feedback_id, **entry, "source": source, "created_at": now.isoformat()}
    directory = feedback_directory(root, project)
    directory.mkdir(parents=True, exist_ok=True)
    name = f"{now.strftime('%Y%m%dT%H%M%S%f')}-{feedback_id}.json"
    write_atomic(directory / name, json.dumps(stored, ensure_ascii=False).encode("utf-8"))
    return stored


class FeedbackReader:
    """A project's feedback; each read reads only the files written since the last (the server polls)."""

    def __init__(self, root: str | os.PathLike[str], project: str) -> None:
        self.directory = feedback_directory(root, project)
        self._entries: dict[str, dict[str, Any] | None] = {}  # file name -> entry (None: unreadable)
        self._stamp: tuple[int, int] | None = None
        self._by_call: dict[str, list[dict[str, Any]]] = {}

    def by_call(self) -> dict[str, list[dict[str, Any]]]:
        """{call id: [entries, oldest first]} of the feedback in force (removals applied)."""
        try:
            stat = self.directory.stat()
        except FileNotFoundError:
            self._entries, self._stamp, self._by_call = {}, None, {}
            return self._by_call
        stamp = (stat.st_mtime_ns, stat.st_ino)
        # A directory's mtime may not move for two entries written within one clock tick: a recent one is
        # not trusted.
        if stamp == self._stamp and time.time_ns() - stat.st_mtime_ns > 2_000_000_000:
            return self._by_call
        names = sorted(entry.name for entry in os.scandir(self.directory) if _NAME.fullmatch(entry.name))
        self._entries = {
            name: self._entries.get(name) or _read_entry(self.directory / name) for name in names
        }
        self._stamp = stamp
        self._by_call = in_force(entry for entry in self._entries.values() if entry is not None)
        return self._by_call


def read_feedback(root: str | os.PathLike[str], project: str) -> dict[str, list[dict[str, Any]]]:
    """{call id: [feedback entries in force, oldest first]} of a project."""
    return FeedbackReader(root, project).by_call()


def in_force(entries: Iterable[Mapping[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Entries (in creation order) grouped by call, without the removed ones and the removals themselves."""
    entries = list(entries)
    removed = {entry["value"] for entry in entries if entry["kind"] == REMOVED}
    grouped: dict[str, list[dict[str, Any]]] = {}
    for entry in entries:
        if entry["kind"] != REMOVED and entry["id"] not in removed:
            grouped.setdefault(entry["call_id"], []).append(dict(entry))
    return grouped


def _read_entry(path: Path) -> dict[str, Any] | None:
    # An entry damaged by hand or by a full disk is left out; the others are still read.
    try:
        entry = json.loads(path.read_bytes())
        checked_feedback(entry["call_id"], entry["kind"], entry["value"], entry.get("creator"))
        if not isinstance(entry.get("id"), str):
            return None
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return entry
