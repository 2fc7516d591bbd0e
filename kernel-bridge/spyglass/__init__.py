"""Spyglass: notebook-native experiment tracking. `import spyglass as wandb` runs common wandb scripts."""

import importlib
from typing import Any

from . import errors  # noqa: F401 - spyglass.errors (wandb.errors) is public
from .api import Api, StoredRun
from .artifacts import Artifact
from .artifacts import artifact as _artifact
from .base.errors import FlushError, RunFinishedError, SpyglassError
from .base.version import __version__ as __version__
from .data_types import Audio, Histogram, Html, Image, Object3D, Table, Video, plot
from .data_types.plot import plot_table
from .llm import autopatch as _llm_autopatch
from .rows.history import StepOrderWarning
from .sweeps import SweepController, TrialStopped, agent, controller, sweep
from .sweeps.trial_context import active_trial
from .traces import attributes, display_traces, finish_traces, init_traces, op
from .traces import current_run as _traces_current_run
from .tracking import session as _session
from .tracking.run_alerts import AlertLevel
from .tracking.run_config import ConfigValueChangeError
from .tracking.run_resume import ResumeError, TornTailWarning
from .tracking.session import init
from .tracking.settings import Settings
from .tracking.tracked_run import Run
from .wandb_compat import internals as _wandb_internals
from .workspace_data.display import Workspace, workspace

# Hooks across floors: a lower floor declares what it needs from above; this module, the top, passes it in.
_session.sweep_trial.provide(active_trial)  # init() inside a sweep trial joins the sweep
_artifact.read_run.provide(StoredRun)  # Artifact.logged_by()/used_by() answer stored runs
_traces_current_run.provide(lambda: _session.current_run)  # @sg.op calls inside a run go to its trace session
_llm_autopatch()  # openai, anthropic and litellm calls are traced while tracing is on (docs/llm.md)

__all__ = [
    "AlertLevel",
    "Api",
    "Artifact",
    "Audio",
    "Histogram",
    "Html",
    "Image",
    "Object3D",
    "Table",
    "Video",
    "ConfigValueChangeError",
    "FlushError",
    "ResumeError",
    "Run",
    "RunFinishedError",
    "Settings",
    "SpyglassError",
    "StepOrderWarning",
    "SweepController",
    "TornTailWarning",
    "TrialStopped",
    "agent",
    "alert",
    "controller",
    "define_metric",
    "display_traces",
    "finish",
    "attributes",
    "finish_traces",
    "init",
    "init_traces",
    "join",
    "link_artifact",
    "link_model",
    "log",
    "log_artifact",
    "log_model",
    "login",
    "mark_preempting",
    "op",
    "plot",
    "plot_table",
    "save",
    "sweep",
    "unwatch",
    "use_artifact",
    "use_model",
    "watch",
    "Workspace",
    "workspace",
    "Dataset",
    "Evaluation",
    "Model",
    "Scorer",
    "compare_evaluations",
]


def log(data: Any, step: int | None = None, commit: bool | None = None) -> None:
    """Log to the current run (the one the last spyglass.init() returned)."""
    run = _session.current_run
    if run is None:
        raise SpyglassError("spyglass.log() needs a run: call spyglass.init() first.")
    run.log(data, step=step, commit=commit)


def finish(exit_code: int | None = None) -> None:
    """Finish the current run (does nothing when there is none)."""
    if _session.current_run is not None:
        _session.current_run.finish(exit_code=exit_code)


def join(exit_code: int | None = None) -> None:
    """wandb.join: an alias of finish()."""
    finish(exit_code=exit_code)


def save(glob_str: Any = None, base_path: Any = None, policy: str = "live") -> Any:
    """run.save on the current run (wandb.save): copy files into the run's files/ directory."""
    return _current_run("save").save(glob_str, base_path=base_path, policy=policy)


def alert(title: str, text: str, level: Any = None, wait_duration: Any = None) -> None:
    """run.alert on the current run (wandb.alert)."""
    _current_run("alert").alert(title, text, level=level, wait_duration=wait_duration)


def log_model(path: Any, name: str | None = None, aliases: Any = None) -> Any:
    """run.log_model on the current run (wandb.log_model)."""
    return _current_run("log_model").log_model(path, name=name, aliases=aliases)


