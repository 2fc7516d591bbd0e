"""The lineage as OpenLineage run events (https://openlineage.io/spec/2-0-2/OpenLineage.json).

Each run gives a START event (its inputs) and, once ended, a COMPLETE or FAIL event (inputs and outputs).
Artifact versions are datasets: namespace `spyglass://<project>`, name `<artifact>:v<N>`, with the standard
`version` facet and a `spyglass_artifact` facet. OpenLineage wants UUID run ids, so each run's id is a UUID5
of its node id (stable across exports); the Spyglass run id is in the `spyglass_run` run facet.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import uuid
from pathlib import Path
from typing import Any

from ..base.version import __version__
from .lineage import lineage_graph

SCHEMA_URL = "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent"
PRODUCER = f"https://github.com/spyglass-tracking/spyglass/tree/v{__version__}/kernel-bridge"
_FACETS_DOC = f"https://github.com/spyglass-tracking/spyglass/blob/v{__version__}/docs/artifacts.md"
_VERSION_FACET = "https://openlineage.io/spec/facets/1-0-1/DatasetVersionDatasetFacet.json#/$defs/DatasetVersionDatasetFacet"
_JOB_TYPE_FACET = "https://openlineage.io/spec/facets/2-0-4/JobTypeJobFacet.json#/$defs/JobTypeJobFacet"
_ENDED = {"finished": "COMPLETE", "failed": "FAIL", "crashed": "FAIL", "killed": "ABORT"}
_UNLIMITED = 10**9


def openlineage_events(store_root: str | os.PathLike[str], project: str) -> list[dict[str, Any]]:
    """Every run of the project's lineage as START (+ COMPLETE/FAIL/ABORT) events, in time order."""
    graph = lineage_graph(store_root, project, max_nodes=_UNLIMITED)
    nodes = {node["id"]: node for node in graph["nodes"]}
    inputs: dict[str, list[str]] = {}
    outputs: dict[str, list[str]] = {}
    for edge in graph["edges"]:
        if edge["kind"] == "consumed":
            inputs.setdefault(edge["target"], []).append(edge["source"])
        else:
            outputs.setdefault(edge["source"], []).append(edge["target"])
    events = []
    for node in graph["nodes"]:
        if node["kind"] != "run":
            continue
        run = node["run"]
        meta = _run_facets(node)
        start = _event(
            "START", run.get("created_at"), node, meta, [nodes[i] for i in inputs.get(node["id"], [])], []
        )
        events.append(start)
        ended = _ENDED.get(run.get("state") or "")
        if ended is not None:
            finished_at = _finished_at(store_root, node) or run.get("created_at")
            events.append(
                _event(
                    ended,
                    finished_at,
                    node,
                    meta,
                    [nodes[i] for i in inputs.get(node["id"], [])],
                    [nodes[i] for i in outputs.get(node["id"], [])],
                )
            )
    events.sort(key=lambda event: event["eventTime"])
    return events


def _event(
    kind: str,
    when: Any,
    node: dict[str, Any],
    run_facets: dict[str, Any],
    inputs: list[dict[str, Any]],
    outputs: list[dict[str, Any]],
) -> dict[str, Any]:
    run = node["run"]
    job_facets: dict[str, Any] = {}
    if run.get("job_type"):
        job_facets["jobType"] = {
            "_producer": PRODUCER,
            "_schemaURL": _JOB_TYPE_FACET,
            "processingType": "BATCH",
            "integration": "SPYGLASS",
            "jobType": str(run["job_type"]).upper(),
        }
    return {
        "eventType": kind,
        "eventTime": _iso(when),
        "run": {"runId": str(uuid.uuid5(uuid.NAMESPACE_URL, f"spyglass:{node['id']}")), "facets": run_facets},
        "job": {
            "namespace": _namespace(node["project"]),
            "name": run.get("job_type") or run.get("name") or run["run_id"],
            "facets": job_facets,
        },
        "inputs": [_dataset(artifact) for artifact in inputs],
        "outputs": [_dataset(artifact) for artifact in outputs],
        "producer": PRODUCER,
        "schemaURL": SCHEMA_URL,
    }


def _run_facets(node: dict[str, Any]) -> dict[str, Any]:
    run = node["run"]
    return {
        "spyglass_run": {
            "_producer": PRODUCER,
            "_schemaURL": f"{_FACETS_DOC}#spyglass_run",
            "project": node["project"],
            "run_id": run["run_id"],
            "name": run.get("name"),
            "state": run.get("state"),
        }
    }


def _dataset(node: dict[str, Any]) -> dict[str, Any]:
    artifact = node["artifact"]
    return {
        "namespace": _namespace(node["project"]),
        "name": f"{artifact['name']}:{artifact['version']}",
        "facets": {
            "version": {
                "_producer": PRODUCER,
                "_schemaURL": _VERSION_FACET,
                "datasetVersion": artifact["version"],
            },
            "spyglass_artifact": {
                "_producer": PRODUCER,
                "_schemaURL": f"{_FACETS_DOC}#spyglass_artifact",
                "type": artifact["type"],
                "digest": artifact["digest"],
                "aliases": artifact["aliases"],
                "size": artifact["size"],
                "file_count": artifact["file_count"],
                "registry_links": artifact["registry_links"],
            },
        },
    }


def _namespace(project: str) -> str:
    return f"spyglass://{project}"


def _finished_at(store_root: str | os.PathLike[str], node: dict[str, Any]) -> float | None:
    run = node["run"]
    try:
        meta = json.loads((Path(store_root) / node["project"] / run["run_id"] / "run.json").read_bytes())
    except (OSError, ValueError):
        return None
    return meta.get("finished_at") or meta.get("updated_at")


def _iso(when: Any) -> str:
    seconds = float(when) if isinstance(when, (int, float)) else 0.0
    return dt.datetime.fromtimestamp(seconds, tz=dt.timezone.utc).isoformat().replace("+00:00", "Z")
