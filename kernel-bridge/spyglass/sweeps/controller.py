"""Creating a sweep, finding one by id, and controlling it (pause, resume, stop, stop one trial)."""

from __future__ import annotations

import json
import os
import secrets
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from ..store.remote_root import bucket_of
from ..store.run_store import resolve_store_root, validate_name
from .display import sweep_bundle
from .errors import SweepControlError, SweepNotFoundError
from .prior_runs import import_prior_runs
from .schema import parse_config
from .snapshot import snapshot, sweep_state
from .store import LIVE_TRIAL_STATES, SWEEPS_DIR, SweepStore

ACTIONS = ("pause", "resume", "stop", "stop_trial")
_BASE36 = "0123456789abcdefghijklmnopqrstuvwxyz"


def create_sweep(
    sweep: Mapping[str, Any] | str | os.PathLike[str],
    entity: str | None = None,
    project: str | None = None,
    prior_runs: Iterable[str] | None = None,
    *,
    dir: str | os.PathLike[str] | None = None,  # noqa: A002 - init's name for the store root
) -> str:
    """Create a sweep from a wandb sweep config (dict or YAML path) and return its id (wandb.sweep).

    Validates the config and creates <root>/<project>/.sweeps/<id>/. `entity` is accepted for wandb scripts
    and ignored. `prior_runs` (run ids of the project) enter as finished trials. Displays nothing;
    `spyglass.agent` shows the sweep panel.
    """
    config = parse_config(sweep)
    project = validate_name(
        "project",
        project or config.project or os.environ.get("SPYGLASS_PROJECT") or os.environ.get("WANDB_PROJECT")
        or "uncategorized",
    )  # fmt: skip
    root = resolve_store_root(dir)
    sweeps = root / project / SWEEPS_DIR
    sweeps.mkdir(parents=True, exist_ok=True)
    seed = config.seed if config.seed is not None else secrets.randbelow(2**31)
    while True:
        sweep_id = "".join(secrets.choice(_BASE36) for _ in range(8))
        meta = {
            "format": 1,
            "id": sweep_id,
            "project": project,
            "name": config.name,
            "created_at": time.time(),
            "seed": seed,
            "config": json.loads(json.dumps(config.raw, default=str)),
        }
        try:
            store = SweepStore.create(sweeps / sweep_id, meta)  # locally or in the bucket of an s3:// store
        except FileExistsError:
            continue
        break
    if prior_runs:
        import_prior_runs(store, config, root / project, prior_runs)
    return sweep_id


def find_sweep(
    sweep_id: str,
    project: str | None = None,
    dir: str | os.PathLike[str] | None = None,  # noqa: A002
) -> Path:
    """The directory of sweep `sweep_id` ("id", "project/id", "entity/project/id" or the directory itself)."""
    if not isinstance(sweep_id, str) or not sweep_id:
        raise SweepNotFoundError(f"a sweep id is a non-empty string, got {sweep_id!r}")
    if os.path.isabs(sweep_id) and os.path.isdir(sweep_id):
        return SweepStore.open(sweep_id).path
    parts = sweep_id.split("/")
    sweep_id = parts[-1]
    if len(parts) >= 2 and project is None:
        project = parts[-2]
    root = resolve_store_root(dir)
    bucket = bucket_of(root)
    if project is not None:
        candidates = [root / project / SWEEPS_DIR / sweep_id]
    elif "*" in sweep_id:
        candidates = []
    elif bucket is not None:
        projects = [name for name in sorted(bucket.list_dirs("")) if not name.startswith(".")]
        candidates = [root / name / SWEEPS_DIR / sweep_id for name in projects]
    else:
        candidates = sorted(root.glob(f"*/{SWEEPS_DIR}/{sweep_id}"))
    for candidate in candidates:
        if SweepStore.at(candidate).exists():
            return candidate
    where = f"project '{project}'" if project is not None else "any project"
    raise SweepNotFoundError(
        f"no sweep '{sweep_id}' in {where} under {root}; create one with spyglass.sweep(config) "
        "(`spyglass sweep CONFIG.yaml`), or give the project and the store (--project, --dir, $SPYGLASS_DIR)"
    )


def control(sweep_dir: str | os.PathLike[str], action: str, trial: int | None = None) -> dict[str, Any]:
    """Pause, resume or stop the sweep, or stop one live trial; returns {"ok": True, "state": sweep state}."""
    store = SweepStore.open(sweep_dir)
    state = store.control_state()
    if action not in ACTIONS:
        raise SweepControlError(f"unknown sweep action {action!r}; expected one of {', '.join(ACTIONS)}")
    if action == "pause":
        if state == "stopped":
            raise SweepControlError("the sweep is stopped; resume it before pausing")
        store.set_control_state("paused")
    elif action == "resume":
        store.set_control_state("running")
    elif action == "stop":
        store.set_control_state("stopped")
    else:
        if isinstance(trial, bool) or not isinstance(trial, int):
            raise SweepControlError(f"stop_trial needs the trial index (an integer), got {trial!r}")
        record = next((t for t in store.all_trials() if t["index"] == trial), None)
        if record is None:
            raise SweepControlError(f"the sweep has no trial {trial}")
        if record.get("state") not in LIVE_TRIAL_STATES:
            raise SweepControlError(f"trial {trial} is {record.get('state')}, not running; nothing to stop")
        store.request_stop(trial, "stopped by user", "stopped")

    return {"ok": True, "state": sweep_state(store)}


class SweepController:
    """A handle on one sweep: control it, read its snapshot, and show its panel (spyglass.controller)."""

    def __init__(
        self, sweep_id: str, project: str | None = None, dir: str | os.PathLike[str] | None = None
    ) -> None:  # noqa: A002
        self.sweep_dir = find_sweep(sweep_id, project, dir)
        self.id = self.sweep_dir.name

    def pause(self) -> dict[str, Any]:
        return control(self.sweep_dir, "pause")

    def resume(self) -> dict[str, Any]:
        return control(self.sweep_dir, "resume")

    def stop(self) -> dict[str, Any]:
        return control(self.sweep_dir, "stop")

    def stop_trial(self, trial: int) -> dict[str, Any]:
        return control(self.sweep_dir, "stop_trial", trial)

    def snapshot(self) -> dict[str, Any]:
        return snapshot(self.sweep_dir)

    @property
    def state(self) -> str:
        return self.snapshot()["sweep"]["state"]

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        return sweep_bundle(self.sweep_dir)

    def __repr__(self) -> str:
        return f"<spyglass SweepController {self.id} dir={str(self.sweep_dir)!r}>"
