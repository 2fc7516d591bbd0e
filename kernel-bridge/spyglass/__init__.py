"""Spyglass: notebook-native experiment tracking. `import spyglass as wandb` runs common wandb scripts."""

__version__ = "0.1.0"

from typing import Any  # noqa: E402

from .errors import FlushError, RunFinishedError, SpyglassError  # noqa: E402
from .history import StepOrderWarning  # noqa: E402
from .session import init  # noqa: E402
from .tracked_run import Run  # noqa: E402

__all__ = [
    "FlushError",
    "Run",
    "RunFinishedError",
    "SpyglassError",
    "StepOrderWarning",
    "finish",
    "init",
    "log",
]


def log(data: Any, step: int | None = None, commit: bool | None = None) -> None:
    """Log to the current run (the one the last spyglass.init() returned)."""
    from . import session

    run = session.current_run
    if run is None:
        raise SpyglassError("spyglass.log() needs a run: call spyglass.init() first.")
    run.log(data, step=step, commit=commit)


def finish(exit_code: int | None = None) -> None:
    """Finish the current run (does nothing when there is none)."""
    from . import session

    if session.current_run is not None:
        session.current_run.finish(exit_code=exit_code)


def __getattr__(name: str) -> Any:
    # spyglass.run and spyglass.config follow the current run, as wandb.run and wandb.config do.
    from . import session

    if name == "run":
        return session.current_run
    if name == "config":
        return session.current_run.config if session.current_run is not None else {}
    raise AttributeError(f"module 'spyglass' has no attribute {name!r}")


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    """Tell Jupyter Server where the Spyglass extension lives (imported only when a server loads it)."""
    return [{"module": "spyglass.server"}]
