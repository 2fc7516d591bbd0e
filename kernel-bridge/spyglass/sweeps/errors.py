"""Exceptions of sweeps. All derive from SpyglassError, so `except spyglass.SpyglassError` catches them."""

from __future__ import annotations

from ..base.errors import SpyglassError, StoreError


class SweepConfigError(SpyglassError, ValueError):
    """A sweep config does not follow the schema; `problems` lists every mistake found, one per line."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        if len(self.problems) == 1:
            text = f"invalid sweep config: {self.problems[0]}"
        else:
            text = f"invalid sweep config ({len(self.problems)} problems):\n" + "\n".join(
                f"  - {problem}" for problem in self.problems
            )
        super().__init__(text)

    def __reduce__(self):
        return (type(self), (self.problems,))


class SweepNotFoundError(StoreError, LookupError):
    """No sweep with this id exists in the store (or in the given project)."""


class SweepControlError(SpyglassError, ValueError):
    """A control action (pause, resume, stop, stop_trial) that is unknown or cannot apply."""


class TrialStopped(SpyglassError):  # noqa: N818 - named for what happened, as wandb users expect
    """Raised by run.log() in a sweep trial that was told to stop, when the agent was started with
    raise_on_stop=True (`spyglass agent --raise-on-stop`). Without that opt-in the trial only sees
    run.should_stop become True. The agent catches it and records the trial as stopped early, not failed.
    """
