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

from .value_encoding import to_json

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
    """A call from its start to its end. Written by the calling thread, read by the session's writer.

    What every call has before it ends is a class-level default, so starting a call stores only its own
    values (an instance without __slots__ keeps them inline, cheaper to fill than slots). The calling thread
    sets `status` last when the call ends: the writer reads a record whose status is no longer RUNNING as
    complete.
    """

    inputs: dict[str, Any] | None = None  # the arguments encoded in the call (None: kept in args/kwargs)
    output: Any = None
    exception: str | None = None
    ended_ns = 0
    task: str | None = None
    status = RUNNING
    announced = False  # a "running" row was written for it (it outlived a flush)
    _id: str | None = None
    _trace: CallRecord | None = None
    _usage: dict[str, Any] | None = None
    _cost: float | None = None

    def __init__(
        self,
        session: Any,
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
        self.number = next(numbers)
        self.parent = parent
        # Arguments that are all numbers, None or strings are kept as passed and named by the session's
        # writer thread; others are encoded at once (inputs), as they may change after the call.
        self.spec = spec
        self.args: tuple[Any, ...] | None = args
        self.kwargs: dict[str, Any] | None = kwargs
        self.attributes = attributes
        self.thread = thread  # kept (not its name) so a thread that ended still has its name at flush
        self.started_ns = started_ns

    @property
    def op_name(self) -> str:
        return self.spec.name

    @property
    def id(self) -> str:
        """The call id: 16 hex digits of its process's random prefix, 16 of its number (32 in all)."""
        if self._id is None:
            self._id = f"{self.prefix}{self.number:016x}"
        return self._id

    @property
    def root(self) -> CallRecord:
        """The root call of this call's tree (its id is the trace id); found once, without recursion."""
        if self.parent is None:
            return self
        if self._trace is None:
            chain = []
            record = self
            while record.parent is not None and record._trace is None:
                chain.append(record)
                record = record.parent
            root = record if record.parent is None else record._trace
            for link in chain:
                link._trace = root
        return self._trace

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

    def inputs_json(self) -> str:
        """The inputs as stored (JSON), made by the writer thread from the kept arguments or `inputs`."""
        if self.inputs is not None:
            return to_json(self.inputs)
        return self.spec.kept_inputs_json(self.args, self.kwargs, self.session)
