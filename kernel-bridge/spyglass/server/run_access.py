"""Which paths the server may touch: inside its root_dir or $SPYGLASS_DIR, every symlink resolved.

`confine` is the one check every route applies to a path a request names; `require_within` checks files and
directories below one (a run's files, a sweep's, a project); listings hand the same roots to the store
functions, which skip entries that lead out (path_confinement.py). docs/server-api.md, "Confinement".
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..base.path_confinement import escaping_name, first_link_out, is_within, real_path
from ..store.run_store import METADATA_FILE, RUN_FILES, resolve_store_root

_OUTSIDE = "resolves outside the server's root_dir and $SPYGLASS_DIR; refusing it"


class RunAccessError(Exception):
    """A request named a path the server must not or cannot serve; carries the HTTP status."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def allowed_roots(root_dir: str, store_dir: str | None) -> list[Path]:
    """Return the real paths under which the server reads and writes: root_dir and $SPYGLASS_DIR if set (the
    local root of an s3:// store)."""
    roots = [real_path(root_dir)]
    if store_dir and store_dir.lower().startswith("s3://"):
        # A bucket store is served from its local root (the mirror the server pulls into).
        root = resolve_store_root(store_dir)
        root.mkdir(parents=True, exist_ok=True)
        roots.append(real_path(root))
    elif store_dir:
        # A relative $SPYGLASS_DIR means the same for the server as for a kernel started in root_dir.
        roots.append(real_path(os.path.join(root_dir, os.path.expanduser(store_dir))))
    return roots


def confine(requested: Any, what: str, root_dir: str, roots: list[Path]) -> Path:
    """The real path of `requested` (absolute, or relative to root_dir) if it lies inside the roots.

    RunAccessError 400 when it is missing, not text or holds NUL; 403 when its real path is outside.
    """
    if not requested or not isinstance(requested, str):
        raise RunAccessError(400, f"missing '{what}' (a path, absolute or relative to the server's root_dir)")
    if "\0" in requested:
        raise RunAccessError(400, f"{what} contains a NUL character")
    real = real_path(os.path.join(root_dir, requested))  # join keeps an absolute path as it is
    if not is_within(real, roots):
        raise RunAccessError(403, f"{what} {requested!r} {_OUTSIDE}")
    return real


def require_within(path: Path, roots: list[Path], shown: str, names: Iterable[str] = ()) -> None:
    """RunAccessError 403 unless `path` and each `path/name` (links resolved) lie inside the roots."""
    escaped = escaping_name(path, roots, names)
    if escaped is not None:
        where = shown if escaped == "." else f"{shown}/{escaped}"
        raise RunAccessError(403, f"{where!r} {_OUTSIDE}")


def require_tree_within(directory: Path, roots: list[Path], shown: str) -> None:
    """RunAccessError 403 when any entry below `directory` is a symlink resolving outside the roots (for small
    trees read whole, such as a sweep directory)."""
    escaped = first_link_out(directory, roots)
    if escaped is not None:
        raise RunAccessError(403, f"{shown}/{escaped!s} {_OUTSIDE}")


def resolve_run_dir(requested: Any, root_dir: str, roots: list[Path]) -> Path:
    """Return the real path of the requested run directory, or raise RunAccessError (400/403/404)."""
    real = confine(requested, "run_dir", root_dir, roots)
    if not (real / METADATA_FILE).is_file():
        raise RunAccessError(404, f"run_dir {requested!r} is not a run directory (it has no {METADATA_FILE})")
    # The files themselves may be symlinks too; they must not lead outside either.
    require_within(real, roots, requested, RUN_FILES)
    return real
