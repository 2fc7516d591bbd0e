"""Text that reaches the store: names must be storable and short; text values never carry a lone surrogate.

A lone surrogate (U+D800..U+DFFF on its own, which is what decoding bytes that are not UTF-8 with
errors="surrogateescape" produces, e.g. os.listdir on a Latin-1 file name) has no UTF-8 encoding, so Arrow,
run.json and the comm cannot carry it. Names (metric, config and summary keys, run name, tags, group,
job_type, define_metric names) are refused at the call with InvalidTextError, which shows the name escaped.
Text values (logged strings, config and summary strings, notes) keep their text with each lone surrogate
replaced by U+FFFD, as a UTF-8 decoder with errors="replace" does, and one TextReplacedWarning per key.
The limits here are in docs/python-run-api.md ("Names, text and limits").
"""

from __future__ import annotations

import warnings

from .errors import SpyglassError
from .user_warnings import user_stacklevel

# Longest metric name, key or label, in characters. GET /spyglass/api/v1/metric carries a metric name and an
# x metric in its query string: two names percent-encoded stay under 5 KB, far below proxy and Tornado limits.
MAX_NAME_LENGTH = 256


class InvalidTextError(SpyglassError, ValueError):
    """A name holds a lone surrogate (no UTF-8 encoding); the message shows it escaped and names the field."""


class LimitExceededError(SpyglassError, ValueError):
    """A call went past a documented limit (name length, nesting depth, keys per run), named in the error."""


class TextReplacedWarning(UserWarning):
    """A text value held lone surrogates; it was stored with U+FFFD in their place (once per key)."""


def is_storable(text: str) -> bool:
    """True if `text` has a UTF-8 encoding (no lone surrogate). One flag test for ASCII text."""
    if str.isascii(text):
        return True
    try:
        str.encode(text, "utf-8")
    except UnicodeEncodeError:
        return False
    return True


def replace_surrogates(text: str) -> str:
    """`text` as plain str with surrogate pairs joined and each lone surrogate replaced by U+FFFD."""
    return str.encode(text, "utf-16", "surrogatepass").decode("utf-16", "replace")


def preview(text: str, length: int = 40) -> str:
    """`text` escaped (ascii()), shortened to about `length` characters, for an error message."""
    shown = ascii(text[:length])
    return shown + f"... ({len(text)} characters)" if len(text) > length else shown


def check_name(what: str, name: str, limit: int = MAX_NAME_LENGTH) -> str:
    """Return `name` if it is at most `limit` characters and storable; raise naming `what` otherwise."""
    if len(name) > limit:
        raise LimitExceededError(
            f"{what} {preview(name)} is {len(name)} characters long; names are limited to {limit} characters "
            "(they travel in URLs and column headers). Use a shorter name."
        )
    if not is_storable(name):
        raise InvalidTextError(
            f"{what} {preview(name)} holds a lone surrogate, which has no UTF-8 encoding and cannot be "
            "stored (it usually comes from bytes decoded with errors='surrogateescape'). Decode with "
            "errors='replace' or fix the name."
        )
    return name


def replaced_text(what: str, text: str, warned: set[str], strict: bool = False) -> str:
    """`text` with lone surrogates replaced (warned once per `what` via `warned`); strict raises instead.

    Callers test is_storable() first, so plain text costs them one check and this is only called on a bad one.
    """
    if strict:
        raise InvalidTextError(
            f"{what} holds a lone surrogate ({preview(text)}), which has no UTF-8 encoding; settings.strict "
            "refuses it. Decode the text with errors='replace'."
        )
    if what not in warned:
        warned.add(what)
        warnings.warn(
            f"{what} holds a lone surrogate ({preview(text)}), which has no UTF-8 encoding; it is stored "
            "with U+FFFD in its place (shown once per key).",
            TextReplacedWarning,
            stacklevel=user_stacklevel(),
        )
    return replace_surrogates(text)


def describe(value: object, length: int = 60) -> str:
    """repr(value) shortened for an error message; never raises (hostile or endlessly nested objects)."""
    try:
        shown = repr(value)
    except Exception:  # RecursionError and whatever a hostile __repr__ raises
        return f"<a {type(value).__name__} object>"
    return shown if len(shown) <= length else shown[: length - 3] + "..."
