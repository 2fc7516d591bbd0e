"""Lightning: `Trainer(logger=SpyglassLogger(project=...))` logs metrics, hyperparameters and checkpoints.

Importing this module imports Lightning (and torch); `import spyglass` imports neither.
"""

from __future__ import annotations

import os
from argparse import Namespace
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from lightning.fabric.utilities.logger import _add_prefix, _convert_params, _sanitize_callable_params
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers.logger import Logger, rank_zero_experiment
from lightning.pytorch.loggers.utilities import _scan_checkpoints
from lightning.pytorch.utilities.rank_zero import rank_zero_only

from ..artifacts import Artifact
from ..data_types import Audio, Image, Table, Video
from ..store.run_store import resolve_store_root
from ..tracking.session import new_run_id
from .started_run import continued_run, current_or_new_run

# ModelCheckpoint settings kept in a checkpoint artifact's metadata (as Lightning's WandbLogger does).
_CHECKPOINT_SETTINGS = (
    "monitor",
    "mode",
    "save_last",
    "save_top_k",
    "save_weights_only",
    "_every_n_train_steps",
)


class SpyglassLogger(Logger):
    """A Lightning logger writing to a Spyglass run; its arguments follow Lightning's WandbLogger.

    `project` (default "lightning_logs"), `name`, `version` (the run id; an existing run is continued),
    `save_dir` (the store root: default $SPYGLASS_DIR or ./spyglass), `log_model` (False, True: checkpoints
    at the end of training, "all": every checkpoint as it is saved; logged as "model" artifacts with the
    aliases "latest" and "best"), `prefix` for every metric key; other keyword arguments go to spyglass.init
    (group, tags, notes, config, mode, settings...). A run started with spyglass.init() before is used as is.

    Metrics are logged at Lightning's global step (`_step`). The run is finished when training ends
    (failed if it raised) and continued by a later `trainer.test()` or `fit()` with the same logger.
    Checkpoints go to `<store>/<project>/<run id>/checkpoints`, beside the run's history.
    """

    LOGGER_JOIN_CHAR = "-"

    def __init__(
        self,
        name: str | None = None,
        save_dir: str | os.PathLike[str] | None = None,
        version: str | None = None,
        offline: bool = False,
        dir: str | os.PathLike[str] | None = None,  # noqa: A002 - WandbLogger's name, same as save_dir
        id: str | None = None,  # noqa: A002 - WandbLogger's name, same as version
        project: str | None = None,
        log_model: Literal["all"] | bool = False,
        prefix: str = "",
        checkpoint_name: str | None = None,
        **init_options: Any,
    ) -> None:
        super().__init__()
        if log_model not in (True, False, "all"):
            raise ValueError(f"SpyglassLogger(log_model=...) takes True, False or 'all', got {log_model!r}")
        chosen_dir = save_dir if save_dir is not None else dir
        self._save_dir = str(resolve_store_root(chosen_dir))
        self._project = project or os.environ.get("WANDB_PROJECT") or "lightning_logs"
        self._name = name
        self._id = version or id or new_run_id()
        self._init_options = {"mode": "offline" if offline else None, **init_options}
        self._log_model = log_model
        self._prefix = prefix
        self._checkpoint_name = checkpoint_name
        self._run: Any = None
        self._started = False  # whether this logger started the run (and so finishes it)
        self._logged_checkpoints: dict[str, float] = {}  # path -> mtime when logged
        self._pending_checkpoints: dict[int, ModelCheckpoint] = {}

    @property
    @rank_zero_experiment
    def experiment(self) -> Any:
        """The spyglass Run (started on first use; continued after training finished it)."""
        if self._run is None:
            self._run, self._started = current_or_new_run(
                project=self._project, name=self._name, id=self._id, dir=self._save_dir, resume="allow",
                **self._init_options,
            )  # fmt: skip
        elif self._started and self._run.finished:
            self._run = continued_run(self._run, **self._init_options)
        return self._run

    @property
    def name(self) -> str:
        """The project (Lightning puts checkpoints under save_dir/name/version)."""
        return self._run.project if self._run is not None else self._project

    @property
    def version(self) -> str:
        """The run id."""
        return self._run.id if self._run is not None else self._id

    @property
    def save_dir(self) -> str:
        """The store root."""
        return self._save_dir

    @rank_zero_only
    def log_hyperparams(self, params: dict[str, Any] | Namespace, *args: Any, **kwargs: Any) -> None:
        """Into run.config (values may change, as Lightning re-logs hyperparameters per fit)."""
        params = _sanitize_callable_params(_convert_params(params))
        self.experiment.config.update(params, allow_val_change=True)

    @rank_zero_only
    def log_metrics(self, metrics: Mapping[str, float], step: int | None = None) -> None:
        """One row at `step` (Lightning's global step); rows of one step merge."""
        run = self.experiment
        metrics = _add_prefix(dict(metrics), self._prefix, self.LOGGER_JOIN_CHAR)
        # A continued run (test() after fit()) starts after its last stored step, where Lightning's step is.
        if step is not None and step < run.step:
            step = None
        run.log(metrics, step=step)

    @rank_zero_only
    def log_table(
        self,
        key: str,
        columns: list[str] | None = None,
        data: list[list[Any]] | None = None,
        dataframe: Any = None,
        step: int | None = None,
    ) -> None:
        """A spyglass.Table under `key` (WandbLogger.log_table's arguments)."""
        self.log_metrics({key: Table(columns=columns, data=data, dataframe=dataframe)}, step)

    log_text = log_table  # as in WandbLogger: text samples are a table

    @rank_zero_only
    def log_image(self, key: str, images: list[Any], step: int | None = None, **kwargs: Any) -> None:
        """A list of spyglass.Image under `key`; each keyword is a list of one value per image (`caption`)."""
        self._log_media_list(Image, key, images, step, kwargs)

    @rank_zero_only
    def log_audio(self, key: str, audios: list[Any], step: int | None = None, **kwargs: Any) -> None:
        """A list of spyglass.Audio under `key` (`sample_rate`, `caption`: one value per item)."""
        self._log_media_list(Audio, key, audios, step, kwargs)

    @rank_zero_only
    def log_video(self, key: str, videos: list[Any], step: int | None = None, **kwargs: Any) -> None:
        """A list of spyglass.Video under `key` (`caption`, `fps`, `format`: one value per item)."""
        self._log_media_list(Video, key, videos, step, kwargs)

    def _log_media_list(
        self, media_type: type, key: str, items: list[Any], step: int | None, kwargs: dict[str, list[Any]]
    ) -> None:
        # WandbLogger's checks and messages, so code written against it fails the same way.
        if not isinstance(items, list):
            raise TypeError(f'Expected a list as "{media_type.__name__.lower()}s", found {type(items)}')
        for name, values in kwargs.items():
            if len(values) != len(items):
                raise ValueError(f"Expected {len(items)} items but only found {len(values)} for {name}")
        per_item = [{name: values[i] for name, values in kwargs.items()} for i in range(len(items))]
        media = [media_type(item, **options) for item, options in zip(items, per_item, strict=True)]
        self.log_metrics({key: media}, step)  # type: ignore[dict-item]  # log() takes lists of media

    def watch(self, model: Any, log: str = "gradients", log_freq: int = 100, log_graph: bool = True) -> None:
        """Gradient and parameter histograms of a torch model (spyglass.watch)."""
        self.experiment.watch(model, log=log, log_freq=log_freq, log_graph=log_graph)

    def after_save_checkpoint(self, checkpoint_callback: ModelCheckpoint) -> None:
        if self._log_model == "all" or (self._log_model is True and checkpoint_callback.save_top_k == -1):
            self._log_checkpoints(checkpoint_callback)
        elif self._log_model is True:
            self._pending_checkpoints[id(checkpoint_callback)] = checkpoint_callback

    @rank_zero_only
    def finalize(self, status: str) -> None:
        """Training ended: log pending checkpoints, then finish the run this logger started.

        "success" finishes it, "failed" (an exception) marks it failed, "finished" (SLURM requeue) marks it
        preempting so that the requeued job continues it.
        """
        if self._run is None:
            return
        if status == "success":
            for checkpoint_callback in self._pending_checkpoints.values():
                self._log_checkpoints(checkpoint_callback)
        if self._run.finished:
            return
        if not self._started:
            self._run.flush()  # the user's own run: theirs to finish
            return
        if status == "finished":
            self._run.mark_preempting()
            self._run.flush()
        else:
            self._run.finish(exit_code=0 if status == "success" else 1)

    def _log_checkpoints(self, checkpoint_callback: ModelCheckpoint) -> None:
        run = self.experiment
        for mtime, path, score, _tag in _scan_checkpoints(checkpoint_callback, self._logged_checkpoints):
            settings = {
                k: getattr(checkpoint_callback, k)
                for k in _CHECKPOINT_SETTINGS
                if hasattr(checkpoint_callback, k)
            }
            metadata = {
                "score": score.item() if hasattr(score, "item") else score,
                "original_filename": Path(path).name,
                checkpoint_callback.__class__.__name__: settings,  # type() gives Lightning's proxy type
            }
            artifact = Artifact(self._checkpoint_name or f"model-{run.id}", type="model", metadata=metadata)
            artifact.add_file(path, name="model.ckpt")
            best = path == checkpoint_callback.best_model_path
            run.log_artifact(artifact, aliases=["latest", "best"] if best else ["latest"])
            self._logged_checkpoints[path] = mtime
