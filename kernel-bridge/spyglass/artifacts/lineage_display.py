"""What `art` and `run.lineage()` display: the lineage MIME bundle, with SVG and text fallbacks."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from ..base.protocol_constants import LINEAGE_MIME_TYPE
from .lineage import lineage_graph
from .lineage_svg import render_lineage_svg

_SVG_NODE_LIMIT = 300  # beyond this the static picture says little and weighs a lot in the notebook
_TEXT_EDGES = 40


class LineageView:
    """The neighbourhood of `focus` in `project`'s lineage, computed when displayed."""

    def __init__(
        self, store_root: str | os.PathLike[str], project: str, focus: str | None, depth: int | None
    ) -> None:
        self.store_root = str(Path(store_root).resolve())
        self.project = project
        self.focus = focus
        self.depth = depth

    def graph(self) -> dict[str, Any]:
        return lineage_graph(self.store_root, self.project, focus=self.focus, depth=self.depth)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        graph = self.graph()
        bundle: dict[str, Any] = {
            LINEAGE_MIME_TYPE: {
                "store_root": self.store_root,
                "project": self.project,
                "focus": self.focus,
                "graph": graph,
            },
            "text/plain": lineage_text(graph),
        }
        if len(graph["nodes"]) <= _SVG_NODE_LIMIT:
            bundle["image/svg+xml"] = render_lineage_svg(graph, f"lineage · {self.project}")
        return bundle

    def __repr__(self) -> str:
        return lineage_text(self.graph())


def lineage_text(graph: dict[str, Any]) -> str:
    """A plain-text account of the graph: counts, then one line per edge."""
    labels = {node["id"]: node["label"] for node in graph["nodes"]}
    runs = sum(1 for node in graph["nodes"] if node["kind"] == "run")
    lines = [
        f"lineage: {runs} runs, {len(graph['nodes']) - runs} artifact versions, {len(graph['edges'])} edges"
        + (" (truncated)" if graph.get("truncated") else "")
    ]
    for edge in graph["edges"][:_TEXT_EDGES]:
        source, target = (
            labels.get(edge["source"], edge["source"]),
            labels.get(edge["target"], edge["target"]),
        )
        lines.append(f"  {source} --{edge['kind']}--> {target}")
    if len(graph["edges"]) > _TEXT_EDGES:
        lines.append(f"  ... and {len(graph['edges']) - _TEXT_EDGES} more edges")
    return "\n".join(lines)
