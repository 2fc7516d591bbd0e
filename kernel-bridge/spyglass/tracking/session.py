"""The process-wide side of the API: init() with wandb's reinit semantics, the current run, atexit."""

from __future__ import annotations

import atexit
import os
import secrets
import threading
import warnings
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal, Protocol

from ..base.errors import InvalidNameError
from ..base.hooks import Hook
from ..base.user_warnings import user_stacklevel
from ..data_types import table_display
from ..store.run_store import validate_name
from ..store.store_url import StoreUrl, local_root, parse_store_url
from . import exit_hooks, process_forks
from .disabled_run import DisabledRun
from .environment import _kernel_shell
from .run_config import parse_config
from .run_names import default_run_name
from .run_resume import plan_resume, remember_auto_run, resume_mode
from .settings import Settings, coerce_settings
from .tracked_run import Run

if TYPE_CHECKING:
    from .run_shipping import RunShipping

ReinitMode = Literal["default", "return_previous", "finish_previous", "create_new"]
_REINIT_MODES = ("default", "return_previous", "finish_previous", "create_new")
_BASE36 = "0123456789abcdefghijklmnopqrstuvwxyz"
# wandb.init options that Spyglass accepts so wandb scripts run unchanged, and ignores (see
# docs/migrating-from-wandb.md for why each one has no meaning for a local store).
IGNORED_WANDB_OPTIONS = frozenset(
    (
        "entity", "resume_from", "fork_from", "anonymous", "save_code", "sync_tensorboard", "monitor_gym",
        "magic", "force", "tensorboard",
    )
)  # fmt: skip
_MAX_RUN_ID = 128

_lock = threading.RLock()
_live_runs: list[Run | DisabledRun] = []
current_run: Run | DisabledRun | None = None


def _take_inherited_runs() -> list[Run | DisabledRun]:
    # In a forked child: the parent's runs are not this process's (process_forks.py). The lock may have been
    # held by another thread of the parent at the fork, and would stay held forever: start fresh.
    global _lock, current_run
    _lock = threading.RLock()
    inherited = list(_live_runs)
    _live_runs.clear()
    current_run = None
    return inherited


process_forks.install(_take_inherited_runs)  # a forked child forgets the runs it inherited
table_display.current_run_dir.provide(lambda: getattr(current_run, "dir", None) or None)


class SweepTrial(Protocol):
    """The sweep trial an init() runs in (sweeps/trial_context.py): its run joins the sweep."""

    def reuse(self, config: Any) -> Run | None: ...

    def init_arguments(self, run_id: str | None) -> tuple[str, str | None, str]: ...

    def attach(self, run: Run) -> None: ...


def _no_sweep_trial() -> SweepTrial | None:
    return None


