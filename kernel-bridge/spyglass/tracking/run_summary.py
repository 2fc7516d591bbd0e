"""run.summary: one value per metric, as wandb keeps it.

By default a metric's summary is its last logged value. define_metric(summary="min,max,...") replaces that
with a dict of the chosen aggregates ({"min": 0.1, "max": 0.9}); "none" leaves the metric out; "copy" is the
last value (wandb's name for the default). A value set by hand (run.summary["best"] = x, update()) wins over
the automatic one for that key from then on. The aggregates are computed in the flusher thread from each
stored Arrow batch (vectorised), never in log().
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from ..base.json_values import json_safe
from ..base.key_attributes import KeyAttributes
from ..base.nested_values import checked_value
from ..base.text_checks import check_name, describe
from .metric_definitions import MetricDefinitions

_MISSING = object()
_NUMERIC_AGGREGATES = frozenset(("min", "max", "mean", "best"))


class _Stats:
    """Running aggregates of one metric over every stored row that has it."""

    __slots__ = ("count", "first", "last", "max", "min", "numeric", "total")

    def __init__(self) -> None:
        self.first: Any = None
        self.last: Any = None
        self.min: float | None = None
        self.max: float | None = None
        self.total = 0.0
        self.count = 0
        self.numeric = False


class Summary(KeyAttributes):
    """The run's summary: dict-like (item and attribute access, update, keys, items, in)."""

    def __init__(
        self, definitions: MetricDefinitions | None = None, sync: Callable[[], object] = lambda: None
    ) -> None:
        """`sync` is called before a read from user code, so rows logged but not yet stored count."""
        object.__setattr__(self, "_definitions", definitions or MetricDefinitions())
        object.__setattr__(self, "_lock", threading.Lock())
        object.__setattr__(self, "_stats", {})
        object.__setattr__(self, "_manual", {})
        object.__setattr__(self, "_warned", set())  # keys whose text was replaced (warned once each)
        object.__setattr__(self, "_sync", sync)

    def observe(self, batch: pa.RecordBatch) -> None:
        """Fold a stored batch of history rows (in step order) into the aggregates."""
        updates: list[tuple[str, _Stats, Any, Any, Any, Any, float, int]] = []
        for field, column in zip(batch.schema, batch.columns, strict=True):
            if field.name.startswith("_") or column.null_count == len(column):
                continue
            values = column if column.null_count == 0 else column.drop_null()
            first, last = values[0].as_py(), values[len(values) - 1].as_py()
            low = high = None
            total, count = 0.0, 0
            numeric = pa.types.is_floating(field.type) or pa.types.is_integer(field.type)
            if numeric and self._aggregated(field.name):
                extremes = pc.min_max(values)  # NaN is skipped, like a missing value
                low, high = extremes["min"].as_py(), extremes["max"].as_py()
                total, count = pc.sum(values).as_py() or 0.0, len(values)
            updates.append((field.name, _Stats(), first, last, low, high, total, count))
        with self._lock:
            for name, fresh, first, last, low, high, total, count in updates:
                stats = self._stats.setdefault(name, fresh)
                if stats is fresh:
                    stats.first = first
                stats.last = last
                if count:
                    stats.numeric = True
                    stats.total += total
                    stats.count += count
                    if low is not None:
                        stats.min = low if stats.min is None else min(stats.min, low)
                        stats.max = high if stats.max is None else max(stats.max, high)

    def _aggregated(self, name: str) -> bool:
        # min/max/mean cost ~70 µs per 16k-row column; only metrics whose definition asks for them pay it.
        definition = self._definitions.lookup(name)
        return definition is not None and not _NUMERIC_AGGREGATES.isdisjoint(definition.summary)

    def restore(self, stored: Mapping[str, Any]) -> None:
        """Start from a resumed run's stored summary (run.json "summary"): later rows continue its aggregates.

        A stored dict of aggregates seeds min, max, first and last; its mean counts as one value (the stored
        summary has no row count), so a resumed run's mean is approximate.
        """
        with self._lock:
            for name, value in stored.items():
                value = _decode_non_finite(value)
                stats = _Stats()
                parts = value if isinstance(value, Mapping) else {"first": value, "last": value}
                stats.first, stats.last = parts.get("first"), parts.get("last")
                numbers = [
                    v for v in parts.values() if isinstance(v, (int, float)) and not isinstance(v, bool)
                ]
                if numbers:
                    stats.numeric = True
                    stats.min = parts.get("min", parts.get("best", min(numbers)))
                    stats.max = parts.get("max", parts.get("best", max(numbers)))
                    mean = parts.get("mean", parts.get("last"))
                    if isinstance(mean, (int, float)):
                        stats.total, stats.count = float(mean), 1
                self._stats[name] = stats

    def _automatic(self, name: str, stats: _Stats) -> Any:
        definition = self._definitions.lookup(name)
        if definition is None or not definition.summary:
            return stats.last
        aggregates = definition.summary
        if aggregates == ("none",):
            return _MISSING
        if aggregates == ("copy",):
            return stats.last
        values: dict[str, Any] = {}
        for aggregate in aggregates:
            if aggregate in ("last", "copy"):
                values["last"] = stats.last
            elif aggregate == "first":
                values["first"] = stats.first
            elif not stats.numeric:
                continue  # min/max/mean/best of text: nothing to say
            elif aggregate == "min":
                values["min"] = stats.min
            elif aggregate == "max":
                values["max"] = stats.max
            elif aggregate == "mean":
                values["mean"] = stats.total / stats.count if stats.count else None
            elif aggregate == "best":
                values["best"] = stats.max if definition.goal == "maximize" else stats.min
        return values

    def _merged(self, sync: bool = True) -> dict[str, Any]:
        if sync:
            self._sync()
        with self._lock:
            merged = {}
            for name, stats in self._stats.items():
                value = self._automatic(name, stats)
                if value is not _MISSING:
                    merged[name] = value
            merged.update(self._manual)
        return merged

    def snapshot(self) -> dict[str, Any]:
        """The summary as strict JSON (non-finite floats as "NaN", "Infinity", "-Infinity"), for run.json."""
        return {key: json_safe(value) for key, value in self._merged(sync=False).items()}

    def as_dict(self) -> dict[str, Any]:
        """A plain dict copy of the summary, values as they are."""
        return self._merged()

    @property
    def _json_dict(self) -> dict[str, Any]:
        """wandb's name for a plain dict copy of the summary (its CSV-export recipe reads it)."""
        return self._merged()

    def __getitem__(self, key: str) -> Any:
        # A value set by hand needs no flush: `if acc > run.summary.get("best", 0)` in a loop stays cheap.
        manual = self._manual.get(key, _MISSING)
        if manual is not _MISSING:
            return manual
        self._sync()
        with self._lock:
            if key in self._manual:
                return self._manual[key]
            stats = self._stats.get(key)
            value = _MISSING if stats is None else self._automatic(key, stats)
        if value is _MISSING:
            raise KeyError(key)
        return value

    def __setitem__(self, key: str, value: Any) -> None:
        if not isinstance(key, str) or not key:
            raise TypeError(f"run.summary keys must be non-empty strings, got {describe(key)}")
        check_name("run.summary key", key)
        # Refused here if run.json could not hold it (nested_values), not at every later write of run.json.
        value = checked_value(f"run.summary[{key!r}]", value, self._warned)
        with self._lock:
            self._manual[key] = value

    def __delitem__(self, key: str) -> None:
        with self._lock:
            found = self._manual.pop(key, _MISSING) is not _MISSING
            found = self._stats.pop(key, None) is not None or found
        if not found:
            raise KeyError(key)

    def update(self, values: Mapping[str, Any] | None = None, **more: Any) -> None:
        """Set several keys by hand (each then wins over automatic updates)."""
        for key, value in {**dict(values or {}), **more}.items():
            self[key] = value

    def get(self, key: str, default: Any = None) -> Any:
        try:
            return self[key]
        except KeyError:
            return default

    def keys(self) -> list[str]:
        return list(self._merged())

    def items(self) -> list[tuple[str, Any]]:
        return list(self._merged().items())

    def values(self) -> list[Any]:
        return list(self._merged().values())

    def __contains__(self, key: object) -> bool:
        if key in self._manual:
            return True
        return isinstance(key, str) and key in self._merged()

    def __iter__(self) -> Iterator[str]:
        return iter(self.keys())

    def __len__(self) -> int:
        return len(self._merged())

    def __repr__(self) -> str:
        return f"Summary({self._merged()!r})"


_NON_FINITE = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}


def _decode_non_finite(value: Any) -> Any:
    if isinstance(value, str):
        return _NON_FINITE.get(value, value)
    if isinstance(value, Mapping):
        return {key: _decode_non_finite(item) for key, item in value.items()}
    return value


def _do_nothing() -> None:
    pass
