"""A lineage output as a drawn graph: rebuilt from the store when its project is reachable, else the graph
saved in the output (with a note), drawn by the same SVG renderer as the notebook's static fallback."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..artifacts.lineage import lineage_graph
from ..artifacts.lineage_svg import render_lineage_svg
from ..base.errors import SpyglassError
from ..base.path_confinement import Roots
from . import messages
from .budgets import IMAGE_BYTES_LIMIT, LINEAGE_NODE_LIMIT


def lineage_blocks(
    bundle: dict[str, Any], root: Path | None, places: list[Path], roots: Roots | None, text: Any
) -> list[dict[str, Any]]:
    """[a note when the graph is not the store's current one] + [the graph as an SVG block], or a notice with
    the output's text when there is no graph to draw. `root`: the store root holding the project, or None."""
    project = str(bundle.get("project", ""))
    notes: list[str] = []
    graph = None
    if root is not None:
        try:
            graph = lineage_graph(root, project, focus=bundle.get("focus") or None, roots=roots)
        except (SpyglassError, OSError, ValueError) as error:
            notes.append(messages.LINEAGE_UNREADABLE.format(project=project, error=error))
    else:
        places_text = ", ".join(str(place / project) for place in places)
        notes.append(messages.LINEAGE_NOT_REACHABLE.format(project=project, places=places_text))
    if graph is None:
        saved = bundle.get("graph")
        graph = saved if isinstance(saved, dict) and isinstance(saved.get("nodes"), list) else None
    detail = ("".join(text) if isinstance(text, list) else str(text)) if text else None
    if graph is None or not graph["nodes"]:
        return [{"kind": "notice", "text": "\n".join([*notes, messages.LINEAGE_EMPTY]), "detail": detail}]
    if len(graph["nodes"]) > LINEAGE_NODE_LIMIT:
        note = messages.LINEAGE_TOO_LARGE.format(count=len(graph["nodes"]), limit=LINEAGE_NODE_LIMIT)
        return [{"kind": "notice", "text": "\n".join([*notes, note]), "detail": detail}]
    svg = render_lineage_svg(graph, messages.LINEAGE_TITLE.format(project=project))
    if len(svg.encode()) > IMAGE_BYTES_LIMIT:
        note = messages.IMAGE_TOO_LARGE.format(size=len(svg.encode()), limit=IMAGE_BYTES_LIMIT)
        return [{"kind": "notice", "text": "\n".join([*notes, note]), "detail": detail}]
    blocks: list[dict[str, Any]] = [{"kind": "notice", "text": n, "detail": None} for n in notes]
    return [*blocks, {"kind": "svg", "svg": svg}]
