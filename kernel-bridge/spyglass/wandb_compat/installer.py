"""Install, remove and report the `wandb` shim in an environment's site-packages.

The shim is written only where no real wandb is: a wandb distribution whose INSTALLER is not "spyglass"
anywhere on the environment's path (or a `wandb` package no dist-info of ours describes) stops `install`.
`uninstall` removes only the files our RECORD lists (and their bytecode), so anything else stays.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import importlib.util
import os
import sys
import sysconfig
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..base.errors import SpyglassError
from .shim_files import DIST_NAME, INSTALLER, package_files


class WandbCompatError(SpyglassError):
    """The wandb shim cannot be installed or removed here; the message says why and what to do."""


@dataclass(frozen=True)
class WandbStatus:
    """What `spyglass wandb-compat status` reports about one site-packages directory."""

    target: Path
    installed_version: str | None  # our shim's version, when installed there
    up_to_date: bool  # the installed files are the ones this Spyglass writes
    real_wandb: tuple[str, ...]  # descriptions of real wandb distributions in the environment
    import_origin: str | None  # the file `import wandb` loads in this interpreter, if any


def default_target() -> Path:
    """The current environment's site-packages (where `pip install` would put a pure-Python package)."""
    return Path(sysconfig.get_paths()["purelib"])


def install(target: str | os.PathLike[str] | None = None) -> list[Path]:
    """Write the shim into `target` (default: this environment's site-packages); return the files written.

    Replaces an earlier shim of ours. Raises WandbCompatError over a real wandb.
    """
    where = Path(target) if target is not None else default_target()
    real = real_wandb(_search_path(where))
    if real:
        raise WandbCompatError(
            f"a real wandb is installed ({'; '.join(real)}), and Spyglass will not shadow it. Keep using it, "
            "or remove it first (`pip uninstall wandb`, or use a separate virtualenv), then run "
            "`spyglass wandb-compat install` again."
        )
    if _our_dist_infos(where):
        uninstall(where)
    if (where / DIST_NAME).exists():
        raise WandbCompatError(
            f"{where / DIST_NAME} exists but no wandb dist-info of ours describes it, so it is not "
            "Spyglass's to replace. Remove it yourself if it is a leftover, then run "
            "`spyglass wandb-compat install` again."
        )
    written: list[Path] = []
    try:
        for relative, data in package_files().items():
            path = where / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            written.append(path)
    except OSError as error:
        _remove(where, [p.relative_to(where).as_posix() for p in written])
        raise WandbCompatError(f"could not write the wandb shim into {where}: {error}") from error
    importlib.invalidate_caches()
    return written


def uninstall(target: str | os.PathLike[str] | None = None) -> list[Path]:
    """Remove the shim from `target`; return the files removed. A real wandb is never touched."""
    where = Path(target) if target is not None else default_target()
    ours = _our_dist_infos(where)
    if not ours:
        real = real_wandb([str(where)])
        detail = f" The wandb there is a real one ({'; '.join(real)}); it is left alone." if real else ""
        raise WandbCompatError(f"no Spyglass wandb shim is installed in {where}.{detail}")
    removed: list[Path] = []
    for dist in ours:
        removed += _remove(where, dist.files_listed)
    importlib.invalidate_caches()
    for name in [name for name in sys.modules if name == DIST_NAME or name.startswith(f"{DIST_NAME}.")]:
        del sys.modules[name]  # a later `import wandb` here must not find the removed shim
    return removed


def status(target: str | os.PathLike[str] | None = None) -> WandbStatus:
    """The shim's state in `target` and what `import wandb` resolves to in this interpreter."""
    where = Path(target) if target is not None else default_target()
    ours = _our_dist_infos(where)
    expected = package_files()
    up_to_date = bool(ours) and all(
        (where / relative).is_file() and (where / relative).read_bytes() == data
        for relative, data in expected.items()
    )
    try:
        spec = importlib.util.find_spec(DIST_NAME)
    except (ImportError, ValueError):
        spec = None
    return WandbStatus(
        target=where,
        installed_version=ours[0].version if ours else None,
        up_to_date=up_to_date,
        real_wandb=tuple(real_wandb(_search_path(where))),
        import_origin=spec.origin if spec is not None else None,
    )


def real_wandb(search_path: Iterable[str]) -> list[str]:
    """Each wandb distribution on `search_path` not written by Spyglass: 'wandb VERSION at DIR (by X)'."""
    found = []
    for dist in importlib.metadata.distributions(path=list(search_path)):
        if (dist.metadata["Name"] or "").lower() != DIST_NAME:
            continue
        installer = (dist.read_text("INSTALLER") or "").strip()
        if installer != INSTALLER:
            where = getattr(dist, "_path", None)
            location = Path(where).parent if where is not None else "an unknown directory"
            by = installer or "an unknown tool"
            found.append(f"wandb {dist.version} at {location} (installed by {by})")
    return found


@dataclass(frozen=True)
class _OurDist:
    version: str
    files_listed: list[str]


def _our_dist_infos(where: Path) -> list[_OurDist]:
    ours = []
    for dist in importlib.metadata.distributions(path=[str(where)]):
        if (dist.metadata["Name"] or "").lower() != DIST_NAME:
            continue
        if (dist.read_text("INSTALLER") or "").strip() != INSTALLER:
            continue
        ours.append(_OurDist(dist.version, [str(file) for file in dist.files or []]))
    return ours


def _search_path(where: Path) -> list[str]:
    # The target first, then everything this interpreter imports from: a real wandb anywhere there would be
    # shadowed by (or would shadow) the shim.
    return [str(where), *(entry for entry in sys.path if entry)]


def _remove(where: Path, relatives: list[str]) -> list[Path]:
    """Delete the listed files (and their bytecode), then the directories this left empty."""
    removed: list[Path] = []
    directories: set[Path] = set()
    root = where.resolve()
    for relative in relatives:
        path = (where / relative).resolve()
        if root not in path.parents:  # a RECORD entry pointing outside the target is not ours to delete
            continue
        candidates = [path]
        if path.suffix == ".py":  # bytecode of every interpreter that imported it
            candidates += path.parent.glob(f"__pycache__/{path.stem}.*.pyc")
        for candidate in candidates:
            if candidate.is_file():
                candidate.unlink()
                removed.append(candidate)
            directories.update(parent for parent in candidate.parents if root in parent.parents)
    for directory in sorted(directories, key=lambda d: len(d.parts), reverse=True):
        if directory.is_dir() and not any(directory.iterdir()):
            directory.rmdir()
    return removed
