"""One bad value never costs another row: how the batch builder stores a value it cannot convert, and which
rows it keeps when a batch still cannot be built.

log() checks what it can at the call without reading tensors (history, row_values, text_checks); what it
cannot (a 0-d tensor-like object whose __float__ raises, a str subclass that lies about its text) is only met
when the rows are converted to Arrow. There, a value that fails is stored as null (text with lone surrogates
with U+FFFD in their place) and reported once per key; if building a batch still fails, its rows are built
in halves until the failing rows stand alone, and only those are left out. A lack of memory (and Ctrl-C in
the main thread) is never blamed on a value: it propagates, the rows stay buffered and the flusher retries.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any

import pyarrow as pa

from ..base.text_checks import is_storable, replace_surrogates
from .history import SegmentColumns

# report(key, message): a value of `key` was stored otherwise than given, or a row left out (History warns).
Report = Callable[[str, str], None]
Build = Callable[[Sequence[SegmentColumns]], pa.RecordBatch]
ValueReport = Callable[[str], None]  # a Report bound to one key (key_report)


def raise_if_fatal(error: BaseException) -> None:
    """Re-raise the process's trouble rather than a value's: MemoryError, Ctrl-C in the main thread."""
    if isinstance(error, MemoryError):
        raise error
    if isinstance(error, KeyboardInterrupt) and threading.current_thread() is threading.main_thread():
        raise error


def key_report(report: Report | None, key: str) -> ValueReport:
    """`report` bound to one metric key (a no-op without a report)."""
    if report is None:
        return ignore
    return lambda message: report(key, f"metric '{key}': {message}")


def text_or_null(value: Any, report: ValueReport) -> str | None:
    """A value of a text column as storable text: lone surrogates replaced; null if it has no text at all."""
    if value is None:
        return None
    try:
        text = (
            str.__str__(value) if isinstance(value, str) else str(value)
        )  # a str subclass's own __str__ is not asked
    except BaseException as error:
        raise_if_fatal(error)
        report(
            f"a value of type {type(value).__name__} has no text ({type(error).__name__}); it was stored as "
            "null"
        )
        return None
    if is_storable(text):
        return text
    report("a value held a lone surrogate; it was stored with U+FFFD in its place")
    return replace_surrogates(text)


def number_or_null(value: Any, to_float: Callable[[Any], float | None], report: ValueReport) -> Any:
    """`to_float(value)`, or null (reported) when converting the value raises."""
    try:
        return to_float(value)
    except BaseException as error:
        raise_if_fatal(error)
        report(
            f"a value of type {type(value).__name__} could not be converted to a number "
            f"({type(error).__name__}); it was stored as null"
        )
        return None


def build_isolated(segments: Sequence[SegmentColumns], build: Build, report: Report) -> pa.RecordBatch | None:
    """`build(segments)`; if that raises, the batch of every row that builds on its own (None if none does).

    Each row left out is reported under the key "row"; the final build's own failure propagates (the rows then
    stay buffered and are retried, as for a failed write).
    """
    try:
        return build(segments)
    except BaseException as error:
        raise_if_fatal(error)
    parts = [part for segment in segments for part in _buildable(segment, build, report)]
    return build(parts) if parts else None


def _buildable(segment: SegmentColumns, build: Build, report: Report) -> list[SegmentColumns]:
    # Halving finds k bad rows among n in about k * log2(n) builds; a typical frame has a few thousand rows.
    try:
        build([segment])
        return [segment]
    except BaseException as error:
        raise_if_fatal(error)
        if segment.row_count == 1:
            keys = ", ".join(segment.keys)
            report(
                "row",
                f"the row at step {segment.columns[0][0]} (keys {keys:.200}) could not be stored "
                f"({type(error).__name__}); it was left out and every other row was kept",
            )
            return []
    half = segment.row_count // 2
    first = SegmentColumns(segment.keys, [column[:half] for column in segment.columns])
    second = SegmentColumns(segment.keys, [column[half:] for column in segment.columns])
    return _buildable(first, build, report) + _buildable(second, build, report)


def ignore(message: str) -> None:
    """A ValueReport that reports nowhere."""
    return None
