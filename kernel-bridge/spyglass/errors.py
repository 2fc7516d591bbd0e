"""`spyglass.errors` (`wandb.errors` in `import spyglass as wandb` scripts): every Spyglass exception.

The classes live on the bottom floor (`spyglass.base.errors`); this module is the public path, and it also
answers wandb's own error names (`except wandb.errors.CommError:`) from the wandb-compat module.
"""

from __future__ import annotations

from .base.errors import *  # noqa: F403 - the public path of every Spyglass exception
from .wandb_compat import internals as _wandb_internals

_WANDB_ERRORS = frozenset({"CommError", "UsageError", "AuthenticationError", "Error"})


def __getattr__(name: str) -> type[Exception]:
    if name in _WANDB_ERRORS:
        return getattr(_wandb_internals, name)
    raise AttributeError(f"module 'spyglass.errors' has no attribute {name!r}")
