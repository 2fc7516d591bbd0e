"""Spyglass: notebook-native experiment tracking. `import spyglass as wandb` runs common wandb scripts."""

__version__ = "0.1.0"

from typing import Any  # noqa: E402

from .api import Api  # noqa: E402
from .errors import FlushError, RunFinishedError, SpyglassError  # noqa: E402
from .history import StepOrderWarning  # noqa: E402
from .run_config import ConfigValueChangeError  # noqa: E402
from .run_resume import ResumeError, TornTailWarning  # noqa: E402
from .session import init  # noqa: E402
from .settings import Settings  # noqa: E402
from .tracked_run import Run  # noqa: E402

__all__ = [
    "Api",
    "ConfigValueChangeError",
    "FlushError",
    "ResumeError",
    "Run",
    "RunFinishedError",
    "Settings",
    "SpyglassError",
    "StepOrderWarning",
    "TornTailWarning",
    "define_metric",
    "finish",
    "init",
    "log",
    "login",
    "mark_preempting",
    "watch",
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
    if name == "summary":
        return getattr(session.current_run, "summary", None) if session.current_run is not None else {}
    raise AttributeError(f"module 'spyglass' has no attribute {name!r}")


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    """Tell Jupyter Server where the Spyglass extension lives (imported only when a server loads it)."""
    return [{"module": "spyglass.server"}]


def define_metric(name: str, *args: Any, **kwargs: Any) -> Any:
    """run.define_metric on the current run (wandb.define_metric)."""
    from . import session

    if session.current_run is None:
        raise SpyglassError("spyglass.define_metric() needs a run: call spyglass.init() first.")
    return session.current_run.define_metric(name, *args, **kwargs)


def mark_preempting() -> None:
    """Mark the current run as preempting (wandb.mark_preempting)."""
    from . import session

    if session.current_run is not None:
        session.current_run.mark_preempting()


def login(*args: Any, **kwargs: Any) -> bool:
    """Accepted for wandb scripts; a local store needs no login. Returns True."""
    return True


def watch(*args: Any, **kwargs: Any) -> None:
    """Accepted for wandb scripts and ignored: gradient and parameter histograms are not recorded yet."""
    return None
