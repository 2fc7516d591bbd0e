"""run.save / spyglass.save: files copied into the run's `files/` directory, as wandb.save copies them.

`glob_str` is a path or a glob (`*`, `?`, `[...]`, `**`), relative to the working directory or absolute. The
part of each match below `base_path` is kept under `files/` (default base: the working directory for a
relative glob, the glob's own directory for an absolute one, as wandb). A glob that walks above its base,
equals it or starts with a bare `*` folder below it is refused, so nothing lands outside `files/`.

Policies: "now" copies at once; "end" copies at finish(); "live" copies at once and again whenever the source
changed (size or mtime), checked at run.flush(), at finish() and every LIVE_CHECK_SECONDS (started by the
flusher thread's tick, copied in a thread of their own), never in log(). Files are copied, not linked: the
store must hold the bytes (a link dangles once the source moves, and a shared or object store cannot follow
it). As in wandb, files that match a glob only after the call are not picked up: call save() again.
"""

from __future__ import annotations

import glob
import os
import shutil
import threading
import time
import warnings
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Any

from ..base.errors import SpyglassError

POLICIES = ("live", "now", "end")
FILES_DIR = "files"
LIVE_CHECK_SECONDS = 2.0


class SaveError(SpyglassError, ValueError):
    """run.save() was given a glob, base path or policy it cannot use; the message says which and why."""


class SavedFileWarning(UserWarning):
    """A saved file could not be copied (it vanished, or is unreadable); the others were copied."""


@dataclass
class _Entry:
    source: Path
    policy: str
    stamp: tuple[int, int] | None = None  # (size, mtime_ns) of the source when last copied
    size: int | None = None
    saved_at: float | None = None


class SavedFiles:
    """The files a run saved: where they come from, their policy, and their copies under `<run>/files/`."""

    def __init__(self, run_dir: str | os.PathLike[str], run_label: str) -> None:
        self.directory = Path(run_dir) / FILES_DIR
        self._run_label = run_label
        self._entries: dict[str, _Entry] = {}  # relative path (POSIX) -> entry
        self._earlier: dict[str, dict[str, Any]] = {}  # a resumed run's run.json records
        self._lock = threading.Lock()
        self._last_check = time.monotonic()
        self._copier: threading.Thread | None = None
        self.on_change: Any = None  # called after a copy changed the listing (marks run.json dirty)

    def save(self, glob_str: Any, base_path: Any = None, policy: str = "live") -> list[str]:
        """Register and (unless policy="end") copy the files `glob_str` matches; return the copies' paths."""
        if policy not in POLICIES:
            raise SaveError(f"run.save(policy={policy!r}): the policy must be one of {', '.join(POLICIES)}.")
        pattern, base = _resolve(glob_str, base_path)
        targets = []
        with self._lock:
            for match in sorted(glob.glob(str(pattern), recursive=True)):
                source = Path(match).absolute()
                if not source.is_file():
                    continue
                relative = PurePath(*source.parts[len(base.parts) :]).as_posix()
                entry = self._entries.get(relative)
                if entry is None or entry.source != source or entry.policy != policy:
                    entry = self._entries[relative] = _Entry(source, policy)
                if policy != "end":
                    self._copy(relative, entry)
                targets.append(str(self.directory / relative))
        self._changed()
        return targets

    def refresh(self, *, final: bool = False) -> None:
        """Copy live files that changed since their last copy (and, when `final`, the "end" ones)."""
        copier = self._copier
        if final and copier is not None:
            copier.join()  # the last background copy ends before the final one starts
        self._last_check = time.monotonic()
        copied = False
        with self._lock:
            for relative, entry in self._entries.items():
                if entry.policy == "live" or (final and entry.policy == "end"):
                    copied = self._copy(relative, entry) or copied
        if copied:
            self._changed()

    def tick(self) -> None:
        """From the flusher thread: at most every LIVE_CHECK_SECONDS, check live files in a thread of their
        own (copying a large checkpoint must not hold up the flushes)."""
        if not self._entries or time.monotonic() - self._last_check < LIVE_CHECK_SECONDS:
            return
        if self._copier is not None and self._copier.is_alive():
            return
        self._last_check = time.monotonic()
        self._copier = threading.Thread(target=self.refresh, name="spyglass-saved-files", daemon=True)
        self._copier.start()

    def restore(self, records: Any) -> None:
        """Keep a resumed run's earlier records (run.json "files") in the listing."""
        for record in records or []:
            if isinstance(record, dict) and isinstance(record.get("path"), str):
                self._earlier[record["path"]] = record

    def listing(self) -> list[dict[str, Any]]:
        """run.json "files": one record per saved file, sorted by path (size None until copied)."""
        with self._lock:
            records = dict(self._earlier)
            for relative, e in self._entries.items():
                records[relative] = {
                    "path": relative,
                    "policy": e.policy,
                    "size": e.size,
                    "saved_at": e.saved_at,
                }
        return [records[path] for path in sorted(records)]

    def _copy(self, relative: str, entry: _Entry) -> bool:
        # Caller holds the lock. Copies to a temporary name, then renames: a reader never sees half a file.
        try:
            status = entry.source.stat()
            stamp = (status.st_size, status.st_mtime_ns)
            if stamp == entry.stamp:
                return False
            target = self.directory / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
            shutil.copyfile(entry.source, temporary)
            os.replace(temporary, target)
        except OSError as error:
            warnings.warn(
                f"run {self._run_label}: could not copy {entry.source} into {self.directory}: {error}. "
                "The other saved files are kept.",
                SavedFileWarning,
                stacklevel=4,
            )
            return False
        entry.stamp, entry.size, entry.saved_at = stamp, stamp[0], time.time()
        return True

    def _changed(self) -> None:
        if self.on_change is not None:
            self.on_change()


