"""The reference JSON that stands for a table or media value in history and in table cells.

A reference is compact JSON with a `_type` key, stored as a string: `{"_type":"image","path":"media/..."}`.
Paths are relative to the run directory (or to `<root>/.tables` for a displayed, unlogged table). Shapes:
docs/tables-and-media.md.
"""

from __future__ import annotations

import json
import math
from typing import Any

MEDIA_TYPES = ("table", "image", "audio", "video", "html", "object3d", "histogram")
# A list of media under one key (media_lists.py): {"_type": ..., "count": N, "items": [references]}.
LIST_TYPES = (
    "images/separated",
    "audio/separated",
    "videos/separated",
    "html/separated",
    "object3d/separated",
)


def encode_reference(reference: dict[str, Any]) -> str:
    """The compact JSON text of a reference (no spaces, non-ASCII kept, NaN refused)."""
    return json.dumps(_finite(reference), separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def decode_reference(text: object) -> dict[str, Any] | None:
    """The reference a stored string holds, or None if it is not one (any other string, a number, null)."""
    if not isinstance(text, str) or not text.startswith('{"_type":'):
        return None
    try:
        value = json.loads(text)
    except ValueError:
        return None
    return value if isinstance(value, dict) and value.get("_type") in (*MEDIA_TYPES, *LIST_TYPES) else None


def _finite(value: Any) -> Any:
    # Strict JSON has no NaN; a histogram of data with NaN never gets here (dropped first), but boxes might.
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {str(key): _finite(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(item) for item in value]
    return value
