"""`--format markdown`: report.md, one SVG per chart and one file per image, for wikis and pull requests."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import numpy as np

from ..base.atomic_file import output_directory, write_output
from ..charts.static_chart import line_chart_svg
from .build import ReportInput, collect
from .table_media import cell_text
from .table_rows import table_rows
from .title_block import plain_line

MARKDOWN_TABLE_ROWS = 50  # rows per table in report.md (the HTML report embeds more)


def write_markdown(source: ReportInput, directory: Path) -> Path:
    """Write report.md and its charts/ and images/ into `directory`; return the path of report.md."""
    collected = collect(source)
    output_directory(directory, within=source.roots)
    title = collected.document["title"]
    blocks = collected.document["blocks"]
    heading = f"# {title['title']}"
    lines: list[str] = [heading, ""]
    byline = [", ".join(title["authors"]), title["date"] or "", ", ".join(title["projects"])]
    if any(byline):
        lines += [" · ".join(part for part in byline if part), ""]
    if blocks and blocks[0]["kind"] == "markdown" and blocks[0]["text"].lstrip().startswith(heading + "\n"):
        # The notebook opens with its title as a heading: keep one, with the byline under it.
        blocks = [{**blocks[0], "text": blocks[0]["text"].lstrip()[len(heading) :].lstrip("\n")}, *blocks[1:]]
    images = 0
    for block in blocks:
        kind = block["kind"]
        if kind == "markdown":
            lines += [block["text"], ""]
        elif kind == "code":
            lines += ["```python", block["source"], "```", ""]
        elif kind in ("text", "notice"):
            text = block["text"] + (f"\n{block['detail']}" if block.get("detail") else "")
            lines += ["```text", text.replace("```", "'''"), "```", ""]
        elif kind in ("image", "svg"):
            images += 1
            suffix = {"image/png": "png", "image/jpeg": "jpg"}.get(block.get("mime", ""), "svg")
            path = output_directory(directory / "images") / f"image-{images}.{suffix}"
            data = base64.b64decode(block["data"]) if kind == "image" else block["svg"].encode("utf-8")
            write_output(path, data)
            lines += [f"![image {images}](images/{path.name})", ""]
        elif kind == "charts":
            lines += _charts(block, collected.series, directory)
        elif (
            kind == "sweep"
        ):  # its charts need Vega: Markdown keeps the title and note; the trials table follows
            lines += [f"#### {_inline(block['title'])}", ""]
            lines += [f"_{_inline(block['note'])}_", ""] if block.get("note") else []
        elif kind == "table":
            lines += _table(block)
        elif kind == "plot":  # the chart needs Vega: Markdown keeps its data, as the table
            lines += _table(block["table"])
    return write_output(directory / "report.md", ("\n".join(lines).rstrip() + "\n").encode("utf-8"))


def _charts(block: dict[str, Any], series: bytes, directory: Path) -> list[str]:
    names = {run["id"]: run["name"] for run in block["runs"]}
    lines = [f"#### {_inline(block['title'])}", ""]
    charts = output_directory(directory / "charts")
    for chart in block["charts"]:
        decoded = [(names.get(ref["run"], ref["run"]), *_decode(series, ref)) for ref in chart["series"]]
        svg = line_chart_svg(chart["metric"], chart["x_title"], decoded)
        write_output(charts / f"{chart['id']}.svg", svg.encode("utf-8"))
        lines += [f"![{_inline(chart['metric'])}](charts/{chart['id']}.svg)", ""]
    if block.get("note"):
        lines += [f"_{_inline(block['note'])}_", ""]
    return lines


def _table(block: dict[str, Any]) -> list[str]:
    header = [_inline(c["name"]) for c in block["columns"]]
    rows = table_rows(block)[:MARKDOWN_TABLE_ROWS]
    lines = [f"#### {_inline(block['title'])}", "", "| " + " | ".join(header) + " |"]
    lines.append("|" + "---|" * len(header))
    lines += ["| " + " | ".join(_inline(cell_text(v)) for v in row) + " |" for row in rows]
    if block["nrows"] > len(rows):
        lines.append(f"\n_{len(rows)} of {block['nrows']} rows shown._")
    return [*lines, ""]


def _decode(series: bytes, ref: dict[str, Any]) -> tuple[np.ndarray, np.ndarray]:
    n, at = ref["n"], ref["offset"]
    if ref["x"] == "i32-delta":
        x = np.cumsum(np.frombuffer(series, dtype="<i4", count=n, offset=at).astype(np.int64)).astype(
            np.float64
        )
        at += 4 * n
    else:
        x = np.frombuffer(series, dtype="<f8", count=n, offset=at).copy()
        at += 8 * n
    return x, np.frombuffer(series, dtype="<f4", count=n, offset=at).copy()


def _inline(text: str) -> str:
    """Text safe inside one Markdown line or table cell: no raw HTML, no pipes, no line breaks."""
    return (
        plain_line(str(text))
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("|", "\\|")
    )