# The sweep trial an init() runs in, if any: the facade provides the sweeps floor's `active_trial`.
sweep_trial: Hook[[], SweepTrial | None] = Hook(_no_sweep_trial)


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
    group: str | None = None,
    job_type: str | None = None,
    tags: Sequence[str] | None = None,
    notes: str | None = None,
    config_exclude_keys: Sequence[str] | None = None,
    config_include_keys: Sequence[str] | None = None,
    allow_val_change: bool | None = None,
    mode: str | None = None,
    resume: bool | str | None = None,
    settings: Settings | Mapping[str, Any] | None = None,
    flush_interval: float | None = None,
    display: bool | None = None,
    **wandb_options: Any,
) -> Run | DisabledRun:
    """Start (or resume) a run: creates <dir>/<project>/<id>/ and returns the Run (also spyglass.run).

    Parameters follow wandb.init (docs/python-run-api.md). A second init() while a run is live follows
    wandb's reinit: by default (and with "finish_previous" or True) the previous run is finished first, with a
    note; "return_previous" (or False) returns the live run; "create_new" keeps both running.
    mode="disabled" returns a DisabledRun that accepts every call and records nothing; "offline" stores the
    run without opening a comm. resume="allow" | "must" | "never" | "auto" continues a stored run.
    In a notebook the run's live panel is shown in the calling cell, as wandb shows its run widget;
    display=False (or SPYGLASS_DISPLAY=0) turns that off.
    """
    global current_run
    unknown = sorted(set(wandb_options) - IGNORED_WANDB_OPTIONS)
    if unknown:
        raise TypeError(f"spyglass.init() got unexpected keyword argument(s): {', '.join(unknown)}")
    chosen = coerce_settings(settings).with_overrides(
        mode=mode, flush_interval=flush_interval, display=display
    )
    reinit_mode = _reinit_mode(reinit)
    resume_how = resume_mode(resume)
    # Inside a sweep trial (sweeps/trial_context.py) the run joins the sweep: its project and store, its run.
    trial = sweep_trial() if chosen.mode != "disabled" else None
    if trial is not None:
        reused = trial.reuse(config)
        if reused is not None:
            return reused
        project, id, dir = trial.init_arguments(id)  # noqa: A001
        reinit_mode = "create_new"
    if id is None:
        id = os.environ.get("SPYGLASS_RUN_ID") or os.environ.get("WANDB_RUN_ID") or None  # noqa: A001
    # Bad arguments are refused before anything happens to the live runs.
    project = validate_name("project", project if project is not None else "uncategorized")
    run_id = check_run_id(id) if id is not None else None
    items = parse_config(config, config_include_keys, config_exclude_keys)
    with _lock:
        if _live_runs and reinit_mode == "return_previous":
            return _live_runs[-1]
        if _live_runs and reinit_mode in ("default", "finish_previous"):
            for previous in list(_live_runs):
                warnings.warn(
                    f"spyglass.init(): finishing the live run '{previous.id}' before starting a new one "
                    "(pass reinit='create_new' to keep several runs live, 'return_previous' to reuse it).",
                    ReinitWarning,
                    stacklevel=user_stacklevel(),
                )
                previous.finish()
        if chosen.mode == "disabled":
            run: Run | DisabledRun = _disabled_run(
                project, name, run_id, items, chosen, group, job_type, tags, notes
            )
        else:
            run = _tracked_run(
                project, name, run_id, items, dir, chosen, resume_how,
                group=group, job_type=job_type, tags=tags, notes=notes,
                allow_val_change=_allow_val_change(allow_val_change),
            )  # fmt: skip
            if not in_kernel():  # a kernel reports a cell's exception itself and the run goes on
                exit_hooks.install(_finish_live_runs_failed)
            process_forks.finish_runs_at_child_exit(_finish_live_runs)
            if trial is not None:
                trial.attach(run)
        _live_runs.append(run)
        current_run = run
    # A sweep trial's run is shown by the sweep panel, not once per trial.
    if isinstance(run, Run) and trial is None and chosen.display and in_kernel():
        _show(run)
    return run


def _show(run: Run) -> None:
    try:
        run.display()
    except Exception as error:  # the run is started and logging; a failed picture must not undo that
        message = f"spyglass.init(): could not show run '{run.id}' in the cell: {error}"
        warnings.warn(message, stacklevel=user_stacklevel())


