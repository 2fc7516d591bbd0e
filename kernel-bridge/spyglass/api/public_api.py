"""Api: the entry point of the read API, over one store root (like `wandb.Api()` over a server)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..base.errors import ProjectNotFoundError, RunNotFoundError
from ..store.project_names import did_you_mean
from ..store.run_store import METADATA_FILE, RunDirectory, find_runs, resolve_store_root, validate_name
from .artifact_api import ArtifactApi
from .runs import Runs
from .stored_run import StoredRun

_SHOWN_NAMES = 20  # how many existing projects or runs an error message lists


class Api(ArtifactApi):
    """Read runs from a store: `dir`, else $SPYGLASS_DIR, else ./spyglass (as spyglass.init() resolves it)."""

    def __init__(self, dir: str | os.PathLike[str] | None = None) -> None:
        self.root: Path = resolve_store_root(dir)

    def projects(self) -> list[str]:
        """The names of the projects in the store, sorted."""
        return sorted({directory.path.parent.name for directory in find_runs(self.root)})

    def runs(
        self,
        path: str | None = None,
        filters: Mapping[str, Any] | None = None,
        order: str | None = "-created_at",
    ) -> Runs:
        """The runs of project `path` (every project when None) matching `filters`, newest first by default.

        Raises ProjectNotFoundError for a project the store does not hold.
        """
        project = _project_of(path) if path is not None else None
        if project is not None:
            self._require_project(project)
        return Runs(lambda: find_runs(self.root, project), filters=filters, order=order)

    def run(self, path: str) -> StoredRun:
        """The run at "project/run_id" (a wandb-style "entity/project/run_id" also works)."""
        parts = [part for part in path.split("/") if part]
        if len(parts) < 2:
            raise RunNotFoundError(f"run path {path!r} must be 'project/run_id'")
        project, run_id = parts[-2], parts[-1]
        self._require_project(project)
        directory = RunDirectory(self.root / project / validate_name("run id", run_id))
        if not directory.metadata_path.is_file():
            existing = [run.path.name for run in find_runs(self.root, project)]
            raise RunNotFoundError(
                f"no run {run_id!r} in project {project!r} of the store {self.root}; "
                f"its runs are: {_listing(existing)}"
            )
        return StoredRun(directory)

    def _require_project(self, project: str) -> None:
        validate_name("project", project)
        project_dir = self.root / project
        if project_dir.is_dir() and any(
            (entry / METADATA_FILE).is_file() for entry in project_dir.iterdir() if entry.is_dir()
        ):
            return
        if not self.root.is_dir():
            raise ProjectNotFoundError(
                f"no project {project!r}: there is no store at {self.root} "
                "(pass Api(dir=...) or set SPYGLASS_DIR to the directory spyglass.init() wrote to)"
            )
        projects = self.projects()
        raise ProjectNotFoundError(
            f"no project {project!r} in the store {self.root} (yet).{did_you_mean(project, projects)} "
            f"Its projects are: {_listing(projects)}"
        )


def _project_of(path: str) -> str:
    # wandb paths are "entity/project"; the store has no entities, so the last part names the project.
    parts = [part for part in path.split("/") if part]
    if not parts:
        raise ProjectNotFoundError(f"project path {path!r} names no project")
    return parts[-1]


def _listing(names: list[str]) -> str:
    if not names:
        return "(none)"
    shown = ", ".join(repr(name) for name in names[:_SHOWN_NAMES])
    more = len(names) - _SHOWN_NAMES
    return shown + (f" and {more} more" if more > 0 else "")
