"""Checks at the call for values that end up in run.json (config and summary values, nested or not).

run.json is rewritten by the flusher thread at every tick and by finish(); a value that cannot be written
there (nested deeper than the JSON encoder recurses, a dict that contains itself, a lone surrogate, an int too
long to print, an object whose str() raises) would make each of those writes fail, and finish() with them.
So such a value is refused here, naming where it sits, before the config or summary changes; text with lone
surrogates is kept with U+FFFD in their place (text_checks). Plain numbers return at once: summaries set in a
loop stay cheap.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import Any

from .text_checks import LimitExceededError, check_name, describe, is_storable, replaced_text

# Deepest nesting of dicts and lists accepted in a config, a summary value or a logged dict. Python's JSON
# encoder recurses once per level and stops near 1,000; real configs stay within a dozen.
MAX_NESTING_DEPTH = 64
_PLAIN = frozenset((float, bool, type(None)))
# Bits above which an int may exceed Python's limit on int -> str conversion (sys.get_int_max_str_digits()).
_LONG_INT_BITS = 14_000


def checked_value(where: str, value: Any, warned: set[str], strict: bool = False) -> Any:
    """`value` if run.json can hold it; a copy with lone surrogates replaced if needed; raise otherwise.

    `where` names the value in messages (e.g. "config['model']"); `warned` keeps the once-per-key warnings.
    """
    kind = type(value)
    if kind in _PLAIN:
        return value
    return _walk(where, value, 0, set(), warned, strict)


def _walk(where: str, value: Any, depth: int, inside: set[int], warned: set[str], strict: bool) -> Any:
    kind = type(value)
    if kind in _PLAIN:
        return value
    if isinstance(value, str):
        return value if is_storable(value) else replaced_text(where, value, warned, strict)
    if isinstance(value, int):
        return _checked_int(where, value)
    is_mapping = isinstance(value, Mapping)
    if not is_mapping and not isinstance(value, (list, tuple)):
        return _checked_object(where, value)
    if depth >= MAX_NESTING_DEPTH or id(value) in inside:
        problem = (
            "contains itself"
            if id(value) in inside
            else f"is nested more than {MAX_NESTING_DEPTH} levels deep"
        )
        shown = where if len(where) <= 100 else f"{where[:60]}...{where[-30:]}"
        raise LimitExceededError(
            f"{shown} {problem}; the JSON Spyglass stores holds at most {MAX_NESTING_DEPTH} levels of "
            "nested dicts and lists. Flatten it or store a shallower copy."
        )
    inside.add(id(value))
    try:
        if is_mapping:
            return _walk_mapping(where, value, depth, inside, warned, strict)
        items = [
            _walk(f"{where}[{index}]", item, depth + 1, inside, warned, strict)
            for index, item in enumerate(value)
        ]
    finally:
        inside.discard(id(value))
    if all(new is old for new, old in zip(items, value, strict=True)):
        return value
    return items if isinstance(value, list) else tuple(items)


def _walk_mapping(
    where: str, value: Mapping[Any, Any], depth: int, inside: set[int], warned: set[str], strict: bool
) -> Any:
    changed = False
    checked: dict[Any, Any] = {}
    for key, item in value.items():
        if isinstance(key, str):
            check_name(f"{where} key", key)
        elif not isinstance(key, (int, float, bool)) and key is not None:
            raise TypeError(
                f"{where} has a key {describe(key)} of type {type(key).__name__}; JSON keys are strings (or "
                "numbers). Convert it, e.g. str(key)."
            )
        new = _walk(f"{where}[{key!r}]", item, depth + 1, inside, warned, strict)
        changed = changed or new is not item
        checked[key] = new
    return checked if changed else value


def _checked_int(where: str, value: int) -> int:
    if value.bit_length() > _LONG_INT_BITS:
        try:
            str(value)
        except ValueError:
            raise LimitExceededError(
                f"{where} is an int of about {int(value.bit_length() * 0.30103)} digits; Python prints at "
                f"most {sys.get_int_max_str_digits()} digits, so run.json cannot hold it. Store it as a "
                "float or a str."
            ) from None
    return value


def _checked_object(where: str, value: Any) -> Any:
    # Stored as its str() (numpy values as numbers): refuse now if there is none, rather than at every write.
    try:
        if not hasattr(value, "tolist"):
            str(value)
    except Exception as error:
        raise TypeError(
            f"{where} is a {type(value).__name__} whose str() raised {type(error).__name__}: {error}; "
            "run.json stores such values as text. Store a plain value (number, string, list, dict) instead."
        ) from error
    return value
