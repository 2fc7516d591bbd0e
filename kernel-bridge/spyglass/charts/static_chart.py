"""Static SVG small multiples of a run's numeric metrics: what GitHub, nbviewer and viewers without the
extension show.

Dependency-free and deterministic (same rows, same bytes). Every text is XML-escaped; the SVG holds no script.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from xml.sax.saxutils import escape

MAX_POINTS = 1000  # per line, after min/max downsampling
MAX_CHARTS = 48  # a run with thousands of metrics gets a readable picture (and a note), not a huge file
_CHART_W, _CHART_H = 280, 150
_PAD_LEFT, _PAD_RIGHT, _PAD_TOP, _PAD_BOTTOM = 52, 12, 24, 22
_COLUMNS = 3
_LINE_COLOR = "#1f77b4"


def _attr(text: str) -> str:
    return escape(text, {'"': "&quot;"})


def _number(value: float) -> str:
    if value == 0:
        return "0"
    if abs(value) >= 1e5 or abs(value) < 1e-3:
        return f"{value:.3g}"
    return f"{value:.4g}"


def downsample_min_max(
    steps: Sequence[float], values: Sequence[float], max_points: int = MAX_POINTS
) -> list[tuple[float, float]]:
    """Keep at most max_points points: the first and the last, and per x bucket the minimum and the maximum,
    in step order (the endpoints keep the x axis spanning the data: from 0 when the data starts there)."""
    points = [(s, v) for s, v in zip(steps, values, strict=True) if v is not None and math.isfinite(v)]
    if len(points) <= max_points:
        return points
    buckets = (max_points - 2) // 2
    first, last = points[0][0], points[-1][0]
    width = (last - first) / buckets or 1
    kept: list[tuple[float, float]] = []
    current: list[tuple[float, float]] = []
    current_bucket = 0
    for point in points:
        bucket = min(int((point[0] - first) / width), buckets - 1)
        if bucket != current_bucket and current:
            kept.extend(_min_max(current))
            current = []
        current_bucket = bucket
        current.append(point)
    if current:
        kept.extend(_min_max(current))
    head = [points[0]] if kept[0] != points[0] else []
    tail = [points[-1]] if kept[-1] != points[-1] else []
    return head + kept + tail


def _min_max(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    low = min(points, key=lambda p: p[1])
    high = max(points, key=lambda p: p[1])
    if low is high:
        return [low]
    return sorted((low, high), key=lambda p: p[0])


def render_svg(
    title: str, steps: Sequence[int], metrics: Mapping[str, Sequence[float | None]], not_given: int = 0
) -> str:
    """One line chart per metric (x = step), in a grid, with min/max labels and titles.

    Draws the first MAX_CHARTS metrics; `not_given` counts further metrics the caller left out.
    """
    names = list(metrics)[:MAX_CHARTS]
    hidden = len(metrics) - len(names) + not_given
    rows = max(1, math.ceil(len(names) / _COLUMNS))
    columns = min(_COLUMNS, max(1, len(names)))
    width, height = columns * _CHART_W, rows * _CHART_H + 24 + (16 if hidden else 0)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="10">',
        f'<text x="4" y="14" font-size="12" font-weight="bold">{escape(title)}</text>',
    ]
    if not names:
        parts.append('<text x="4" y="40" fill="#666">No numeric metrics logged yet.</text>')
    for index, name in enumerate(names):
        x0 = (index % _COLUMNS) * _CHART_W
        y0 = 24 + (index // _COLUMNS) * _CHART_H
        parts.append(_chart(name, steps, metrics[name], x0, y0))
    if hidden:
        parts.append(f'<text x="4" y="{height - 4}" fill="#666">and {hidden} more metrics (not drawn)</text>')
    parts.append("</svg>")
    return "\n".join(parts)


def _chart(name: str, steps: Sequence[int], values: Sequence[float | None], x0: float, y0: float) -> str:
    points = downsample_min_max(steps, values)
    left, top = x0 + _PAD_LEFT, y0 + _PAD_TOP
    plot_w = _CHART_W - _PAD_LEFT - _PAD_RIGHT
    plot_h = _CHART_H - _PAD_TOP - _PAD_BOTTOM
    out = [
        f'<g data-metric="{_attr(name)}">',
        f'<text x="{left}" y="{y0 + 14}" font-weight="bold">{escape(name)}</text>',
        f'<rect x="{left}" y="{top}" width="{plot_w}" height="{plot_h}" fill="none" stroke="#ccc"/>',
    ]
    if points:
        xs = [p[0] for p in points]
        ys = [p[1] for p in points]
        x_min, x_max, y_min, y_max = min(xs), max(xs), min(ys), max(ys)
        x_span, y_span = (x_max - x_min) or 1, (y_max - y_min) or 1

        def sx(x: float) -> float:
            return left + (x - x_min) / x_span * plot_w

        def sy(y: float) -> float:
            return top + plot_h - (y - y_min) / y_span * plot_h

        path = " ".join(f"{'M' if i == 0 else 'L'}{sx(x):.1f},{sy(y):.1f}" for i, (x, y) in enumerate(points))
        out += [
            f'<path d="{path}" fill="none" stroke="{_LINE_COLOR}" stroke-width="1.2"/>',
            f'<text x="{left - 3}" y="{top + 8}" text-anchor="end">{escape(_number(y_max))}</text>',
            f'<text x="{left - 3}" y="{top + plot_h}" text-anchor="end">{escape(_number(y_min))}</text>',
            f'<text x="{left}" y="{top + plot_h + 12}">{escape(_number(x_min))}</text>',
            f'<text x="{left + plot_w}" y="{top + plot_h + 12}" text-anchor="end">'
            f"{escape(_number(x_max))}</text>",
        ]
    else:
        out.append(f'<text x="{left + 4}" y="{top + plot_h / 2}" fill="#666">no finite values</text>')
    out.append("</g>")
    return "".join(out)
