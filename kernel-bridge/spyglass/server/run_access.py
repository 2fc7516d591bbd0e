"""Which run directories the server may read: inside its root_dir or $SPYGLASS_DIR, symlinks resolved."""

from __future__ import annotations

import os
from pathlib import Path

from ..run_store import LOG_FILE, METADATA_FILE, SYSTEM_LOG_FILE


class RunAccessError(Exception):
    """A request named a run directory the server must not or cannot serve; carries the HTTP status."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def allowed_roots(root_dir: str, store_dir: str | None) -> list[Path]:
    """Return the real paths under which runs may be read: the server's root_dir and $SPYGLASS_DIR if set."""
    roots = [Path(os.path.realpath(root_dir))]
    if store_dir:
        # A relative $SPYGLASS_DIR means the same for the server as for a kernel started in root_dir.
        roots.append(Path(os.path.realpath(os.path.join(root_dir, os.path.expanduser(store_dir)))))
    return roots


def resolve_run_dir(requested: str | None, root_dir: str, roots: list[Path]) -> Path:
    """Return the real path of the requested run directory, or raise RunAccessError (400/403/404)."""
    if not requested:
        raise RunAccessError(400, "missing query parameter 'run_dir'")
    if "\0" in requested:
        raise RunAccessError(400, "run_dir contains a NUL character")
    real = confined_path(requested, root_dir, roots)
    metadata = real / METADATA_FILE
    if not metadata.is_file():
        raise RunAccessError(404, f"run_dir {requested!r} is not a run directory (it has no {METADATA_FILE})")
    # The files themselves may be symlinks too; they must not lead outside either.
    for name in (METADATA_FILE, LOG_FILE, SYSTEM_LOG_FILE):
        _require_inside(Path(os.path.realpath(real / name)), roots, f"{requested}/{name}")
    return real


def confined_path(requested: str, root_dir: str, roots: list[Path]) -> Path:
    """The real path of `requested` (relative to root_dir, or absolute); RunAccessError 403 outside roots."""
    real = Path(os.path.realpath(os.path.join(root_dir, requested)))  # join keeps an absolute path as it is
    _require_inside(real, roots, requested)
    return real


def _require_inside(real: Path, roots: list[Path], shown: str) -> None:
    if not any(real == root or real.is_relative_to(root) for root in roots):
        raise RunAccessError(
            403, f"run_dir {shown!r} resolves outside the server's root_dir and $SPYGLASS_DIR; refusing it"
        )
