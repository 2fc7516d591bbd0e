"""One traced call as the hot path records it, and the context that says which call is running.

The record holds plain Python values only; ids are numbers until the session's writer thread formats them,
so starting and ending a call costs a few attribute stores (bench/op_overhead).
"""

from __future__ import annotations

import contextvars
import itertools
import math
import os
import secrets
import threading
from collections.abc import Mapping
from typing import Any

# The call running in this thread or asyncio task; its children read it to find their parent and session.
running_call: contextvars.ContextVar[CallRecord | None] = contextvars.ContextVar(
    "spyglass_call", default=None
)
# The attributes sg.attributes() set around the code running now (one merged dict, never mutated).
current_attributes: contextvars.ContextVar[dict[str, Any] | None] = contextvars.ContextVar(
    "spyglass_call_attributes", default=None
)

RUNNING = "running"
SUCCESS = "success"
ERROR = "error"
UNFINISHED = "unfinished"  # still open when its session closed (the process ended inside the call)

numbers = itertools.count(1)  # next(numbers): unique in this process (atomic under the GIL)
_process_prefix = secrets.token_hex(8)


def _new_process_prefix() -> None:
    # A forked child numbers its calls from the parent's counter: a new prefix keeps the ids unique.
    global _process_prefix
    _process_prefix = secrets.token_hex(8)


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_new_process_prefix)


def current_call() -> CallRecord | None:
    """The call of the `@sg.op` running in this thread or asyncio task, or None (no op, or untraced).

    Integrations set `usage` and `cost` on it (spyglass.llm); they are stored with the call when it ends.
    """
    return running_call.get()


def process_prefix() -> str:
    """The random half of every call id made by this process."""
    return _process_prefix


class CallRecord:
    """A call from its start to its end. Written by the calling thread, read by the session's writer."""

    __slots__ = (
        "session",
        "prefix",
        "number",
        "parent",
        "root",
        "op_name",
        "spec",
        "args",
        "kwargs",
        "inputs",
        "output",
        "exception",
        "started_ns",
        "ended_ns",
        "attributes",
        "thread",
        "task",
        "status",
        "announced",
        "_id",
        "_usage",
        "_cost",
    )

    def __init__(
        self,
        session: Any,
        number: int,
        parent: CallRecord | None,
        spec: Any,
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
        attributes: dict[str, Any] | None,
        thread: threading.Thread,
        started_ns: int,
    ) -> None:
        self.session = session
        self.prefix = _process_prefix
        self.number = number
        self.parent = parent
        self.root: CallRecord = self if parent is None else parent.root  # its id is the trace id
        self.op_name = spec.name
        # Arguments that are all numbers, None or short strings are kept as passed and named by the session's
        # writer thread; others are encoded at once (inputs), as they may change after the call.
        self.spec = spec
        self.args: tuple[Any, ...] | None = args
        self.kwargs: dict[str, Any] | None = kwargs
        self.inputs: dict[str, Any] | None = None
        self.output: Any = None
        self.exception: str | None = None
        self.started_ns = started_ns
        self.ended_ns = 0
        self.attributes = attributes
        self.thread = thread  # kept (not its name) so a thread that ended still has its name at flush
        self.task: str | None = None
        self.status = RUNNING
        self.announced = False  # a "running" row was written for it (it outlived a flush)
        self._id: str | None = None
        self._usage: dict[str, Any] | None = None
        self._cost: float | None = None

    @property
    def id(self) -> str:
        """The call id: 16 hex digits of its process's random prefix, 16 of its number (32 in all)."""
        if self._id is None:
            self._id = f"{self.prefix}{self.number:016x}"
        return self._id

    @property
    def usage(self) -> dict[str, Any] | None:
        """Token counts and the like (stored as JSON in the `usage` column), or None."""
        return self._usage

    @usage.setter
    def usage(self, value: Mapping[str, Any] | None) -> None:
        if value is not None and not isinstance(value, Mapping):
            raise TypeError(
                f"a call's usage is a dict such as {{'input_tokens': 12}} or None, got {type(value).__name__}"
            )
        self._usage = None if value is None else dict(value)  # copied: changes after setting it are not kept

    @property
    def cost(self) -> float | None:
        """The call's cost (stored in the float `cost` column), or None."""
        return self._cost

    @cost.setter
    def cost(self, value: float | None) -> None:
        if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))):
            raise TypeError(f"a call's cost is a number or None, got {type(value).__name__}")
        if value is not None and not math.isfinite(value):
            raise ValueError(f"a call's cost must be finite, got {value!r}")
        self._cost = None if value is None else float(value)

    def encode_inputs_now(self) -> None:
        """Encode the arguments in the calling thread (values that may change later, or need a file)."""
        self.inputs = self.spec.inputs(self.args, self.kwargs, self.session)
        self.args = self.kwargs = None

    def encoded_inputs(self) -> dict[str, Any]:
        """The inputs as recorded (the writer thread zips kept arguments with their names here, once)."""
        if self.inputs is None:
            self.inputs = self.spec.deferred_inputs(self.args, self.kwargs, self.session)
            self.args = self.kwargs = None
        return self.inputs
