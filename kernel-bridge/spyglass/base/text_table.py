"""Plain-text output: aligned tables and values made safe for a terminal (the CLI, a table's text preview)."""

from __future__ import annotations

import math
import time
import unicodedata
from collections.abc import Sequence
from typing import Any


def printable(text: str) -> str:
    """Return `text` with control and format characters (escape sequences, bidi overrides) shown escaped."""
    out = []
    for char in text:
        if unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp"):
            code = ord(char)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(char)
    return "".join(out)


def format_value(value: Any) -> str:
    """A short, terminal-safe rendering of a metadata or metric value."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        return str(value) if not math.isfinite(value) else f"{value:.6g}"
    if isinstance(value, (list, tuple)):
        return ", ".join(format_value(item) for item in value)
    return printable(str(value))


def format_time(epoch: float | None) -> str:
    """Local date and time to the minute, or empty."""
    if not isinstance(epoch, (int, float)):
        return ""
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(epoch))


def format_duration(seconds: float | None) -> str:
    """Like 2h03m, 4m05s or 12s."""
    if seconds is None:
        return ""
    whole = int(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}h{minutes:02d}m"
    return f"{minutes}m{secs:02d}s" if minutes else f"{secs}s"


def render_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Columns left-aligned to their widest cell, separated by two spaces."""
    cells = [[printable(header) for header in headers], *[[printable(cell) for cell in row] for row in rows]]
    widths = [max(_width(row[index]) for row in cells) for index in range(len(headers))]
    return "\n".join(_render_row(row, widths) for row in cells)


def _render_row(cells: list[str], widths: list[int]) -> str:
    return "  ".join(_pad(cell, width) for cell, width in zip(cells, widths, strict=True)).rstrip()


def _width(text: str) -> int:
    # East Asian wide characters take two terminal columns.
    return sum(2 if unicodedata.east_asian_width(char) in ("W", "F") else 1 for char in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))
