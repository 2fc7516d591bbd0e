"""Download and verification of an artifact version's files.

`download(root)` writes only below `root`: every entry path is checked again (the manifest may come from a
damaged or hostile store), parent directories must resolve inside root, and each file is written by link or
copy to a temporary name and renamed over the target, so a symlink already at the target is replaced, never
followed. Files are hardlinked from the object store when it is on the same filesystem (objects are read-only,
so an editor cannot change the store through the link), copied otherwise.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import warnings
from pathlib import Path

from ..base.user_warnings import user_stacklevel
from .artifact_errors import UnsafePathError, VerificationError
from .manifest import Manifest, ManifestEntry
from .object_store import ObjectStore, hash_file, hash_files
from .references import is_local, local_path_of
from .safe_paths import confined_join, is_inside


def download(
    objects: ObjectStore, manifest: Manifest, root: str | os.PathLike[str], *, link: bool | None = None
) -> dict[str, int]:
    """Materialise every entry under `root`; returns {"linked", "copied", "skipped"} counts.

    link=None hardlinks when possible, True requires hardlinks, False always copies.
    """
    root_path = Path(root)
    root_path.mkdir(parents=True, exist_ok=True)
    real_root = Path(os.path.realpath(root_path))
    counts = {"linked": 0, "copied": 0, "skipped": 0}
    remote: list[str] = []
    objects.fetch_many(_to_fetch(manifest, real_root))
    for entry in manifest:
        target = confined_join(real_root, entry.path)
        _make_parents(real_root, target.parent)
        if entry.ref is not None:
            if not is_local(entry):
                remote.append(entry.ref)
                counts["skipped"] += 1
                continue
            source = local_path_of(entry.ref)
            can_link = False
        else:
            source = objects.fetch(entry.digest or "")
            can_link = link is not False
        if _already_there(target, entry, source):
            counts["skipped"] += 1
            continue
        temp = target.with_name(f".{target.name}.{secrets.token_hex(6)}.tmp")
        try:
            linked = False
            if can_link:
                try:
                    os.link(source, temp)
                    linked = True
                except OSError:
                    if link is True:
                        raise
            if not linked:
                shutil.copyfile(source, temp)
            os.replace(temp, target)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temp)
        counts["linked" if linked else "copied"] += 1
    if remote:
        warnings.warn(
            f"{len(remote)} remote reference(s) not downloaded (Spyglass does not fetch from the network), "
            f"e.g. {remote[0]}",
            stacklevel=user_stacklevel(),
        )
    return counts


def _to_fetch(manifest: Manifest, real_root: Path) -> list[str]:
    """The stored entries' digests whose file is not at its target with the right size (a bucket store then
    downloads them in parallel before the copies start)."""
    wanted = []
    for entry in manifest:
        if entry.ref is None and entry.digest:
            target = confined_join(real_root, entry.path)
            if not target.is_file() or target.stat().st_size != entry.size:
                wanted.append(entry.digest)
    return wanted


def _make_parents(real_root: Path, directory: Path) -> None:
    # mkdir one level at a time, re-checking that nothing (a planted symlink) leads outside the root.
    directory.mkdir(parents=True, exist_ok=True)
    if not is_inside(Path(os.path.realpath(directory)), real_root):
        raise UnsafePathError(f"{directory} resolves outside {real_root}; refusing to write there")


def _already_there(target: Path, entry: ManifestEntry, source: Path) -> bool:
    # An existing regular file with the right size and digest is kept (repeated downloads copy nothing).
    if (
        target.is_symlink()
        or not target.is_file()
        or entry.digest is None
        or not entry.digest.startswith("sha256:")
    ):
        return False
    info = target.stat()
    if entry.size is not None and info.st_size != entry.size:
        return False
    try:
        if os.path.samestat(info, source.stat()):
            return True  # the hardlink of an earlier download: the same read-only object
    except OSError:
        pass
    return hash_file(target)[0] == entry.digest


def verify(objects: ObjectStore, manifest: Manifest, root: str | os.PathLike[str] | None = None) -> list[str]:
    """Re-hash the files (in the store, or under a download `root`) and return the problems found."""
    checked: list[tuple[ManifestEntry, Path]] = []
    problems: list[str] = []
    for entry in manifest:
        if entry.ref is not None and not is_local(entry):
            continue  # remote references cannot be checked without the network
        if root is not None:
            path = confined_join(root, entry.path)
        elif entry.ref is not None:
            path = local_path_of(entry.ref)
        else:
            path = objects.fetch(entry.digest or "")
        if not path.is_file():
            problems.append(f"{entry.path}: missing ({path})")
        elif entry.digest is None:  # a file:// reference added with checksum=False: only its size is known
            if entry.size is not None and path.stat().st_size != entry.size:
                problems.append(f"{entry.path}: size {path.stat().st_size}, expected {entry.size}")
        else:
            checked.append((entry, path))
    digests = hash_files(path for _, path in checked)
    for (entry, _), (digest, size) in zip(checked, digests, strict=True):
        if digest != entry.digest:
            problems.append(
                f"{entry.path}: content changed (sha256 {digest[7:19]}…, expected {entry.digest})"
            )
        elif entry.size is not None and size != entry.size:
            problems.append(f"{entry.path}: size {size}, expected {entry.size}")
    return problems


def require_verified(problems: list[str], what: str) -> None:
    if problems:
        shown = "; ".join(problems[:5]) + (f"; and {len(problems) - 5} more" if len(problems) > 5 else "")
        raise VerificationError(f"{what} does not match its manifest: {shown}", problems)
