"""The wandb-internal names that framework loggers import, as Spyglass objects.

Lightning's WandbLogger checks `isinstance(run, (wandb.wandb_run.Run, wandb.sdk.lib.RunDisabled))`;
Transformers' WandbCallback catches `wandb.sdk.lib.config_util.ConfigError` and calls `wandb.termwarn`;
scripts catch `wandb.errors.CommError` and call `wandb.util.generate_id()`. The shim's `wandb.sdk`,
`wandb.sdk.lib`, `wandb.sdk.lib.config_util`, `wandb.wandb_run`, `wandb.errors` and `wandb.util` modules
re-export this one.
"""

from __future__ import annotations

import secrets
import string
import sys
import threading

from ..base.errors import SpyglassError
from ..tracking.disabled_run import DisabledRun
from ..tracking.run_config import ConfigValueChangeError
from ..tracking.settings import Settings
from ..tracking.tracked_run import Run

__all__ = [
    "AuthenticationError",
    "CommError",
    "ConfigError",
    "Error",
    "Run",
    "RunDisabled",
    "Settings",
    "UsageError",
    "generate_id",
    "termerror",
    "termlog",
    "termwarn",
]

# A disabled run (init(mode="disabled")) is what wandb calls RunDisabled.
RunDisabled = DisabledRun
# wandb raises ConfigError when a config value changes without allow_val_change; Spyglass raises this.
ConfigError = ConfigValueChangeError
Error = SpyglassError


class CommError(SpyglassError):
    """wandb's error for failed server calls. Spyglass talks to no server and never raises it."""


class UsageError(SpyglassError):
    """wandb's error for API misuse. Spyglass raises its own, more specific errors instead."""


class AuthenticationError(CommError):
    """wandb's error for a bad API key. A local store needs no login, so it is never raised."""


_said_once: set[str] = set()
_said_lock = threading.Lock()


def _say(level: str, message: object, newline: bool, repeat: bool, prefix: bool) -> None:
    text = str(message)
    if not repeat:
        with _said_lock:
            if text in _said_once:
                return
            _said_once.add(text)
    head = f"spyglass: {level}" if prefix else ""
    lines = text.splitlines() or [""]
    sys.stderr.write("\n".join(head + line for line in lines) + ("\n" if newline else ""))


def termlog(string: object = "", newline: bool = True, repeat: bool = True, prefix: bool = True) -> None:
    """Print a message for the user on stderr (wandb.termlog); repeat=False prints a message once."""
    _say("", string, newline, repeat, prefix)


def termwarn(string: object, newline: bool = True, repeat: bool = True, prefix: bool = True) -> None:
    """Print a warning on stderr (wandb.termwarn)."""
    _say("WARNING ", string, newline, repeat, prefix)


def termerror(string: object, newline: bool = True, repeat: bool = True, prefix: bool = True) -> None:
    """Print an error on stderr (wandb.termerror)."""
    _say("ERROR ", string, newline, repeat, prefix)


def generate_id(length: int = 8) -> str:
    """A random run id of lowercase letters and digits (wandb.util.generate_id)."""
    alphabet = string.ascii_lowercase + string.digits
    return "".join(secrets.choice(alphabet) for _ in range(length))
