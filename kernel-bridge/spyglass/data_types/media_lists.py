"""A list of media under one log() key, as wandb takes it: `run.log({"ex": [sg.Image(a), sg.Image(b)]})`.

Every item's files are stored as a single item's would be, and the key holds one reference for the step:
`{"_type": "images/separated", "count": N, "items": [<each item's reference>, ...]}`
(docs/tables-and-media.md).
"""

from __future__ import annotations

from typing import Any

from .audio import Audio
from .errors import MediaError
from .figures import is_figure
from .html import Html
from .image import Image
from .media import Media
from .media_store import MediaWriter
from .object3d import Object3D
from .reference import LIST_TYPES
from .video import Video

# The reference `_type` of a list, per item type, in reference.LIST_TYPES' order (wandb's "images/separated").
_LIST_TYPE_OF: dict[type[Media], str] = dict(
    zip((Image, Audio, Video, Html, Object3D), LIST_TYPES, strict=True)
)


def holds_media(value: object) -> bool:
    """True for a list or tuple with at least one media value or matplotlib figure in it."""
    return isinstance(value, (list, tuple)) and any(isinstance(v, Media) or is_figure(v) for v in value)


def media_list_reference(
    items: list[Any] | tuple[Any, ...], writer: MediaWriter, key: str, step: int
) -> dict[str, Any]:
    """Store every item's files and return the list's reference; MediaError for a list of mixed types."""
    media = [Image.from_figure(item) if is_figure(item) else item for item in items]
    kinds = {type(item) for item in media}
    if len(kinds) > 1:
        names = ", ".join(sorted(_name(kind) for kind in kinds))
        raise MediaError(
            f"run.log() key {key!r} holds a list mixing {names}; a list holds one media type (as in wandb). "
            "Log each type under its own key. Nothing of this row was recorded."
        )
    [kind] = kinds
    list_type = _LIST_TYPE_OF.get(kind)
    if list_type is None:
        raise MediaError(
            f"run.log() key {key!r} holds a list of {_name(kind)}; lists may hold sg.Image, sg.Audio, "
            "sg.Video, sg.Html or sg.Object3D. Log each item under its own key. Nothing of this row was "
            "recorded."
        )
    references = [item.to_reference(writer, key, step) for item in media]
    return {"_type": list_type, "count": len(references), "items": references}


def _name(kind: type) -> str:
    return f"sg.{kind.__name__}" if issubclass(kind, Media) else kind.__name__
