"""The artifact methods of a Run: log_artifact, use_artifact, link_artifact, lineage (docs/artifacts.md)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from ..artifacts.artifact import Artifact
from ..artifacts.artifact_errors import ArtifactError
from ..artifacts.artifact_store import LogResult, collection_of, record_use, resolve
from ..artifacts.lineage import run_node_id
from ..artifacts.lineage_display import LineageView
from ..artifacts.registry import link_version


class RunArtifacts:
    """Mixed into Run; needs `project`, `id` and `dir` (<root>/<project>/<run_id>)."""

    project: str
    id: str
    dir: str

    @property
    def _store_root(self) -> Path:
        return Path(self.dir).parent.parent

    def log_artifact(
        self,
        artifact_or_path: Artifact | str | os.PathLike[str],
        name: str | None = None,
        type: str | None = None,
        aliases: list[str] | None = None,
    ) -> Artifact:
        """Log a draft as the next version of its collection (none is made if the content is unchanged).

        `aliases` default to ["latest"] (always on the newest version); custom ones move to this version.
        A path logs that file or directory as an artifact named `name` (default: its base name).
        """
        artifact = _as_artifact(artifact_or_path, name, type)
        if artifact.logged:
            raise ArtifactError(
                f"{artifact.qualified_name} is already logged; log art.new_draft() for a new version"
            )
        result = self._log_draft(artifact, aliases or [], logged_by=True)
        artifact.last_log = result
        return artifact

    def use_artifact(self, artifact_or_name: Artifact | str, type: str | None = None) -> Artifact:
        """Mark an artifact version as an input of this run and return it (read-only).

        Accepts "name", "name:v3", "name:alias", "project/name:alias" or an Artifact (a draft is logged
        first, with no producing run).
        """
        root = self._store_root
        if isinstance(artifact_or_name, Artifact):
            if not artifact_or_name.logged:
                self._log_draft(artifact_or_name, [], logged_by=False)
            ref = artifact_or_name._ref
            assert ref is not None
            artifact = Artifact._from_store(
                root, ref, collection_of(root, ref.project, ref.name).read_version(ref.number)
            )
        else:
            ref, record = resolve(root, artifact_or_name, self.project)
            artifact = Artifact._from_store(root, ref, record)
        if type is not None and artifact.type != type:
            raise ArtifactError(f"{artifact.qualified_name} has type {artifact.type!r}, not {type!r}")
        record_use(root, ref, self.project, self.id)
        return artifact

    def link_artifact(
        self, artifact: Artifact, target_path: str, aliases: list[str] | None = None, *, force: bool = False
    ) -> str:
        """Link a logged version into registry collection "registry/collection" without copying.

        Custom aliases (e.g. "production") move to the new link with their history kept; a protected alias
        moves only with force=True. Returns "registry/collection:vN".
        """
        if not artifact.logged:
            self.log_artifact(artifact)
        assert artifact._ref is not None and artifact._record is not None
        registry, collection, number, _ = link_version(
            self._store_root,
            artifact._ref.node_id,
            artifact._record,
            target_path,
            aliases=aliases or [],
            by=f"{self.project}/{self.id}",
            force=force,
        )
        return f"{registry}/{collection}:v{number}"

    def lineage(self, depth: int | None = None) -> LineageView:
        """The lineage around this run (what it used and made); displays as the lineage panel."""
        return LineageView(self._store_root, self.project, run_node_id(self.project, self.id), depth)

    def _log_draft(self, artifact: Artifact, aliases: list[str], *, logged_by: bool) -> LogResult:
        by = {"project": self.project, "run_id": self.id} if logged_by else None
        return artifact._log(self._store_root, self.project, logged_by=by, aliases=aliases)


def _as_artifact(value: Any, name: str | None, type: str | None) -> Artifact:
    if isinstance(value, Artifact):
        if name is not None and name != value.name:
            raise ArtifactError(
                f"log_artifact(name={name!r}) differs from the artifact's name {value.name!r}"
            )
        return value
    path = Path(os.fspath(value))
    artifact = Artifact(name or path.name, type or "unspecified")
    if path.is_dir():
        artifact.add_dir(path)
    else:
        artifact.add_file(path)
    return artifact
