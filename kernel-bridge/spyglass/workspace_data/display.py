"""`spyglass.workspace(project)`: the workspace (every run of a project, compared) as a notebook output."""

from __future__ import annotations

import os
from typing import Any

from ..base.protocol_constants import WORKSPACE_MIME_TYPE
from ..store.project_names import did_you_mean
from ..store.run_store import find_runs, resolve_store_root, validate_name
from .index import list_projects


class Workspace:
    """A displayable workspace of one project; JupyterLab with the Spyglass extension draws it live."""

    def __init__(self, project: str, store_root: str, layout_key: str) -> None:
        self.project = project
        self.store_root = store_root
        self.layout_key = layout_key

    def _bundle_data(self) -> dict[str, Any]:
        return {"store_root": self.store_root, "project": self.project, "layout_key": self.layout_key}

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        return {WORKSPACE_MIME_TYPE: self._bundle_data(), "text/plain": self._text()}

    def _text(self) -> str:
        try:
            count = len(find_runs(self.store_root, self.project))
        except OSError:
            count = 0

        projects = list_projects(self.store_root)
        if self.project not in projects:
            # A mistyped name ("Mistakes" for "mistakes") must not read as "wait for runs".
            return (
                f"Spyglass workspace: project {self.project!r} does not exist yet (0 runs) in "
                f"{self.store_root}."
                f"{did_you_mean(self.project, projects)} Its runs appear here once one is logged."
            )
        runs = "1 run" if count == 1 else f"{count} runs"
        return (
            f"Spyglass workspace: project {self.project!r} ({runs}) in {self.store_root}. "
            "Open this notebook in JupyterLab with the Spyglass extension to compare the runs."
        )

    def __repr__(self) -> str:
        return f"Workspace(project={self.project!r}, store_root={self.store_root!r})"


def workspace(
    project: str, store: str | os.PathLike[str] | None = None, layout_key: str | None = None
) -> Workspace:
    """Return the workspace of `project` in `store` (default: $SPYGLASS_DIR or ./spyglass) for display.

    The layout (table settings, panels) is kept in the notebook's metadata under `layout_key` (default: the
    project name), so two workspaces of one project in a notebook can be arranged apart.
    """
    validate_name("project", project)
    key = project if layout_key is None else layout_key
    if not isinstance(key, str) or not key:
        raise ValueError(f"layout_key must be a non-empty string, got {layout_key!r}")
    return Workspace(project, str(resolve_store_root(store)), key)
