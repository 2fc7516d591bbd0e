"""A static SVG line chart of one metric over several runs, for the Markdown export. Deterministic; every text
XML-escaped; no script."""

from __future__ import annotations

from xml.sax.saxutils import escape

import numpy as np

from ..charts.static_chart import _number

# The run palette of packages/charts (palette.ts), in order: the Markdown export colours runs by position.
PALETTE = (
    "#2d78bd",
    "#f68c11",
    "#d984ed",
    "#449d2e",
    "#c23d5d",
    "#5fbaca",
    "#906e30",
    "#9351bd",
    "#c9818c",
    "#a0b751",
    "#8688fe",
    "#268676",
    "#c656a6",
    "#d75928",
    "#8e7ab5",
    "#b69255",
    "#1ab28c",
    "#fe77a6",
    "#aaa1e0",
    "#9c5e7c",
)
_W, _H = 640, 300
_LEFT, _RIGHT, _TOP, _BOTTOM = 60, 16, 28, 40


def line_chart_svg(metric: str, x_title: str, series: list[tuple[str, np.ndarray, np.ndarray]]) -> str:
    """`series` is [(label, x, y)]; the legend lists labels under the plot."""
    legend_rows = (len(series) + 2) // 3
    height = _H + 16 * legend_rows
    xs = [s[1] for s in series if len(s[1])]
    ys = [s[2] for s in series if len(s[2])]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_W}" height="{height}" viewBox="0 0 {_W} {height}" '
        'font-family="sans-serif" font-size="11">',
        '<rect width="100%" height="100%" fill="#ffffff"/>',
        f'<text x="{_LEFT}" y="16" font-size="13" font-weight="bold">{escape(metric)}</text>',
    ]
    if xs:
        x0, x1 = min(float(a.min()) for a in xs), max(float(a.max()) for a in xs)
        y0, y1 = min(float(a.min()) for a in ys), max(float(a.max()) for a in ys)
        x1, y1 = (x1 if x1 > x0 else x0 + 1), (y1 if y1 > y0 else y0 + 1)
        pw, ph = _W - _LEFT - _RIGHT, _H - _TOP - _BOTTOM
        parts.append(
            f'<rect x="{_LEFT}" y="{_TOP}" width="{pw}" height="{ph}" fill="none" stroke="#cccccc"/>'
        )
        for value, anchor_y in ((y1, _TOP + 4), (y0, _TOP + ph)):
            parts.append(f'<text x="{_LEFT - 4}" y="{anchor_y}" text-anchor="end">{_number(value)}</text>')
        parts.append(f'<text x="{_LEFT}" y="{_TOP + ph + 14}">{_number(x0)}</text>')
        parts.append(f'<text x="{_LEFT + pw}" y="{_TOP + ph + 14}" text-anchor="end">{_number(x1)}</text>')
        parts.append(
            f'<text x="{_LEFT + pw / 2}" y="{_TOP + ph + 28}" text-anchor="middle">{escape(x_title)}</text>'
        )
        for index, (_, x, y) in enumerate(series):
            if not len(x):
                continue
            px = _LEFT + (x - x0) / (x1 - x0) * pw
            py = _TOP + ph - (y.astype(np.float64) - y0) / (y1 - y0) * ph
            points = " ".join(f"{a:.1f},{b:.1f}" for a, b in zip(px, py, strict=True))
            color = PALETTE[index % len(PALETTE)]
            parts.append(f'<polyline fill="none" stroke="{color}" stroke-width="1.5" points="{points}"/>')
    for index, (label, _, _) in enumerate(series):
        lx, ly = 10 + (index % 3) * 210, _H + 16 * (index // 3) - 4
        color = PALETTE[index % len(PALETTE)]
        parts.append(f'<rect x="{lx}" y="{ly - 8}" width="10" height="10" fill="{color}"/>')
        parts.append(f'<text x="{lx + 14}" y="{ly + 1}">{escape(label[:32])}</text>')
    parts.append("</svg>")
    return "\n".join(parts)
