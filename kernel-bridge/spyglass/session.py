"""The process-wide side of the API: init() with wandb's reinit semantics, the current run, atexit."""

from __future__ import annotations

import atexit
import os
import re
import secrets
import threading
import warnings
from collections.abc import Mapping
from typing import Any, Literal

from .errors import SpyglassError
from .flusher import DEFAULT_FLUSH_INTERVAL
from .run_store import resolve_store_root, validate_name
from .tracked_run import Run

ReinitMode = Literal["default", "return_previous", "finish_previous", "create_new"]
_REINIT_MODES = ("default", "return_previous", "finish_previous", "create_new")
_BASE36 = "0123456789abcdefghijklmnopqrstuvwxyz"
# wandb.init options that Spyglass accepts so wandb scripts run unchanged, and ignores for now.
IGNORED_WANDB_OPTIONS = frozenset(
    (
        "entity", "tags", "notes", "group", "job_type", "mode", "resume", "resume_from", "fork_from",
        "settings", "anonymous", "save_code", "sync_tensorboard", "monitor_gym", "allow_val_change", "magic",
        "config_exclude_keys", "config_include_keys", "force", "tensorboard",
    )
)  # fmt: skip
_RUN_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,127}$")

_lock = threading.RLock()
_live_runs: list[Run] = []
current_run: Run | None = None


class ReinitWarning(UserWarning):
    """init() finished the previous live run before starting a new one."""


def new_run_id() -> str:
    """8 random base36 characters (about 2.8e12 possibilities)."""
    return "".join(secrets.choice(_BASE36) for _ in range(8))


def init(
    project: str | None = None,
    name: str | None = None,
    id: str | None = None,  # noqa: A002 - wandb's name
    config: Mapping[str, Any] | Any | None = None,
    dir: str | os.PathLike[str] | None = None,  # noqa: A002 - wandb's name
    reinit: bool | ReinitMode | None = None,
    *,
    flush_interval: float | None = None,
    **wandb_options: Any,
) -> Run:
    """Start a run: creates <dir>/<project>/<id>/ and returns the Run (also spyglass.run).

    A second init() while a run is live follows wandb: by default (and with reinit="finish_previous" or True)
    the previous run is finished first, with a note; "return_previous" (or False) returns the live run;
    "create_new" keeps both running. wandb options Spyglass does not use (entity, tags, notes, mode, ...)
    are accepted and ignored.
    """
    global current_run
    unknown = sorted(set(wandb_options) - IGNORED_WANDB_OPTIONS)
    if unknown:
        raise TypeError(f"spyglass.init() got unexpected keyword argument(s): {', '.join(unknown)}")
    mode = _reinit_mode(reinit)
    with _lock:
        if _live_runs and mode == "return_previous":
            return _live_runs[-1]
        if _live_runs and mode in ("default", "finish_previous"):
            for previous in list(_live_runs):
                warnings.warn(
                    f"spyglass.init(): finishing the live run '{previous.id}' before starting a new one "
                    "(pass reinit='create_new' to keep several runs live, 'return_previous' to reuse it).",
                    ReinitWarning,
                    stacklevel=2,
                )
                previous.finish()
        project = validate_name("project", project if project is not None else "uncategorized")
        run_id = _check_run_id(id) if id is not None else new_run_id()
        interval = flush_interval if flush_interval is not None else _env_flush_interval()
        if not interval > 0:
            raise ValueError(f"spyglass.init(): flush_interval must be > 0 seconds, got {interval!r}")
        run = Run(
            project=project,
            name=str(name) if name else run_id,
            run_id=run_id,
            config=_config_dict(config),
            root=resolve_store_root(dir),
            flush_interval=interval,
        )
        _live_runs.append(run)
        current_run = run
        return run


def forget_run(run: Run) -> None:
    """Called by Run.finish(): the run is no longer live."""
    global current_run
    with _lock:
        if run in _live_runs:
            _live_runs.remove(run)
        if current_run is run:
            current_run = _live_runs[-1] if _live_runs else None


def live_runs() -> list[Run]:
    with _lock:
        return list(_live_runs)


def _reinit_mode(reinit: object) -> ReinitMode:
    if reinit is None:
        return "default"
    if reinit is True:
        return "finish_previous"
    if reinit is False:
        return "return_previous"
    if reinit in _REINIT_MODES:
        return reinit  # type: ignore[return-value]
    raise ValueError(
        f"spyglass.init(): reinit must be one of {', '.join(_REINIT_MODES)}, True or False; got {reinit!r}"
    )


def _check_run_id(run_id: object) -> str:
    if not isinstance(run_id, str) or not _RUN_ID.match(run_id):
        raise ValueError(
            f"spyglass.init(): run id {run_id!r} is not usable; use 1-128 letters, digits, '_', '-' or '.', "
            "starting with a letter or digit (or leave id out for a random one)."
        )
    return validate_name("run id", run_id)


def _config_dict(config: object) -> dict[str, Any]:
    if config is None:
        return {}
    if isinstance(config, Mapping):
        return dict(config)
    if hasattr(config, "__dict__"):  # argparse.Namespace and simple objects, as wandb accepts
        return dict(vars(config))
    raise TypeError(
        f"spyglass.init(): config must be a dict (or argparse.Namespace), got {type(config).__name__}"
    )


def _env_flush_interval() -> float:
    raw = os.environ.get("SPYGLASS_FLUSH_INTERVAL")
    if not raw:
        return DEFAULT_FLUSH_INTERVAL
    try:
        return float(raw)
    except ValueError:
        raise SpyglassError(f"SPYGLASS_FLUSH_INTERVAL must be a number of seconds, got {raw!r}") from None


@atexit.register
def _finish_live_runs() -> None:
    # A script that never calls finish() still gets its last rows stored and its run marked finished.
    for run in live_runs():
        try:
            run.finish()
        except Exception as error:  # report and go on: other runs must still be finished
            warnings.warn(f"spyglass: finishing run '{run.id}' at exit failed: {error}", stacklevel=1)