def _tracked_run(
    project: str,
    name: str | None,
    run_id: str | None,
    items: dict[str, Any],
    dir: str | os.PathLike[str] | None,  # noqa: A002
    settings: Settings,
    resume_how: str | None,
    **metadata: Any,
) -> Run:
    url = parse_store_url(dir)
    root = local_root(url)
    project_dir = root / project
    # An s3:// store: the bucket is checked and the run's lease claimed before anything is written.
    shipping = _connect_bucket(url, project, settings) if url.is_remote else None
    try:
        if shipping is not None and (run_id is not None or resume_how != "auto"):
            run_id = run_id or new_run_id()  # noqa: A001
            shipping.claim(run_id)
        run_id, resume_point = plan_resume(project_dir, run_id, resume_how)
        if run_id is None:
            run_id = new_run_id()
        if shipping is not None and shipping.lease is None:
            shipping.claim(run_id)  # resume="auto" picked the run
        if resume_point is None and not name:
            name = default_run_name(project_dir)
        run = Run(
            project=project,
            name=name or "",
            run_id=run_id,
            config=items,
            root=root,
            flush_interval=settings.flush_interval,
            settings=settings,
            resume=resume_point,
            on_finish=forget_run,
            shipping=shipping,
            **metadata,
        )
    except BaseException:
        if shipping is not None:
            shipping.abandon()
        raise
    if resume_how == "auto":
        remember_auto_run(project_dir, run_id)
    return run


def _connect_bucket(url: StoreUrl, project: str, settings: Settings) -> RunShipping:
    from .run_shipping import RunShipping  # the bucket layer, only for s3:// stores

    return RunShipping.connect(
        url, project, interval=settings.segment_interval, limit_mb=settings.spool_limit_mb
    )


def _disabled_run(
    project: str,
    name: str | None,
    run_id: str | None,
    items: dict[str, Any],
    settings: Settings,
    group: str | None,
    job_type: str | None,
    tags: Sequence[str] | None,
    notes: str | None,
) -> DisabledRun:
    run_id = run_id or new_run_id()
    return DisabledRun(
        project=project, name=name or run_id, run_id=run_id, config=items, settings=settings,
        group=group, job_type=job_type, tags=tuple(tags or ()), notes=notes, on_finish=forget_run,
    )  # fmt: skip


def forget_run(run: Run | DisabledRun) -> None:
    """Called by Run.finish(): the run is no longer live."""
    global current_run
    with _lock:
        if run in _live_runs:
            _live_runs.remove(run)
        if current_run is run:
            current_run = _live_runs[-1] if _live_runs else None


def live_runs() -> list[Run | DisabledRun]:
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


def check_run_id(run_id: object) -> str:
    """Return `run_id` if usable (wandb's rule: none of / \\ # ? % :, plus the store's name rules)."""
    if not isinstance(run_id, str):
        raise InvalidNameError(f"spyglass.init(): run id must be a string, got {type(run_id).__name__}")
    bad = sorted({ch for ch in run_id if ch in "/\\#?%:"})
    if bad:
        raise InvalidNameError(
            f"spyglass.init(): run id {run_id!r} contains {' '.join(bad)}; run ids cannot contain "
            "/ \\ # ? % : (they are directory names and appear in URLs). Pick another id."
        )
    if len(run_id) > _MAX_RUN_ID:
        raise InvalidNameError(
            f"spyglass.init(): run id {run_id[:20]!r}... is {len(run_id)} characters; at most {_MAX_RUN_ID}."
        )
    return validate_name("run id", run_id)


def _allow_val_change(given: bool | None) -> bool:
    # As wandb: config values may change freely in a Jupyter kernel (cells are re-run), not in a script.
    if given is not None:
        return bool(given)
    return in_kernel()


@atexit.register
def _finish_live_runs() -> None:
    # A script that never calls finish() still gets its last rows stored and its run marked finished (or
    # failed, when the script ended with sys.exit(n) for a non-zero n).
    _finish_all(exit_hooks.exit_code or None)


def _finish_live_runs_failed(exit_code: int) -> None:
    """An uncaught exception ended the script: its live runs are failed."""
    _finish_all(exit_code)


def _finish_all(exit_code: int | None) -> None:
    for run in live_runs():
        try:
            run.finish(exit_code=exit_code)
        except Exception as error:  # report and go on: other runs must still be finished
            warnings.warn(f"spyglass: finishing run '{run.id}' at exit failed: {error}", stacklevel=1)


def in_kernel() -> bool:
    """True inside a Jupyter (IPython) kernel."""
    return _kernel_shell() is not None
