"""The registry: named collections (`<root>/.registry/<registry>/<collection>/`) that link artifact versions.

A link copies no bytes: its record points at the artifact version (`source` node id) and carries its manifest
digest. Each collection numbers its links v0, v1, ... and has its own aliases (`latest`, `production`, ...)
with the full move history (collection.py).
"""

from __future__ import annotations

import os
import time
from typing import Any

from .artifact_errors import UnsafePathError
from .artifact_storage import folder_names, open_collection
from .collection import Collection
from .safe_paths import LATEST, check_name

REGISTRY_DIR = ".registry"


def parse_target(target: str) -> tuple[str, str]:
    """Split "registry/collection" (a leading "wandb-registry-" prefix or entity is accepted and dropped)."""
    parts = [part for part in str(target).split("/") if part]
    if len(parts) < 2:
        raise UnsafePathError(
            f"registry target {target!r} must be 'registry/collection', e.g. 'model/classifier'"
        )
    registry, collection = parts[-2], parts[-1]
    registry = registry.removeprefix("wandb-registry-")
    return check_name("registry name", registry), check_name("registry collection", collection)


def registry_collection(root: str | os.PathLike[str], registry: str, collection: str) -> Collection:
    return open_collection(
        root,
        REGISTRY_DIR,
        check_name("registry name", registry),
        check_name("registry collection", collection),
    )


def link_version(
    root: str | os.PathLike[str],
    source_id: str,
    source_record: dict[str, Any],
    target: str,
    *,
    aliases: list[str] | tuple[str, ...] = (),
    by: str | None = None,
    force: bool = False,
) -> tuple[str, str, int, bool]:
    """Link an artifact version into `target`; return (registry, collection, link number, created)."""
    registry, name = parse_target(target)
    collection = registry_collection(root, registry, name)
    collection.ensure(
        {"kind": "registry", "registry": registry, "name": name, "type": source_record.get("type")}
    )
    record = {
        "format": 1,
        "source": source_id,
        "project": source_record.get("project"),
        "name": source_record.get("name"),
        "source_version": source_record.get("version"),
        "type": source_record.get("type"),
        "manifest": source_record.get("manifest"),
        "size": source_record.get("size"),
        "file_count": source_record.get("file_count"),
        "created_at": time.time(),
        "linked_by": by,
    }
    number, created = collection.add_version(source_record["digest"], record)
    for alias in aliases:
        if alias != LATEST:
            collection.set_alias(alias, number, by=by, force=force)
    return registry, name, number, created


def registries(root: str | os.PathLike[str]) -> list[str]:
    return folder_names(root, REGISTRY_DIR)


def collections(root: str | os.PathLike[str], registry: str) -> list[str]:
    return folder_names(root, REGISTRY_DIR, check_name("registry name", registry))
