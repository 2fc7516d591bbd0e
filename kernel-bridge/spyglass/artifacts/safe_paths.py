"""Validation of artifact names, aliases and file paths, and confinement of every path built from them.

Paths inside an artifact are relative POSIX paths. Anything that could lead outside the directory they are
joined to is refused: `..` segments (also as `..\\`, percent-encoded or double-encoded), absolute paths, drive
letters, NUL and control characters. Joins re-check the resolved result, so a symlink planted on disk cannot
redirect a write either.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import unquote

from ..store.run_store import validate_name
from .artifact_errors import UnsafePathError

_VERSION_ALIAS = re.compile(r"^v\d+$")
_DRIVE = re.compile(r"^[A-Za-z]:")
_MAX_DECODINGS = 4  # "%252e%252e" is ".." after two decodings; deeper nesting is refused outright
_MAX_PATH_BYTES = 4096
LATEST = "latest"


def check_name(kind: str, name: str) -> str:
    """Return `name` if usable as an artifact, registry or collection name (one directory name)."""
    try:
        return validate_name(kind, name)
    except UnsafePathError:
        raise
    except Exception as error:  # InvalidNameError: same text, but typed as an unsafe path for artifacts
        raise UnsafePathError(str(error)) from None


def check_alias(alias: str) -> str:
    """Return `alias` if it can name a version: a plain name, not `v<N>` (those are version numbers)."""
    check_name("alias", alias)
    if _VERSION_ALIAS.match(alias):
        raise UnsafePathError(f"alias {alias!r} looks like a version number; aliases cannot be v<N>")
    return alias


def check_entry_path(path: str) -> str:
    """Return the normalised relative POSIX form of an entry path; raise UnsafePathError if unsafe."""
    if not isinstance(path, str) or not path:
        raise UnsafePathError(f"artifact file path must be a non-empty string, got {path!r}")
    if len(path.encode("utf-8", "surrogatepass")) > _MAX_PATH_BYTES:
        raise UnsafePathError(f"artifact file path is longer than {_MAX_PATH_BYTES} bytes")
    decoded = path
    for _ in range(_MAX_DECODINGS + 1):
        _refuse_unsafe(path, decoded)
        once_more = unquote(decoded)
        if once_more == decoded:
            break
        decoded = once_more
    else:
        raise UnsafePathError(f"artifact file path {path!r} is percent-encoded too many times; refusing it")
    parts = [part for part in path.split("/") if part not in ("", ".")]
    if not parts:
        raise UnsafePathError(f"artifact file path {path!r} names no file")
    return "/".join(parts)


def _refuse_unsafe(original: str, text: str) -> None:
    shown = repr(original) if original == text else f"{original!r} (decodes to {text!r})"
    if any(ord(ch) < 0x20 or ch == "\x7f" for ch in text):
        raise UnsafePathError(f"artifact file path {shown} contains a NUL or control character")
    if "\\" in text:
        raise UnsafePathError(f"artifact file path {shown} contains a backslash; use '/' between directories")
    if text.startswith("/") or _DRIVE.match(text):
        raise UnsafePathError(f"artifact file path {shown} is absolute; paths in an artifact are relative")
    if any(part == ".." for part in text.split("/")):
        raise UnsafePathError(f"artifact file path {shown} contains '..'; it would leave the artifact")


def confined_join(root: str | os.PathLike[str], relative: str) -> Path:
    """Return root/relative after checking `relative` and that no existing symlink leads it outside."""
    relative = check_entry_path(relative)
    real_root = Path(os.path.realpath(root))
    target = real_root.joinpath(*relative.split("/"))
    # The parent must resolve inside root (a symlinked directory planted under root would redirect writes);
    # the final component itself is replaced, never followed, by the writers.
    if not is_inside(Path(os.path.realpath(target.parent)), real_root):
        raise UnsafePathError(
            f"{relative!r} resolves outside {real_root} through a symbolic link; refusing to write there"
        )
    return target


def is_inside(path: Path, root: Path) -> bool:
    """True if `path` is `root` or below it (both already resolved)."""
    return path == root or path.is_relative_to(root)
