"""A stored run's summary as the read API returns it: a dict that also behaves like wandb's summary object.

`run.summary["acc"]`, `run.summary.acc`, `.get`, `.keys()`, `.items()`, `_json_dict` (wandb's CSV-export
recipe reads it). Setting a key (item, attribute or update()) writes the summary back to the run's run.json at
once, as wandb's public API writes to its server; refused while the run is still live (its process owns
run.json).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ..base.key_attributes import KeyAttributes


class StoredSummary(KeyAttributes, dict):
    """A dict of summary values; changes are written back to run.json through `write`."""

    def __init__(
        self, values: Mapping[str, Any], write: Callable[[dict[str, Any]], None] | None = None
    ) -> None:
        super().__init__(values)
        object.__setattr__(self, "_write", write)

    @property
    def _json_dict(self) -> dict[str, Any]:
        """A plain dict copy of the summary (wandb's name for it)."""
        return dict(self)

    def __setitem__(self, key: str, value: Any) -> None:
        self._change(lambda values: values.__setitem__(key, value))

    def __delitem__(self, key: str) -> None:
        if key not in self:
            raise KeyError(key)
        self._change(lambda values: values.__delitem__(key))

    def update(self, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
        self._change(lambda values: values.update(*args, **kwargs))

    def _change(self, apply: Callable[[dict[str, Any]], None]) -> None:
        # Written first, kept in memory only when the write succeeded: the object never claims what the store
        # does not hold.
        values = dict(self)
        apply(values)
        if self._write is not None:
            self._write(values)
        super().clear()
        super().update(values)

    def __reduce__(self):
        return (StoredSummary, (dict(self),))
