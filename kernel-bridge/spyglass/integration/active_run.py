"""The run a framework callback logs to (the current run, as wandb's callbacks use `wandb.run`)."""

from __future__ import annotations

from typing import Any

from ..base.errors import SpyglassError
from ..tracking import session


class IntegrationError(SpyglassError):
    """An integration was used without a run, or given something it cannot log."""


def active_run(what: str) -> Any:
    """The current run; raises IntegrationError naming `what` when spyglass.init() was not called."""
    run = session.current_run
    if run is None:
        raise IntegrationError(f"{what} needs a run: call spyglass.init() first.")
    return run


def plain_number(value: Any) -> Any:
    """A 0-d numpy/torch/keras number as a Python int, float or bool (kind kept); anything else as given."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    detach = getattr(value, "detach", None)  # a torch tensor: off the graph and onto the CPU first
    if callable(detach):
        value = detach().cpu()
    try:
        import numpy as np

        array = np.asarray(value)
    except Exception:  # not array-like: let log() judge it
        return value
    if array.ndim == 0 and array.dtype.kind in "biuf":
        return array.item()
    return value
