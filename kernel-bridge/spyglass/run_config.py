"""A run's config: a dict that also allows attribute access, as `wandb.config.lr` scripts expect."""

from __future__ import annotations

from typing import Any


class RunConfig(dict):
    """dict with attribute access. Changes after init() are not yet written back to run.json."""

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            keys = ", ".join(map(str, self)) or "none"
            raise AttributeError(f"config has no key {name!r} (keys: {keys})") from None

    def __setattr__(self, name: str, value: Any) -> None:
        self[name] = value
