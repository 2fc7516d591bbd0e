"""Which notebook cell is executing: a run init() showed skips a second copy as that cell's last value."""

from __future__ import annotations

from .environment import _kernel_shell


def current_cell() -> str | None:
    """An id of the cell the kernel is executing (its execute_request's msg_id), or None outside a kernel."""
    shell = _kernel_shell()
    if shell is None:
        return None
    header = (getattr(shell, "parent_header", None) or {}).get("header") or {}
    msg_id = header.get("msg_id")
    # Without a request header (a kernel driven in-process) the execution count still tells cells apart.
    return str(msg_id) if msg_id else f"execution-{getattr(shell, 'execution_count', '')}"
