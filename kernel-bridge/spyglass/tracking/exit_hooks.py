"""How a script's end reaches its runs: an uncaught exception fails them, sys.exit(n) sets the exit code.

Installed once, by the first init(). sys.excepthook is chained (the previous hook prints the traceback
first). IPython kernels report a cell's exception without sys.excepthook, so there an exception in a cell does
not end the run, as in wandb. sys.exit is wrapped, as wandb does, only to remember a non-zero code for the
atexit handler, which then finishes the live runs as failed with that code.
"""

from __future__ import annotations

import sys
import threading
import warnings
from collections.abc import Callable
from typing import Any

_installed = False
_lock = threading.Lock()
exit_code: int | None = None  # from sys.exit(n), read by session's atexit handler


def install(finish_live_runs: Callable[[int], None]) -> None:
    """Chain sys.excepthook and wrap sys.exit (once per process)."""
    global _installed
    with _lock:
        if _installed:
            return
        _installed = True
        previous_hook = sys.excepthook
        previous_exit = sys.exit

        def excepthook(exc_type: type[BaseException], exc: BaseException, tb: Any) -> None:
            previous_hook(exc_type, exc, tb)
            try:
                finish_live_runs(1)
            except Exception as error:  # never hide the user's traceback behind ours
                warnings.warn(f"spyglass: could not mark the runs failed: {error}", stacklevel=1)

        def exit(status: object = None) -> None:  # noqa: A001 - replaces sys.exit
            global exit_code
            exit_code = _code_of(status)
            previous_exit(status)

        sys.excepthook = excepthook
        sys.exit = exit


def _code_of(status: object) -> int:
    if status is None:
        return 0
    if isinstance(status, int) and not isinstance(status, bool):
        return status
    return 1  # sys.exit("message") prints the message and exits with 1
