"""The artifact and registry part of the read API: `api.artifact("project/name:alias")`, registries,
collections, versions and alias history."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..artifacts.artifact import Artifact
from ..artifacts.artifact_errors import ArtifactNotFoundError
from ..artifacts.artifact_store import artifact_names, collection_of, resolve
from ..artifacts.collection import Collection
from ..artifacts.registry import collections, parse_target, registries, registry_collection


class ArtifactApi:
    """Mixed into Api (which sets `root`)."""

    root: Path

    def artifact(self, name: str, type: str | None = None) -> Artifact:
        """The version "project/name:v3", "project/name:alias" or "project/name" (latest), read-only."""
        if "/" not in name:
            raise ArtifactNotFoundError(f"artifact path {name!r} must name the project: 'project/name:alias'")
        ref, record = resolve(self.root, name, "")
        artifact = Artifact._from_store(self.root, ref, record)
        if type is not None and artifact.type != type:
            raise ArtifactNotFoundError(f"{ref.qualified_name} has type {artifact.type!r}, not {type!r}")
        return artifact

    def artifact_collections(self, project: str) -> list[str]:
        """The artifact names of a project."""
        return artifact_names(self.root, project)

    def artifact_versions(self, path: str) -> list[Artifact]:
        """Every version of "project/name", oldest first."""
        return self.artifact_collection(path).versions()

    def artifact_collection(self, path: str) -> CollectionView:
        """The collection "project/name": versions, aliases, alias history, protection."""
        project, _, name = path.rpartition("/")
        if not project:
            raise ArtifactNotFoundError(f"artifact collection path {path!r} must be 'project/name'")
        collection = collection_of(self.root, project.split("/")[-1], name)
        if not collection.exists:
            raise ArtifactNotFoundError(f"no artifact collection {path!r} in the store {self.root}")
        return CollectionView(self.root, collection, f"{project.split('/')[-1]}/{name}")

    def registries(self) -> list[str]:
        """The names of the registries in the store."""
        return registries(self.root)

    def registry_collections(self, registry: str) -> list[str]:
        return collections(self.root, registry)

    def registry_collection(self, path: str) -> CollectionView:
        """The registry collection "registry/collection"."""
        registry, name = parse_target(path)
        collection = registry_collection(self.root, registry, name)
        if not collection.exists:
            raise ArtifactNotFoundError(
                f"no registry collection {path!r}; "
                f"the registries are {', '.join(self.registries()) or '(none)'}"
            )
        return CollectionView(self.root, collection, f"{registry}/{name}")


class CollectionView:
    """An artifact or registry collection, read through the API."""

    def __init__(self, root: Path, collection: Collection, path: str) -> None:
        self._root = root
        self._collection = collection
        self.path = path

    @property
    def kind(self) -> str:
        return self._collection.info().get("kind", "artifact")

    def versions(self) -> list[Any]:
        """Artifacts (for an artifact collection) or link records with their aliases (for a registry)."""
        if self.kind == "artifact":
            return [self.artifact(f"v{number}") for number in self._collection.version_numbers()]
        by_version = self._collection.aliases_by_version()
        return [
            {**self._collection.read_version(number), "aliases": by_version.get(number, [])}
            for number in self._collection.version_numbers()
        ]

    def artifact(self, version_or_alias: str = "latest") -> Artifact:
        """The artifact version named by "v3" or an alias (a registry link resolves to its source)."""
        number = self._collection.resolve(version_or_alias)
        record = self._collection.read_version(number)
        if self.kind == "artifact":
            ref, record = resolve(self._root, f"{self.path}:v{number}", "")
            return Artifact._from_store(self._root, ref, record)
        source = record["source"].removeprefix("artifact:")
        ref, source_record = resolve(self._root, source, "")
        return Artifact._from_store(self._root, ref, source_record)

    def aliases(self) -> dict[str, str]:
        """alias → "vN"."""
        return {alias: f"v{number}" for alias, number in sorted(self._collection.aliases().items())}

    def alias_history(self) -> list[dict[str, Any]]:
        """Every alias move, oldest first: {"alias", "version", "previous", "at", "by", "forced"?}."""
        return self._collection.alias_history()

    def set_alias(self, alias: str, version: str | None, *, force: bool = False) -> None:
        """Move `alias` to "vN" (None removes it); a protected alias needs force=True."""
        number = None if version is None else self._collection.resolve(version)
        self._collection.set_alias(alias, number, force=force)

    def protect_alias(self, alias: str, protected: bool = True) -> None:
        """Protect `alias` (moving it then needs force=True), or unprotect it."""
        self._collection.protect_alias(alias, protected)

    @property
    def protected_aliases(self) -> list[str]:
        return self._collection.protected_aliases()

    def __repr__(self) -> str:
        return f"<spyglass.api.CollectionView {self.kind} {self.path}>"