def use_model(name: str) -> str:
    """run.use_model on the current run (wandb.use_model): the model's local path."""
    return _current_run("use_model").use_model(name)


def link_model(path: Any, registered_model_name: str, name: str | None = None, aliases: Any = None) -> Any:
    """run.link_model on the current run (wandb.link_model)."""
    return _current_run("link_model").link_model(path, registered_model_name, name=name, aliases=aliases)


def __getattr__(name: str) -> Any:
    # spyglass.run and spyglass.config follow the current run, as wandb.run and wandb.config do.
    if name == "run":
        return _session.current_run
    if name == "config":
        return _session.current_run.config if _session.current_run is not None else {}
    if name == "summary":
        return getattr(_session.current_run, "summary", None) if _session.current_run is not None else {}
    if name in _WANDB_HELPERS:
        # `import spyglass as wandb` scripts call wandb.termlog(...) and wandb.util.generate_id(); the same
        # objects the `wandb` shim gives, loaded only when used.
        return _wandb_internals if name == "util" else getattr(_wandb_internals, name)
    if name in _EVALS:
        # Evaluations load on first use (sg.Evaluation, sg.Dataset, ...), keeping `import spyglass` lean.
        evals = importlib.import_module(".evals", __name__)
        return evals if name == "evals" else getattr(evals, name)
    if name in _LAZY_SUBMODULES:
        # wandb.sklearn, wandb.xgboost, ... work without their own import; the framework loads only now.
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'spyglass' has no attribute {name!r}")


_LAZY_SUBMODULES = frozenset({"inference", "integration", "keras", "lightgbm", "llm", "sklearn", "xgboost"})
_EVALS = frozenset({"Dataset", "Evaluation", "Model", "Scorer", "compare_evaluations", "evals"})
_WANDB_HELPERS = frozenset({"termlog", "termwarn", "termerror", "Error", "util"})


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    """Tell Jupyter Server where the Spyglass extension lives (imported only when a server loads it)."""
    return [{"module": "spyglass.server"}]


def define_metric(name: str, *args: Any, **kwargs: Any) -> Any:
    """run.define_metric on the current run (wandb.define_metric)."""
    if _session.current_run is None:
        raise SpyglassError("spyglass.define_metric() needs a run: call spyglass.init() first.")
    return _session.current_run.define_metric(name, *args, **kwargs)


def mark_preempting() -> None:
    """Mark the current run as preempting (wandb.mark_preempting)."""
    if _session.current_run is not None:
        _session.current_run.mark_preempting()


def login(*args: Any, **kwargs: Any) -> bool:
    """Accepted for wandb scripts; a local store needs no login. Returns True."""
    return True


def watch(
    models: Any,
    criterion: Any = None,
    log: str | None = "gradients",
    log_freq: int = 1000,
    idx: int | None = None,
    log_graph: bool = False,
) -> None:
    """run.watch on the current run: gradient/parameter histograms of a PyTorch model (wandb.watch)."""
    _current_run("watch").watch(models, criterion, log=log, log_freq=log_freq, idx=idx, log_graph=log_graph)


def unwatch(models: Any = None) -> None:
    """run.unwatch on the current run (wandb.unwatch)."""
    _current_run("unwatch").unwatch(models)


def log_artifact(
    artifact_or_path: Any, name: str | None = None, type: str | None = None, aliases: Any = None
) -> Any:
    """run.log_artifact on the current run (wandb.log_artifact)."""
    return _current_run("log_artifact").log_artifact(artifact_or_path, name=name, type=type, aliases=aliases)


def use_artifact(artifact_or_name: Any, type: str | None = None) -> Any:
    """run.use_artifact on the current run (wandb.use_artifact)."""
    return _current_run("use_artifact").use_artifact(artifact_or_name, type=type)


def link_artifact(artifact: Any, target_path: str, aliases: Any = None, *, force: bool = False) -> str:
    """run.link_artifact on the current run (wandb.link_artifact)."""
    return _current_run("link_artifact").link_artifact(artifact, target_path, aliases=aliases, force=force)


def _current_run(what: str) -> Any:
    if _session.current_run is None:
        raise SpyglassError(f"spyglass.{what}() needs a run: call spyglass.init() first.")
    return _session.current_run
