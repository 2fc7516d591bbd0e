"""Runs across processes: a forked child never writes its parent's runs; a multiprocessing child ends its own.

fork() copies the parent's live runs into the child but not their threads. Writing them from the child would
put two processes' frames into one framed log (corrupting it) and finish the parent's run under it. So right
after a fork the child forgets the inherited runs (`spyglass.run` is None, `init()` starts a new run), and
their `log()`, `save()` and `alert()` raise RunInOtherProcessError; their `finish()` does nothing. The child
also drops the inherited comm (its sockets belong to the parent's kernel): runs started in the child write the
store only, and the page picks them up from there.

multiprocessing children end with os._exit, which skips atexit: a run started in a Process (or a Pool worker
that exits normally) is finished by a multiprocessing finalizer instead. A terminated Pool (the end of a
`with Pool() as pool:` block) kills its workers with SIGTERM; a run there should be finished by the worker
function, as with wandb, or it keeps only what the flusher stored (every 0.25 s) and reads as crashed. No
SIGTERM handler is installed: a worker stuck in C code (a lock inherited locked through fork) could not run
it, and its parent, joining it, would wait forever.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from typing import Any

from ..base.errors import SpyglassError
from ..transport import comm_transport
from . import exit_hooks

OTHER_PROCESS = "other-process"  # the state an inherited run has in a forked child

_finalizer_pid: int | None = None
_take_inherited_runs: Callable[[], list[Any]] = list


class RunInOtherProcessError(SpyglassError, RuntimeError):
    """A run created in the parent process was used in a forked child; call spyglass.init() in the child."""


def install(take_inherited_runs: Callable[[], list[Any]]) -> None:
    """Register the fork handler (once per interpreter; the session module calls it at import).

    `take_inherited_runs`, called in a forked child, empties the session's live runs and returns them.
    """
    global _take_inherited_runs
    _take_inherited_runs = take_inherited_runs
    if hasattr(os, "register_at_fork"):
        os.register_at_fork(after_in_child=_after_fork_in_child)


def finish_runs_at_child_exit(finish_live_runs: Callable[[], None]) -> None:
    """In a multiprocessing child, have its normal exit finish the live runs (os._exit skips atexit)."""
    global _finalizer_pid
    import multiprocessing
    import multiprocessing.util

    if multiprocessing.parent_process() is None or _finalizer_pid == os.getpid():
        return
    _finalizer_pid = os.getpid()
    multiprocessing.util.Finalize(None, finish_live_runs, exitpriority=0)


def _after_fork_in_child() -> None:
    # The child's exit status is its own: a sys.exit(n) the parent called (and caught) must not fail its runs.
    exit_hooks.exit_code = None
    # Locks held by other threads of the parent at the fork stay held forever in the child: start fresh.
    comm_transport._transport_lock = threading.Lock()
    comm_transport._transport = comm_transport.CommTransport(None)
    for run in _take_inherited_runs():
        disown(run, os.getppid())


def disown(run: Any, owner_pid: int) -> None:
    """Make an inherited run inert in this process: writes raise, finish() does nothing."""
    message = (
        f"run '{run.id}' was created by process {owner_pid} and this process is a fork of it: a run is "
        "written by the process that created it only (two processes would corrupt its log). Call "
        "spyglass.init() in this process to start a run of its own."
    )

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise RunInOtherProcessError(message)

    run.log = refuse
    run.save = refuse
    run.alert = refuse
    run._state = OTHER_PROCESS  # not a live state: finish() returns at once, metadata changes are refused
