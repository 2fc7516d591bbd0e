"""Rich values in log(): tables, media and matplotlib figures become reference JSON strings (the slow path).

History.log calls `convert_rich_values` only for a row that holds a value of a non-builtin type, so logging
plain numbers never comes here; numpy scalars and tensors pass through untouched.
"""

from __future__ import annotations

from typing import Any

from .figures import is_figure
from .image import Image
from .media import Media
from .media_lists import holds_media, media_list_reference
from .media_store import MediaWriter
from .reference import encode_reference


def convert_rich_values(flat: dict[str, Any], writer: MediaWriter, step: int) -> None:
    """Replace each Media value (and matplotlib figure) in `flat` by its reference JSON, writing its files.

    A list of media becomes one list reference (media_lists.py); an empty list is left out of the row (wandb
    records `[]`, which says nothing), so it is neither refused nor stored.
    """
    for key, value in list(flat.items()):
        if isinstance(value, Media):
            flat[key] = value.reference_json(writer, key, step)
        elif is_figure(value):
            flat[key] = Image.from_figure(value).reference_json(writer, key, step)
        elif isinstance(value, (list, tuple)) and not value:
            del flat[key]
        elif isinstance(value, (list, tuple)) and holds_media(value):
            flat[key] = encode_reference(media_list_reference(value, writer, key, step))
