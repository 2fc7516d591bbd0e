"""Static SVG line charts, Spyglass's one writer of them: the picture of a run's metrics that a notebook
output carries for GitHub, nbviewer and viewers without the extension (`render_svg`: small multiples, one
chart per metric), and the report's Markdown export (`line_chart_svg`: one metric over several runs).

Deterministic (same points, same bytes); every text is XML-escaped; the SVG holds no script. Every line is
M4-downsampled (`m4.py`) and coloured from the run palette the page draws with (`RUN_PALETTE`, a mirror of
packages/protocol/fixtures/constants.json).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

import numpy as np

from ..base.protocol_constants import RUN_PALETTE
from .m4 import m4_points

MAX_POINTS = 1000  # per line, after M4
MAX_CHARTS = 48  # a run with thousands of metrics gets a readable picture (and a note), not a huge file
_FRAME = "#cccccc"
_NOTE = "#666666"

# One run's small multiples (the notebook fallback): charts in a grid of _COLUMNS.
_CELL_W, _CELL_H, _COLUMNS = 280, 150, 3
_CELL_PAD_LEFT, _CELL_PAD_RIGHT, _CELL_PAD_TOP, _CELL_PAD_BOTTOM = 52, 12, 24, 22
# One metric over runs (the Markdown export): a wide chart, its x title and a legend of three columns.
_WIDE_W, _WIDE_H = 640, 300
_WIDE_LEFT, _WIDE_RIGHT, _WIDE_TOP, _WIDE_BOTTOM = 60, 16, 28, 40


@dataclass(frozen=True)
class _Area:
    """The plot area of one chart, in SVG pixels."""

    left: float
    top: float
    width: float
    height: float


def number_label(value: float) -> str:
    """A tick label: short, and in exponent form only for very large or very small magnitudes."""
    if value == 0:
        return "0"
    if abs(value) >= 1e5 or abs(value) < 1e-3:
        return f"{value:.3g}"
    return f"{value:.4g}"


def _attr(text: str) -> str:
    return escape(text, {'"': "&quot;"})


def _plot(area: _Area, lines: Sequence[tuple[np.ndarray, np.ndarray, str]], stroke_width: float) -> list[str]:
    """The frame, the y extent, one polyline per (x, y, colour) line, then the x extent (the last texts).
    Lines are finite and sorted by x (`m4_points`); an empty one is left out."""
    left, top, w, h = area.left, area.top, area.width, area.height
    out = [f'<rect x="{left}" y="{top}" width="{w}" height="{h}" fill="none" stroke="{_FRAME}"/>']
    drawn = [line for line in lines if len(line[0])]
    if not drawn:
        out.append(f'<text x="{left + 4}" y="{top + h / 2}" fill="{_NOTE}">no finite values</text>')
        return out
    x0, x1 = min(float(x[0]) for x, _, _ in drawn), max(float(x[-1]) for x, _, _ in drawn)
    y0, y1 = min(float(y.min()) for _, y, _ in drawn), max(float(y.max()) for _, y, _ in drawn)
    x_span, y_span = (x1 - x0) or 1.0, (y1 - y0) or 1.0
    out.append(f'<text x="{left - 4}" y="{top + 8}" text-anchor="end">{number_label(y1)}</text>')
    out.append(f'<text x="{left - 4}" y="{top + h}" text-anchor="end">{number_label(y0)}</text>')
    for x, y, color in drawn:
        px = left + (x - x0) / x_span * w
        py = top + h - (y - y0) / y_span * h
        points = " ".join(f"{a:.1f},{b:.1f}" for a, b in zip(px.tolist(), py.tolist(), strict=True))
        stroke = f'fill="none" stroke="{color}" stroke-width="{stroke_width}"'
        out.append(f'<polyline {stroke} points="{points}"/>')
    out.append(f'<text x="{left}" y="{top + h + 13}">{number_label(x0)}</text>')
    out.append(f'<text x="{left + w}" y="{top + h + 13}" text-anchor="end">{number_label(x1)}</text>')
    return out


def render_svg(
    title: str, steps: Sequence[Any], metrics: Mapping[str, Sequence[Any]], not_given: int = 0
) -> str:
    """One line chart per metric (x = step) in a grid, with extent labels and titles, in the first run colour.

    Draws the first MAX_CHARTS metrics; `not_given` counts further metrics the caller left out. None, NaN and
    infinities are left out of the picture."""
    names = list(metrics)[:MAX_CHARTS]
    xs = np.asarray(steps, dtype=np.float64)  # once, not per metric
    hidden = len(metrics) - len(names) + not_given
    rows = max(1, math.ceil(len(names) / _COLUMNS))
    columns = min(_COLUMNS, max(1, len(names)))
    width, height = columns * _CELL_W, rows * _CELL_H + 24 + (16 if hidden else 0)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="10">',
        f'<text x="4" y="14" font-size="12" font-weight="bold">{escape(title)}</text>',
    ]
    if not names:
        parts.append(f'<text x="4" y="40" fill="{_NOTE}">No numeric metrics logged yet.</text>')
    for index, name in enumerate(names):
        x0 = (index % _COLUMNS) * _CELL_W
        y0 = 24 + (index // _COLUMNS) * _CELL_H
        area = _Area(
            x0 + _CELL_PAD_LEFT,
            y0 + _CELL_PAD_TOP,
            _CELL_W - _CELL_PAD_LEFT - _CELL_PAD_RIGHT,
            _CELL_H - _CELL_PAD_TOP - _CELL_PAD_BOTTOM,
        )
        x, y = m4_points(xs, metrics[name], MAX_POINTS)
        parts.append(
            f'<g data-metric="{_attr(name)}">'
            f'<text x="{area.left}" y="{y0 + 14}" font-weight="bold">{escape(name)}</text>'
            + "".join(_plot(area, [(x, y, RUN_PALETTE[0])], 1.2))
            + "</g>"
        )
    if hidden:
        note = f"and {hidden} more metrics (not drawn)"
        parts.append(f'<text x="4" y="{height - 4}" fill="{_NOTE}">{note}</text>')
    parts.append("</svg>")
    return "\n".join(parts)


def line_chart_svg(metric: str, x_title: str, series: Sequence[tuple[str, Any, Any]]) -> str:
    """One metric over runs: `series` is [(label, x, y)], coloured by position in the run palette; the legend
    lists the labels under the plot."""
    legend_rows = (len(series) + 2) // 3
    height = _WIDE_H + 16 * legend_rows
    area = _Area(
        _WIDE_LEFT, _WIDE_TOP, _WIDE_W - _WIDE_LEFT - _WIDE_RIGHT, _WIDE_H - _WIDE_TOP - _WIDE_BOTTOM
    )
    colors = [RUN_PALETTE[index % len(RUN_PALETTE)] for index in range(len(series))]
    lines = [(*m4_points(x, y, MAX_POINTS), color) for (_, x, y), color in zip(series, colors, strict=True)]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_WIDE_W}" height="{height}" '
        f'viewBox="0 0 {_WIDE_W} {height}" font-family="sans-serif" font-size="11">',
        '<rect width="100%" height="100%" fill="#ffffff"/>',
        f'<text x="{area.left}" y="16" font-size="13" font-weight="bold">{escape(metric)}</text>',
        *_plot(area, lines, 1.5),
        f'<text x="{area.left + area.width / 2}" y="{area.top + area.height + 28}" text-anchor="middle">'
        f"{escape(x_title)}</text>",
    ]
    for index, ((label, _, _), color) in enumerate(zip(series, colors, strict=True)):
        lx, ly = 10 + (index % 3) * 210, _WIDE_H + 16 * (index // 3) - 4
        parts.append(f'<rect x="{lx}" y="{ly - 8}" width="10" height="10" fill="{color}"/>')
        parts.append(f'<text x="{lx + 14}" y="{ly + 1}">{escape(label[:32])}</text>')
    parts.append("</svg>")
    return "\n".join(parts)
