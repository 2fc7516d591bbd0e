"""Artifact versions in the store: log a draft as the next version, resolve references, record uses.

<root>/<project>/.artifacts/<name>/   one Collection per artifact name (collection.py)
<root>/.objects/sha256/...            the bytes (object_store.py); manifests are objects too
"""

from __future__ import annotations

import os
import re
import time
from dataclasses import dataclass
from typing import Any

from ..store.run_store import validate_name
from .artifact_errors import ArtifactNotFoundError, UnsafePathError
from .artifact_storage import add_record, folder_names, objects_for, open_collection, records
from .collection import Collection
from .manifest import Manifest
from .object_store import put_files
from .safe_paths import LATEST, check_alias, check_name

ARTIFACTS_DIR = ".artifacts"
# A run using another project's artifact is also noted in its own project, so that project's lineage has it.
EXTERNAL_USES = ".external_uses.jsonl"
_EXTERNAL_SET = EXTERNAL_USES.removesuffix(".jsonl")
# "name", "name:v3", "name:alias", "project/name:alias"; a leading "entity/" as wandb writes it is ignored.
_REFERENCE = re.compile(r"^(?:(?P<prefix>[^:]+)/)?(?P<name>[^/:]+)(?::(?P<version>[^/:]+))?$")


@dataclass(frozen=True)
class VersionRef:
    project: str
    name: str
    number: int

    @property
    def node_id(self) -> str:
        return f"artifact:{self.project}/{self.name}:v{self.number}"

    @property
    def qualified_name(self) -> str:
        return f"{self.project}/{self.name}:v{self.number}"


@dataclass(frozen=True)
class LogResult:
    ref: VersionRef
    created: bool  # False when the manifest equalled an existing version's
    bytes_copied: int
    files_copied: int


def collection_of(root: str | os.PathLike[str], project: str, name: str) -> Collection:
    return open_collection(
        root, validate_name("project", project), ARTIFACTS_DIR, check_name("artifact name", name)
    )


def artifact_names(root: str | os.PathLike[str], project: str) -> list[str]:
    return folder_names(root, validate_name("project", project), ARTIFACTS_DIR)


def parse_reference(reference: str, default_project: str) -> tuple[str, str, str]:
    """Split "project/name:alias" into (project, name, version-or-alias); the version defaults to latest."""
    if not isinstance(reference, str) or "\0" in reference:
        raise UnsafePathError(f"artifact reference {reference!r} must be a string without NUL characters")
    match = _REFERENCE.match(reference.strip())
    if match is None:
        raise UnsafePathError(
            f"artifact reference {reference!r} is not 'name', 'name:v3', 'name:alias' or 'project/name:alias'"
        )
    prefix = match.group("prefix")
    project = prefix.split("/")[-1] if prefix else default_project
    version = match.group("version") or LATEST
    check_name("project", project)
    check_name("artifact name", match.group("name"))
    if not re.fullmatch(r"v\d+", version) and version != LATEST:
        check_alias(version)
    return project, match.group("name"), version


def log_version(
    root: str | os.PathLike[str],
    project: str,
    name: str,
    type_: str,
    manifest: Manifest,
    sources: dict[str, str],
    *,
    stamps: dict[str, tuple[int, int]] | None = None,
    description: str | None = None,
    metadata: dict[str, Any] | None = None,
    logged_by: dict[str, str] | None = None,
    aliases: list[str] | tuple[str, ...] = (),
) -> LogResult:
    """Store the draft's files and manifest, then allocate a version unless the manifest is already one.

    `sources` maps entry path → local file holding its bytes (references have none); `stamps` the
    (size, mtime_ns) of each taken before it was hashed, letting the copy run in the kernel.
    """
    objects = objects_for(root)
    collection = collection_of(root, project, name)
    info = collection.ensure({"kind": "artifact", "name": name, "project": project, "type": type_})
    digest = manifest.digest
    existing = collection.version_by_digest(digest)
    bytes_copied = files_copied = 0
    if existing is None:
        stamps = stamps or {}
        stored = [entry for entry in manifest if entry.ref is None and entry.path in sources]
        missing = objects.missing({entry.digest for entry in stored})
        items = [
            (sources[entry.path], entry.digest, stamps.get(entry.path))
            for entry in stored
            if entry.digest in missing
        ]
        unique = list({digest: (source, digest, stamp) for source, digest, stamp in items}.values())
        bytes_copied, files_copied = put_files(objects, unique)
        manifest_digest = objects.put_bytes(manifest.to_bytes())
        record = {
            "format": 1,
            "project": project,
            "name": name,
            "type": type_ or info.get("type"),
            "description": description,
            "metadata": metadata or {},
            "manifest": manifest_digest,
            "size": manifest.size,
            "file_count": len(manifest),
            "created_at": time.time(),
            "logged_by": logged_by,
        }
        number, created = collection.add_version(digest, record)
    else:
        number, created = existing, False
    by = f"{logged_by['project']}/{logged_by['run_id']}" if logged_by else None
    for alias in aliases:
        if alias != LATEST:
            collection.set_alias(alias, number, by=by)
    return LogResult(VersionRef(project, name, number), created, bytes_copied, files_copied)


def read_manifest(root: str | os.PathLike[str], record: dict[str, Any]) -> Manifest:
    return Manifest.from_bytes(objects_for(root).read_bytes(record["manifest"]))


def resolve(
    root: str | os.PathLike[str], reference: str, default_project: str
) -> tuple[VersionRef, dict[str, Any]]:
    """Return the version a reference names and its record; ArtifactNotFoundError when there is none."""
    project, name, version = parse_reference(reference, default_project)
    collection = collection_of(root, project, name)
    if not collection.exists:
        known = artifact_names(root, project)
        raise ArtifactNotFoundError(
            f"no artifact {name!r} in project {project!r} of the store {root}; "
            f"its artifacts are: {', '.join(known) or '(none)'}"
        )
    number = collection.resolve(version)
    return VersionRef(project, name, number), collection.read_version(number)


def record_use(root: str | os.PathLike[str], ref: VersionRef, run_project: str, run_id: str) -> None:
    """Remember that run `run_project/run_id` used version `ref` (the lineage's `consumed` edge)."""
    collection = collection_of(root, ref.project, ref.name)
    already = any(
        use.get("version") == ref.number and use.get("run_id") == run_id and use.get("project") == run_project
        for use in collection.uses()
    )
    if not already:
        at = time.time()
        collection.record_use({"version": ref.number, "project": run_project, "run_id": run_id, "at": at})
        if run_project != ref.project:
            use = {"artifact": ref.node_id, "run_id": run_id, "at": at}
            add_record(root, (validate_name("project", run_project), ARTIFACTS_DIR), _EXTERNAL_SET, use)


def external_uses(root: str | os.PathLike[str], project: str) -> list[dict[str, Any]]:
    """The uses by `project`'s runs of other projects' artifacts: {"artifact": node id, "run_id", "at"}."""
    return records(root, (validate_name("project", project), ARTIFACTS_DIR), _EXTERNAL_SET)
