"""The report's title block: title, authors and date only from notebook metadata, projects, runs."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

_HEADING = re.compile(r"^\s{0,3}#\s+(.+?)\s*#*\s*$", re.MULTILINE)
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]+")  # Unicode Cc, line and paragraph separators


def plain_line(text: str) -> str:
    """`text` as one line: control characters (newlines, tabs, ESC, C1, line and paragraph separators) become
    one space. A title ends up in the page's <title>, a Markdown heading and a file a symlink might have named
    (a `.pth` runs a line starting with `import`), so it never holds a line break."""
    return _CONTROL.sub(" ", text).strip()


def title_block(notebook: Any, path: Path, runs: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Title: metadata.title, else the first level-1 heading, else the file name. No clock is read."""
    meta = notebook.metadata
    title = meta.get("title") if isinstance(meta.get("title"), str) else None
    if not title:
        title = next(
            (
                m.group(1)
                for c in notebook.cells
                if c.cell_type == "markdown"
                for m in [_HEADING.search(c.source)]
                if m
            ),
            path.stem,
        )
    authors = [
        str(a.get("name")) if isinstance(a, dict) else str(a)
        for a in meta.get("authors") or []
        if (isinstance(a, dict) and a.get("name")) or isinstance(a, str)
    ]
    date = meta.get("date") if isinstance(meta.get("date"), str) else None
    ordered = [runs[key] for key in sorted(runs)]
    return {
        "title": plain_line(title) or path.stem,
        "authors": [plain_line(author) for author in authors],
        "date": plain_line(date) if date is not None else None,
        "projects": sorted({run["project"] for run in ordered}),
        "runs": [{k: v for k, v in run.items() if k != "created_at"} for run in ordered],
    }
