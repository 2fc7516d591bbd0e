"""Sweeps: grid, random and Bayesian search with hyperband early termination, the store as the only shared
state (docs/sweeps.md). `spyglass.sweep(config)` creates one, `spyglass.agent(sweep_id, function=...)` runs
it."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from ..tracking import session
from . import bucket_sweep_store  # noqa: F401 - provides the bucket backend of SweepStore (s3:// stores)
from .agent import Agent
from .controller import SweepController, control, create_sweep, find_sweep
from .display import SweepDisplay
from .errors import SweepConfigError, SweepControlError, SweepNotFoundError, TrialStopped
from .messages import SweepWarning
from .snapshot import snapshot

__all__ = [
    "SweepConfigError",
    "SweepControlError",
    "SweepController",
    "SweepNotFoundError",
    "SweepWarning",
    "TrialStopped",
    "agent",
    "control",
    "controller",
    "snapshot",
    "sweep",
]


# wandb.sweep's name for it; `entity` is accepted for wandb scripts and ignored. Displays nothing.
sweep = create_sweep


def agent(
    sweep_id: str,
    function: Callable[[], Any] | None = None,
    entity: str | None = None,
    project: str | None = None,
    count: int | None = None,
    *,
    raise_on_stop: bool = False,
    dir: str | os.PathLike[str] | None = None,  # noqa: A002
) -> int:
    """Run trials of a sweep (wandb.agent): `function()` per trial in this process, or the sweep's program.

    Each trial is a run whose config holds its parameters. Stops after `count` trials, when the sweep has
    none left, or when it is stopped; waits while it is paused. With raise_on_stop=True a trial told to stop
    (hyperband, stop trial) gets TrialStopped from its next log(); otherwise it sees run.should_stop. In a
    notebook the sweep panel is displayed and updated as trials finish. Returns how many trials it ran.
    """
    if count is not None and (isinstance(count, bool) or not isinstance(count, int) or count < 0):
        raise ValueError(f"spyglass.agent(): count must be a non-negative integer or None, got {count!r}")
    sweep_dir = find_sweep(sweep_id, project, dir)
    shown = SweepDisplay(sweep_dir) if session.in_kernel() else None
    if shown is not None:
        shown.show()
    runner = Agent(
        sweep_dir, function, count, raise_on_stop=raise_on_stop, on_change=shown.update if shown else None
    )
    try:
        return runner.run()
    finally:
        if shown is not None:
            shown.update(force=True)


def controller(
    sweep_id: str,
    entity: str | None = None,
    project: str | None = None,
    *,
    dir: str | os.PathLike[str] | None = None,  # noqa: A002
) -> SweepController:
    """A handle to pause, resume or stop a sweep and show its panel (wandb.controller's role, no server)."""
    return SweepController(sweep_id, project, dir)
