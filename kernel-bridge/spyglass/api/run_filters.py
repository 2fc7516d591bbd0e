"""wandb-style run filters (a subset of MongoDB's query language) and orders, applied to run metadata."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from typing import Any

from ..base.errors import FilterError

_MISSING = object()

# Names wandb's public API uses for the same fields, so filters copied from wandb scripts keep working.
_FIELD_ALIASES = {
    "summary_metrics": "summary",
    "display_name": "name",
    "displayName": "name",
    "createdAt": "created_at",
    "heartbeatAt": "heartbeat_at",
    "jobType": "job_type",
    "id": "run_id",
}


def field_value(record: Mapping[str, Any], dotted: str, aliases: Mapping[str, str] = _FIELD_ALIASES) -> Any:
    """The value at a dotted path ("config.optimizer.lr") or _MISSING; keys containing dots also match."""
    head, _, rest = dotted.partition(".")
    head = aliases.get(head, head)
    return _lookup(record, f"{head}.{rest}" if rest else head)


def _lookup(value: Any, path: str) -> Any:
    if not isinstance(value, Mapping):
        return _MISSING
    if path in value:  # a flat key such as "optimizer.lr" wins over nesting
        return value[path]
    for index, char in enumerate(path):
        if char == "." and path[:index] in value:
            found = _lookup(value[path[:index]], path[index + 1 :])
            if found is not _MISSING:
                return found
    return _MISSING


def matches(
    record: Mapping[str, Any], query: Mapping[str, Any] | None, aliases: Mapping[str, str] = _FIELD_ALIASES
) -> bool:
    """Return whether `record` satisfies `query` ({"config.lr": {"$gt": 0.01}, "$or": [...], ...}).

    `aliases` maps other names of a field to the record's (the default: wandb's names of run fields)."""
    if not query:
        return True
    if not isinstance(query, Mapping):
        raise FilterError(f"a filter must be a dict such as {{'state': 'finished'}}, got {query!r}")
    return all(_matches_clause(record, key, condition, aliases) for key, condition in query.items())


def _matches_clause(record: Mapping[str, Any], key: str, condition: Any, aliases: Mapping[str, str]) -> bool:
    if key in ("$and", "$or", "$nor"):
        if not isinstance(condition, list) or not all(isinstance(item, Mapping) for item in condition):
            raise FilterError(f"{key} takes a list of filters, got {condition!r}")
        results = (matches(record, item, aliases) for item in condition)
        if key == "$and":
            return all(results)
        return any(results) if key == "$or" else not any(results)
    if key.startswith("$"):
        raise FilterError(f"unknown top-level filter operator {key!r}; use $and, $or or $nor")
    value = field_value(record, key, aliases)
    if isinstance(condition, Mapping) and any(str(name).startswith("$") for name in condition):
        return all(_apply_operator(value, name, operand) for name, operand in condition.items())
    return _equals(value, condition)


def _apply_operator(value: Any, name: str, operand: Any) -> bool:
    operator = _OPERATORS.get(name)
    if operator is None:
        known = ", ".join(sorted(_OPERATORS))
        raise FilterError(f"unknown filter operator {name!r}; Spyglass understands {known}")
    return operator(value, operand)


def _equals(value: Any, operand: Any) -> bool:
    if isinstance(value, list) and not isinstance(operand, list):
        return any(_same(item, operand) for item in value)  # {"tags": "a"} matches a run tagged "a"
    return _same(value, operand)


def _same(value: Any, operand: Any) -> bool:
    if value is _MISSING:
        return False
    if isinstance(value, bool) or isinstance(operand, bool):  # True is not 1 in a filter
        return type(value) is type(operand) and value == operand
    return value == operand


def _compare(test: Callable[[Any, Any], bool]) -> Callable[[Any, Any], bool]:
    def compare(value: Any, operand: Any) -> bool:
        if _is_number(value) and _is_number(operand):
            return not (math.isnan(value) or math.isnan(operand)) and test(value, operand)
        if isinstance(value, str) and isinstance(operand, str):
            return test(value, operand)
        return False  # missing values and values of another kind never match a comparison

    return compare


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _in(value: Any, operand: Any) -> bool:
    if not isinstance(operand, list):
        raise FilterError(f"$in and $nin take a list, got {operand!r}")
    values = value if isinstance(value, list) else [value]
    return any(_same(item, choice) for item in values for choice in operand)


def _regex(value: Any, operand: Any) -> bool:
    try:
        pattern = re.compile(operand)
    except (re.error, TypeError) as error:
        raise FilterError(f"$regex needs a valid regular expression, got {operand!r}: {error}") from None
    values = value if isinstance(value, list) else [value]
    return any(isinstance(item, str) and pattern.search(item) is not None for item in values)


_OPERATORS: dict[str, Callable[[Any, Any], bool]] = {
    "$eq": _equals,
    "$ne": lambda value, operand: not _equals(value, operand),
    "$gt": _compare(lambda a, b: a > b),
    "$gte": _compare(lambda a, b: a >= b),
    "$lt": _compare(lambda a, b: a < b),
    "$lte": _compare(lambda a, b: a <= b),
    "$in": _in,
    "$nin": lambda value, operand: not _in(value, operand),
    "$exists": lambda value, operand: (value is not _MISSING and value is not None) == bool(operand),
    "$regex": _regex,
}


def sort_records(
    records: list[Any], order: str | None, record_of: Callable[[Any], Mapping[str, Any]]
) -> list:
    """Sort by an order such as "-created_at" or "+summary.loss"; runs without the field come last."""
    if not order:
        return list(records)
    if not isinstance(order, str):
        raise FilterError(f"order must be a string such as '-created_at', got {order!r}")
    descending = order.startswith("-")
    field = order.lstrip("+-")
    if not field:
        raise FilterError(f"order {order!r} names no field; use e.g. '-created_at' or '+summary.loss'")
    keyed = [(field_value(record_of(item), field), item) for item in records]
    present = [(value, item) for value, item in keyed if value is not _MISSING and value is not None]
    missing = [item for value, item in keyed if value is _MISSING or value is None]
    present.sort(key=lambda pair: _sort_key(pair[0]), reverse=descending)
    return [item for _, item in present] + missing


def _sort_key(value: Any) -> tuple[int, Any]:
    # Numbers before strings before anything else, so mixed kinds sort instead of raising TypeError.
    if _is_number(value) or isinstance(value, bool):
        return (1, 0.0) if math.isnan(value) else (0, float(value))
    if isinstance(value, str):
        return (2, value)
    return (3, repr(value))
