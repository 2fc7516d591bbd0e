"""Which file GET /spyglass/api/v1/file may serve: one under a run's media/ (or a store's .tables/), or an
image a trace session stored by reference (its objects/, the trace panel's inline images), only.

The requested path is relative; `..`, absolute paths, NUL and backslashes are refused before touching the
disk, and the real path (symlinks resolved) must still lie inside the allowed directory.
"""

from __future__ import annotations

import mimetypes
import os
from pathlib import Path, PurePosixPath

from ..base.path_confinement import is_within, real_path
from .run_access import RunAccessError, confine, resolve_run_dir

MEDIA_DIR = "media"
TABLES_DIR = ".tables"  # data_types.table_display.TABLES_DIR: displayed, unlogged tables and their media
TRACES_DIR = ".traces"  # traces.trace_session: <project>/.traces/<session>/objects/ holds referenced values
TRACE_OBJECTS_DIR = "objects"
TRACE_SESSION_FILE = "session.json"
TRACE_IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp")

_CONTENT_TYPES = {
    ".parquet": "application/vnd.apache.parquet",
    ".arrow": "application/vnd.apache.arrow.stream",
    ".json": "application/json",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".wav": "audio/wav",
    ".mp3": "audio/mpeg",
    ".ogg": "audio/ogg",
    ".flac": "audio/flac",
    ".mp4": "video/mp4",
    ".webm": "video/webm",
    ".glb": "model/gltf-binary",
    ".gltf": "model/gltf+json",
    ".obj": "text/plain; charset=utf-8",
    # HTML and SVG could run script if opened directly from the server's origin: served as inert text; the
    # page sanitises HTML with DOMPurify before showing it.
    ".html": "text/plain; charset=utf-8",
    ".htm": "text/plain; charset=utf-8",
    ".svg": "text/plain; charset=utf-8",
}


def resolve_file(run_dir: str | None, path: str | None, root_dir: str, roots: list[Path]) -> Path:
    """The real path of an allowed file, or RunAccessError (400 bad request, 403 outside, 404 missing)."""
    relative = _clean_relative(path)
    base = _resolve_base(run_dir, root_dir, roots)
    in_media = len(relative.parts) > 1 and relative.parts[0] == MEDIA_DIR
    if base.parent.name == TRACES_DIR:
        # Only the images a session stored (PIL images become objects/<sha>.png): nothing else of the session.
        if len(relative.parts) != 2 or relative.parts[0] != TRACE_OBJECTS_DIR:
            raise RunAccessError(403, f"only {TRACE_OBJECTS_DIR}/ images of a trace session are served")
        if relative.suffix.lower() not in TRACE_IMAGE_SUFFIXES:
            raise RunAccessError(
                403, f"only images ({', '.join(TRACE_IMAGE_SUFFIXES)}) of a trace session are served"
            )
        allowed = base / TRACE_OBJECTS_DIR
    elif base.name == TABLES_DIR and not in_media:
        # .tables holds the displayed tables' Parquet files; anything else there (a planted subdirectory of
        # notes, keys, ...) is not served.
        if relative.suffix != ".parquet":
            raise RunAccessError(403, "only .parquet tables and media/ files are served from .tables")
        allowed = base
    elif in_media:
        allowed = base / MEDIA_DIR
    else:
        raise RunAccessError(
            403, f"only files under the run's {MEDIA_DIR}/ are served, not {str(relative)!r}"
        )
    # Within the allowed directory (itself within the run): a `media` directory that is a symlink out of the
    # run, or a file linked out of it, must not widen the area, even when the target is inside the roots.
    real = real_path(base / relative)
    if not is_within(real, [real_path(allowed)]) or not is_within(real, [base]):
        raise RunAccessError(403, f"path {str(relative)!r} resolves outside {allowed.name}/; refusing it")
    if not real.is_file():
        raise RunAccessError(404, f"no file {str(relative)!r} in {str(base)!r}")
    return real


def content_type(path: Path) -> str:
    """The Content-Type to answer with (by extension; unknown ones as octet-stream)."""
    suffix = path.suffix.lower()
    known = _CONTENT_TYPES.get(suffix)
    if known is not None:
        return known
    guessed, _ = mimetypes.guess_type(path.name)
    if guessed is None or guessed.startswith(
        ("text/html", "image/svg", "application/xhtml", "application/javascript", "text/javascript")
    ):
        return "application/octet-stream"
    return guessed


def _clean_relative(path: str | None) -> PurePosixPath:
    if not path:
        raise RunAccessError(400, "missing query parameter 'path'")
    if "\0" in path or "\\" in path:
        raise RunAccessError(400, "path contains a NUL character or a backslash")
    relative = PurePosixPath(path)
    if relative.is_absolute() or any(part in ("..", ".", "") for part in path.split("/")):
        raise RunAccessError(400, f"path {path!r} must be relative, without '.' or '..' parts")
    return relative


def _resolve_base(run_dir: str | None, root_dir: str, roots: list[Path]) -> Path:
    if isinstance(run_dir, str) and os.path.basename(os.path.normpath(run_dir)) == TABLES_DIR:
        real = confine(run_dir, "run_dir", root_dir, roots)
        if real.name != TABLES_DIR or not real.is_dir():
            raise RunAccessError(404, f"{run_dir!r} is not a {TABLES_DIR} directory")
        return real
    if (
        isinstance(run_dir, str)
        and os.path.basename(os.path.dirname(os.path.normpath(run_dir))) == TRACES_DIR
    ):
        real = confine(run_dir, "run_dir", root_dir, roots)
        if real.parent.name != TRACES_DIR or not (real / TRACE_SESSION_FILE).is_file():
            raise RunAccessError(404, f"{run_dir!r} is not a trace session directory")
        return real
    return resolve_run_dir(run_dir, root_dir, roots)
