"""The models a run watches: their hooks; `watch`/`unwatch` with wandb.watch's arguments and key names."""

from __future__ import annotations

import itertools
import warnings
from pathlib import Path
from typing import Any

from ..base.errors import SpyglassError
from ..base.user_warnings import user_stacklevel
from .hooks import hook_gradients, hook_parameters
from .module_graph import GraphRecorder

LOG_CHOICES = ("gradients", "parameters", "all", None)
NUM_BINS = 64  # wandb.watch's bins per histogram

# wandb numbers watched models per process, not per run: the second model watched (in any run) logs
# `gradients/graph_1<name>`. Kept, so a script's keys match what wandb records.
_watch_index = itertools.count()


class WatchError(SpyglassError, ValueError, TypeError):
    """watch() was given something it cannot watch. A ValueError and a TypeError, as wandb raises either."""


class ModelWatcher:
    """Hooks of the models a run watches; removed by unwatch, or by the first hook firing after the run."""

    def __init__(self, run: Any) -> None:
        self._run = run
        self._watched: list[tuple[Any, list[Any]]] = []  # (model, hook handles), a model once per watch()

    def watch(
        self,
        models: Any,
        criterion: Any = None,
        log: str | None = "gradients",
        log_freq: int = 1000,
        idx: int | None = None,
        log_graph: bool = False,
    ) -> None:
        """Histograms of gradients and/or parameters every `log_freq` batches (python-run-api.md, watch)."""
        try:
            import torch
        except ImportError as error:
            raise WatchError(
                "watch() records PyTorch models, and torch is not installed here (pip install torch)."
            ) from error
        if log not in LOG_CHOICES:
            raise WatchError(f"watch() log must be 'gradients', 'parameters', 'all' or None, got {log!r}.")
        if isinstance(log_freq, bool) or not isinstance(log_freq, int) or log_freq < 1:
            raise WatchError(f"watch() log_freq must be a positive integer (batches), got {log_freq!r}.")
        model_list = list(models) if isinstance(models, (list, tuple)) else [models]
        for model in model_list:
            if not isinstance(model, torch.nn.Module):
                raise WatchError(
                    f"watch() expects a PyTorch model (torch.nn.Module), got {type(model).__name__}."
                )
        first = None if idx is None else int(idx)
        for offset, model in enumerate(model_list):
            counted = next(_watch_index)
            index = counted if first is None else first + offset
            prefix = f"graph_{index}" if index > 0 else ""
            handles: list[Any] = []
            for wanted, hook in (("parameters", hook_parameters), ("gradients", hook_gradients)):
                if log in (wanted, "all"):
                    handles += hook(model, prefix, log_freq, NUM_BINS, self._log)
            if log_graph:
                # Its remove() drops the shape hooks if unwatch comes before the first forward pass.
                path = Path(self._run.dir) / "files" / f"graph_{index}.json"
                handles.append(GraphRecorder(model, criterion, path))
            self._watched.append((model, handles))

    def unwatch(self, models: Any = None) -> None:
        """Remove the hooks of `models` (a module or a list), or of every watched model when None."""
        if models is None:
            targets = [model for model, _ in self._watched]
        else:
            targets = list(models) if isinstance(models, (list, tuple)) else [models]
        for model in targets:
            entries = [entry for entry in self._watched if entry[0] is model]
            if not entries:
                message = f"unwatch(): this {type(model).__name__} is not watched."
                warnings.warn(message, stacklevel=user_stacklevel())
            for entry in entries:
                self._watched.remove(entry)
                for handle in entry[1]:
                    handle.remove()

    def _log(self, row: dict[str, Any]) -> None:
        if self._run.finished:
            # A model outliving its run (trained again after finish) must not fail in backward().
            self.unwatch()
            return
        self._run.log(row, commit=False)