def _resolve(glob_str: Any, base_path: Any) -> tuple[PurePath, PurePath]:
    """The absolute glob and base path; refuses globs that would reach outside the base (wandb's rules)."""
    if isinstance(glob_str, bytes):
        glob_str = glob_str.decode()
    if isinstance(glob_str, os.PathLike):
        glob_str = os.fspath(glob_str)
    if not isinstance(glob_str, str) or not glob_str:
        raise SaveError(f"run.save() needs a path or glob as a non-empty string, got {glob_str!r}.")
    pattern = PurePath(os.path.abspath(glob_str))
    if base_path is not None:
        base = PurePath(os.path.abspath(os.fspath(base_path)))
    elif os.path.isabs(glob_str):
        base = pattern.parent  # wandb saves an absolute path without its folders unless base_path is given
    else:
        base = PurePath(os.path.abspath("."))
    if pattern == base:
        raise SaveError(
            f"run.save({glob_str!r}): the glob is the base path {str(base)!r} itself; name files."
        )
    if base not in pattern.parents:
        raise SaveError(
            f"run.save({glob_str!r}, base_path={str(base)!r}): the glob walks above its base path, so its "
            "files would land outside the run's files/ directory. Pass a base_path that contains them."
        )
    relative = pattern.relative_to(base)
    if relative.parts[0] == "*":
        raise SaveError(
            f"run.save({glob_str!r}): the glob may not start with '*' below its base path {str(base)!r} "
            "(it would match the whole base); pass base_path one level up or name a folder."
        )
    return pattern, base


class RunFileSaving:
    """Mixed into Run: run.save(). Needs _saved_files, _state and _metadata_changed."""

    _saved_files: SavedFiles
    _metadata_changed: Any

    def save(self, glob_str: Any = None, base_path: Any = None, policy: str = "live") -> list[str] | bool:
        """Copy the files `glob_str` matches into the run's files/ (run_files); return their paths.

        Without a glob it does nothing and returns True, as wandb's deprecated run.save() does.
        """
        if glob_str is None:
            return True
        self._metadata_changed()  # refuses a finished run before anything is copied
        return self._saved_files.save(glob_str, base_path, policy)
