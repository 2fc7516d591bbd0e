"""Mixed into Run: run.log_code(), which saves the script's source files as a "code" artifact (as wandb).

The default picks what wandb's does (.py files, requirements*.txt, Dockerfile*) and skips wandb's own
directories; it also skips the store itself, which often lives under the working directory.
"""

from __future__ import annotations

import inspect
import os
import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

from ..artifacts.artifact import Artifact

PathFilter = Callable[[str, str], bool] | Callable[[str], bool]
_UNSAFE = re.compile(r"[^a-zA-Z0-9_\-.]")
_MAX_NAME = 128


def is_source_file(path: str, root: str) -> bool:
    """wandb's default: Python files, requirements*.txt and Dockerfile*."""
    base = os.path.basename(path)
    return (
        path.endswith(".py")
        or (base.startswith("requirements") and base.endswith(".txt"))
        or (base.startswith("Dockerfile"))
    )


def is_tool_directory(path: str, root: str) -> bool:
    """wandb's default exclusion: anything under <root>/wandb/ or <root>/.wandb/."""
    first = Path(os.path.relpath(path, root)).parts[0]
    return first in ("wandb", ".wandb")


class RunCodeLogging:
    """log_code(); needs project, _store_root and log_artifact (RunArtifacts)."""

    project: str
    _store_root: Path
    log_artifact: Callable[..., Artifact]

    def log_code(
        self,
        root: str | None = ".",
        name: str | None = None,
        include_fn: PathFilter = is_source_file,
        exclude_fn: PathFilter = is_tool_directory,
    ) -> Artifact | None:
        """Log the files under `root` that `include_fn` keeps and `exclude_fn` does not, as a "code" artifact.

        `name` defaults to "source-<project>-<script path>" (wandb's name). Returns None when no file matched.
        Filters take (path) or (path, root), as wandb's do.
        """
        if name is None:
            name = _safe_name(f"source-{self.project}-{_program_name()}")
        if root is None:
            return None
        top = os.path.abspath(root)
        files = list(_matching_files(top, self._store_root.resolve(), include_fn, exclude_fn))
        if not files:
            return None
        artifact = Artifact(name, type="code")
        for path in files:
            artifact.add_file(path, name=Path(os.path.relpath(path, top)).as_posix())
        return self.log_artifact(artifact)


def _matching_files(top: str, store: Path, include: PathFilter, exclude: PathFilter) -> Iterator[str]:
    keep, skip = _two_argument(include), _two_argument(exclude)
    for directory, subdirectories, names in os.walk(top):
        here = Path(directory).resolve()
        if here == store or store in here.parents:
            subdirectories[:] = []
            continue
        subdirectories.sort()
        for file_name in sorted(names):
            path = os.path.join(directory, file_name)
            if keep(path, top) and not skip(path, top):
                yield path


def _two_argument(function: PathFilter) -> Callable[[str, str], bool]:
    try:
        takes_root = len(inspect.signature(function).parameters) >= 2
    except (TypeError, ValueError):
        takes_root = True
    return function if takes_root else (lambda path, root: function(path))  # type: ignore[call-arg,return-value]


def _program_name() -> str:
    program = sys.argv[0] if sys.argv and sys.argv[0] else ""
    if not (program and os.path.isfile(program)):
        return "notebook"
    relative = Path(os.path.relpath(os.path.abspath(program))).as_posix()
    # A script outside the working directory is named by its file name (".." cannot be in an artifact name).
    return os.path.basename(program) if relative.startswith("..") else relative


def _safe_name(text: str) -> str:
    return _UNSAFE.sub("_", text)[:_MAX_NAME]
