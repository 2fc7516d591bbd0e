"""`watch`/`unwatch` for PyTorch models: gradient and parameter histograms, as wandb.watch records them.

torch is imported only when a model is watched, so `import spyglass` never imports it.
"""

from __future__ import annotations

from typing import Any

from .model_watcher import LOG_CHOICES, NUM_BINS, ModelWatcher, WatchError

__all__ = ["LOG_CHOICES", "NUM_BINS", "ModelWatcher", "WatchError", "watcher_of"]


def watcher_of(run: Any) -> ModelWatcher:
    """The run's watcher, created on first use."""
    watcher = run.__dict__.get("_model_watcher")
    if watcher is None:
        watcher = run.__dict__["_model_watcher"] = ModelWatcher(run)
    return watcher
