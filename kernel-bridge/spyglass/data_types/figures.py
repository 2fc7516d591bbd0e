"""Which logged values are matplotlib figures (logged as images, alone or in a list)."""

from __future__ import annotations

from types import ModuleType


def is_figure(value: object) -> bool:
    """A matplotlib Figure, or the `matplotlib.pyplot` module itself (its current figure), as wandb.

    Checked by module name, so matplotlib is never imported here.
    """
    if isinstance(value, ModuleType):
        return value.__name__ == "matplotlib.pyplot"
    cls = type(value)
    return cls.__module__.startswith("matplotlib") and hasattr(value, "savefig")
