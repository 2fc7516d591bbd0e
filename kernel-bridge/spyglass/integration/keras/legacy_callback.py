"""`WandbCallback`: wandb's original Keras callback (`wandb.keras.WandbCallback`), for scripts written for it.

New code is better served by `WandbMetricsLogger` and `WandbModelCheckpoint`. This one logs, once per epoch,
one row with `epoch` and everything Keras reports under Keras's own names (`loss`, `val_accuracy`, ...); keeps
`best_<monitor>` and `best_epoch` in the summary; saves the best model as `model-best.h5` in the run's files
(`run.save`); with `log_weights`, histograms `parameters/<layer>.weights` and `.bias`; with
`log_batch_frequency` N, a row of the batch logs every N batches.
"""

from __future__ import annotations

import operator
import shutil
import tempfile
import warnings
import weakref
from pathlib import Path
from typing import Any

import keras

from ...data_types import Histogram
from ..active_run import active_run, plain_number

# wandb's arguments that need TensorFlow or wandb's media inference: accepted, and named when used.
_UNSUPPORTED = ("log_gradients", "log_evaluation", "generator", "input_type", "output_type", "compute_flops")


class WandbCallback(keras.callbacks.Callback):
    """wandb's original Keras callback: epoch metrics, the best value in the summary, the best model saved."""

    def __init__(
        self,
        monitor: str = "val_loss",
        verbose: int = 0,
        mode: str = "auto",
        save_weights_only: bool = False,
        log_weights: bool = False,
        save_model: bool = True,
        log_batch_frequency: int | None = None,
        log_best_prefix: str = "best_",
        **wandb_options: Any,
    ) -> None:
        super().__init__()
        run = active_run("WandbCallback()")
        used = sorted(name for name in _UNSUPPORTED if wandb_options.get(name))
        if used:
            warnings.warn(
                f"WandbCallback({', '.join(used)}) is not supported by Spyglass and is ignored; "
                "log predictions with WandbEvalCallback, gradients with spyglass.watch (PyTorch).",
                UserWarning,
                stacklevel=2,
            )
        self.monitor = monitor
        self.verbose = verbose
        self.save_weights_only = save_weights_only
        self.log_weights = log_weights
        self.save_model = save_model
        self.log_batch_frequency = log_batch_frequency
        self.log_best_prefix = log_best_prefix
        self.monitor_op, self.best = _direction(mode, monitor)
        previous = run.summary.get(f"{log_best_prefix}{monitor}") if log_best_prefix else None
        if isinstance(previous, (int, float)):  # a resumed run keeps its best value
            self.best = previous
        self._save_dir = tempfile.mkdtemp(prefix="spyglass-keras-")
        weakref.finalize(self, shutil.rmtree, self._save_dir, True)

    def on_train_batch_end(self, batch: int, logs: dict[str, Any] | None = None) -> None:
        if self.log_batch_frequency and batch % self.log_batch_frequency == 0:
            active_run("WandbCallback").log({key: plain_number(value) for key, value in (logs or {}).items()})

    def on_epoch_end(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        run = active_run("WandbCallback")
        logs = {key: plain_number(value) for key, value in (logs or {}).items()}
        row: dict[str, Any] = self._weight_histograms() if self.log_weights else {}
        run.log({**row, "epoch": epoch, **logs})
        current = logs.get(self.monitor)
        if current is None or not self.monitor_op(current, self.best):
            return
        if self.log_best_prefix:
            run.summary[f"{self.log_best_prefix}{self.monitor}"] = current
            run.summary[f"{self.log_best_prefix}epoch"] = epoch
        if self.save_model:
            self._save_best(run, epoch, current)
        self.best = current

    def _weight_histograms(self) -> dict[str, Histogram]:
        histograms = {}
        for layer in self.model.layers:
            weights = layer.get_weights()
            if len(weights) <= 2:  # a kernel and a bias, as wandb's; other layers are left out
                for suffix, values in zip((".weights", ".bias"), weights, strict=False):
                    histograms[f"parameters/{layer.name}{suffix}"] = Histogram(values)
        return histograms

    def _save_best(self, run: Any, epoch: int, current: float) -> None:
        # Keras 3 saves weights only to a .weights.h5 file.
        name = "model-best.weights.h5" if self.save_weights_only else "model-best.h5"
        path = Path(self._save_dir) / name
        if self.verbose > 0:
            change = f"{self.monitor} improved from {self.best:0.5f} to {current:0.5f}"
            print(f"Epoch {epoch:05d}: {change}, saving {name}")
        if self.save_weights_only:
            self.model.save_weights(path, overwrite=True)
        else:
            self.model.save(path, overwrite=True)
        run.save(str(path), base_path=self._save_dir, policy="now")


def _direction(mode: str, monitor: str) -> tuple[Any, float]:
    # As Keras's (and wandb's) callbacks decide: accuracies and f-measures are maximised, the rest minimised.
    maximise = mode == "max" or (mode != "min" and ("acc" in monitor or monitor.startswith("fmeasure")))
    return (operator.gt, float("-inf")) if maximise else (operator.lt, float("inf"))
