"""A traced call's start and end, as the wrappers of op_wrappers.py run them around the function.

Each step is guarded: a failure inside the recorder is a TracingFailedWarning (once per process) and the call
goes on untraced or unrecorded, never failing the function. `start_call` is the hot path (bench/op_overhead).
"""

from __future__ import annotations

import asyncio
import inspect
import threading
import time
import warnings
from collections.abc import Callable
from itertools import repeat
from typing import Any

from .call_record import ERROR, SUCCESS, CallRecord, current_attributes, running_call
from .trace_destination import session_for_root_call
from .value_encoding import KEPT_TYPES as _KEPT
from .value_encoding import PLAIN_TYPES as _PLAIN
from .value_encoding import (
    REDACTED,
    collected,
    encode,
    encode_named,
    is_secret_name,
    kept_json,
    to_json,
    type_name,
)

_time_ns = time.time_ns
_current_thread = threading.current_thread
_running = running_call.get
_attributes = current_attributes.get


class TracingFailedWarning(UserWarning):
    """Spyglass could not record a call; the call itself ran as usual."""


_warned = False


def _warn_once(error: BaseException) -> None:
    global _warned
    if not _warned:
        _warned = True
        warnings.warn(
            f"a call could not be traced ({type(error).__name__}: {error})",
            TracingFailedWarning,
            stacklevel=4,
        )


class OpSpec:
    """What the wrapper needs to know about the function, worked out once when it is decorated."""

    __slots__ = ("name", "positional", "names", "plain_names", "varargs", "templates")

    def __init__(self, function: Callable[..., Any], name: str | None) -> None:
        self.name = name or function.__qualname__.split("<locals>.")[-1]
        try:
            parameters = list(inspect.signature(function).parameters.values())
        except (TypeError, ValueError):  # a builtin without a signature: inputs as args and kwargs
            parameters = []
        positional_kinds = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
        # (name, redacted) per positional parameter: the secret check runs once, here.
        self.positional = tuple(
            (p.name, is_secret_name(p.name)) for p in parameters if p.kind in positional_kinds
        )
        self.names = tuple(name for name, _ in self.positional)
        self.plain_names = not any(secret for _, secret in self.positional)  # no positional value redacted
        variadic = [p.name for p in parameters if p.kind is inspect.Parameter.VAR_POSITIONAL]
        self.varargs = variadic[0] if variadic else "args"
        # '{"a":%s,"b":%s}' per count of positional arguments: the inputs JSON of kept values, made once.
        self.templates = [
            "{" + ",".join(f"{to_json(name)}:%s" for name in self.names[:count]) + "}"
            for count in range(len(self.names) + 1)
        ]

    def kept_inputs_json(self, args: tuple[Any, ...], kwargs: dict[str, Any], sink: Any) -> str:
        """The inputs JSON of a call whose arguments were all kept as passed (start_call), in the writer."""
        if not kwargs and self.plain_names and len(args) <= len(self.names):
            return self.templates[len(args)] % tuple(map(kept_json, args, repeat(sink)))
        return to_json(self.inputs(args, kwargs, sink))

    def inputs(self, args: tuple[Any, ...], kwargs: dict[str, Any], sink: Any) -> dict[str, Any]:
        """The arguments by parameter name, encoded (secrets redacted by name)."""
        inputs = {}
        for (name, secret), value in zip(self.positional, args, strict=False):
            if secret:
                inputs[name] = REDACTED
            elif type(value) in _PLAIN:
                inputs[name] = value
            else:
                inputs[name] = encode(value, sink)
        if len(args) > len(self.positional):
            inputs[self.varargs] = [encode(value, sink) for value in args[len(self.positional) :]]
        if kwargs:
            for name, value in kwargs.items():
                inputs[name] = encode_named(name, value, sink)
        return inputs


def start_call(spec: OpSpec, args: tuple[Any, ...], kwargs: dict[str, Any]) -> CallRecord | None:
    """A record of a call starting now, queued in its session; None when the call runs untraced."""
    started = _time_ns()
    try:
        parent = _running()
        if parent is None:
            session = session_for_root_call()
            if session is None or session.closed:
                return None
        else:
            session = parent.session
            if session.closed:
                return None
        record = CallRecord(session, parent, spec, args, kwargs, _attributes(), _current_thread(), started)
        # Numbers, None and strings stay as passed for the writer thread; anything else may change after
        # the call, so it is encoded now (a loop: cheaper than map/all for the few arguments of most calls).
        for value in args:
            if type(value) not in _KEPT:
                record.encode_inputs_now()
                break
        else:
            if kwargs and not _KEPT.issuperset(map(type, kwargs.values())):
                record.encode_inputs_now()
        session.started.append(record)  # the writer writes it when it ends ("running" if it outlives a flush)
        return record
    except Exception as error:
        _warn_once(error)
        return None


def end_call(record: CallRecord, output: Any) -> None:
    record.ended_ns = _time_ns()
    try:
        # A number, None or string is kept for the writer thread; anything else is encoded now.
        record.output = output if type(output) in _KEPT else encode(output, record.session)
        record.status = SUCCESS  # last: the writer reads the record as ended from here on
    except Exception as error:
        _warn_once(error)


def end_with_items(record: CallRecord, items: list[Any]) -> None:
    """End a generator's call: its output is the encoded items it yielded."""
    record.ended_ns = _time_ns()
    try:
        record.output = collected(items, record.session)
        record.status = SUCCESS
    except Exception as error:
        _warn_once(error)


def fail_call(record: CallRecord, error: BaseException) -> None:
    record.ended_ns = _time_ns()
    try:
        try:
            message = str(error)
        except Exception:
            message = "<str() of the exception raised>"
        record.exception = f"{type_name(error)}: {message}" if message else type_name(error)
        record.status = ERROR  # last, as in end_call
    except Exception as problem:
        _warn_once(problem)


def task_name() -> str | None:
    try:
        task = asyncio.current_task()
    except RuntimeError:
        return None
    return None if task is None else task.get_name()


def collect_item(record: CallRecord, items: list[Any], item: Any) -> None:
    try:
        items.append(encode(item, record.session))
    except Exception as error:
        _warn_once(error)
