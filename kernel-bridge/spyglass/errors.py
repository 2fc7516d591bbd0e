"""`spyglass.errors` (`wandb.errors` in `import spyglass as wandb` scripts): every Spyglass exception.

The classes live on the bottom floor (`spyglass.base.errors`); this module is the public path, and it also
answers wandb's own error names, loaded from the wandb-compat module only when a script names them.
"""

from __future__ import annotations

from .base.errors import *  # noqa: F403 - the public path of every Spyglass exception

_WANDB_ERRORS = frozenset({"CommError", "UsageError", "AuthenticationError", "Error"})


def __getattr__(name: str) -> type[Exception]:
    if name in _WANDB_ERRORS:
        from .wandb_compat import internals

        return getattr(internals, name)
    raise AttributeError(f"module 'spyglass.errors' has no attribute {name!r}")
