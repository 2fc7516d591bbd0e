"""The base of every value that log() stores as a file (or inline) and records as a reference in history."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from .errors import MediaError
from .media_store import MediaWriter
from .reference import encode_reference


class Media:
    """A loggable rich value: turned into a reference dict when logged (files written by `writer`)."""

    _type = "media"

    def to_reference(self, writer: MediaWriter, key: str, step: int | None) -> dict[str, Any]:
        """Write this value's files (if any) and return its reference (docs/tables-and-media.md)."""
        raise NotImplementedError

    def reference_json(self, writer: MediaWriter, key: str, step: int | None) -> str:
        return encode_reference(self.to_reference(writer, key, step))

    def __repr__(self) -> str:
        return f"<spyglass.{type(self).__name__}>"


def caption_of(caption: object) -> str | None:
    """A caption as stored: a string or None (other values by str())."""
    return None if caption is None else str(caption)


def file_extension(path: Path) -> str:
    """A file's extension as media types compare it: without the dot, lower case."""
    return path.suffix.lstrip(".").lower()


def media_file(path_like: str | os.PathLike[str], extensions: set[str], label: str, kind: str) -> Path:
    """A media file given by path: it must exist and have one of `extensions`, else MediaError.

    `label` and `kind` name it in the message, e.g. "sg.Audio: 'x.txt' is not an audio file (aac, ...)".
    """
    path = Path(path_like)
    if not path.is_file() or file_extension(path) not in extensions:
        raise MediaError(f"{label}: {str(path)!r} is not {kind} ({', '.join(sorted(extensions))}).")
    return path


def store_file_or_bytes(
    writer: MediaWriter,
    folder: str,
    key: str,
    step: int | None,
    source: Path | None,
    extension: str,
    data: bytes | None,
) -> str:
    """Copy the user's `source` file as it is, else write the bytes encoded from an array; the stored path."""
    if source is not None:
        return writer.copy_file(folder, key, step, source)
    return writer.write_bytes(folder, key, step, extension, data or b"")
