"""Whether a path stays inside a set of roots once every symlink is resolved.

The one check behind every server route, store listing and server-built report (docs/server-api.md,
"Confinement"): a run directory, a `history.sglog`, a sweep directory or an output's directory may be a
symlink planted inside a project; what counts is where it really leads. Callers that read on their own
behalf (the library, the CLI) pass no roots and follow links as usual.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

Roots = Sequence[Path]  # real (symlink-free) absolute paths


def real_path(path: str | os.PathLike[str]) -> Path:
    """The absolute path with every symlink resolved (a dangling link resolves to where it points)."""
    return Path(os.path.realpath(path))


def is_within(real: Path, roots: Roots) -> bool:
    """Whether the real path `real` is one of `roots` or below one."""
    return any(real == root or real.is_relative_to(root) for root in roots)


def escaping_name(
    path: str | os.PathLike[str], roots: Roots, names: Iterable[str] = (), *, real: Path | None = None
) -> str | None:
    """None when `path` and each `path/name` resolve inside `roots`; else the first that does not ("." for
    `path` itself). `real` is `path`'s real path when the caller already knows it (see `entries_within`)."""
    if not is_within(real_path(path) if real is None else real, roots):
        return "."
    for name in names:
        candidate = os.path.join(path, name)
        # A plain name that is no symlink lies where its directory really is: only links need resolving, which
        # keeps a listing of thousands of runs to one lstat per file.
        if ("/" in name or os.sep in name or os.path.islink(candidate)) and not is_within(
            real_path(candidate), roots
        ):
            return name
    return None


def stays_within(
    path: str | os.PathLike[str], roots: Roots | None, names: Iterable[str] = (), *, real: Path | None = None
) -> bool:
    """True without roots (no confinement asked); else whether `path` and `path/name...` resolve inside."""
    return roots is None or escaping_name(path, roots, names, real=real) is None


def entries_within(
    directory: str | os.PathLike[str], roots: Roots | None
) -> Callable[[os.DirEntry[str], Iterable[str]], bool]:
    """A test for the entries of `directory` (from os.scandir): does an entry, and each of its `names`, stay
    inside `roots`? The directory is resolved once; an entry only when it is a link. Without roots, always."""
    if roots is None:
        return lambda entry, names=(): True
    directory_real = real_path(directory)

    def keeps(entry: os.DirEntry[str], names: Iterable[str] = ()) -> bool:
        real = real_path(entry.path) if entry.is_symlink() else directory_real / entry.name
        return escaping_name(entry.path, roots, names, real=real) is None

    return keeps


def first_link_out(directory: str | os.PathLike[str], roots: Roots) -> str | None:
    """The first entry below `directory` (relative to it) that is a symlink resolving outside `roots`.

    None when there is none. Links to directories inside the roots are walked too (once per real directory).
    """
    stack, seen = [os.fspath(directory)], set()
    while stack:
        current = stack.pop()
        try:
            entries = list(os.scandir(current))
        except OSError:
            continue  # vanished or unreadable: whoever opens it next gets the error
        for entry in entries:
            if entry.is_symlink():
                real = real_path(entry.path)
                if not is_within(real, roots):
                    return os.path.relpath(entry.path, directory)
                if real.is_dir() and real not in seen:
                    seen.add(real)
                    stack.append(entry.path)
            elif entry.is_dir(follow_symlinks=False):
                stack.append(entry.path)
    return None
