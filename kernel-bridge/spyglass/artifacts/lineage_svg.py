"""The lineage graph as a static SVG: a layered left-to-right layout (time flows rightwards).

Used as the notebook fallback of the lineage bundle and by `spyglass lineage export --format svg`. Layers
are longest-path ranks; nodes in a layer are ordered by the mean position of their predecessors (one sweep is
enough for the small neighbourhoods shown); layers wider than MAX_PER_LAYER end in a "+N more" box.
"""

from __future__ import annotations

from html import escape
from typing import Any

MAX_PER_LAYER = 12
_NODE_W, _NODE_H = 170, 34
_GAP_X, _GAP_Y = 70, 14
_MARGIN = 20
_COLOURS = {"run": ("#e8f0fe", "#3b6fd8"), "artifact": ("#e9f7ef", "#2e8b57"), "more": ("#f4f4f4", "#999999")}


def layout(
    graph: dict[str, Any],
) -> tuple[dict[str, tuple[float, float]], list[dict[str, Any]], list[list[str]]]:
    """Positions of the shown nodes, the "+N more" boxes, and the layers (node ids, left to right)."""
    ids = [node["id"] for node in graph["nodes"]]
    predecessors: dict[str, list[str]] = {node_id: [] for node_id in ids}
    for edge in graph["edges"]:
        if edge["source"] in predecessors and edge["target"] in predecessors:
            predecessors[edge["target"]].append(edge["source"])
    rank: dict[str, int] = {}

    def rank_of(node_id: str, stack: frozenset[str] = frozenset()) -> int:
        if node_id not in rank:
            parents = [p for p in predecessors[node_id] if p not in stack]  # a cycle (damaged store) is cut
            rank[node_id] = 1 + max((rank_of(p, stack | {node_id}) for p in parents), default=-1)
        return rank[node_id]

    for node_id in ids:
        rank_of(node_id)
    layers: list[list[str]] = [[] for _ in range(max(rank.values(), default=-1) + 1)]
    for node_id in ids:
        layers[rank[node_id]].append(node_id)
    positions: dict[str, tuple[float, float]] = {}
    more: list[dict[str, Any]] = []
    for index, layer in enumerate(layers):
        if index > 0:
            layer.sort(key=lambda n: _mean(positions[p][1] for p in predecessors[n] if p in positions))
        shown = layer if len(layer) <= MAX_PER_LAYER else layer[: MAX_PER_LAYER - 1]
        x = _MARGIN + index * (_NODE_W + _GAP_X)
        for row, node_id in enumerate(shown):
            positions[node_id] = (x, _MARGIN + row * (_NODE_H + _GAP_Y))
        if len(shown) < len(layer):
            more.append(
                {"x": x, "y": _MARGIN + len(shown) * (_NODE_H + _GAP_Y), "count": len(layer) - len(shown)}
            )
    return positions, more, layers


def render_lineage_svg(graph: dict[str, Any], title: str | None = None) -> str:
    """An SVG document of the graph (nodes, produced/consumed edges, the focus outlined)."""
    positions, more, _ = layout(graph)
    by_id = {node["id"]: node for node in graph["nodes"]}
    top = 28 if title else 0
    width = max([x for x, _ in positions.values()] + [m["x"] for m in more] + [0]) + _NODE_W + 2 * _MARGIN
    height = (
        max([y for _, y in positions.values()] + [m["y"] for m in more] + [0]) + _NODE_H + 2 * _MARGIN + top
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" font-family="sans-serif" font-size="12">',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#777"/></marker></defs>',
    ]
    if title:
        parts.append(f'<text x="{_MARGIN}" y="20" font-size="14" font-weight="bold">{escape(title)}</text>')
    parts.append(f'<g transform="translate(0,{top})">')
    for edge in graph["edges"]:
        if edge["source"] in positions and edge["target"] in positions:
            (x1, y1), (x2, y2) = positions[edge["source"]], positions[edge["target"]]
            sx, sy, tx, ty = x1 + _NODE_W, y1 + _NODE_H / 2, x2, y2 + _NODE_H / 2
            mid = (sx + tx) / 2
            dash = ' stroke-dasharray="4 3"' if edge["kind"] == "consumed" else ""
            parts.append(
                f'<path d="M {sx:.1f} {sy:.1f} C {mid:.1f} {sy:.1f} {mid:.1f} {ty:.1f} {tx:.1f} {ty:.1f}" '
                f'fill="none" stroke="#777"{dash} marker-end="url(#arrow)">'
                f"<title>{escape(edge['kind'])}</title></path>"
            )
    for node_id, (x, y) in positions.items():
        node = by_id[node_id]
        fill, stroke = _COLOURS[node["kind"]]
        width_px = 3 if node_id == graph.get("focus") else 1
        radius = 10 if node["kind"] == "run" else 2
        sub = _subtitle(node)
        parts.append(
            f'<g><title>{escape(node_id)}</title><rect x="{x}" y="{y}" width="{_NODE_W}" height="{_NODE_H}" '
            f'rx="{radius}" fill="{fill}" stroke="{stroke}" stroke-width="{width_px}"/>'
            f'<text x="{x + 8}" y="{y + 14}">{escape(_clip(node["label"], 24))}</text>'
            f'<text x="{x + 8}" y="{y + 28}" fill="#666" font-size="10">{escape(_clip(sub, 30))}</text></g>'
        )
    for box in more:
        fill, stroke = _COLOURS["more"]
        parts.append(
            f'<rect x="{box["x"]}" y="{box["y"]}" width="{_NODE_W}" height="{_NODE_H}" rx="4" fill="{fill}" '
            f'stroke="{stroke}" stroke-dasharray="3 2"/><text x="{box["x"] + 8}" y="{box["y"] + 21}" '
            f'fill="#555">+{box["count"]} more</text>'
        )
    parts.append("</g></svg>")
    return "".join(parts)


def _subtitle(node: dict[str, Any]) -> str:
    if node["kind"] == "run":
        run = node.get("run") or {}
        return " · ".join(str(part) for part in ("run", run.get("job_type"), run.get("state")) if part)
    artifact = node.get("artifact") or {}
    parts = [artifact.get("type", ""), ", ".join(artifact.get("aliases") or [])]
    if artifact.get("registry_links"):
        parts.append("in registry")
    return " · ".join(part for part in parts if part)


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _mean(values: Any) -> float:
    values = list(values)
    return sum(values) / len(values) if values else 0.0
