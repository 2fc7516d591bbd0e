"""Attribute access to a mapping's keys (`summary.acc` for `summary["acc"]`), as wandb's summaries allow."""

from __future__ import annotations

from typing import Any


class KeyAttributes:
    """Mixin for a class with item access: attributes not found otherwise are its keys.

    Names starting with '_' are never keys (they stay the object's own): private state and dunder lookups
    behave as usual.
    """

    _attribute_owner = "run.summary"  # how AttributeError names the object

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return self[name]  # type: ignore[index]
        except KeyError:
            raise AttributeError(f"{self._attribute_owner} has no key {name!r}") from None

    def __setattr__(self, name: str, value: Any) -> None:
        self[name] = value  # type: ignore[index]

    def __delattr__(self, name: str) -> None:
        try:
            del self[name]  # type: ignore[attr-defined]
        except KeyError:
            raise AttributeError(f"{self._attribute_owner} has no key {name!r}") from None
