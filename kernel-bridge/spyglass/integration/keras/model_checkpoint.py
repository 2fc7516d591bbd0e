"""`WandbModelCheckpoint`: Keras's ModelCheckpoint, also logging each saved checkpoint as a model artifact."""

from __future__ import annotations

import os
from typing import Any

import keras

from ...artifacts import Artifact
from ..active_run import active_run


class WandbModelCheckpoint(keras.callbacks.ModelCheckpoint):
    """Save the model (or its weights) as `keras.callbacks.ModelCheckpoint` does, and log each file it writes.

    The artifact is `run_<run id>_model` (type "model"); each saved checkpoint is a version with the aliases
    `latest` and `epoch_<epoch>` (`epoch_<epoch>_batch_<batch>` when saving every N batches), plus `best` with
    save_best_only=True. Epochs and batches count from 0, as in wandb's aliases. Arguments are Keras's.
    """

    def __init__(
        self,
        filepath: str | os.PathLike[str],
        monitor: str = "val_loss",
        verbose: int = 0,
        save_best_only: bool = False,
        save_weights_only: bool = False,
        mode: str = "auto",
        save_freq: str | int = "epoch",
        initial_value_threshold: float | None = None,
        **kwargs: Any,
    ) -> None:
        kwargs.pop("options", None)  # TensorFlow-only checkpoint options; Keras 3 has none
        active_run("WandbModelCheckpoint()")
        super().__init__(
            filepath=filepath,
            monitor=monitor,
            verbose=verbose,
            save_best_only=save_best_only,
            save_weights_only=save_weights_only,
            mode=mode,
            save_freq=save_freq,
            initial_value_threshold=initial_value_threshold,
            **kwargs,
        )

    def _save_model(self, epoch: int, batch: int | None, logs: dict[str, Any] | None) -> None:
        # Keras decides whether this epoch/batch is saved (save_best_only, monitor); a file that changed on
        # disk is what was saved, and is logged.
        filepath = self._get_file_path(epoch, batch, logs or {})
        before = _file_state(filepath)
        super()._save_model(epoch=epoch, batch=batch, logs=logs)
        if _file_state(filepath) in (before, None):
            return
        aliases = ["latest", f"epoch_{epoch}" if batch is None else f"epoch_{epoch}_batch_{batch}"]
        if self.save_best_only:
            aliases.append("best")
        _log_checkpoint(filepath, aliases)


def _file_state(path: str) -> tuple[int, int, int] | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return (stat.st_mtime_ns, stat.st_size, stat.st_ino)


def _log_checkpoint(filepath: str, aliases: list[str]) -> None:
    run = active_run("WandbModelCheckpoint")
    artifact = Artifact(f"run_{run.id}_model", type="model")
    if os.path.isdir(filepath):
        artifact.add_dir(filepath)
    else:
        artifact.add_file(filepath)
    run.log_artifact(artifact, aliases=aliases)
