"""Errors of tables and media: each says what was wrong and what to do instead."""

from __future__ import annotations

from ..base.errors import SpyglassError


class MediaError(SpyglassError, ValueError):
    """A media value (image, audio, video, ...) could not be made from what was given."""


class TableError(SpyglassError, ValueError):
    """A table was built or changed with data of the wrong shape."""


class ColumnTypeError(TableError, TypeError):
    """A table column holds values of types that do not go together (or break its declared dtype)."""

    def __init__(self, column: str, types: list[str], row: int | None, advice: str) -> None:
        self.column = column
        self.types = types
        self.row = row
        where = f" (first conflict at row {row})" if row is not None else ""
        super().__init__(f"table column {column!r} mixes values of types {', '.join(types)}{where}. {advice}")
