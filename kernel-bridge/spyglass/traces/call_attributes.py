"""sg.attributes({...}): key-value pairs recorded on every call started inside the block (nested: merged)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping
from typing import Any

from ..base.errors import SpyglassError
from .call_record import current_attributes
from .value_encoding import encode_named


class AttributesError(SpyglassError, TypeError):
    """sg.attributes() was given something other than a mapping with string keys."""


class _InlineOnly:
    """Attribute values are small labels: a value that would need a file is recorded by type and repr."""

    def store_object(self, data: bytes, extension: str) -> tuple[str, str]:
        raise AttributesError("attribute values are stored inline; pass a short value")


_INLINE_ONLY = _InlineOnly()


@contextlib.contextmanager
def attributes(values: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    """Record `values` on every call that starts inside the `with` block (in this thread or task)."""
    if not isinstance(values, Mapping):
        raise AttributesError(
            f"sg.attributes() takes a dict such as {{'env': 'prod'}}, got {type(values).__name__}"
        )
    bad = [key for key in values if not isinstance(key, str)]
    if bad:
        raise AttributesError(
            f"sg.attributes() keys must be strings; got {bad[0]!r} ({type(bad[0]).__name__})"
        )
    merged = {
        **(current_attributes.get() or {}),
        **{key: encode_named(key, value, _INLINE_ONLY) for key, value in values.items()},
    }
    token = current_attributes.set(merged)
    try:
        yield merged
    finally:
        current_attributes.reset(token)
