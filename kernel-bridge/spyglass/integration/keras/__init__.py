"""Keras 3 callbacks under wandb's names (and Spyglass ones): metrics, checkpoints as artifacts, eval tables.

    model.fit(x, y, validation_data=(vx, vy), callbacks=[WandbMetricsLogger(log_freq=10),
                                                         WandbModelCheckpoint("models/model.keras")])

Any Keras 3 backend works (the tests use torch). Importing this module imports Keras. `WandbCallback` is
wandb's original Keras callback, for scripts written for it.
"""

from .eval_callback import WandbEvalCallback
from .legacy_callback import WandbCallback
from .metrics_logger import WandbMetricsLogger
from .model_checkpoint import WandbModelCheckpoint

SpyglassMetricsLogger = WandbMetricsLogger
SpyglassModelCheckpoint = WandbModelCheckpoint
SpyglassEvalCallback = WandbEvalCallback

__all__ = [
    "SpyglassEvalCallback",
    "SpyglassMetricsLogger",
    "SpyglassModelCheckpoint",
    "WandbCallback",
    "WandbEvalCallback",
    "WandbMetricsLogger",
    "WandbModelCheckpoint",
]
