"""The lineage graph of a project: runs and artifact versions as a DAG (docs/artifacts.md#lineage).

Edges: run → artifact version is `produced` (the version record's `logged_by`), artifact version → run is
`consumed` (the collection's usage log). Built from the files on every call; a project with 1,000 versions
reads about a thousand small JSON files.
"""

from __future__ import annotations

import json
import os
from collections import deque
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..base.path_confinement import Roots, entries_within, stays_within
from ..store.remote_root import bucket_of
from ..store.run_state import effective_state
from ..store.run_store import METADATA_FILE, validate_name
from .artifact_store import ARTIFACTS_DIR, EXTERNAL_USES, artifact_names, collection_of, external_uses
from .bucket_collection import BucketCollection
from .collection import ALIAS_LOG, COLLECTION_FILE, USAGE_LOG, VERSIONS_DIR, Collection
from .registry import REGISTRY_DIR, collections, registries, registry_collection

MAX_NODES = 2000  # whole-project graphs and neighbourhoods stop growing here and say `truncated`
DEFAULT_DEPTH = 3
# Version records are never rewritten once created, so a server answering many requests keeps them parsed.
_RECORD_CACHE: dict[tuple[str, int], dict[str, Any]] = {}
_RECORD_CACHE_LIMIT = 200_000
# The files of a collection the graph reads besides its version records.
_COLLECTION_FILES = (COLLECTION_FILE, VERSIONS_DIR, ALIAS_LOG, USAGE_LOG)


def run_node_id(project: str, run_id: str) -> str:
    return f"run:{project}/{run_id}"


def artifact_node_id(project: str, name: str, number: int) -> str:
    return f"artifact:{project}/{name}:v{number}"


def lineage_graph(
    store_root: str | os.PathLike[str],
    project: str,
    focus: str | None = None,
    depth: int | None = None,
    max_nodes: int = MAX_NODES,
    roots: Roots | None = None,
) -> dict[str, Any]:
    """The project's lineage graph, or the neighbourhood `depth` hops (default 3) around node id `focus`.

    With `roots` (the server), collections, version records, logs and run.json files that resolve outside them
    are left out, as if absent (path_confinement.py).
    """
    root = Path(store_root)
    validate_name("project", project)
    links = registry_links_by_source(root, roots)
    artifacts: dict[str, dict[str, Any]] = {}
    out_edges: dict[str, list[dict[str, str]]] = {}
    in_edges: dict[str, list[dict[str, str]]] = {}

    def add_edge(source: str, target: str, kind: str) -> None:
        edge = {"source": source, "target": target, "kind": kind}
        out_edges.setdefault(source, []).append(edge)
        in_edges.setdefault(target, []).append(edge)

    for name in artifact_names(root, project):
        collection = collection_of(root, project, name)
        if not stays_within(collection.path, roots, _COLLECTION_FILES):
            continue
        aliases = collection.aliases_by_version()
        for record in _records_of(collection, roots):
            node_id = artifact_node_id(project, name, record["version"])
            artifacts[node_id] = _artifact_node(project, name, record, aliases, links.get(node_id, []))
            producer = record.get("logged_by")
            if producer:
                add_edge(run_node_id(producer["project"], producer["run_id"]), node_id, "produced")
        for use in collection.uses():
            add_edge(
                artifact_node_id(project, name, use["version"]),
                run_node_id(use["project"], use["run_id"]),
                "consumed",
            )
    foreign_uses = external_uses(root, project) if stays_within(_external_log(root, project), roots) else []
    for use in foreign_uses:
        node_id = use.get("artifact", "")
        if node_id not in artifacts:
            external = _external_artifact(root, node_id, links, roots)
            if external is None:
                continue
            artifacts[node_id], producer = external
            if producer:
                add_edge(run_node_id(producer["project"], producer["run_id"]), node_id, "produced")
        add_edge(node_id, run_node_id(project, use["run_id"]), "consumed")

    if focus is not None and focus not in artifacts and focus not in out_edges and focus not in in_edges:
        raise LookupError(f"node {focus!r} is not in the lineage of project {project!r}")
    all_ids = list(dict.fromkeys([*artifacts, *out_edges, *in_edges]))
    if focus is None:
        chosen, truncated = all_ids[:max_nodes], len(all_ids) > max_nodes
    else:
        chosen, truncated = _neighbourhood(
            focus, depth if depth is not None else DEFAULT_DEPTH, out_edges, in_edges, max_nodes
        )
    chosen_set = set(chosen)
    nodes = [
        artifacts[node_id] if node_id in artifacts else _run_node(root, node_id, roots) for node_id in chosen
    ]
    edges = [
        edge for node_id in chosen for edge in out_edges.get(node_id, []) if edge["target"] in chosen_set
    ]
    return {"nodes": nodes, "edges": edges, "focus": focus, "truncated": truncated}


def _neighbourhood(
    focus: str,
    depth: int,
    out_edges: dict[str, list[dict[str, str]]],
    in_edges: dict[str, list[dict[str, str]]],
    cap: int,
) -> tuple[list[str], bool]:
    seen = {focus: 0}
    queue = deque([focus])
    truncated = False
    while queue:
        node_id = queue.popleft()
        hops = seen[node_id]
        if hops >= depth:
            continue
        neighbours = [edge["target"] for edge in out_edges.get(node_id, [])]
        neighbours += [edge["source"] for edge in in_edges.get(node_id, [])]
        for neighbour in neighbours:
            if neighbour in seen:
                continue
            if len(seen) >= cap:
                truncated = True
                break
            seen[neighbour] = hops + 1
            queue.append(neighbour)
    return list(seen), truncated


