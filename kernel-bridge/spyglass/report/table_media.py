"""Media cells of a table (`{"_type": "image", ...}` references) as small thumbnails a report can embed.

A thumbnail is a data: URI of a PNG, JPEG, GIF or WebP (recognised by its bytes, never by its name), at most
THUMBNAIL_EDGE pixels on a side and THUMBNAIL_BYTES_LIMIT bytes; all thumbnails of a report share
TABLE_MEDIA_BYTES_LIMIT. A cell that cannot be embedded (budget used up, file missing, audio...) keeps a
placeholder saying why, so the reader never sees reference JSON.
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..base.path_confinement import Roots, stays_within
from ..data_types.reference import decode_reference
from . import messages
from .budgets import TABLE_MEDIA_BYTES_LIMIT, THUMBNAIL_BYTES_LIMIT, THUMBNAIL_EDGE

MEDIA_ITEMS_PER_CELL = 4  # items of an images/separated list shown in one cell
_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)


@dataclass
class MediaBudget:
    """The bytes of table thumbnails one report may still embed."""

    left: int = TABLE_MEDIA_BYTES_LIMIT
    # Thumbnails made so far by file: a table repeating an image downscales it once.
    made: dict[Path, str] = field(default_factory=dict)

    def take(self, size: int) -> bool:
        """Charge `size` bytes; the first thumbnail that does not fit ends embedding (later cells, in table
        order, show placeholders, so the reader sees one cut instead of scattered gaps)."""
        if size > self.left:
            self.left = 0
            return False
        self.left -= size
        return True


def media_cell(
    value: Any, base: Path | None, roots: Roots | None, budget: MediaBudget
) -> dict[str, Any] | None:
    """The report cell of a media reference (`{"media": [items], "more": n}`), or None for any other value."""
    reference = decode_reference(value)
    if reference is None:
        return None
    items = reference.get("items") if str(reference["_type"]).endswith("/separated") else [reference]
    items = [item for item in items or [] if isinstance(item, dict)]
    shown = items[:MEDIA_ITEMS_PER_CELL]
    return {"media": [_item(item, base, roots, budget) for item in shown], "more": len(items) - len(shown)}


def cell_text(cell: Any) -> str:
    """A cell as one line of text (Markdown export): media cells by their kind and caption."""
    if isinstance(cell, dict) and "media" in cell:
        return " ".join(
            f"[{item['kind']}{': ' + item['caption'] if item['caption'] else ''}]" for item in cell["media"]
        )
    return "" if cell is None else str(cell)


def _item(
    reference: dict[str, Any], base: Path | None, roots: Roots | None, budget: MediaBudget
) -> dict[str, Any]:
    kind = str(reference.get("_type"))
    caption = reference.get("caption")
    item: dict[str, Any] = {
        "kind": kind,
        "caption": str(caption) if caption is not None else None,
        "src": None,
    }
    if kind != "image":
        item["note"] = messages.MEDIA_NOT_EMBEDDED.format(kind=kind)
        return item
    if budget.left == 0:
        item["note"] = messages.MEDIA_OVER_BUDGET.format(limit=TABLE_MEDIA_BYTES_LIMIT)
        return item
    try:
        path = _media_file(reference.get("path"), base, roots)
        src = budget.made.get(path) or budget.made.setdefault(path, _thumbnail(path))
    except _NotEmbedded as reason:
        item["note"] = str(reason)
        return item
    if not budget.take(len(src)):
        item["note"] = messages.MEDIA_OVER_BUDGET.format(limit=TABLE_MEDIA_BYTES_LIMIT)
        return item
    item["src"], item["note"] = src, None
    return item


class _NotEmbedded(Exception):
    """Why one image cell shows a placeholder (its text is the placeholder)."""


def _media_file(rel: Any, base: Path | None, roots: Roots | None) -> Path:
    if base is None or not isinstance(rel, str) or not rel:
        raise _NotEmbedded(messages.MEDIA_MISSING.format(path=rel))
    path = (base / rel).resolve()
    # Only a file inside the table's run (or .tables) directory: a crafted cell must not embed other files.
    if not (path.is_relative_to(base.resolve()) and stays_within(path, roots) and path.is_file()):
        raise _NotEmbedded(messages.MEDIA_MISSING.format(path=rel))
    return path


def _thumbnail(path: Path) -> str:
    """A data: URI of the image at `path`: the file itself when small enough, else a downscaled copy."""
    small = path.read_bytes() if path.stat().st_size <= THUMBNAIL_BYTES_LIMIT else b""
    mime = _sniff(small)
    if mime is not None and _fits(small):
        return _data_uri(mime, small)
    try:
        from PIL import Image
    except ImportError:
        # Without Pillow a small file still goes in as it is (the page draws it at thumbnail size).
        if mime is not None:
            return _data_uri(mime, small)
        raise _NotEmbedded(messages.MEDIA_NEEDS_PILLOW) from None
    try:
        with Image.open(path) as image:
            image.draft("RGB", (THUMBNAIL_EDGE, THUMBNAIL_EDGE))  # JPEG: decode at a reduced scale
            image.thumbnail((THUMBNAIL_EDGE, THUMBNAIL_EDGE))
            alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
            out = io.BytesIO()
            if alpha:
                image.convert("RGBA").save(out, "PNG", optimize=True)
            else:
                image.convert("RGB").save(out, "JPEG", quality=80)
    except (OSError, ValueError, Image.DecompressionBombError) as error:
        raise _NotEmbedded(messages.MEDIA_UNREADABLE.format(error=error)) from error
    data = out.getvalue()
    if len(data) > THUMBNAIL_BYTES_LIMIT:
        raise _NotEmbedded(messages.MEDIA_TOO_LARGE.format(limit=THUMBNAIL_BYTES_LIMIT))
    return _data_uri("image/png" if alpha else "image/jpeg", data)


def _sniff(data: bytes) -> str | None:
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return next((mime for signature, mime in _SIGNATURES if data.startswith(signature)), None)


def _fits(data: bytes) -> bool:
    """Whether a PNG is already thumbnail-sized (its header says so); other formats are always re-encoded."""
    if not data.startswith(_SIGNATURES[0][0]) or len(data) < 24:
        return False
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    return max(width, height) <= THUMBNAIL_EDGE


def _data_uri(mime: str, data: bytes) -> str:
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"
