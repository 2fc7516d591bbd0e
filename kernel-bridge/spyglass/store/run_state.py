"""A run's state as readers should show it: a "running" run whose process is gone is "crashed".

A live run rewrites heartbeat_at in run.json every few seconds (HEARTBEAT_INTERVAL in the run API). A process
killed with SIGKILL, a machine that lost power or a kernel that died cannot mark its run, so readers (the read
API, the CLI, the server's /run endpoint) derive the state from the heartbeat and, on the run's own host, from
whether its process still exists.
"""

from __future__ import annotations

import math
import socket
import time
from typing import Any

import psutil

STALE_AFTER = 30.0  # seconds without a heartbeat after which a "running" run is "crashed"
RUNNING = "running"
CRASHED = "crashed"


def effective_state(meta: dict[str, Any], now: float | None = None) -> str:
    """Return meta["state"], except "crashed" for a "running" run with a stale heartbeat or a dead process.

    Older run.json files without heartbeat_at are judged by updated_at, then created_at; with none of them
    there is no evidence of life, so the run is "crashed". A missing state is read as "running" (the state
    every run starts in). Other states are returned unchanged.
    """
    state = meta.get("state") or RUNNING
    if state != RUNNING:
        return state
    now = time.time() if now is None else now
    last_sign_of_life = _first_number(meta, ("heartbeat_at", "updated_at", "created_at"))
    # A heartbeat from the future (clock skew between hosts on shared storage) counts as fresh.
    if last_sign_of_life is None or now - last_sign_of_life > STALE_AFTER:
        return CRASHED
    if meta.get("host") == socket.gethostname() and not process_alive(meta.get("pid")):
        return CRASHED
    return RUNNING


def process_alive(pid: Any) -> bool:
    """True if a process with this id exists on this machine and is not a zombie (exited, not yet reaped)."""
    if isinstance(pid, bool) or not isinstance(pid, int) or pid <= 0:
        return True  # no usable pid: no evidence of death, the heartbeat decides
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False
    except psutil.Error:  # access denied: the process exists
        return True


def _first_number(meta: dict[str, Any], keys: tuple[str, ...]) -> float | None:
    for key in keys:
        value = meta.get(key)
        if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
            return float(value)
    return None