def _external_artifact(
    root: Path, node_id: str, links: dict[str, list[str]], roots: Roots | None
) -> tuple[dict[str, Any], dict[str, str] | None] | None:
    """The node of another project's artifact version, and its producer; None if it cannot be read."""
    try:
        project, rest = node_id[len("artifact:") :].split("/", 1)
        name, _, version = rest.rpartition(":v")
        collection = collection_of(root, project, name)
        if not stays_within(
            collection.path, roots, (*_COLLECTION_FILES, f"{VERSIONS_DIR}/v{int(version)}.json")
        ):
            return None
        record = collection.read_version(int(version))
    except (ValueError, OSError, LookupError):
        return None
    node = _artifact_node(project, name, record, collection.aliases_by_version(), links.get(node_id, []))
    return node, record.get("logged_by")


def _version_records(versions_dir: Path, roots: Roots | None = None) -> list[dict[str, Any]]:
    records = []
    try:
        entries = list(os.scandir(versions_dir))
    except FileNotFoundError:
        return records
    keeps = entries_within(versions_dir, roots)
    for entry in entries:
        if entry.name.startswith("v") and entry.name.endswith(".json") and keeps(entry):
            path = entry.path
            key = (path, entry.inode())  # a store deleted and rebuilt at the same path has new inodes
            record = _RECORD_CACHE.get(key)
            if record is None:
                try:
                    with open(path, "rb") as handle:
                        record = json.loads(handle.read())
                except (OSError, json.JSONDecodeError):
                    continue  # a damaged record leaves one node out, not the whole graph
                if len(_RECORD_CACHE) > _RECORD_CACHE_LIMIT:
                    _RECORD_CACHE.clear()
                _RECORD_CACHE[key] = record
            records.append(record)
    records.sort(key=lambda record: record.get("version", 0))
    return records


def _artifact_node(
    project: str, name: str, record: dict[str, Any], aliases: dict[int, list[str]], links: list[str]
) -> dict[str, Any]:
    number = record["version"]
    return {
        "id": artifact_node_id(project, name, number),
        "kind": "artifact",
        "label": f"{name}:v{number}",
        "project": project,
        "run": None,
        "artifact": {
            "name": name,
            "type": record.get("type") or "",
            "version": f"v{number}",
            "aliases": aliases.get(number, []),
            "digest": record.get("digest", ""),
            "size": int(record.get("size") or 0),
            "file_count": int(record.get("file_count") or 0),
            "created_at": float(record.get("created_at") or 0.0),
            "registry_links": links,
        },
    }


def _run_node(root: Path, node_id: str, roots: Roots | None = None) -> dict[str, Any]:
    project, _, run_id = node_id[len("run:") :].partition("/")
    meta: dict[str, Any] = {}
    try:
        if not stays_within(root / project / run_id, roots, (METADATA_FILE,)):
            raise FileNotFoundError(run_id)  # leads outside the roots: shown as a run that is not there
        meta = json.loads((root / project / run_id / METADATA_FILE).read_bytes())
    except (OSError, json.JSONDecodeError):
        meta = {"state": "missing"}  # the run was deleted or is unreadable; its edges still tell the story
    name = meta.get("name") or run_id
    return {
        "id": node_id,
        "kind": "run",
        "label": name,
        "project": project,
        "run": {
            "run_id": run_id,
            "name": name,
            "state": effective_state(meta) if meta.get("state") != "missing" else "missing",
            "job_type": meta.get("job_type"),
            "created_at": meta.get("created_at"),
        },
        "artifact": None,
    }


def registry_links_by_source(root: Path, roots: Roots | None = None) -> dict[str, list[str]]:
    """artifact node id → ["registry/collection:vN", ...] from every registry of the store."""
    links: dict[str, list[str]] = {}
    for registry, collection, records in _registry_records(root, roots):
        for record in records:
            source = record.get("source")
            if source:
                links.setdefault(source, []).append(f"{registry}/{collection}:v{record['version']}")
    return links


def _registry_records(root: Path, roots: Roots | None) -> Iterator[tuple[str, str, list[dict[str, Any]]]]:
    """(registry, collection, its link records) for every registry collection of the store."""
    if bucket_of(root) is not None:
        for registry in registries(root):
            for name in collections(root, registry):
                yield registry, name, _records_of(registry_collection(root, registry, name), roots)
        return
    registry_root = root / REGISTRY_DIR
    try:
        names = sorted(os.listdir(registry_root))
    except FileNotFoundError:
        return
    for registry in names:
        for collection in sorted(_listdir(registry_root / registry)):
            versions = registry_root / registry / collection / VERSIONS_DIR
            if stays_within(versions, roots):
                yield registry, collection, _version_records(versions, roots)


def _records_of(collection: Collection, roots: Roots | None) -> list[dict[str, Any]]:
    """Every version record of a collection, by number (in a bucket: the versions its head names)."""
    if isinstance(collection, BucketCollection):
        return [collection.read_version(number) for number in collection.version_numbers()]
    return _version_records(collection.path / VERSIONS_DIR, roots)


def _external_log(root: Path, project: str) -> Path:
    return root / project / ARTIFACTS_DIR / EXTERNAL_USES


def _listdir(path: Path) -> list[str]:
    try:
        return [name for name in os.listdir(path) if not name.startswith(".")]
    except (FileNotFoundError, NotADirectoryError):
        return []
