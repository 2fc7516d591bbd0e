"""`WandbMetricsLogger`: Keras's logs to the run, per epoch (`epoch/*`) and per batch (`batch/*`)."""

from __future__ import annotations

from typing import Any, Literal

import keras

from ..active_run import active_run, plain_number


class WandbMetricsLogger(keras.callbacks.Callback):
    """Log what `model.fit` reports, with the learning rate, under wandb's keys.

    Every epoch: `epoch/<name>` for each of Keras's logs (`epoch/loss`, `epoch/val_accuracy`, ...),
    `epoch/epoch` (from 0) and `epoch/learning_rate`, charted against `epoch/epoch`.
    With log_freq="batch" (or an int N): also `batch/<name>`, `batch/batch_step` and `batch/learning_rate`
    every N batches of an epoch, charted against `batch/batch_step` (up by N per logged batch, as wandb's).
    initial_global_step: the optimizer step training resumes from (a learning rate schedule is read there).
    """

    def __init__(
        self,
        log_freq: Literal["epoch", "batch"] | int = "epoch",
        initial_global_step: int = 0,
        *args: Any,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        run = active_run("WandbMetricsLogger()")
        if log_freq == "batch":
            log_freq = 1
        if not (log_freq == "epoch" or (isinstance(log_freq, int) and log_freq > 0)):
            raise ValueError(
                f"WandbMetricsLogger log_freq must be 'epoch', 'batch' or an int > 0, got {log_freq!r}"
            )
        self.logging_batch_wise = isinstance(log_freq, int)
        self.log_freq: int | None = log_freq if isinstance(log_freq, int) else None
        self.global_batch = 0
        self.global_step = initial_global_step
        if self.logging_batch_wise:
            run.define_metric("batch/batch_step")
            run.define_metric("batch/*", step_metric="batch/batch_step")
        else:
            run.define_metric("epoch/epoch")
            run.define_metric("epoch/*", step_metric="epoch/epoch")

    def on_epoch_end(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        row = {f"epoch/{key}": plain_number(value) for key, value in (logs or {}).items()}
        row["epoch/epoch"] = epoch
        self._add_learning_rate(row, "epoch/learning_rate")
        active_run("WandbMetricsLogger").log(row)

    def on_train_batch_end(self, batch: int, logs: dict[str, Any] | None = None) -> None:
        self.global_step += 1
        if self.log_freq is None or batch % self.log_freq != 0:
            return
        row = {f"batch/{key}": plain_number(value) for key, value in (logs or {}).items()}
        row["batch/batch_step"] = self.global_batch
        self._add_learning_rate(row, "batch/learning_rate")
        active_run("WandbMetricsLogger").log(row)
        self.global_batch += self.log_freq

    def _add_learning_rate(self, row: dict[str, Any], key: str) -> None:
        rate = _learning_rate(self.model, self.global_step)
        if rate is not None:
            row[key] = rate


def _learning_rate(model: Any, step: int) -> float | None:
    # Keras 3 evaluates a schedule at the optimizer's own step when `learning_rate` is read; a Keras 2 style
    # schedule object is called with the step counted here.
    optimizer = getattr(model, "optimizer", None)
    if optimizer is None:
        return None
    rate = optimizer.learning_rate
    try:
        if callable(rate) and not hasattr(rate, "shape"):
            rate = rate(step)
        return float(keras.ops.convert_to_numpy(rate))
    except (TypeError, ValueError):
        return None
