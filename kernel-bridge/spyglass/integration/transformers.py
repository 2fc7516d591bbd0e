"""Transformers: `Trainer(..., callbacks=[SpyglassCallback()])` logs a Trainer's config, metrics and model.

Keys follow Transformers' own WandbCallback (`train/loss`, `eval/loss`, `train/global_step`), so a run logged
with `report_to="wandb"` under wandb and one logged with this callback compare key for key.
Importing this module imports Transformers (and torch); `import spyglass` imports neither.
"""

from __future__ import annotations

import os
import tempfile
from typing import Any, Literal

from transformers import TrainerCallback
from transformers.integrations.integration_utils import rewrite_logs

from ..artifacts import Artifact
from .started_run import continued_run, current_or_new_run

# Values the Trainer logs once, at the end of training: summary values, not history (as WandbCallback does).
SINGLE_VALUE_SCALARS = frozenset(
    ("train_runtime", "train_samples_per_second", "train_steps_per_second", "train_loss", "total_flos")
)


class SpyglassCallback(TrainerCallback):
    """Log a Transformers Trainer to a Spyglass run.

    `project` (default $WANDB_PROJECT or "huggingface"), `name` (default the Trainer's run_name), `dir` (the
    store root), `log_model`: False, "end" (the trained model as a "model" artifact, alias "final_model") or
    "checkpoint" (every saved checkpoint); other keyword arguments go to spyglass.init. A run started with
    spyglass.init() before training is used and left running; a run this callback starts is finished when
    training ends and continued by a later `trainer.evaluate()` or `predict()`.
    """

    def __init__(
        self,
        project: str | None = None,
        name: str | None = None,
        dir: str | os.PathLike[str] | None = None,  # noqa: A002 - spyglass.init's name
        log_model: Literal["end", "checkpoint"] | bool = False,
        **init_options: Any,
    ) -> None:
        if log_model not in (False, "end", "checkpoint"):
            raise ValueError(
                f"SpyglassCallback(log_model=...) takes False, 'end' or 'checkpoint', got {log_model!r}"
            )
        self._init_options = {"project": project, "name": name, "dir": dir, **init_options}
        self._log_model = log_model
        self._run: Any = None
        self._started = False
        self._training = False

    @property
    def run(self) -> Any:
        """The run being logged to (None before training starts)."""
        return self._run

    def on_train_begin(self, args: Any, state: Any, control: Any, model: Any = None, **kwargs: Any) -> None:
        self._training = True
        if state.is_world_process_zero:
            self._setup(args, model)

    def on_log(
        self, args: Any, state: Any, control: Any, logs: Any = None, model: Any = None, **kwargs: Any
    ) -> None:
        if not state.is_world_process_zero or not logs:
            return
        run = self._setup(args, model)
        for key in SINGLE_VALUE_SCALARS.intersection(logs):
            run.summary[key] = logs[key]
        history = rewrite_logs({k: v for k, v in logs.items() if k not in SINGLE_VALUE_SCALARS})
        run.log({**history, "train/global_step": state.global_step})

    def on_evaluate(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        self._finish_outside_training()  # trainer.evaluate() after train(): its metrics were logged by on_log

    def on_predict(self, args: Any, state: Any, control: Any, metrics: Any = None, **kwargs: Any) -> None:
        if state.is_world_process_zero and metrics:
            self._setup(args, kwargs.get("model")).log(rewrite_logs(metrics))
        self._finish_outside_training()

    def on_save(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        if self._log_model != "checkpoint" or not state.is_world_process_zero or self._run is None:
            return
        artifact = Artifact(self._model_name(args), type="model", metadata=self._model_metadata())
        artifact.add_dir(os.path.join(args.output_dir, f"checkpoint-{state.global_step}"))
        aliases = [f"epoch_{round(state.epoch or 0, 2)}", f"checkpoint_global_step_{state.global_step}"]
        self._run.log_artifact(artifact, aliases=aliases)

    def on_train_end(self, args: Any, state: Any, control: Any, model: Any = None, **kwargs: Any) -> None:
        self._training = False
        if not state.is_world_process_zero or self._run is None:
            return
        if self._log_model == "end" and model is not None:
            with tempfile.TemporaryDirectory() as saved:
                model.save_pretrained(saved)
                artifact = Artifact(self._model_name(args), type="model", metadata=self._model_metadata())
                artifact.add_dir(saved)
                self._run.log_artifact(artifact, aliases=["final_model"])
        self._finish_outside_training()

    def _finish_outside_training(self) -> None:
        # A run this callback started ends with training, and again after a later evaluate() or predict().
        if not self._training and self._started and self._run is not None and not self._run.finished:
            self._run.finish()

    def _setup(self, args: Any, model: Any) -> Any:
        """The run (started, or continued after training finished it), with the Trainer's config once."""
        if self._run is not None and not (self._started and self._run.finished):
            return self._run
        if self._run is not None:
            self._run = continued_run(self._run, **self._init_options)
            return self._run
        options = dict(self._init_options)
        options["project"] = options["project"] or os.environ.get("WANDB_PROJECT") or "huggingface"
        if options["name"] is None and args.run_name != args.output_dir:
            options["name"] = args.run_name
        self._run, self._started = current_or_new_run(**options)
        self._run.config.update(_trainer_config(args, model), allow_val_change=True)
        num_parameters = getattr(model, "num_parameters", None)
        if callable(num_parameters):
            self._run.config.update({"model/num_parameters": num_parameters()}, allow_val_change=True)
        self._run.define_metric("train/global_step")
        self._run.define_metric("*", step_metric="train/global_step", step_sync=True)
        return self._run

    def _model_name(self, args: Any) -> str:
        named = args.run_name is not None and args.run_name != args.output_dir
        return f"model-{self._run.name}" if named else f"model-{self._run.id}"

    def _model_metadata(self) -> dict[str, Any]:
        numbers = {
            key: value
            for key, value in self._run.summary.items()
            if isinstance(value, (int, float)) and not isinstance(value, bool) and not key.startswith("_")
        }
        return {**numbers, "model/num_parameters": self._run.config.get("model/num_parameters")}


def _trainer_config(args: Any, model: Any) -> dict[str, Any]:
    """TrainingArguments over the model's config (as WandbCallback combines them)."""
    config = getattr(model, "config", None)
    model_config = {} if config is None else config if isinstance(config, dict) else config.to_dict()
    return {**model_config, **args.to_dict()}
