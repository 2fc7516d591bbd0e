"""Api: the entry point of the read API, over one store root (like `wandb.Api()` over a server)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..base.errors import ProjectNotFoundError, RunNotFoundError
from ..store.bucket_mirror import BucketMirror, mirror_for
from ..store.project_names import did_you_mean
from ..store.run_store import METADATA_FILE, RunDirectory, find_runs, validate_name
from ..store.store_url import local_root, parse_store_url
from ..traces import flush_traces, read_project_calls, session_directories
from ..traces.trace_shipping import pull_project_traces
from .artifact_api import ArtifactApi
from .runs import Runs
from .stored_calls import Calls
from .stored_run import StoredRun

_SHOWN_NAMES = 20  # how many existing projects or runs an error message lists


class Api(ArtifactApi):
    """Read runs from a store: `dir`, else $SPYGLASS_DIR, else ./spyglass (as spyglass.init() resolves it);
    an s3:// store through its local mirror, pulled before each read."""

    def __init__(self, dir: str | os.PathLike[str] | None = None) -> None:
        url = parse_store_url(dir)
        self.root: Path = local_root(url)
        # An s3:// store is read from its local mirror, pulled before each read (bucket_mirror.py).
        self._mirror: BucketMirror | None = mirror_for(url) if url.is_remote else None

    def projects(self) -> list[str]:
        """The names of the projects in the store, sorted."""
        if self._mirror is not None:
            for project in self._mirror.sync_projects():
                self._mirror.sync_project(project)
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
        elif self._mirror is not None:
            self.projects()
        return Runs(lambda: find_runs(self.root, project), filters=filters, order=order, open_run=self._open)

    def calls(self, project: str, filters: Mapping[str, Any] | None = None) -> Calls:
        """The calls `@sg.op` recorded in `project` (every trace session), in start order, matching `filters`.

        Filters are the runs' language over call fields: `{"op_name": "predict"}`, `{"parent_id": None}` (root
        calls), `{"status": "error"}`, `{"inputs.question": {"$regex": "why"}}`, `{"latency": {"$gt": 1}}`.
        Raises ProjectNotFoundError when the store holds neither runs nor traces of `project`.
        """
        name = _project_of(project)
        validate_name("project", name)
        if self._mirror is not None:  # an s3:// store: its sessions pulled first (trace_shipping.py)
            pull_project_traces(self.root, name)
        if not session_directories(self.root, name):
            self._require_project(
                name
            )  # a project with runs but no traces has no calls; an unknown one raises
        return Calls(lambda: _read_calls(self.root, name), filters=filters, project=name, root=self.root)

    def run(self, path: str) -> StoredRun:
        """The run at "project/run_id" (a wandb-style "entity/project/run_id" also works)."""
        parts = [part for part in path.split("/") if part]
        if len(parts) < 2:
            raise RunNotFoundError(f"run path {path!r} must be 'project/run_id'")
        project, run_id = parts[-2], parts[-1]
        validate_name("run id", run_id)
        if self._mirror is not None:
            self._mirror.sync_run(validate_name("project", project), run_id, force=True)
        self._require_project(project)
        directory = RunDirectory(self.root / project / run_id)
        if not directory.metadata_path.is_file():
            existing = [run.path.name for run in find_runs(self.root, project)]
            raise RunNotFoundError(
                f"no run {run_id!r} in project {project!r} of the store {self.root}; "
                f"its runs are: {_listing(existing)}"
            )
        return self._open(directory)

    def _open(self, directory: RunDirectory) -> StoredRun:
        mirror = self._mirror
        if mirror is None:
            return StoredRun(directory)
        project, run_id = directory.path.parent.name, directory.path.name
        return StoredRun(directory, pull=lambda: mirror.sync_run(project, run_id).run_json)

    def _require_project(self, project: str) -> None:
        validate_name("project", project)
        if self._mirror is not None:
            self._mirror.sync_project(project, force=True)
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


def _read_calls(root: Path, project: str) -> Any:
    flush_traces()  # calls this process made are read back too, as a run's summary read flushes its rows
    return read_project_calls(root, project)


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
